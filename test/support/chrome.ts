/**
 * Real Chromium with the built extension (dist/chrome), and the real DevTools panel.
 *
 * Reaching the panel uses DevTools-frontend internals (ui/legacy/legacy.js, InspectorView), which
 * are not a public API and may change with Chromium: all of that is kept in showPanel() below.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page, type Target, type WebWorker } from 'puppeteer-core';
import { chromePath, PROTOCOL_TIMEOUT_MS, WAIT_MS } from './browsers';
import { showPanelScript } from '../../scripts/devtools-panel.mjs';

export const CHROME_DIST = resolve('dist/chrome');
const DEVTOOLS_URL = 'devtools://devtools/bundled/devtools_app.html';

export interface ChromeSession {
  browser: Browser;
  extensionId: string;
  downloads: string;
  close(): Promise<void>;
}

/** `dist`: another build of the extension (dist-e2e/chrome-json, say); dist/chrome by default. */
export async function launchChrome(opts: { devtools: boolean; dark?: boolean; dist?: string }): Promise<ChromeSession> {
  const dist = opts.dist ? resolve(opts.dist) : CHROME_DIST;
  const userDataDir = mkdtempSync(join(tmpdir(), 'sockscope-chrome-'));
  const downloads = mkdtempSync(join(tmpdir(), 'sockscope-dl-'));
  const browser = await puppeteer.launch({
    executablePath: chromePath(),
    headless: true,
    devtools: opts.devtools,
    handleDevToolsAsPage: true,
    enableExtensions: true,
    userDataDir,
    pipe: true,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${dist}`, `--load-extension=${dist}`,
      // http://<name>.test:<port> reaches the local test server as a plain-http, non-secure origin.
      '--host-resolver-rules=MAP *.test 127.0.0.1',
      // The system theme DevTools follows by default.
      ...(opts.dark ? ['--force-dark-mode'] : []),
    ],
  });
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 60_000 });
  const extensionId = new URL(sw.url()).host;
  const cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  return {
    browser, extensionId, downloads,
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

const targetId = (t: Target) => (t as unknown as { _targetId: string })._targetId;
const isDevTools = (t: Target) => t.url().startsWith(DEVTOOLS_URL);

/**
 * Runs `open` and returns the DevTools window it made. The frontend's URL does not name the
 * inspected page, so the window is told apart as the one DevTools target that is new.
 */
async function newDevToolsWindow(browser: Browser, open: () => Promise<unknown>): Promise<Page> {
  const before = new Set(browser.targets().filter(isDevTools).map(targetId));
  await open();
  const t = await browser.waitForTarget((x) => isDevTools(x) && !before.has(targetId(x)), { timeout: WAIT_MS });
  const devtools = (await t.asPage())!;
  devtools.setDefaultTimeout(WAIT_MS);
  return devtools;
}

/** A new tab with DevTools open on it (the browser was launched with devtools: true). */
export async function newInspectedPage(browser: Browser): Promise<{ page: Page; devtools: Page }> {
  let page!: Page;
  const devtools = await newDevToolsWindow(browser, async () => { page = await browser.newPage(); });
  page.setDefaultTimeout(WAIT_MS);
  return { page, devtools };
}

/** Opens DevTools for a page that is already running (the "opened late" case). */
export async function openDevTools(browser: Browser, page: Page): Promise<Page> {
  return newDevToolsWindow(browser, async () => {
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Target.openDevTools', { targetId: targetId(page.target()) });
  });
}

/** Shows the WebSockets panel in a DevTools window and returns the panel's frame. */
export async function showPanel(devtools: Page): Promise<Frame> {
  const dt = devtools;
  // Headless Chromium may put another window in front; a hidden DevTools does not render the panel.
  await dt.bringToFront();
  // Undocked, the DevTools window is all panel: a test sizes it with setViewport, and screenshots
  // show the panel at full size. (The DevTools frontend allows eval; our own extension pages do not.)
  await dt.evaluate(showPanelScript({ undock: true }));
  for (let i = 0; i < 1200; i++) {
    const f = dt.frames().find((fr) => fr.url().endsWith('/src/panel/panel.html'));
    if (f) {
      await f.waitForSelector('.app', { timeout: 60_000 });
      return f;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('panel frame not found in DevTools');
}

/** The extension's MV3 service worker. */
export async function serviceWorker(browser: Browser): Promise<WebWorker> {
  const t = await browser.waitForTarget((x) => x.type() === 'service_worker' && x.url().startsWith('chrome-extension://'));
  return (await t.worker())!;
}

/**
 * Stops the extension's service worker, as Chrome does when it is idle, and waits for the worker
 * that replaces it once the extension's ports reconnect. Puppeteer auto-attaches to new workers
 * with "wait for debugger on start", so the new worker is resumed here (raw CDP: Puppeteer has no
 * Target object for a paused worker); with no debugger attached, Chrome starts it straight away.
 * `onStopped` runs as soon as the old worker is stopped, before the new one is up.
 * Returns a function that evaluates an expression in the new worker.
 */
export async function stopServiceWorker(browser: Browser, onStopped?: () => void): Promise<(expression: string) => Promise<unknown>> {
  const cdp = await browser.target().createCDPSession();
  const extSw = async () => (await cdp.send('Target.getTargets')).targetInfos
    .filter((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if ((await extSw()).length === 0) throw new Error('no extension service worker running');
  const pages = await browser.pages();
  const s = await pages[0]!.createCDPSession();
  await s.send('ServiceWorker.enable');
  await s.send('ServiceWorker.stopAllWorkers');
  onStopped?.();
  await s.detach();
  // The restarted worker may keep the old target id: resume whatever is there until it answers.
  const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, 250));
    for (const t of await extSw()) {
      try {
        const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
        const worker = cdp.connection()!.session(sessionId)!;
        await within(worker.send('Runtime.runIfWaitingForDebugger'), 1000);
        await within(worker.send('Runtime.evaluate', { expression: '1' }), 1000);
        return async (expression) => (await worker.send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
      } catch { /* not up yet */ }
    }
  }
  throw new Error('the service worker did not start again');
}
