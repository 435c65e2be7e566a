/**
 * The page of the initiator tests (issue 22), shared by Chromium and Firefox: app.js opens a socket
 * in connectFeed() at a known line and sends from sendOrder(). Line numbers are 1-based and matter.
 */
import type { Frame, Page } from 'puppeteer-core';

export const APP_JS = [
  '// app.js: the page\'s own script',                                  // 1
  'function connectFeed(base) {',                                       // 2
  '  const ws = new WebSocket(base + "/echo");',                         // 3
  '  ws.onopen = () => sendOrder(ws);',                                  // 4
  '  return ws;',                                                        // 5
  '}',                                                                   // 6
  'function sendOrder(ws, order = 1) {',                                 // 7
  '  ws.send(JSON.stringify({ order }));',                               // 8
  '}',                                                                   // 9
  'window.feed = connectFeed("ws://" + location.host);',                // 10
  'function sendLater(n) { setTimeout(() => sendOrder(window.feed, n)); }', // 11
].join('\n');
/** `new WebSocket`'s line, and connectFeed's caller's. */
export const CONNECT_LINE = 3;
export const CALL_LINE = 10;
/** `ws.send`'s line in sendOrder, and the line of sendLater's timer, which calls it. */
export const SEND_LINE = 8;
export const SEND_LATER_LINE = 11;

/** A dedicated worker's script that opens a socket in openFeed(): its initiator is the worker's code. */
export const WORKER_JS = [
  '// feed-worker.js: a dedicated worker of the page\'s',             // 1
  'function openFeed() {',                                             // 2
  '  return new WebSocket("ws://" + location.host + "/echo");',        // 3
  '}',                                                                 // 4
  'const ws = openFeed();',                                            // 5
  'ws.onopen = () => ws.send("from the worker");',                    // 6
].join('\n');
/** `new WebSocket`'s line in the worker, and openFeed's caller's. */
export const WORKER_CONNECT_LINE = 3;
export const WORKER_CALL_LINE = 5;

/**
 * Has the page send order `n` from a timer of its own, so the send() stack is all app.js:
 * sendOrder, then sendLater's callback. Once the socket is open.
 */
export async function sendLater(page: Page, n: number): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { feed: WebSocket }).feed.readyState === WebSocket.OPEN);
  await page.evaluate((x) => (window as unknown as { sendLater(n: number): void }).sendLater(x), n);
}

/** The order number of a frame sendOrder sent (1 for the one at open), else 0. */
export function orderOf(f: { direction: string; text?: string }): number {
  if (f.direction !== 'sent' || !f.text?.startsWith('{"order":')) return 0;
  return (JSON.parse(f.text) as { order: number }).order;
}

/** Selects the connecting row and waits for its stack's frames; returns their labels. */
export async function connectingRowStack(panel: Page | Frame): Promise<string[]> {
  await panel.evaluate(() => {
    const row = [...document.querySelectorAll('.frame-canvas .row')].find((r) => (r as HTMLElement).innerText.includes('connecting'))!;
    row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  const links = await panel.waitForFunction(() => {
    const ls = [...document.querySelectorAll('.stack-trace .stack-frame')].map((l) => (l as HTMLElement).innerText);
    return ls.length >= 2 ? ls : null;
  });
  return links.jsonValue() as Promise<string[]>;
}
