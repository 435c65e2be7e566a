/**
 * Firefox: a session file and a HAR open in the panel beside the live capture, through the file
 * picker, read in the panel's worker, and so does a file written to the first field list of
 * version 1; a broken file gets its specific error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { startTestServer, type TestServer } from '../../support/test-server';
import { sessionToHar } from '../../../src/session/har';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { FIRST_FIELD_LIST_SESSION } from '../../fixtures/first-field-list-session';

let server: TestServer;
let ff: FirefoxSession;
let panel: Page;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-ff-sessions-'));

const SESSION: SessionFileV1 = {
  format: 'sockscope-session', version: 1, exportedAt: '2026-01-02T03:04:05.000Z',
  page: { url: 'https://app.test/', title: 'App' },
  connections: [{
    id: 'doc:1', url: 'wss://feed.test/ws', frameUrl: 'https://app.test/', requestedProtocols: ['v1'], protocol: 'v1', extensions: '',
    states: [{ state: 'CONNECTING', at: 1000 }, { state: 'OPEN', at: 1001 }, { state: 'CLOSED', at: 1009 }],
    close: { code: 4005, reason: 'done here', wasClean: true, initiator: 'server' }, errors: [],
  }],
  frames: [
    { connectionId: 'doc:1', direction: 'sent', type: 'text', at: 1002, size: 11, text: 'hello there' },
    { connectionId: 'doc:1', direction: 'received', type: 'binary', at: 1003, size: 3, base64: 'AQID' },
    { connectionId: 'doc:1', direction: 'received', type: 'text', at: 1004, size: 14, text: '{"answer":42} ' },
  ],
  dropped: { frames: 0, bytes: 0 },
};

const counts = () => panel.evaluate(() => `${document.querySelector('[data-testid=connection-count]')?.textContent} · ${document.querySelector('[data-testid=counts]')?.textContent}`);
async function open(name: string, text: string): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, text);
  await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
}
const loaded = (name: string) => panel.waitForFunction((n: string) =>
  document.querySelector('.session-tab.active')?.textContent?.includes(n) && !document.querySelector('.import-progress'), { timeout: 60_000 }, name);

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/blank`);
  panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('Firefox: a session file opens read-only beside the live capture, with its frames and close', async () => {
  await open('ff-session.json', JSON.stringify(SESSION));
  await loaded('ff-session.json');
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '3 of 3 frames', { timeout: 60_000 });
  expect(await counts()).toBe('1 connection · 3 of 3 frames');
  const text = await panel.evaluate(() => document.body.innerText);
  expect(text).toContain('4005 Application: done here');
  expect(text).toContain('hello there');
  expect(text).toContain('Imported · read-only');
});

test('Firefox: a HAR with _webSocketMessages opens with the same frames', async () => {
  await open('ff-capture.har', JSON.stringify(sessionToHar(SESSION, '1.0.0')));
  await loaded('ff-capture.har');
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '3 of 3 frames', { timeout: 60_000 });
  expect(await panel.evaluate(() => document.querySelector('.session-tab.active')?.textContent)).toContain('(HAR)');
});

test('Firefox: a file written to the first field list of version 1 (no errors) opens, with its frames and close', async () => {
  await open('ff-first-field-list.json', JSON.stringify(FIRST_FIELD_LIST_SESSION));
  // Loaded, or refused: then the test fails saying why.
  const outcome = await panel.waitForFunction(() => document.querySelector('.import-error')?.textContent
    || (document.querySelector('.session-tab.active')?.textContent?.includes('ff-first-field-list.json') && !document.querySelector('.import-progress') && 'loaded'), { timeout: 20_000 });
  expect(await outcome.jsonValue()).toBe('loaded');
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '3 of 3 frames', { timeout: 10_000 });
  expect(await counts()).toBe('2 connections · 3 of 3 frames');
  expect(await panel.evaluate(() => document.body.innerText)).toContain('1000 Normal Closure: bye');
});

test('Firefox: a broken file gets its specific error', async () => {
  await open('ff-broken.json', JSON.stringify({ ...SESSION, frames: [{ ...SESSION.frames[0], size: -1 }] }));
  await panel.waitForFunction(() => document.querySelector('.import-error')?.textContent?.includes('frames[0].size: expected a whole number ≥ 0'), { timeout: 60_000 });
});
