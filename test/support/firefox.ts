/**
 * Real Firefox (firefox-esr) over WebDriver BiDi, with the extension installed as a temporary
 * add-on. The DevTools toolbox cannot be driven over BiDi, so panel checks use the test build
 * (dist-e2e/firefox), which differs from dist/firefox in two test-only ways: the panel page is
 * web-accessible (so a page can open it as a tab with ?tabId=N), and the relay writes the tab id
 * the router answered with onto <html data-sockscope-tab>, which proves the relay round trip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from './browsers';

export const FIREFOX_DIST = resolve('dist/firefox');
export const FIREFOX_E2E_DIST = resolve('dist-e2e/firefox');
export const GECKO_ID = 'sockscope@sockscope.dev';
/** Pinned so tests know the moz-extension:// origin of the panel. */
export const EXTENSION_UUID = '5f1c2a4e-8d3b-4c7a-9e21-0b6d4f8a9c3e';

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(opts: { extension?: string } = {}): Promise<FirefoxSession> {
  const profile = mkdtempSync(join(tmpdir(), 'sockscope-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'network.http.http3.enable': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.shell.checkDefaultBrowser': false,
    },
  });
  if (opts.extension) await browser.installExtension(opts.extension);
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The tab id the router gave this page's relay (test build only). */
export async function relayTabId(page: Page): Promise<number> {
  const handle = await page.waitForFunction(() => document.documentElement.dataset.sockscopeTab, { timeout: 15_000 });
  return Number(await handle.jsonValue());
}

/**
 * Opens the panel for `tabId` in a new tab. Navigating to moz-extension:// from the test is
 * refused, so a page of the test server sends itself there.
 */
export async function openPanelTab(browser: Browser, origin: string, tabId: number): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/blank`);
  await page.evaluate((url) => { location.href = url; }, `moz-extension://${EXTENSION_UUID}/src/panel/panel.html?tabId=${tabId}`);
  await page.waitForFunction(() => location.protocol === 'moz-extension:' && document.querySelector('.app'), { timeout: 15_000 });
  return page;
}
