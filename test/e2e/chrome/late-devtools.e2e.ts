/**
 * Chromium: the page runs its traffic with DevTools closed; DevTools opened afterwards shows every
 * socket and frame since the page loaded (the relay's history), then keeps streaming live; closed
 * and opened again, it still shows everything, including what came while it was closed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, openDevTools, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, panelText, showWide, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { watchPage } from '../../support/fault-pages';

let server: TestServer;
const streamSent: string[] = [];
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
  // A stream both ways (a frame every 10 ms each way) that runs across a close and reopen of
  // DevTools, until the test stops it: the page sends "stop", the server answers "end".
  server.page('/favicon.ico', '');
  server.page('/stream', `<!doctype html><script>
    window.ended = false;
    let t;
    const ws = new WebSocket('ws://' + location.host + '/stream');
    ws.onmessage = (e) => { if (e.data === 'end') window.ended = true; };
    ws.onopen = () => { let n = 0; t = setInterval(() => ws.send('up ' + n++), 10); };
    window.stopStream = () => { clearInterval(t); ws.send('stop'); };
  </script>`);
  server.onSocket('/stream', (s) => {
    let n = 0;
    const t = setInterval(() => { if (s.ws.readyState === 1) { const text = `down ${n++}`; s.ws.send(text); streamSent.push(text); } }, 10);
    s.ws.on('message', (d) => { if (String(d) === 'stop') { clearInterval(t); s.ws.send('end'); streamSent.push('end'); } });
    s.ws.on('close', () => clearInterval(t));
  });
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
  const devtools = await openDevTools(chrome.browser, page);
  const panel = await showPanel(devtools);
  await showWide(devtools, panel);
  await waitForCounts(panel, 2, 101);
  await panel.waitForFunction(() => document.body.innerText.includes('4002 Application: closed before devtools'))
    .catch(async (e) => { throw new Error(`the panel never showed the early close; it shows ${JSON.stringify(await panelText(panel))}`, { cause: e }); });

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

test('closing and reopening DevTools in the middle of a stream: every frame, in order, none twice, no page error', async () => {
  const page = await chrome.browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.origin}/stream`);
  const s = await server.waitFor(() => server.sockets.find((x) => x.path === '/stream'), 'the stream socket');
  const first = await showPanel(await openDevTools(chrome.browser, page));
  await waitForCounts(first, 1, 40);
  await first.page().close();
  const closedAt = s.received.length;
  // Frames go by with DevTools closed, and the stream is still running when it opens again.
  await server.waitFor(() => s.received.length >= closedAt + 50, 'frames while DevTools is closed');
  const again = await showPanel(await openDevTools(chrome.browser, page));
  // Still streaming with the new panel open, then stopped.
  const reopenedAt = s.received.length;
  await server.waitFor(() => s.received.length >= reopenedAt + 50, 'frames after DevTools reopened');
  await page.evaluate(() => (window as unknown as { stopStream(): void }).stopStream());
  await page.waitForFunction(() => (window as unknown as { ended: boolean }).ended);
  await server.waitFor(() => s.received.at(-1)?.data.toString() === 'stop', 'the page\'s stop');
  await waitForCounts(again, 1, s.received.length + streamSent.length);
  const session = await exportSession(again, chrome.downloads);
  const conn = session.connections.find((c) => c.url.endsWith('/stream'))!;
  expect(exportedPayloads(session, conn.id, 'sent').map((f) => f.bytes.toString())).toEqual(s.received.map((r) => r.data.toString()));
  expect(exportedPayloads(session, conn.id, 'received').map((f) => f.bytes.toString())).toEqual(streamSent);
  expect(session.dropped.frames).toBe(0);
  expect(problems).toEqual([]);
});
