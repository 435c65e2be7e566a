/**
 * Chromium, real DevTools panel: sessions as files. An exported session opened in the panel
 * shows the same connections and frames, read-only, and exports back to the same file; a HAR
 * export opens the same way; so do files other writers make (the first field list of version 1,
 * only the required fields), exporting back with the defaults filled in; redaction masks the
 * secrets and says so; a broken file gets a specific error and the panel lives on; a file dropped
 * on the panel opens too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportFile, exportSession, setPanelFilter, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { FIRST_FIELD_LIST_READ, FIRST_FIELD_LIST_SESSION, MINIMAL_READ, MINIMAL_SESSION } from '../../fixtures/first-field-list-session';

let server: TestServer;
let chrome: ChromeSession;
let panel: Frame;
let devtools: Page;
let live: SessionFileV1;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-sessions-'));

const withoutExportedAt = (text: string) => ({ ...(JSON.parse(text) as SessionFileV1), exportedAt: '' });
const tabs = () => panel.evaluate(() => [...document.querySelectorAll('.session-tabs [role=tab]')].map((t) => `${t.textContent}${t.getAttribute('aria-selected') === 'true' ? ' *' : ''}`));
async function click(name: string, role = 'button'): Promise<void> {
  await (await panel.waitForSelector(`::-p-aria(${name}[role="${role}"])`))!.click();
}
/** Opens a file through the "Open session…" file picker, and waits until it has loaded. */
async function openFile(path: string): Promise<void> {
  const input = (await panel.$('input[type=file][aria-label="Session file"]'))!;
  await input.uploadFile(path);
}
const waitLoaded = () => panel.waitForFunction(() => !document.querySelector('.import-progress') && document.querySelector('.session-tab.active'), { timeout: 60_000 });
const visiblePreviews = () => panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame .preview')].map((p) => (p as HTMLElement).innerText));

