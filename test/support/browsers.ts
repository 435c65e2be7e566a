/**
 * Finds the real browsers. Missing browsers fail the run with instructions: a browser test that
 * quietly skips would be reported as passing.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page, Target } from 'puppeteer-core';

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

/**
 * How long a test waits for a condition by default, and for one browser call. CI machines are
 * shared and busy: the bounds are for a machine two CPU-bound processes slow down, not a quiet one.
 */
export const WAIT_MS = 60_000;
export const PROTOCOL_TIMEOUT_MS = 600_000;

/**
 * Every page of `browser` waits WAIT_MS by default (puppeteer's own default is 30 s). Firefox only:
 * in Chromium, taking a Page for a DevTools window as it appears would emulate puppeteer's default
 * viewport in it and change the panel's size, so chrome.ts sets the timeout on the pages it makes.
 */
export function patientPages(browser: Browser): void {
  const patient = (p: Page | null) => { p?.setDefaultTimeout(WAIT_MS); };
  for (const t of browser.targets()) void t.page().then(patient, () => {});
  browser.on('targetcreated', (t: Target) => { void t.page().then(patient, () => {}); });
}

export const chromePath = () =>
  find('CHROME_PATH', ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/chromium-browser'], 'chromium');

export const firefoxPath = () => find('FIREFOX_PATH', ['/usr/bin/firefox-esr', '/usr/bin/firefox'], 'firefox-esr');
