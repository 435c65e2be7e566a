/**
 * Chromium, real DevTools panel: the composer's saved messages and its socket picker, against a
 * real `ws` server that records what it receives. Two sockets on one host (the same path, other
 * queries) are told apart in the picker as drawn; saved messages are listed for the chosen socket
 * first; one click sends one to the server or injects one into the page's onmessage; the library
 * is in the extension's storage (not the page's, nor the panel's localStorage) and is there again
 * after DevTools is closed and opened anew; it exports to a file and imports one, merging or
 * replacing; and a malformed file gets an error that names what is wrong.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, openDevTools, serviceWorker, showPanel, type ChromeSession } from '../../support/chrome';
import { expectCommandResult, waitForCounts } from '../../support/panel';
import {
  chooseSocket, deleteSaved, expectSaved, fill, onSaved, openComposer, pageGot, press, renameSaved, ROOM_LINES, roomLines, roomsOpen, saveAs,
  saveSubscribeAndPing, serveTwoRooms, waitForSavedNames, writeMessage,
} from '../../support/saved-messages';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let devtools: Page;
let panel: Frame;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-library-'));
let received: (url: string) => string[];
const got = () => pageGot(page);

async function showLivePanel(): Promise<void> {
  panel = await showPanel(devtools);
  // Docked at the side of a laptop screen: the composer's pane is narrow, as users have it.
  await devtools.setViewport({ width: 1000, height: 900 });
  await waitForCounts(panel, 2, 0);
  await openComposer(panel);
}

beforeAll(async () => {
  server = await startTestServer();
  ({ received } = serveTwoRooms(server));
  chrome = await launchChrome({ devtools: true });
  ({ page, devtools } = await newInspectedPage(chrome.browser));
  await page.goto(`${server.origin}/saved`);
  await roomsOpen(page);
  await showLivePanel();
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Chromium: the composer\'s socket picker and saved messages', () => {
  test('two sockets on one host, other queries: the picker shows them apart, within the select as drawn', async () => {
    const lines = await roomLines(panel);
    expect(lines.map((l) => l.fits)).toEqual([true, true]);
    expect(lines.map((l) => l.text)).toEqual(ROOM_LINES.map((re) => expect.stringMatching(re)));
    // What the select shows of each (its first 38 characters) differs.
    expect(lines[0]!.text.slice(0, 38)).not.toBe(lines[1]!.text.slice(0, 38));
  });

  test('saving from the editor: messages for the chosen socket come first', async () => {
    await saveSubscribeAndPing(panel);
    await writeMessage(panel, 'Hex', 'de ad be ef');
    await saveAs(panel, 'magic', '/room=b[a-z]+$/');
    await expectSaved(panel, 'status: Saved “magic”.');
    await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping'], others: ['magic'] });
    await chooseSocket(panel, '/feed?room=beta');
    await waitForSavedNames(panel, { mine: ['magic', 'ping'], others: ['subscribe alpha'] });
  });

  test('Save refuses what it cannot keep, and says why', async () => {
    await writeMessage(panel, 'Text', 'x');
    await saveAs(panel, '   ');
    await expectSaved(panel, 'alert: Not saved: a name of 1 to 200 characters is needed (this one is blank).');
    await saveAs(panel, 'bad pattern', '/room=(/');
    await expectSaved(panel, 'alert: Not saved: the URL pattern /room=(/ is not a valid regex (Invalid regular expression: /room=(/: Unterminated group).');
    await press(panel, '.saved-form', 'Cancel');
    await waitForSavedNames(panel, { mine: ['magic', 'ping'], others: ['subscribe alpha'] });
  });

  test('one click sends a saved message to the server, on the chosen socket', async () => {
    await chooseSocket(panel, '/feed?room=alpha');
    await onSaved(panel, 'Send', 'subscribe alpha');
    await expectCommandResult(panel, 'status: Sent “subscribe alpha” to the server.');
    await server.waitFor(() => received('/feed?room=alpha').length === 1, 'the saved message at the server');
    expect(received('/feed?room=alpha')).toEqual(['{"op":"subscribe","room":"alpha"}']);
    // A message for other sockets can still be sent: the pattern only orders the list.
    await onSaved(panel, 'Send', 'magic');
    await server.waitFor(() => received('/feed?room=alpha').length === 2, 'the saved binary message at the server');
    expect(received('/feed?room=alpha')[1]).toBe('bin:deadbeef');
    expect(received('/feed?room=beta')).toEqual([]);
  });

  test('one click injects a saved message into the page\'s onmessage', async () => {
    await chooseSocket(panel, '/feed?room=beta');
    await onSaved(panel, 'Inject', 'ping');
    await expectCommandResult(panel, 'status: Delivered “ping” to the page as an incoming message.');
    await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 1);
    expect(await got()).toEqual(['/feed?room=beta ping']);
    expect(received('/feed?room=beta')).toEqual([]);
  });

  test('load into the editor, rename, delete and undo', async () => {
    await onSaved(panel, 'Load', 'subscribe alpha');
    await panel.waitForFunction(() => (document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement).value === '{"op":"subscribe","room":"alpha"}');
    expect(await panel.evaluate(() => document.querySelector('.composer [aria-label="Payload format"] [aria-pressed=true]')?.textContent)).toBe('JSON');
    // Save… after Load offers the loaded message's name and pattern: saving again updates it.
    await press(panel, '.saved-head', 'Save…');
    expect(await panel.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('.saved-form input')].map((i) => i.value))).toEqual(['subscribe alpha', 'room=alpha']);
    await fill(panel, 'Message', '{"op":"subscribe","room":"alpha","since":0}');
    await press(panel, '.saved-form', 'Save');
    await expectSaved(panel, 'status: Updated “subscribe alpha”.');

    await renameSaved(panel, 'ping', 'ping!');
    await expectSaved(panel, 'status: Renamed “ping” to “ping!”.');
    await renameSaved(panel, 'ping!', 'magic');
    await expectSaved(panel, 'alert: Not renamed: another saved message is named “magic”.');
    await panel.evaluate(() => document.querySelector('[aria-label="New name for ping!"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    await deleteSaved(panel, 'magic');
    await expectSaved(panel, 'status: Deleted “magic”.');
    await waitForSavedNames(panel, { mine: ['ping!'], others: ['subscribe alpha'] });
    await press(panel, '.saved-result', 'Undo');
    await expectSaved(panel, 'status: Saved “magic”.');
    await waitForSavedNames(panel, { mine: ['magic', 'ping!'], others: ['subscribe alpha'] });
  });

  test('kept in the extension\'s storage, and there again after closing DevTools and opening a new one', async () => {
    const sw = await serviceWorker(chrome.browser);
    // The extension's own storage, read where the extension runs (its service worker).
    type Area = { get(k: string): Promise<Record<string, unknown>> };
    const stored = () => sw.evaluate(() => ((globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome.storage.local)
      .get('sockscope.library').then((r) => r['sockscope.library'])) as Promise<{ messages: { name: string }[] } | undefined>;
    for (const end = Date.now() + 60_000; (await stored())?.messages.length !== 3 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    expect(await stored()).toEqual({
      format: 'sockscope-messages', version: 1, messages: [
        { name: 'subscribe alpha', mode: 'json', text: '{"op":"subscribe","room":"alpha","since":0}', urlPattern: 'room=alpha' },
        { name: 'ping!', mode: 'text', text: 'ping', urlPattern: '' },
        { name: 'magic', mode: 'hex', text: 'de ad be ef', urlPattern: '/room=b[a-z]+$/' },
      ],
    });
    // Not in the page's storage, nor in the panel's own localStorage (which is not the extension's storage).
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(await panel.evaluate(() => Object.keys(localStorage).filter((k) => localStorage.getItem(k)!.includes('subscribe alpha')))).toEqual([]);

    const closing = devtools.target();
    await devtools.close();
    await server.waitFor(() => !chrome.browser.targets().includes(closing), 'this DevTools window to close');
    devtools = await openDevTools(chrome.browser, page);
    await showLivePanel();
    await chooseSocket(panel, '/feed?room=alpha');
    await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping!'], others: ['magic'] });
    // And it still sends.
    await onSaved(panel, 'Send', 'ping!');
    await server.waitFor(() => received('/feed?room=alpha').length === 3, 'a saved message sent from the new DevTools');
    expect(received('/feed?room=alpha')[2]).toBe('ping');
  });

  test('Export writes the library as a versioned file', async () => {
    for (const f of readdirSync(chrome.downloads)) rmSync(join(chrome.downloads, f), { force: true });
    await press(panel, '.saved-head', 'Export');
    const name = await server.waitFor(() => readdirSync(chrome.downloads).find((f) => /^sockscope-messages-\d{8}-\d{6}\.json$/.test(f)), 'the exported library file');
    const text = await server.waitFor(() => { try { return JSON.parse(readFileSync(join(chrome.downloads, name), 'utf8')) as unknown; } catch { return undefined; } }, 'the file to be written');
    await expectSaved(panel, `status: Exported 3 saved messages as ${name}.`);
    expect(text).toEqual({
      format: 'sockscope-messages', version: 1, messages: [
        { name: 'subscribe alpha', mode: 'json', text: '{"op":"subscribe","room":"alpha","since":0}', urlPattern: 'room=alpha' },
        { name: 'ping!', mode: 'text', text: 'ping', urlPattern: '' },
        { name: 'magic', mode: 'hex', text: 'de ad be ef', urlPattern: '/room=b[a-z]+$/' },
      ],
    });
  });

  test('a malformed library file gets an error that names what is wrong, and nothing changes', async () => {
    const good = { name: 'fine', mode: 'text', text: 'fine' };
    const files: [string, string, string][] = [
      ['bad-mode.json', JSON.stringify({ format: 'sockscope-messages', version: 1, messages: [good, { name: 'x', mode: 'xml', text: '<x/>' }] }),
        'messages[1].mode: expected one of text, json, hex, base64'],
      ['bad-hex.json', JSON.stringify({ format: 'sockscope-messages', version: 1, messages: [{ name: 'h', mode: 'hex', text: 'de ad zz' }] }),
        'messages[0].text: expected hex text the composer can send (Invalid hex: "z" is not a hex digit)'],
      ['twice.json', JSON.stringify({ format: 'sockscope-messages', version: 1, messages: [good, good] }),
        'messages[1].name: expected a name no earlier message has ("fine" is taken)'],
      ['newer.json', JSON.stringify({ format: 'sockscope-messages', version: 2, messages: [] }),
        'version 2: this file was made by a newer Sockscope (this one reads up to version 1)'],
      ['too-many.json', JSON.stringify({ format: 'sockscope-messages', version: 1, messages: Array.from({ length: 1001 }, (_, i) => ({ name: `m${i}`, mode: 'text', text: '' })) }),
        'messages: expected at most 1,000 messages (this has 1,001)'],
      ['session.json', JSON.stringify({ format: 'sockscope-session', version: 1, connections: [], frames: [] }), 'format: expected "sockscope-messages"'],
    ];
    for (const [name, text, error] of files) {
      writeFileSync(join(dir, name), text);
      await (await panel.$('input[type=file][aria-label="Library file"]'))!.uploadFile(join(dir, name));
      await expectSaved(panel, `alert: Could not import ${name}: ${error}`);
    }
    expect(await panel.$('.saved-import')).toBeNull();
    await waitForSavedNames(panel, { mine: ['subscribe alpha', 'ping!'], others: ['magic'] });
  });

  test('importing merges by name, or replaces the library', async () => {
    writeFileSync(join(dir, 'more.json'), JSON.stringify({
      format: 'sockscope-messages', version: 1, messages: [
        { name: 'ping!', mode: 'text', text: 'pong' },
        { name: 'hello', mode: 'base64', text: 'aGVsbG8=', urlPattern: '/room=alpha$/' },
      ],
    }));
    await (await panel.$('input[type=file][aria-label="Library file"]'))!.uploadFile(join(dir, 'more.json'));
    await panel.waitForFunction(() => document.querySelector('.saved-import span')?.textContent === 'more.json: 2 messages.');
    await press(panel, '.saved-import', 'Merge');
    await expectSaved(panel, 'status: Imported 2 messages from more.json: 1 new, 1 replacing saved messages of the same name.');
    await waitForSavedNames(panel, { mine: ['hello', 'subscribe alpha', 'ping!'], others: ['magic'] });
    await onSaved(panel, 'Send', 'ping!');
    await server.waitFor(() => received('/feed?room=alpha').length === 4, 'the imported message at the server');
    expect(received('/feed?room=alpha')[3]).toBe('pong');

    writeFileSync(join(dir, 'only.json'), JSON.stringify({ format: 'sockscope-messages', version: 1, messages: [{ name: 'only', mode: 'json', text: '[1]' }] }));
    await (await panel.$('input[type=file][aria-label="Library file"]'))!.uploadFile(join(dir, 'only.json'));
    await press(panel, '.saved-import', 'Replace');
    await expectSaved(panel, 'status: Replaced the library (4 messages) with the 1 message of only.json.');
    await waitForSavedNames(panel, { mine: ['only'], others: [] });
  });
});
