/**
 * Chromium, real DevTools panel: protocol decoding on real traffic. A socket.io chat (the real
 * socket.io server and the real browser client) shows its event names in the Message column,
 * "Hide heartbeats" hides Engine.IO's pings and pongs and says how many, a decoded-field filter
 * finds one event, and choosing no decoder for the connection takes the messages away.
 *
 * Heartbeats keep arriving all through, so the table scrolls and only its newest rows are in the
 * DOM: what the panel holds is read through its counts ("N of M frames"), and the table is
 * narrowed with a filter until the rows asked about are all in view, never read from whatever rows
 * happen to be rendered. The client never reconnects (a reconnect would add a second connection
 * and replay the chat): a busy machine that delays a heartbeat must not change what the test sees.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { Server as SocketIoServer } from 'socket.io';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter, waitForCounts } from '../../support/panel';
import { chooseDecoder, controlChecked, decoderChoice, useControl } from '../../support/panel-controls';
import { startTestServer, type TestServer } from '../../support/test-server';

// The browser build the socket.io project ships (not in the package's exports map, so by path).
const CLIENT = readFileSync(resolve('node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8');
/**
 * The chat's own frames. Up: the namespace connect and the three emits. Down: Engine.IO's open,
 * the connect answer, user:joined, two chat:message broadcasts and the acknowledgement.
 */
const CHAT_FRAMES = 10;

let server: TestServer;
let http: Server;
let io: SocketIoServer;
let chrome: ChromeSession;
let panel: Frame;

/** The Message column of the rows in view, top to bottom (narrow the table with a filter first, so all are in view). */
const messages = () => panel.evaluate(() =>
  [...document.querySelectorAll('.frame-canvas .row.frame')]
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((r) => (r.querySelector('.message') as HTMLElement | null)?.innerText ?? '(no column)'));
const counts = () => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');
const connections = () => panel.evaluate(() => document.querySelector('[data-testid=connection-count]')?.textContent);

/** Waits until the filter shows exactly `n` frames, and (when few) until all of them are rendered. */
async function waitForShown(n: number): Promise<void> {
  await panel.waitForFunction((x: number) => {
    const m = /^(\d+) of \d+ frames$/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
    return m !== null && Number(m[1]) === x && document.querySelectorAll('.frame-canvas .row.frame').length === x;
  }, { timeout: 60_000 }, n).catch(async (e) => { throw new Error(`expected ${n} frames shown; the panel says "${await counts()}"`, { cause: e }); });
}

