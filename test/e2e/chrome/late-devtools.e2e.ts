/**
 * Chromium: the page runs its traffic with DevTools closed; DevTools opened afterwards shows every
 * socket and frame since the page loaded (the relay's history), then keeps streaming live; closed
 * and opened again, it still shows everything, including what came while it was closed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, openDevTools, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, panelText, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/early', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/echo');
    window.sendMore = (n, tag) => { for (let i = 0; i < n; i++) ws.send(tag + ' ' + i); };
    ws.onopen = () => sendMore(50, 'before devtools');
    const gone = new WebSocket('ws://' + location.host + '/closer');
  </script>`);
  server.onSocket('/closer', (s) => { s.ws.send('last words'); s.ws.close(4002, 'closed before devtools'); });
  chrome = await launchChrome({ devtools: false });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('sockets and frames from before DevTools opened are all in the panel, and live ones follow', async () => {
  const page = await chrome.browser.newPage();
  await page.goto(`${server.origin}/early`);
  await server.waitFor(() => server.sockets.find((s) => s.path === '/echo')?.received.length === 50, '50 frames at the server');
  await new Promise((r) => setTimeout(r, 300)); // let the echoes arrive in the page too
  const panel = await showPanel(await openDevTools(chrome.browser, page));
  await waitForCounts(panel, 2, 101);
  expect(await panelText(panel)).toContain('4002 Application: closed before devtools');

  await page.evaluate(() => (window as unknown as { sendMore: (n: number, t: string) => void }).sendMore(10, 'after devtools'));
  await waitForCounts(panel, 2, 121);
  const session = await exportSession(panel, chrome.downloads);
  const echo = session.connections.find((c) => c.url.endsWith('/echo'))!;
  const sent = exportedPayloads(session, echo.id, 'sent').map((f) => f.bytes.toString());
  expect(sent).toEqual([
    ...Array.from({ length: 50 }, (_, i) => `before devtools ${i}`),
    ...Array.from({ length: 10 }, (_, i) => `after devtools ${i}`),
  ]);
  expect(exportedPayloads(session, echo.id, 'received')).toHaveLength(60);
  expect(session.dropped.frames).toBe(0);
});

test('closing DevTools and opening it again still shows everything, including what came while it was closed', async () => {
  const page = await chrome.browser.newPage();
  await page.goto(`${server.origin}/early`);
  const panel = await showPanel(await openDevTools(chrome.browser, page));
  await waitForCounts(panel, 2, 101);
  await panel.page().close(); // the DevTools window

  await page.evaluate(() => (window as unknown as { sendMore: (n: number, t: string) => void }).sendMore(5, 'while closed'));
  await server.waitFor(() => server.sockets.filter((s) => s.path === '/echo').at(-1)?.received.length === 55, 'the frames sent while DevTools was closed');
  const again = await showPanel(await openDevTools(chrome.browser, page));
  await waitForCounts(again, 2, 111);
  const session = await exportSession(again, chrome.downloads);
  const echo = session.connections.find((c) => c.url.endsWith('/echo'))!;
  expect(exportedPayloads(session, echo.id, 'sent').map((f) => f.bytes.toString()).slice(-5)).toEqual(Array.from({ length: 5 }, (_, i) => `while closed ${i}`));
});
