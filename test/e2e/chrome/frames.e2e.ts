/**
 * Chromium: sockets in a cross-origin iframe, an about:blank iframe made by script (used at once,
 * in the same task) and a srcdoc iframe all reach the panel of the top tab.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import type { SessionFileV1 } from '../../../src/session/session-format';

let server: TestServer;
let chrome: ChromeSession;
let session: SessionFileV1;

beforeAll(async () => {
  server = await startTestServer();
  const wsBase = `ws://127.0.0.1:${new URL(server.origin).port}`;
  server.page('/inner', `<!doctype html><script>
    const ws = new WebSocket('${wsBase}/echo?from=cross-origin');
    ws.onopen = () => ws.send('from the cross-origin iframe');
  </script>`);
  server.page('/plain-http', `<!doctype html><script>
    const ws = new WebSocket('${wsBase}/echo?from=insecure&secure=' + isSecureContext);
    ws.onopen = () => ws.send('from a non-secure origin');
  </script>`);
  server.page('/top', `<!doctype html><body>
    <iframe src="${server.altOrigin}/inner"></iframe>
    <iframe src="${server.insecureOrigin}/plain-http"></iframe>
    <iframe srcdoc="<script>const ws = new WebSocket('${wsBase}/echo?from=srcdoc'); ws.onopen = () => ws.send('from srcdoc');</script>"></iframe>
    <script>
      const f = document.createElement('iframe');
      document.body.appendChild(f);
      // Same task as the append: the frame's hook must already be in place.
      const ws = new f.contentWindow.WebSocket('${wsBase}/echo?from=blank');
      ws.onopen = () => ws.send('from the about:blank iframe');
    </script></body>`);
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  // Not until 'load', which waits for every iframe: once, on a loaded CI run, that took over 60 s.
  // What the test needs is the four iframe sockets, and it waits for those.
  await page.goto(`${server.origin}/top`, { waitUntil: 'domcontentloaded' });
  await server.waitFor(() => server.sockets.filter((s) => s.received.length > 0).length === 4, 'four iframe sockets to send');
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 4, 8);
  session = await exportSession(panel, chrome.downloads);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const byFrom = (from: string) => session.connections.find((c) => c.url.endsWith(`from=${from}`));

test('a socket in a cross-origin iframe is captured, labelled with its frame', () => {
  const c = byFrom('cross-origin')!;
  expect(c.frameUrl).toBe(`${server.altOrigin}/inner`);
  expect(exportedPayloads(session, c.id, 'sent').map((f) => f.bytes.toString())).toEqual(['from the cross-origin iframe']);
  expect(exportedPayloads(session, c.id, 'received').map((f) => f.bytes.toString())).toEqual(['from the cross-origin iframe']);
});

test('a socket from an about:blank iframe created and used by script in one task is captured', () => {
  const c = byFrom('blank');
  expect(c, 'the about:blank iframe socket is in the export').toBeDefined();
  expect(c!.frameUrl).toBe('about:blank');
  expect(exportedPayloads(session, c!.id, 'sent').map((f) => f.bytes.toString())).toEqual(['from the about:blank iframe']);
});

test('a socket in a srcdoc iframe is captured', () => {
  const c = byFrom('srcdoc')!;
  expect(c.frameUrl).toBe('about:srcdoc');
  expect(exportedPayloads(session, c.id, 'sent').map((f) => f.bytes.toString())).toEqual(['from srcdoc']);
});

test('a socket in a plain-http (non-secure) iframe is captured', () => {
  const c = byFrom('insecure&secure=false');
  expect(c, 'the non-secure iframe socket is in the export').toBeDefined();
  expect(c!.frameUrl).toBe(`${server.insecureOrigin}/plain-http`);
  expect(exportedPayloads(session, c!.id, 'sent').map((f) => f.bytes.toString())).toEqual(['from a non-secure origin']);
});

test('only sockets of this tab appear, and the page is the top document', () => {
  expect(session.connections).toHaveLength(4);
  expect(session.page.url).toBe(`${server.origin}/top`);
});
