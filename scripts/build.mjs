#!/usr/bin/env node
// Builds dist/chrome and dist/firefox (or, with --e2e, the test builds: dist-e2e/firefox, and
// dist-e2e/chrome-json, Chrome without structured-clone messaging),
// then checks what crxjs emitted: the page hook and relay must be classic scripts, not async loaders.
import { build } from 'vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2e = process.argv.includes('--e2e');
// chrome-json: Chrome without structured-clone messaging, as a Chrome before 148 runs it.
const targets = e2e ? ['firefox', 'chrome-json'] : ['chrome', 'firefox'];

for (const target of targets) {
  const browser = target === 'chrome-json' ? 'chrome' : target;
  process.env.SOCKSCOPE_BROWSER = browser;
  process.env.SOCKSCOPE_JSON_MESSAGING = target === 'chrome-json' ? '1' : '';
  await build({ root, configFile: join(root, 'vite.config.ts'), mode: target === 'firefox' && e2e ? 'e2e' : 'production', logLevel: 'warn' });
  const out = join(root, e2e ? 'dist-e2e' : 'dist', target);
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
