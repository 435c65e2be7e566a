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
  'function sendOrder(ws) {',                                            // 7
  '  ws.send(JSON.stringify({ order: 1 }));',                            // 8
  '}',                                                                   // 9
  'window.feed = connectFeed("ws://" + location.host);',                // 10
].join('\n');
/** `new WebSocket`'s line, and connectFeed's caller's. */
export const CONNECT_LINE = 3;
export const CALL_LINE = 10;

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
