/**
 * Chromium: the MV3 service worker is stopped in the middle of a stream. Ports reconnect, relays
 * replay their history, and the panel ends with every frame exactly once; the page sees no error.
 *
 * "In the middle" is made true, not hoped for: the server sends the first half and then holds the
 * rest until the worker is stopped, and the page answers each frame it gets, so both directions
 * are exactly half-way when the stop comes, and the second half flows while the worker restarts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, serviceWorker, showPanel, stopServiceWorker, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

const TOTAL = 500;
const HALF = TOTAL / 2;
let server: TestServer;
let chrome: ChromeSession;
/** Lets the server send the second half. */
let releaseSecondHalf = () => {};

beforeAll(async () => {
  server = await startTestServer();
  server.page('/favicon.ico', ''); // a missing favicon would be a console error that is not ours
  server.page('/stream', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/stream');
    ws.onmessage = (e) => ws.send(e.data.replace('down', 'up'));
  </script>`);
  server.onSocket('/stream', (s) => {
    let n = 0;
    const sendUpTo = (end: number) => {
      const t = setInterval(() => {
        if (s.ws.readyState !== 1 || n === end) { clearInterval(t); return; }
        s.ws.send(`down ${n++}`);
      }, 5);
    };
    sendUpTo(HALF);
    releaseSecondHalf = () => sendUpTo(TOTAL);
  });
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('stopping the service worker mid-stream loses no frame and shows none twice', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${(e as Error).message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  await page.goto(`${server.origin}/stream`);
  const panel = await showPanel(devtools);
  await server.waitFor(() => server.sockets[0]?.received.length === HALF, 'the first half of the stream', 60_000);
  await waitForCounts(panel, 1, 2 * HALF, 60_000);

  const before = await serviceWorker(chrome.browser);
  await before.evaluate(() => { (globalThis as { marker?: number }).marker = 1; });
  let receivedAtStop = -1;
  const after = await stopServiceWorker(chrome.browser, () => {
    receivedAtStop = server.sockets[0]!.received.length;
    releaseSecondHalf();
  });
  expect(receivedAtStop, 'the stop came half-way through the stream').toBe(HALF);

  await server.waitFor(() => server.sockets[0]!.received.length === TOTAL, 'the stream to finish', 60_000);
  await waitForCounts(panel, 1, 2 * TOTAL, 60_000);
  expect(await after('globalThis.marker'), 'a fresh worker (the old one really stopped)').toBeUndefined();

  const session = await exportSession(panel, chrome.downloads);
  const id = session.connections[0]!.id;
  // Against the server's own log of what it received, and what it sent (down 0 … down TOTAL-1).
  expect(exportedPayloads(session, id, 'sent').map((f) => f.bytes.toString())).toEqual(server.sockets[0]!.received.map((r) => r.data.toString()));
  expect(exportedPayloads(session, id, 'received').map((f) => f.bytes.toString())).toEqual(Array.from({ length: TOTAL }, (_, i) => `down ${i}`));
  expect(session.dropped.frames).toBe(0);
  expect(problems, 'no exception or console error in the page').toEqual([]);
});
