/**
 * Finds the real browsers. Missing browsers fail the run with instructions: a browser test that
 * quietly skips would be reported as passing.
 */
import { existsSync } from 'node:fs';

function find(envVar: string, candidates: string[], pkg: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No ${pkg} found (looked at $${envVar}, ${candidates.join(', ')}). ` +
      `Install it: apt-get update && apt-get install -y --no-install-recommends ${pkg}, or set ${envVar}.`);
  }
  return found;
}

export const chromePath = () =>
  find('CHROME_PATH', ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/chromium-browser'], 'chromium');

export const firefoxPath = () => find('FIREFOX_PATH', ['/usr/bin/firefox-esr', '/usr/bin/firefox'], 'firefox-esr');
