/**
 * Chromium, real DevTools panel: data that must not crash the panel. JSON nested 100,000 deep,
 * invalid UTF-8 in a binary frame (shown as hex and as text with U+FFFD), invalid UTF-8 in a text
 * frame (the browser fails the connection: the capture shows that close), and a 100 MB frame.
 * After each, the panel still works: a new frame shows in the counts, the filter finds it, and
 * selecting it shows its payload.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { closeCodeName } from '../../../src/panel/format';
import { hexDumpLines } from '../../../src/panel/detail/hex-dump';

const DEPTH = 100_000;
const DEEP_ARRAY = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const DEEP_OBJECT = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
// "hi ", then bytes no UTF-8 decoder accepts: a lone continuation, a bad lead, a surrogate, a 5-byte form.
const BAD_UTF8 = Buffer.from([0x68, 0x69, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x21, 0x80]);
const HUGE_MB = 100;
const HUGE_END = 'END-OF-THE-HUGE-FRAME';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let panel: Frame;
let conns = 0;
let frames = 0;
let alive = 0;
const serverCloseCodes = new Map<string, number>();

type PageWindow = { sockets: Record<string, WebSocket>; events: Record<string, string[]> };

beforeAll(async () => {
  server = await startTestServer();
  server.page('/data', `<!doctype html><title>data</title><script>
    window.sockets = {};
    window.events = {};
    window.openSocket = (path) => {
      const ws = new WebSocket('ws://' + location.host + path);
      ws.binaryType = 'arraybuffer';
      const ev = events[path] = [];
      ws.onopen = () => ev.push('open');
      ws.onmessage = (e) => ev.push('message ' + (typeof e.data === 'string' ? e.data.length : e.data.byteLength));
      ws.onerror = () => ev.push('error');
      ws.onclose = (e) => ev.push('close ' + e.code + ' ' + e.wasClean + ' ' + e.reason);
      sockets[path] = ws;
    };
    openSocket('/alive');
  </script>`);
  server.onSocket('/deep', (s) => { s.ws.send(DEEP_ARRAY); s.ws.send(DEEP_OBJECT); });
  server.onSocket('/bad-binary', (s) => s.ws.send(BAD_UTF8, { binary: true }));
  server.onSocket('/bad-text', (s) => {
    s.ws.on('close', (code) => serverCloseCodes.set('/bad-text', code));
    s.ws.send('valid before');
    // `ws` sends a Buffer as a text frame as it is: the browser gets invalid UTF-8 in a text frame.
    s.ws.send(BAD_UTF8, { binary: false });
  });
  server.onSocket('/huge', (s) => s.ws.on('message', () => {
    (globalThis as { hugeSentAt?: number }).hugeSentAt = Date.now();
    s.ws.send(`${'0123456789abcdef'.repeat((HUGE_MB * 1024 * 1024) / 16 - 2)}${HUGE_END.padStart(32, '.')}`);
  }));
  chrome = await launchChrome({ devtools: true });
  const inspected = await newInspectedPage(chrome.browser);
  page = inspected.page;
  panel = await showPanel(inspected.devtools);
  await page.goto(`${server.origin}/data`);
  conns = 1;
  await waitForCounts(panel, conns, frames);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const openSocket = (path: string) => page.evaluate((p: string) => (window as unknown as { openSocket(p: string): void }).openSocket(p), path);
const pageEvents = (path: string) => page.evaluate((p: string) => (window as unknown as PageWindow).events[p] ?? [], path);

/** Selects the first visible frame row whose preview starts with `start`; returns the detail pane's text. */
async function selectFrame(start: string): Promise<string> {
  await panel.waitForFunction((s: string) => [...document.querySelectorAll('.frame-canvas .row.frame .preview')].some((p) => p.textContent!.startsWith(s)), { timeout: 60_000 }, start);
  await panel.evaluate((s: string) => {
    const row = [...document.querySelectorAll('.frame-canvas .row.frame')].find((r) => r.querySelector('.preview')!.textContent!.startsWith(s))!;
    row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  }, start);
  await panel.waitForSelector('.detail .detail-frame');
  return panel.evaluate(() => (document.querySelector('.detail .detail-frame') as HTMLElement).innerText);
}

async function showTab(name: string): Promise<string> {
  await panel.evaluate((n: string) => ([...document.querySelectorAll('.detail .tabs [role=tab]')].find((t) => t.textContent === n) as HTMLElement).click(), name);
  await panel.waitForFunction((n: string) => document.querySelector('.detail .tabs [aria-selected=true]')?.textContent === n, {}, name);
  return panel.evaluate(() => (document.querySelector('.detail .tab-body') as HTMLElement).textContent!);
}

/** The panel still works: a new frame is counted, the filter finds it, and it opens. */
async function panelStillWorks(): Promise<void> {
  const text = `alive-${++alive}`;
  await page.evaluate((t: string) => (window as unknown as PageWindow).sockets['/alive']!.send(t), text);
  frames += 2;
  await waitForCounts(panel, conns, frames);
  await setPanelFilter(panel, text);
  await panel.waitForFunction((f: number) => document.querySelector('[data-testid=counts]')?.textContent === `2 of ${f} frames`, { timeout: 60_000 }, frames);
  expect(await selectFrame(text)).toContain(text);
  await setPanelFilter(panel, '');
  await panel.waitForFunction((f: number) => document.querySelector('[data-testid=counts]')?.textContent === `${f} of ${f} frames`, { timeout: 60_000 }, frames);
}

