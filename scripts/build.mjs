#!/usr/bin/env node
// Builds dist/chrome and dist/firefox (or, with --e2e, the Firefox test build in dist-e2e/firefox),
// then checks what crxjs emitted: the page hook and relay must be classic scripts, not async loaders.
import { build } from 'vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2e = process.argv.includes('--e2e');
const targets = e2e ? ['firefox'] : ['chrome', 'firefox'];

for (const browser of targets) {
  process.env.SOCKSCOPE_BROWSER = browser;
  await build({ root, configFile: join(root, 'vite.config.ts'), mode: e2e ? 'e2e' : 'production', logLevel: 'warn' });
  const out = join(root, e2e ? 'dist-e2e' : 'dist', browser);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  for (const cs of manifest.content_scripts) {
    for (const file of cs.js) {
      const code = readFileSync(join(out, file), 'utf8');
      if (!file.endsWith('.iife.js') || /\bimport\s*\(|^\s*import\s/m.test(code)) {
        throw new Error(`${browser}: content script ${file} is not a self-contained classic script; it would run after page scripts`);
      }
    }
  }
  console.log(`built ${out}`);
}