beforeAll(async () => {
  http = createServer();
  // Pings every 300 ms, so heartbeats show within the test; a long timeout, so a heartbeat a busy
  // machine delays never drops the connection.
  io = new SocketIoServer(http, { transports: ['websocket'], pingInterval: 300, pingTimeout: 600_000 });
  io.on('connection', (socket) => {
    socket.emit('user:joined', { name: 'ann' });
    socket.on('chat:message', (text: string, ack?: (ok: boolean) => void) => {
      io.emit('chat:message', { from: 'ann', text });
      ack?.(true);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;

  server = await startTestServer();
  server.page('/chat', `<!doctype html><title>chat</title><script>${CLIENT}</script><script>
    const socket = io('http://127.0.0.1:${port}', { transports: ['websocket'], reconnection: false });
    socket.on('connect', () => {
      socket.emit('chat:message', 'hello everyone');
      socket.emit('chat:message', 'second', (ok) => { window.acked = ok; });
      socket.emit('typing', { on: true });
    });
  </script>`);
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/chat`);
  await page.waitForFunction(() => (window as unknown as { acked?: boolean }).acked === true, { timeout: 60_000 });
  panel = await showPanel(devtools);
  await waitForCounts(panel, 1, CHAT_FRAMES, 60_000);
  // Wait for two ping/pong rounds.
  await setPanelFilter(panel, 'type:ping');
  await panel.waitForFunction(() => Number(/^(\d+) of/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '')?.[1]) >= 2, { timeout: 60_000 });
  await setPanelFilter(panel, '');
});

afterAll(async () => {
  await chrome?.close();
  io?.close();
  await new Promise((r) => http?.close(r));
  await server?.close();
});

describe('Chromium: protocol decoders in the panel', () => {
  test('the connection is detected as Socket.IO and its event names show in the Message column', async () => {
    expect(await connections()).toBe('1 connection');
    // The connection's decoder badge opens its menu, which ticks what is in use.
    expect(await decoderChoice(panel)).toBe('Auto: Socket.IO');
    await setPanelFilter(panel, 'chat:message');
    await waitForShown(4);
    // One of them is the emit with an acknowledgement: "emit chat:message #0".
    expect((await messages()).map((m) => m.replace(/ #\d+$/, ''))).toEqual(['emit chat:message', 'emit chat:message', 'emit chat:message', 'emit chat:message']);
    for (const [query, shown] of [['event:user:joined', 'emit user:joined'], ['event:typing', 'emit typing']]) {
      await setPanelFilter(panel, query!);
      await waitForShown(1);
      expect(await messages()).toEqual([shown]);
    }
    await setPanelFilter(panel, '');
  });

  test('"Hide heartbeats" hides the pings and pongs, and says how many', async () => {
    // On the filter bar, or in "Filters ▾" when the panel is too narrow for it.
    await useControl(panel, 'Hide heartbeats', 'filters');
    // At least the two rounds of ping and pong waited for.
    await panel.waitForFunction(() => Number(/(\d+) heartbeats? hidden/.exec(document.querySelector('[data-testid=heartbeats-hidden]')?.textContent ?? '')?.[1]) >= 4, { timeout: 60_000 });
    // Read in one go: heartbeats keep coming between two reads.
    const [shown, total, hidden] = await panel.evaluate(() => [
      ...(/(\d+) of (\d+) frames/.exec(document.querySelector('[data-testid=counts]')!.textContent!)!.slice(1)),
      /(\d+)/.exec(document.querySelector('[data-testid=heartbeats-hidden]')!.textContent!)![1]!,
    ].map(Number)) as [number, number, number];
    expect(hidden).toBeGreaterThanOrEqual(4);
    expect(shown + hidden).toBe(total);
    expect(shown).toBe(CHAT_FRAMES); // what is left is the chat itself
    expect((await messages()).filter((m) => m === 'ping' || m === 'pong')).toEqual([]);
    await useControl(panel, 'Hide heartbeats', 'filters');
    expect(await controlChecked(panel, 'Hide heartbeats', 'filters')).toBe(false);
  });

  test('a decoded-field filter finds one event by name', async () => {
    await setPanelFilter(panel, 'event:typing');
    await waitForShown(1);
    expect(await messages()).toEqual(['emit typing']);
    await setPanelFilter(panel, 'event:chat:message');
    await waitForShown(4);
    await setPanelFilter(panel, '');
  });

  test('the Decoded tab shows the event and its arguments; choosing no decoder takes the messages away', async () => {
    await setPanelFilter(panel, 'event:typing');
    await waitForShown(1);
    await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    const decoded = await panel.waitForSelector('.decoded-view');
    const text = await decoded!.evaluate((e) => (e as HTMLElement).innerText);
    expect(text).toContain('emit typing');
    expect(text).toMatch(/event\s+typing/);

    // One connection, so this is its decoder: after None, no frame is decoded (a field filter finds nothing).
    expect(await connections()).toBe('1 connection');
    await chooseDecoder(panel, 'None');
    expect(await decoderChoice(panel)).toBe('None');
    await setPanelFilter(panel, 'protocol:socket.io');
    await waitForShown(0);
    await setPanelFilter(panel, '');
    await panel.waitForFunction(() => !document.querySelector('.frame-canvas .row .message'), { timeout: 60_000 });
    await chooseDecoder(panel, 'Auto');
    expect(await decoderChoice(panel)).toBe('Auto: Socket.IO');
    await setPanelFilter(panel, 'event:chat:message');
    await waitForShown(4);
    await setPanelFilter(panel, '');
  });
});
