/**
 * Launching Chromium for the bench. The flags are those of test/support/chrome.ts (launchChrome),
 * with two differences that the figures need:
 *  - condition (a) runs without the extension at all;
 *  - Puppeteer's own Network domain is off (networkEnabled: false). By default Puppeteer enables
 *    CDP Network on every page, and then every WebSocket frame is also serialized to Node; that
 *    halves a no-extension baseline and would make every ratio look better than it is.
 * Opening DevTools and showing the real panel reuse test/support/chrome.ts unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type CDPSession, type Frame, type Page } from 'puppeteer-core';
import { chromePath } from '../../test/support/browsers';
import { CHROME_DIST, newInspectedPage, showPanel } from '../../test/support/chrome';

export interface BenchBrowser {
  browser: Browser;
  page: Page;
  /** The DevTools window of `page`, when launched with devtools. */
  devtools: Page | null;
  /** The WebSockets panel's frame, when asked for (shown, so recording). */
  panel: Frame | null;
  close(): Promise<void>;
}

export interface LaunchOptions { extension: boolean; devtools: boolean; panel?: boolean }

export async function launchBench(opts: LaunchOptions): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sockscope-bench-'));
  const browser = await puppeteer.launch({
    executablePath: chromePath(),
    headless: true,
    devtools: opts.devtools,
    handleDevToolsAsPage: true,
    enableExtensions: opts.extension,
    networkEnabled: false,
    // A 1M-frame feed is one long evaluate; Puppeteer's default (180 s) is too short for it.
    protocolTimeout: 900_000,
    issuesEnabled: false,
    userDataDir,
    pipe: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      ...(opts.extension ? [`--disable-extensions-except=${CHROME_DIST}`, `--load-extension=${CHROME_DIST}`] : []),
    ],
  });
  if (opts.extension) {
    await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 15_000 });
  }
  let page: Page, devtools: Page | null = null;
  if (opts.devtools) ({ page, devtools } = await newInspectedPage(browser));
  else page = await browser.newPage();
  const panel = opts.panel && devtools ? await showPanel(devtools) : null;
  return {
    browser, page, devtools, panel,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A CDP session on the panel page's own target (an out-of-process frame of DevTools). */
export async function panelSession(browser: Browser): Promise<CDPSession> {
  const t = await browser.waitForTarget((x) => x.url().startsWith('chrome-extension://') && x.url().endsWith('/src/panel/panel.html'), { timeout: 15_000 });
  return t.createCDPSession();
}

/** A CDP session on the extension's service worker (the router). */
export async function workerSession(browser: Browser): Promise<CDPSession> {
  const t = await browser.waitForTarget((x) => x.type() === 'service_worker' && x.url().startsWith('chrome-extension://'), { timeout: 15_000 });
  return t.createCDPSession();
}
