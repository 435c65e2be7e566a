#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only=overhead,latency,workers,scale]`
 * vitest runs the bench (bench/sockscope.bench-run.ts) so it can reuse the TypeScript test
 * helpers; vitest refuses flags it does not know, so this script reads ours and passes them on
 * as environment variables. vitest's own output goes to stderr; stdout gets the table alone.
 * Exit code: vitest's (non-zero only when something broke, never for a slow figure).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport } from './lib/report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--quick' && !a.startsWith('--only='));
if (unknown.length) {
  console.error(`unknown option(s): ${unknown.join(' ')}\nusage: npm run bench [-- --quick] [-- --only=overhead,latency,workers,scale]`);
  process.exit(2);
}
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? '';
const out = join(root, 'bench-results', quick ? 'latest-quick.json' : 'latest.json');
if (!existsSync(join(root, 'dist/chrome/manifest.json'))) {
  console.error('dist/chrome is missing: run `npm run build` first (the bench loads the built extension).');
  process.exit(2);
}

// A stale file must not pass for this run's results.
rmSync(out, { force: true });
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const child = spawn(vitest, ['run', '--config', 'bench/vitest.bench.config.ts'], {
  cwd: root,
  env: { ...process.env, BENCH_QUICK: quick ? '1' : '', BENCH_ONLY: only, BENCH_OUT: out },
  stdio: ['ignore', process.stderr, process.stderr],
});
child.on('exit', (code, signal) => {
  if (existsSync(out)) {
    process.stdout.write(formatReport(JSON.parse(readFileSync(out, 'utf8'))));
    process.stdout.write(`\nJSON: ${out}\n`);
  } else {
    console.error(`no results file at ${out}`);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
