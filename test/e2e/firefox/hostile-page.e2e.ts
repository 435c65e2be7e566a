/**
 * Firefox, the panel opened as a tab (test build): the XSS corpus shows as literal text in the
 * URL, protocol, close reason, frame list and detail pane, from a live page and from an opened
 * session file, and no payload runs; and a handshake forged by the page's first script is not
 * taken. The Chromium side, with the other hostile-page checks, is test/e2e/chrome/hostile-page.e2e.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { startTestServer, type TestServer } from '../../support/test-server';
import { XSS_CORPUS } from '../../fixtures/xss-corpus';
import {
  cspViolations, expectedImported, expectedLive, importedNotes, injectedMarkup, previewsOf, pwned, readConnections, waitForXssCloses,
  watchCsp, xssSessionFile, xssSocketHandler, XSS_FILE_NAME, XSS_LIVE_PAGE, FORGE_EARLY_PAGE,
} from '../../support/hostile-pages';

let server: TestServer;
let ff: FirefoxSession;
let page: Page;
let panel: Page;
const dialogs: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sockscope-ff-hostile-'));
const N = XSS_CORPUS.length;

/** The panel's counts line reads at least this many connections and frames. */
async function waitForCounts(conns: number, frames: number): Promise<void> {
  await panel.waitForFunction((c: number, f: number) => {
    const cm = /(\d+) connections?/.exec(document.querySelector('[data-testid=connection-count]')?.textContent ?? '');
    const fm = /(\d+) of (\d+) frames?/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
    return cm !== null && fm !== null && Number(cm[1]) >= c && Number(fm[2]) >= f;
  }, { timeout: 60_000, polling: 100 }, conns, frames);
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/xss', XSS_LIVE_PAGE);
  server.onSocket('/xss', xssSocketHandler);
  server.page('/forge-early', FORGE_EARLY_PAGE);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  page = await ff.browser.newPage();
  page.on('dialog', (d) => { dialogs.push(`page: ${d.message()}`); void d.dismiss(); });
  await page.goto(`${server.origin}/xss`);
  // The panel opens after the page's traffic: the relay's history brings it all.
  panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  panel.on('dialog', (d) => { dialogs.push(`panel: ${d.message()}`); void d.dismiss(); });
  await watchCsp(panel);
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('Firefox: from a live page, every payload shows as literal text in the URL, frames and close reason', async () => {
  const closes = await waitForXssCloses(page);
  expect(closes.map((c) => c.reason)).toEqual(XSS_CORPUS);
  await waitForCounts(N, 5 * N);
  expect(await readConnections(panel, previewsOf(closes.map((c) => c.url)))).toEqual(expectedLive(closes, server.origin));
});

test('Firefox: from an opened session file, every payload shows as literal text in every field', async () => {
  const path = join(dir, XSS_FILE_NAME);
  writeFileSync(path, JSON.stringify(xssSessionFile()));
  await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
  await panel.waitForFunction(() => !document.querySelector('.import-progress') && document.querySelector('.session-tab.active'), { timeout: 60_000, polling: 100 });
  await waitForCounts(N, 2 * N);
  expect(await panel.evaluate(() => document.querySelector('.session-tab.active [role=tab]')?.textContent)).toBe(XSS_FILE_NAME);
  const notes = await importedNotes(panel);
  expect(notes.text).toContain(`filtered export (${XSS_CORPUS.join(' ')}) of 9999 frames`);
  expect(notes.keys).toBe(`Keys: ${XSS_CORPUS.join(', ')}`);
  expect(await readConnections(panel, previewsOf([...XSS_CORPUS]))).toEqual(expectedImported());
});

test('Firefox: no payload ran, no dialog opened, and no markup from a payload is in the panel', async () => {
  await new Promise((r) => setTimeout(r, 300)); // a late onerror would fire by now
  expect(await pwned(panel)).toBeUndefined();
  expect(await pwned(page)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await cspViolations(panel)).toEqual([]);
  expect(await injectedMarkup(panel)).toEqual([]);
});

test('Firefox: a handshake forged before the real one is not taken, and the genuine socket is captured', async () => {
  const forger = await ff.browser.newPage();
  await forger.goto(`${server.origin}/forge-early`);
  await server.waitFor(() => server.sockets.find((s) => s.path === '/forge-echo')?.received.length, 'the genuine frame at the server');
  const forgerPanel = await openPanelTab(ff.browser, server.origin, await relayTabId(forger));
  await forgerPanel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '2 of 2 frames', { timeout: 60_000, polling: 100 })
    .catch(() => { /* the checks below say what is wrong */ });
  await new Promise((r) => setTimeout(r, 500)); // time for any forged event to show, if it could
  expect(await forger.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).toEqual([]);
  const urls = await forgerPanel.evaluate(() => [...document.querySelectorAll('tr.conn td.url')].map((td) => td.getAttribute('title')));
  expect(urls.map((u) => new URL(u!).pathname)).toEqual(['/forge-echo']);
  expect(await forgerPanel.evaluate(() => document.body.innerText)).not.toContain('FORGED');
});
