/**
 * Firefox's real DevTools toolbox, driven from a test: the toolbox docked on a tab, the extension's
 * panel selected in it, code evaluated in the panel's own page, the toolbox resized.
 *
 * This relies on Firefox internals that may change with any Firefox release. They all live in
 * scripts/firefox-toolbox.mjs (shared with `npm start -- --firefox`), which says what each one is.
 * In short: Firefox runs with --remote-allow-system-access, so WebDriver BiDi can run code in the
 * browser window's chrome context, where DevTools' gDevTools opens the toolbox; code reaches the
 * panel's page through a frame script in the panel's <browser>. Headless: no display is needed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import {
  FIREFOX_TOOLBOX_ARGS, captureWindow, chromeCaller, closeToolbox, evaluateInPanel, openToolboxOnPanel as openPanel,
  setToolboxHeight, setWindowSize, type ChromeCall, type OpenedPanel,
} from '../../scripts/firefox-toolbox.mjs';
import { GECKO_ID, launchFirefox, type FirefoxSession, type LaunchOptions, type PanelDocument } from './firefox';

export interface FirefoxToolboxSession extends FirefoxSession {
  /** Where Firefox saves downloads (the panel's exports), without asking. */
  downloads: string;
  /** Runs code in the browser window's chrome context (see scripts/firefox-toolbox.mjs). */
  call: ChromeCall;
}

/** Firefox, headless, able to drive its toolbox; downloads go to a fresh folder without a prompt. */
export async function launchFirefoxToolbox(opts: Omit<LaunchOptions, 'args'> = {}): Promise<FirefoxToolboxSession> {
  const downloads = mkdtempSync(join(tmpdir(), 'sockscope-ff-downloads-'));
  const ff = await launchFirefox({
    ...opts,
    args: FIREFOX_TOOLBOX_ARGS,
    prefs: {
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      ...opts.prefs,
    },
  });
  // puppeteer's BiDi browser has a `connection`, left out of its public types.
  const connection = (ff.browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: any }> } }).connection;
  return {
    ...ff,
    downloads,
    call: chromeCaller((method, params) => connection.send(method, params)),
    async close() {
      await ff.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface ToolboxPanel extends PanelDocument {
  /** What the toolbox says about the panel it opened. */
  readonly opened: OpenedPanel;
  /** Calls `fn(...args)` in the panel every `polling` ms until it returns something truthy, and resolves with that. */
  waitForFunction<A extends unknown[], R>(fn: (...args: A) => R, opts: { timeout?: number; polling?: number }, ...args: A): Promise<Truthy<Awaited<R>>>;
  /** The panel page's viewport. */
  viewport(): Promise<{ width: number; height: number }>;
  /** Sets the docked toolbox's height (Firefox's default is 250 px: the panel gets that less the tab strip). */
  setToolboxHeight(px: number): Promise<{ width: number; height: number }>;
  /** Sizes window and toolbox so that the panel page is `width` × `height`. */
  setPanelSize(width: number, height: number): Promise<{ width: number; height: number }>;
  /** A PNG of the whole browser window (page, toolbox, panel), as Firefox paints it. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Opens the real toolbox docked on `page`'s tab (the tab is brought to the front) and selects the
 * extension's panel in it. Resolves once the panel's page has loaded.
 */
export async function openToolboxOnPanel(ff: FirefoxToolboxSession, page: Page, timeout = 60_000): Promise<ToolboxPanel> {
  // puppeteer's BiDi frame keeps its browsing context id in `_id`, left out of its public types.
  const tab = (page.mainFrame() as unknown as { _id: string })._id;
  const opened = await openPanel(ff.call, tab, GECKO_ID, timeout);
  const viewport = () => evaluateInPanel(ff.call, tab, () => ({ width: innerWidth, height: innerHeight }), []) as Promise<{ width: number; height: number }>;
  const waitForViewport = (width: number | null, height: number) => evaluateInPanel(ff.call, tab,
    (w: number | null, h: number) => (w === null || innerWidth === w) && innerHeight === h && { width: innerWidth, height: innerHeight },
    [width, height], { timeout, interval: 50 });
  const panel: ToolboxPanel = {
    opened,
    evaluate: (fn, ...args) => evaluateInPanel(ff.call, tab, fn, args),
    waitForFunction: (fn, opts, ...args) => evaluateInPanel(ff.call, tab, fn, args, { timeout: opts.timeout ?? timeout, interval: opts.polling ?? 100 }),
    viewport,
    async setToolboxHeight(px) {
      const { panel: size } = await setToolboxHeight(ff.call, tab, px, timeout);
      return waitForViewport(null, size!.height);
    },
    async setPanelSize(width, height) {
      // The panel is as wide as the inside of the window, and as high as the toolbox less its tab
      // strip (29 px in Firefox 153; measured here, so a change of it does not matter).
      const windowHeight = Math.max(800, height + 400);
      const { inner, outer } = await setWindowSize(ff.call, tab, width, windowHeight, timeout);
      if (inner[0] !== width) await setWindowSize(ff.call, tab, width + outer[0] - inner[0], windowHeight, timeout);
      const first = await setToolboxHeight(ff.call, tab, height + 29, timeout);
      const strip = first.toolboxHeight - first.panel!.height;
      if (first.panel!.height !== height) await setToolboxHeight(ff.call, tab, height + strip, timeout);
      return waitForViewport(width, height);
    },
    screenshot: async () => Buffer.from(await captureWindow(ff.call, tab), 'base64'),
    close: () => closeToolbox(ff.call, tab),
  };
  return panel;
}

/** Waits for Firefox to finish saving a download whose name ends with `ext`, and returns it. */
export async function waitForDownload(dir: string, ext: string, timeout = 60_000): Promise<{ name: string; text: string }> {
  const end = Date.now() + timeout;
  for (;;) {
    const files = readdirSync(dir);
    // Firefox writes into a .part file next to the final one, and removes it when done.
    const name = files.find((f) => f.endsWith(ext));
    if (name && !files.some((f) => f.endsWith('.part'))) {
      // A file seen in the listing may be gone a moment later (Firefox renames its temporary
      // download files): a read that fails, like JSON that does not parse yet, means look again.
      try {
        const text = readFileSync(join(dir, name), 'utf8');
        JSON.parse(text);
        return { name, text };
      } catch { /* still being written, or renamed meanwhile */ }
    }
    if (Date.now() > end) throw new Error(`no finished ${ext} download in ${dir} after ${timeout} ms (it holds: ${files.join(', ') || 'nothing'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