beforeAll(async () => {
  server = await startTestServer();
  server.page('/app', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/api?room=7&token=s3cr3t-url', ['accept-v2.chat', 'v1.chat']);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.send(JSON.stringify({ op: 'login', user: 'ann', auth: { password: 'hunter2', access_token: 'tok-123' } }));
      ws.send(new Uint8Array([0, 1, 2, 250, 255]));
      ws.send('plain text with a ☃');
    };
    const bye = new WebSocket('ws://' + location.host + '/bye');
  </script>`);
  server.onSocket('/api', (s) => s.ws.on('message', (data, isBinary) => s.ws.send(data, { binary: isBinary })));
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.onSocket('/bye', (s) => s.ws.close(4001, 'go away'));
  chrome = await launchChrome({ devtools: true });
  const inspected = await newInspectedPage(chrome.browser);
  const page = inspected.page;
  devtools = inspected.devtools;
  await page.goto(`${server.origin}/app`);
  panel = await showPanel(devtools);
  await waitForCounts(panel, 2, 6);
  await panel.waitForFunction(() => document.body.innerText.includes('4001'), { timeout: 60_000 });
  live = await exportSession(panel, chrome.downloads);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: opening and exporting session files', () => {
  test('an exported session opens beside the live one, with the same frames, and exports back to the same file', async () => {
    const path = join(dir, 'live.json');
    writeFileSync(path, JSON.stringify(live, null, 1));
    await openFile(path);
    await waitLoaded();
    expect(await tabs()).toEqual(['● Live', 'live.json *']);
    await waitForCounts(panel, 2, 6);
    expect(await panel.evaluate(() => document.querySelector('.imported-notes')?.textContent)).toContain('read-only');
    // Read-only: nothing here can reach a socket.
    expect(await panel.$('::-p-aria(Compose[role="button"])')).toBeNull();
    await setPanelFilter(panel, '☃');
    await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.frame').length === 2);
    expect(await visiblePreviews()).toEqual(['plain text with a ☃', 'plain text with a ☃']);
    await setPanelFilter(panel, '');

    const again = await exportFile(panel, chrome.downloads);
    expect(withoutExportedAt(again.text)).toEqual({ ...live, exportedAt: '' });

    await click('● Live', 'tab');
    expect(await tabs()).toEqual(['● Live *', 'live.json']);
    expect(await panel.$('::-p-aria(Compose[role="button"])')).not.toBeNull();
    await click('Close live.json');
    expect(await tabs()).toEqual(['● Live *']);
  });

  test('a HAR export has Chrome\'s _webSocketMessages and opens with the same frames', async () => {
    const har = await exportFile(panel, chrome.downloads, { format: 'har' });
    expect(har.name).toMatch(/^sockscope-127\.0\.0\.1_\d+-\d{8}-\d{6}\.har$/);
    const entries = (JSON.parse(har.text) as { log: { entries: { request: { url: string }; _webSocketMessages: { type: string; opcode: number; data: string }[] }[] } }).log.entries;
    const api = entries.find((e) => e.request.url.includes('/api'))!;
    expect(api._webSocketMessages.filter((m) => m.type === 'send').map((m) => [m.opcode, m.data])).toEqual([
      [1, JSON.stringify({ op: 'login', user: 'ann', auth: { password: 'hunter2', access_token: 'tok-123' } })],
      [2, Buffer.from([0, 1, 2, 250, 255]).toString('base64')],
      [1, 'plain text with a ☃'],
    ]);
    const path = join(dir, 'capture.har');
    writeFileSync(path, har.text);
    await openFile(path);
    await waitLoaded();
    expect(await tabs()).toEqual(['● Live', 'capture.har (HAR) *']);
    await waitForCounts(panel, 2, 6);
    const back = await exportSession(panel, chrome.downloads);
    expect({ ...back, exportedAt: '' }).toEqual({ ...live, exportedAt: '' });
    await click('Close capture.har');
  });

  test.each([
    ['written to the first field list of version 1 (no errors)', 'first-field-list.json', FIRST_FIELD_LIST_SESSION, FIRST_FIELD_LIST_READ, '2 connections', '3 of 3 frames'],
    ['with only the required fields', 'minimal.json', MINIMAL_SESSION, MINIMAL_READ, '2 connections', '2 of 2 frames'],
  ])('a file %s opens, and exports back with every default filled in', async (_, name, file, read, conns, frames) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(file, null, 1));
    await openFile(path);
    // Loaded, or refused: then the test fails saying why.
    const outcome = await panel.waitForFunction(() => document.querySelector('.import-error')?.textContent
      || (!document.querySelector('.import-progress') && document.querySelector('.session-tab.active') && 'loaded'), { timeout: 20_000 });
    expect(await outcome.jsonValue()).toBe('loaded');
    expect(await tabs()).toEqual(['● Live', `${name} *`]);
    await panel.waitForFunction((c: string, f: string) => document.querySelector('[data-testid=connection-count]')?.textContent?.includes(c)
      && document.querySelector('[data-testid=counts]')?.textContent === f, { timeout: 10_000 }, conns, frames);
    const again = await exportFile(panel, chrome.downloads);
    expect(withoutExportedAt(again.text)).toEqual({ ...read, exportedAt: '' });
    await click(`Close ${name}`);
    expect(await tabs()).toEqual(['● Live *']);
  });

  test('redaction masks the token in the URL and the secret JSON keys, and the file and panel say so', async () => {
    // The dialog as a user sees it, for the README.
    await click('Export…');
    const dialog = (await panel.waitForSelector('[role=dialog][aria-label=Export]'))!;
    const redactBox = (await dialog.$('input[type=checkbox]'))!;
    if (!(await redactBox.evaluate((b) => b.checked))) await redactBox.click();
    await devtools.screenshot({ path: resolve('docs/screenshots/export-dialog.png') });
    await click('Cancel');
    const red = await exportFile(panel, chrome.downloads, { redact: true });
    const s = JSON.parse(red.text) as SessionFileV1;
    expect(red.text).not.toContain('s3cr3t-url');
    expect(red.text).not.toContain('hunter2');
    expect(red.text).not.toContain('tok-123');
    expect(s.connections.find((c) => c.url.includes('/api'))!.url).toContain('token=[redacted]');
    expect(s.frames[0]!.text).toBe(JSON.stringify({ op: 'login', user: 'ann', auth: { password: '[redacted]', access_token: '[redacted]' } }));
    expect(s.redacted?.keys).toEqual(expect.arrayContaining(['token', 'access_token', 'authorization', 'password', 'cookie', 'api_key']));
    // The URL's token, and password and access_token in the sent frame and in its echo.
    expect(s.redacted?.count).toBe(5);
    const path = join(dir, 'redacted.json');
    writeFileSync(path, red.text);
    await openFile(path);
    await waitLoaded();
    expect(await panel.evaluate(() => document.querySelector('.imported-notes')?.textContent)).toContain('5 values redacted');
    await click('Close redacted.json');
  });

  test('only what the filter shows: the file holds those frames and names the filter', async () => {
    await setPanelFilter(panel, 'login');
    await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '2 of 6 frames');
    const only = JSON.parse((await exportFile(panel, chrome.downloads, { onlyFiltered: true })).text) as SessionFileV1;
    await setPanelFilter(panel, '');
    expect(only.frames.map((f) => f.direction)).toEqual(['sent', 'received']);
    expect(only.connections.map((c) => new URL(c.url).pathname)).toEqual(['/api']);
    expect(only.filtered).toEqual({ query: 'matching login', ofFrames: 6 });
  });

  test('a broken file gets a specific error naming the field, and the panel goes on working', async () => {
    const broken = structuredClone(live) as unknown as { frames: { direction: string }[] };
    broken.frames[2]!.direction = 'sideways';
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(broken));
    await openFile(path);
    const alert = await panel.waitForSelector('.import-error[role=alert]');
    expect(await alert!.evaluate((a) => (a as HTMLElement).innerText)).toContain('Could not open broken.json: Session file: frames[2].direction: expected sent|received');
    expect(await tabs()).toEqual(['● Live *']);

    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...live, version: 2 }));
    await openFile(newer);
    await panel.waitForFunction(() => document.querySelector('.import-error')?.textContent?.includes('made by a newer Sockscope'));

    const foreign = join(dir, 'package.json');
    writeFileSync(foreign, JSON.stringify({ name: 'x', version: '1.0.0' }));
    await openFile(foreign);
    await panel.waitForFunction(() => document.querySelector('.import-error')?.textContent?.includes('Not a session file'));
    await click('Dismiss');
    await waitForCounts(panel, 2, 6);
  });

  test('copy as code: a frame as a JavaScript snippet and as a websocat command; a connection as a snippet', async () => {
    // The panel's frame may not read the clipboard (DevTools' permissions policy); a page of ours may.
    const reader = await chrome.browser.newPage();
    await reader.goto(`${server.origin}/blank`);
    const cdp = await chrome.browser.target().createCDPSession();
    await cdp.send('Browser.grantPermissions', { origin: server.origin, permissions: ['clipboardReadWrite'] });
    const clipboard = async () => {
      await reader.bringToFront();
      const text = await reader.evaluate(() => navigator.clipboard.readText());
      await devtools.bringToFront();
      return text;
    };
    await devtools.bringToFront();
    await setPanelFilter(panel, '☃');
    await panel.waitForSelector('.frame-canvas .row.frame');
    await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    await click('Copy as websocat');
    await panel.waitForSelector('::-p-text(Copied as websocat)');
    const url = live.connections.find((c) => c.url.includes('/api'))!.url;
    expect(await clipboard()).toBe(`printf '%s\\n' 'plain text with a ☃' | websocat -n1 --protocol 'accept-v2.chat' '${url}'`);
    await click('Copy as JS');
    await panel.waitForSelector('::-p-text(Copied as JavaScript)');
    const frameSnippet = await clipboard();
    expect(frameSnippet).toContain(`const ws = new WebSocket(${JSON.stringify(url)}, ["accept-v2.chat","v1.chat"]);\n`);
    expect(frameSnippet).toContain('  ws.send("plain text with a ☃");\n');
    await setPanelFilter(panel, '');

    await panel.evaluate(() => (document.querySelector('tr.conn[data-conn-id$=":1"]') as HTMLElement).click());
    await click('Copy connection as JS');
    await panel.waitForSelector('.connections .copied');
    const snippet = await clipboard();
    expect(snippet.split('\n').filter((l) => l.startsWith('  ws.send('))).toEqual([
      `  ws.send(${JSON.stringify(JSON.stringify({ op: 'login', user: 'ann', auth: { password: 'hunter2', access_token: 'tok-123' } }))});`,
      `  ws.send(Uint8Array.from(atob('AAEC+v8='), (c) => c.charCodeAt(0)));`,
      '  ws.send("plain text with a ☃");',
    ]);
    await panel.evaluate(() => (document.querySelector('tr.conn.selected') as HTMLElement).click());
    await reader.close();
  });

  test('a session file dropped on the panel opens', async () => {
    await panel.evaluate((text: string) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      const app = document.querySelector('.app')!;
      app.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      return new Promise<void>((resolve) => requestAnimationFrame(() => {
        document.querySelector('.drop-target')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
        resolve();
      }));
    }, JSON.stringify(live));
    await waitLoaded();
    expect(await tabs()).toEqual(['● Live', 'dropped.json *']);
    await waitForCounts(panel, 2, 6);
  });
});
