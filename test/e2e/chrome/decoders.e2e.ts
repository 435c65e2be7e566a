/**
 * Chromium, real DevTools panel: protocol decoding on real traffic. A socket.io chat (the real
 * socket.io server and the real browser client) shows its event names in the Message column,
 * "Hide heartbeats" hides Engine.IO's pings and pongs and says how many, a decoded-field filter
 * finds one event, and choosing no decoder for the connection takes the messages away.
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
import { startTestServer, type TestServer } from '../../support/test-server';

// The browser build the socket.io project ships (not in the package's exports map, so by path).
const CLIENT = readFileSync(resolve('node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8');

let server: TestServer;
let http: Server;
let io: SocketIoServer;
let chrome: ChromeSession;
let panel: Frame;

const messages = () => panel.evaluate(() =>
  [...document.querySelectorAll('.frame-canvas .row.frame')]
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((r) => (r.querySelector('.message') as HTMLElement | null)?.innerText ?? '(no column)'));
const counts = () => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');

beforeAll(async () => {
  http = createServer();
  // A short ping interval, so Engine.IO heartbeats show within the test.
  io = new SocketIoServer(http, { transports: ['websocket'], pingInterval: 300, pingTimeout: 2000 });
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
    const socket = io('http://127.0.0.1:${port}', { transports: ['websocket'] });
    socket.on('connect', () => {
      socket.emit('chat:message', 'hello everyone');
      socket.emit('chat:message', 'second', (ok) => { window.acked = ok; });
      socket.emit('typing', { on: true });
    });
  </script>`);
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/chat`);
  await page.waitForFunction(() => (window as unknown as { acked?: boolean }).acked === true, { timeout: 10_000 });
  panel = await showPanel(devtools);
  await waitForCounts(panel, 1, 8);
  // Wait for a few ping/pong rounds.
  await panel.waitForFunction(() => [...document.querySelectorAll('.frame-canvas .row.frame .message')].filter((m) => m.textContent === 'ping').length >= 2, { timeout: 10_000 });
});

afterAll(async () => {
  await chrome?.close();
  io?.close();
  await new Promise((r) => http?.close(r));
  await server?.close();
});

describe('Chromium: protocol decoders in the panel', () => {
  test('the connection is detected as Socket.IO and its event names show in the Message column', async () => {
    const decoder = await panel.evaluate(() => (document.querySelector('select[aria-label^="Protocol decoder for"]') as HTMLSelectElement).selectedOptions[0]!.textContent);
    expect(decoder).toBe('Auto: Socket.IO');
    await setPanelFilter(panel, 'chat:message');
    await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.frame').length === 4);
    const shown = await messages();
    expect(shown.filter((m) => m.startsWith('emit chat:message'))).toHaveLength(4);
    await setPanelFilter(panel, '');
    expect(await messages()).toEqual(expect.arrayContaining(['emit user:joined', 'emit typing']));
  });

  test('"Hide heartbeats" hides the pings and pongs, and says how many', async () => {
    const before = await messages();
    const beats = before.filter((m) => m === 'ping' || m === 'pong').length;
    expect(beats).toBeGreaterThanOrEqual(2);
    await (await panel.waitForSelector('::-p-aria(Hide heartbeats[role="checkbox"])'))!.click();
    await panel.waitForFunction(() => /\d+ heartbeats? hidden/.test(document.querySelector('[data-testid=heartbeats-hidden]')?.textContent ?? ''));
    const hidden = Number(/(\d+)/.exec((await panel.evaluate(() => document.querySelector('[data-testid=heartbeats-hidden]')!.textContent))!)![1]);
    expect(hidden).toBeGreaterThanOrEqual(beats);
    expect((await messages()).filter((m) => m === 'ping' || m === 'pong')).toEqual([]);
    const [x, y] = /(\d+) of (\d+) frames/.exec(await counts())!.slice(1).map(Number) as [number, number];
    expect(x + hidden).toBe(y);
    await (await panel.waitForSelector('::-p-aria(Hide heartbeats[role="checkbox"])'))!.click();
  });

  test('a decoded-field filter finds one event by name', async () => {
    await setPanelFilter(panel, 'event:typing');
    await panel.waitForFunction(() => /^1 of \d+ frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''));
    expect(await messages()).toEqual(['emit typing']);
    await setPanelFilter(panel, 'event:chat:message');
    await panel.waitForFunction(() => /^4 of \d+ frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''));
    await setPanelFilter(panel, '');
  });

  test('the Decoded tab shows the event and its arguments; choosing no decoder takes the messages away', async () => {
    await setPanelFilter(panel, 'event:typing');
    await panel.waitForSelector('.frame-canvas .row.frame');
    await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    const decoded = await panel.waitForSelector('.decoded-view');
    const text = await decoded!.evaluate((e) => (e as HTMLElement).innerText);
    expect(text).toContain('emit typing');
    expect(text).toMatch(/event\s+typing/);
    await setPanelFilter(panel, '');

    await panel.select('select[aria-label^="Protocol decoder for"]', 'off');
    await panel.waitForFunction(() => !document.querySelector('.frame-canvas .row .message'));
    await panel.select('select[aria-label^="Protocol decoder for"]', 'auto');
    await panel.waitForFunction(() => [...document.querySelectorAll('.frame-canvas .row.frame .message')].some((m) => m.textContent?.startsWith('emit ')));
  });
});
