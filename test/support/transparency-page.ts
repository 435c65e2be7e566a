import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A page that carries the transparency probe; the test calls window.runTransparencyProbe(base). */
export function transparencyPage(): string {
  return `<!doctype html><script>${readFileSync(resolve('test/fixtures/transparency-probe.js'), 'utf8')}</script>`;
}
