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
import puppeteer, { type Browser, type EvaluateFunc, type Page } from 'puppeteer-core';
import { firefoxPath, patientPages, PROTOCOL_TIMEOUT_MS } from './browsers';
import type { SessionFileV1 } from '../../src/session/session-format';

export const FIREFOX_DIST = resolve('dist/firefox');
export const FIREFOX_E2E_DIST = resolve('dist-e2e/firefox');
export const GECKO_ID = 'sockscope@sockscope.dev';
/** Pinned so tests know the moz-extension:// origin of the panel. */
export const EXTENSION_UUID = '5f1c2a4e-8d3b-4c7a-9e21-0b6d4f8a9c3e';

export interface FirefoxSession {
  browser: Browser;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** A dist folder to install as a temporary add-on. */
  extension?: string;
  /** More Firefox command-line arguments. */
  args?: string[];
  /** More prefs, over the defaults below. */
  prefs?: Record<string, unknown>;
}

export async function launchFirefox(opts: LaunchOptions = {}): Promise<FirefoxSession> {
  const profile = mkdtempSync(join(tmpdir(), 'sockscope-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: profile,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
    args: opts.args ?? [],
    extraPrefsFirefox: {
      'network.http.http3.enable': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.shell.checkDefaultBrowser': false,
      ...opts.prefs,
    },
  });
  patientPages(browser);
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
  const handle = await page.waitForFunction(() => document.documentElement.dataset.sockscopeTab, { timeout: 60_000 });
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
  await page.waitForFunction(() => location.protocol === 'moz-extension:' && document.querySelector('.app'), { timeout: 60_000 });
  return page;
}

/** A document tests run code in: a puppeteer Page or Frame, or the real toolbox's panel (firefox-toolbox.ts). */
export interface PanelDocument {
  evaluate<Params extends unknown[], Func extends EvaluateFunc<Params> = EvaluateFunc<Params>>(fn: Func, ...args: Params): Promise<Awaited<ReturnType<Func>>>;
}

/**
 * Saves an export through the panel's Export… dialog, clicking as a user does: session format,
 * every frame, nothing masked (the dialog's first radios; the checkbox off).
 */
export async function clickSessionExport(panel: PanelDocument): Promise<void> {
  const click = (within: string, label: string) => panel.evaluate(async (sel: string, l: string) => {
    const end = Date.now() + 15_000;
    let b: HTMLButtonElement | undefined;
    while (!(b = [...document.querySelectorAll<HTMLButtonElement>(`${sel} button`)].find((x) => x.textContent?.trim() === l))) {
      if (Date.now() > end) throw new Error(`no "${l}" button in ${sel}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    b.click();
  }, within, label);
  await click('body', 'Export…');
  await panel.evaluate(() => {
    const d = document.querySelector('[role=dialog][aria-label=Export]')!;
    const radios = d.querySelectorAll<HTMLInputElement>('input[type=radio]');
    radios[0]!.click();
    radios[2]!.click();
    const redact = d.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    if (redact.checked) redact.click();
  });
  await click('[role=dialog][aria-label=Export]', 'Save export');
}

/**
 * Exports the session through the panel's Export dialog, as a user does. The panel saves through
 * an <a download> click; Firefox's download cannot be steered over BiDi, so the click is caught
 * and the file's own blob is read instead of the saved copy.
 */
export async function exportFromPanelTab(panel: Page): Promise<SessionFileV1> {
  await panel.evaluate(() => {
    const w = window as unknown as { exported?: Promise<string>; catching?: true };
    // Exported again in the same tab: wait for this export's file, never the last one's.
    w.exported = undefined;
    if (w.catching) return;
    w.catching = true;
    document.addEventListener('click', (e) => {
      const a = e.target;
      if (a instanceof HTMLAnchorElement && a.download) { e.preventDefault(); w.exported = fetch(a.href).then((r) => r.text()); }
    }, { capture: true });
  });
  await clickSessionExport(panel);
  const length = await panel.evaluate(async () => {
    const w = window as unknown as { exported?: Promise<string>; exportedText?: string };
    for (let i = 0; i < 300 && !w.exported; i++) await new Promise((r) => setTimeout(r, 50));
    w.exportedText = await w.exported!;
    return w.exportedText.length;
  });
  // Read in slices: one evaluate result of tens of MB is more than the BiDi transport should carry.
  const SLICE = 4 * 1024 * 1024;
  let text = '';
  for (let i = 0; i < length; i += SLICE) {
    text += await panel.evaluate((from: number, n: number) => (window as unknown as { exportedText: string }).exportedText.slice(from, from + n), i, SLICE);
  }
  return JSON.parse(text) as SessionFileV1;
}
