/**
 * Chromium, real DevTools panel: events the page dispatches on its own socket are not frames.
 * The export's received frames are exactly what the server sent; the page-made events are rows
 * of their own, marked as such, exported apart; the page's handlers see everything as without us.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { expectDispatchExport, PAGE_SAW, serveDispatchPage } from '../../support/dispatch-page';
import { exportSession, setPanelFilter, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  serveDispatchPage(server);
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('page-dispatched message, open and close events are shown as the page\'s own, never as received frames', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/dispatch`);
  await server.waitFor(() => server.sockets[0]?.received.some((r) => r.data.toString() === 'done'), 'the page to say done');
  expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(PAGE_SAW);

  const panel = await showPanel(devtools);
  // "done" is the last thing the page did: once its frame is in, every event before it is too.
  await waitForCounts(panel, 1, 5);
  expect(await panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent)).toMatch(/ of 5 frames$/);
  expect(await panel.evaluate(() => document.querySelector('.connections tbody tr .num')?.textContent)).toBe('↑2 ↓3');

  await setPanelFilter(panel, 'page dispatched');
  await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.lifecycle.dispatched').length === 9);
  const rows = await panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.lifecycle.dispatched')]
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((r) => (r.querySelector('.preview') as HTMLElement).innerText));
  expect(rows[0]).toBe('page dispatched a message event: fake text');
  expect(rows[1]).toBe('page dispatched a message event: 09 08 07');
  expect(rows[4]).toBe(`page dispatched a message event: ${'é'.repeat(200)} … (136.7 KB in all; the start is kept)`);
  expect(rows[7]).toBe('page dispatched a close event (code 4001: pretend)');
  await panel.evaluate(() => document.querySelector('.frame-canvas .row.lifecycle.dispatched')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
  const detail = await panel.waitForSelector('.detail-frame.dispatched');
  expect(await detail!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/Not a frame: the page called dispatchEvent on the socket itself/);
  await setPanelFilter(panel, '');

  expectDispatchExport(await exportSession(panel, chrome.downloads));
});
