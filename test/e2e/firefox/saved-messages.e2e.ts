/**
 * Firefox: the composer's saved messages and socket picker (test build; the panel page is opened
 * as a tab), against a real `ws` server that records what it receives. The picker tells two
 * sockets of one host apart; a saved message is sent to the server and injected into the page's
 * onmessage with one click; the library is in the extension's storage.local and is there again in
 * a panel opened after the first one closed; a malformed library file is refused by name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import {
  chooseSocket, expectSaved, onSaved, openComposer, pageGot, PING, ROOM_LINES, roomLines, roomsOpen, saveSubscribeAndPing, serveTwoRooms, SUBSCRIBE_ALPHA,
  waitForSavedNames,
} from '../../support/saved-messages';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;
let page: Page;
let tabId: number;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-ff-library-'));
let received: (url: string) => string[];

async function newPanel(): Promise<Page> {
  const panel = await openPanelTab(ff.browser, server.origin, tabId);
  await panel.waitForFunction(() => /2 connections/.test(document.querySelector('[data-testid=connection-count]')?.textContent ?? ''), { timeout: 60_000 });
  await openComposer(panel);
  return panel;
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  ({ received } = serveTwoRooms(server));
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  page = await ff.browser.newPage();
  await page.goto(`${server.origin}/saved`);
  await roomsOpen(page);
  tabId = await relayTabId(page);
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Firefox: the picker, saved messages sent and injected, kept across panels, a bad file refused by name', async () => {
  let panel = await newPanel();

  // Two sockets of one host, other queries: apart within the select as drawn.
  const lines = await roomLines(panel);
  expect(lines.map((l) => l.fits)).toEqual([true, true]);
  expect(lines.map((l) => l.text)).toEqual(ROOM_LINES.map((re) => expect.stringMatching(re)));

  await saveSubscribeAndPing(panel);
  await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping'], others: [] });

  await onSaved(panel, 'Send', 'subscribe alpha');
  await server.waitFor(() => received('/feed?room=alpha').length === 1, 'the saved message at the server');
  expect(received('/feed?room=alpha')).toEqual(['{"op":"subscribe","room":"alpha"}']);
  await chooseSocket(panel, '/feed?room=beta');
  await waitForSavedNames(panel, { mine: ['ping'], others: ['subscribe alpha'] });
  await onSaved(panel, 'Inject', 'ping');
  await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 1, { timeout: 60_000 });
  expect(await pageGot(page)).toEqual(['/feed?room=beta ping']);
  expect(received('/feed?room=beta')).toEqual([]);

  // In the extension's storage.local; not in the page's storage.
  const stored = await panel.evaluate(() => (globalThis as unknown as { browser: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } })
    .browser.storage.local.get('sockscope.library').then((r) => r['sockscope.library']));
  expect(stored).toEqual({
    format: 'sockscope-messages', version: 1, messages: [SUBSCRIBE_ALPHA, PING],
  });
  expect(await page.evaluate(() => localStorage.length)).toBe(0);

  // A new panel, after this one closed, has the library.
  await panel.close();
  panel = await newPanel();
  await chooseSocket(panel, '/feed?room=alpha');
  await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping'], others: [] });
  await onSaved(panel, 'Send', 'ping');
  await server.waitFor(() => received('/feed?room=alpha').length === 2, 'a saved message sent from the new panel');
  expect(received('/feed?room=alpha')[1]).toBe('ping');

  // A malformed library file: refused with the field named, and nothing changes.
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'sockscope-messages', version: 1, messages: [{ name: 'a', mode: 'text', text: 'a' }, { name: 'b', mode: 'xml', text: '<b/>' }] }));
  await (await panel.$('input[type=file][aria-label="Library file"]'))!.uploadFile(bad);
  await expectSaved(panel, 'alert: Could not import bad.json: messages[1].mode: expected one of text, json, hex, base64');
  await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping'], others: [] });
});