test('JSON nested 100,000 deep (array and object) opens, and the panel goes on', async () => {
  await openSocket('/deep');
  conns++; frames += 2;
  await waitForCounts(panel, conns, frames);
  for (const [start, payload] of [['[[[[', DEEP_ARRAY], ['{"a":{"a":', DEEP_OBJECT]] as const) {
    const detail = await selectFrame(start);
    expect(detail).toContain('received · text');
    // Whatever the tree view makes of it, the raw text is there in full.
    expect((await showTab('Text')).length).toBe(payload.length);
  }
  await panelStillWorks();
});

test('invalid UTF-8 in a binary frame shows as hex and as text with replacement characters', async () => {
  await openSocket('/bad-binary');
  conns++; frames += 1;
  await waitForCounts(panel, conns, frames);
  await selectFrame('68 69 20 ff fe');
  const hex = await panel.evaluate(() => [...document.querySelectorAll('[aria-label="Hex dump"] .hex-bytes')].map((l) => l.textContent!.trimEnd()));
  expect(hex).toEqual(hexDumpLines(BAD_UTF8, 0, 2).map((l) => l.hex.trimEnd()));
  expect(hex[0]).toBe('68 69 20 ff fe c3 28 ed  a0 80 f8 88 80 80 80 21');
  const utf8 = await showTab('UTF-8');
  expect(utf8).toBe(new TextDecoder().decode(BAD_UTF8));
  expect(utf8).toMatch(/^hi \uFFFD/);
  await panelStillWorks();
});

test('invalid UTF-8 in a text frame: the browser fails the connection and the capture shows that close', async () => {
  await openSocket('/bad-text');
  conns++; frames += 1;
  await server.waitFor(() => serverCloseCodes.get('/bad-text'), 'the browser closing /bad-text');
  // The browser fails the connection and says why to the server: RFC 6455 suggests 1007 (invalid
  // payload data); Chromium sends 1002 (protocol error). Either is the browser refusing the frame.
  expect([1002, 1007]).toContain(serverCloseCodes.get('/bad-text'));
  await page.waitForFunction(() => (window as unknown as PageWindow).events['/bad-text']?.some((e) => e.startsWith('close')), { polling: 100 });
  const events = await pageEvents('/bad-text');
  expect(events.filter((e) => e.startsWith('message'))).toEqual(['message 12']);
  const close = /^close (\d+) (true|false) (.*)$/.exec(events.find((e) => e.startsWith('close'))!)!;
  await waitForCounts(panel, conns, frames);
  // The panel says what the page saw: the valid frame, the error if there was one, and the close.
  const row = await panel.waitForFunction((path: string) => {
    const tr = [...document.querySelectorAll('tr.conn')].find((r) => r.querySelector('td.url')!.getAttribute('title')!.endsWith(path));
    return tr && tr.querySelector('td.close')!.textContent ? { state: tr.querySelector('.badge')!.textContent, close: tr.querySelector('td.close')!.textContent } : null;
  }, { timeout: 60_000 }, '/bad-text');
  const code = Number(close[1]);
  expect(await row.jsonValue()).toEqual({ state: 'closed', close: `${code} ${closeCodeName(code)}${close[3] ? `: ${close[3]}` : ''}` });
  console.log(`[measure] hostile-data: invalid UTF-8 text frame: server got close ${serverCloseCodes.get('/bad-text')}, the page saw ${events.join(', ')}`);
  if (events.includes('error')) {
    await panel.waitForFunction(() => [...document.querySelectorAll('.frame-canvas .row.lifecycle.error')].length > 0, { timeout: 60_000 });
  }
  await panelStillWorks();
});

test(`a ${HUGE_MB} MB frame arrives whole, opens truncated, filters, and the panel goes on`, async () => {
  await openSocket('/huge');
  conns++;
  await page.waitForFunction(() => (window as unknown as PageWindow).events['/huge']?.includes('open'), { polling: 100 });
  await page.evaluate(() => (window as unknown as PageWindow).sockets['/huge']!.send('go'));
  frames += 2;
  await waitForCounts(panel, conns, frames, 120_000);
  const sentAt = (globalThis as { hugeSentAt?: number }).hugeSentAt!;
  console.log(`[measure] hostile-data: ${HUGE_MB} MB frame, server send to panel count: ${Date.now() - sentAt} ms`);
  expect(await pageEvents('/huge')).toContain(`message ${HUGE_MB * 1024 * 1024}`);
  await selectFrame('0123456789abcdef0123');
  expect(await panel.evaluate(() => (document.querySelector('.truncated[role=status]') as HTMLElement | null)?.innerText)).toMatch(new RegExp(`Showing the first 64\\.0 KB of ${HUGE_MB}\\.0 MB`));
  const t0 = Date.now();
  await setPanelFilter(panel, HUGE_END);
  await panel.waitForFunction((f: number) => document.querySelector('[data-testid=counts]')?.textContent === `1 of ${f} frames`, { timeout: 60_000 }, frames);
  console.log(`[measure] hostile-data: filter over the ${HUGE_MB} MB frame: ${Date.now() - t0} ms`);
  await setPanelFilter(panel, '');
  await panelStillWorks();
}, 240_000);
