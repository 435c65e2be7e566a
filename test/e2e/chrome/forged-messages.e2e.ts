/**
 * Chromium: a hostile page cannot see the private handshake, cannot feed the relay through a forged
 * handshake or look-alike messages, and cannot reach the extension's runtime.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, panelText, setPreserveLog, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

const HOSTILE = `<!doctype html><html><head><script>
  // First script of the page: listen for everything on window, in the capture phase.
  window.seen = [];
  addEventListener('message', (e) => seen.push({ keys: Object.keys(e.data || {}), ports: e.ports.length }), true);
  document.addEventListener('sockscope', (e) => seen.push({ custom: true }), true);

  const forgedEvents = (sock, text) => ({ v: 1, t: 'events', dropped: { frames: 0, bytes: 0 }, events: [
    { k: 'create', sock, at: Date.now(), url: 'ws://forged.example/' + text, protocols: [] },
    { k: 'frame', sock, at: Date.now(), dir: 'received', data: 'FORGED ' + text },
  ] });
  // 1. A look-alike handshake with a port the page controls.
  const ch = new MessageChannel();
  postMessage({ __sockscope_handshake_v1__: true }, '*', [ch.port2]);
  ch.port1.postMessage(forgedEvents(91, 'via forged handshake'));
  // 2. Relay-, router- and panel-shaped messages on window.
  postMessage(forgedEvents(92, 'via window'), '*');
  postMessage({ v: 1, t: 'batch', snapshot: true, doc: { docId: 'x', url: 'ws://forged.example/', title: '', top: true },
    events: [{ k: 'create', seq: 1, sock: 93, at: Date.now(), url: 'ws://forged.example/batch', protocols: [] }],
    lost: { frames: 0, bytes: 0 }, evicted: { frames: 0, bytes: 0, throughSeq: 0, lifecycle: 0 } }, '*');
  postMessage({ v: 1, t: 'attach' }, '*');
  postMessage({ v: 1, t: 'subscribe', tabId: 1 }, '*');
  // 3. DOM events.
  document.dispatchEvent(new CustomEvent('sockscope', { detail: forgedEvents(94, 'via DOM event') }));
  // 4. The hook's synchronous handoff at pagehide, with a guessed key and with none. The page
  // also listens for it (after the relay): it must never see one, not even its own forgeries.
  addEventListener('__sockscope_unload_v1__', () => sessionStorage.setItem('unload-seen', String(1 + Number(sessionStorage.getItem('unload-seen')))), true);
  dispatchEvent(new CustomEvent('__sockscope_unload_v1__', { detail: { key: '00000000000000000000000000000000', msg: forgedEvents(95, 'via unload handoff') } }));
  dispatchEvent(new CustomEvent('__sockscope_unload_v1__', { detail: { msg: forgedEvents(96, 'via keyless unload handoff') } }));
  // 5. The extension runtime is not reachable from a page.
  window.runtimeReachable = typeof chrome !== 'undefined' && !!(chrome.runtime && chrome.runtime.connect);

  const ws = new WebSocket('ws://' + location.host + '/echo');
  ws.onopen = () => ws.send('genuine');
  // A frame sent as the page is left: the hook hands it over synchronously, or it would be lost.
  addEventListener('pagehide', () => ws.send('sent at pagehide'));
</script></head><body></body></html>`;

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/hostile', HOSTILE);
  server.page('/elsewhere', '<!doctype html><title>elsewhere</title>');
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('forged handshakes, look-alike messages and forged unload handoffs change nothing; the page never sees the real handshake or handoff', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  const panel = await showPanel(devtools);
  await setPreserveLog(panel, true);
  await page.goto(`${server.origin}/hostile`);
  await waitForCounts(panel, 1, 2);
  await new Promise((r) => setTimeout(r, 500)); // give any forged event time to show, if it could

  const text = await panelText(panel);
  expect(text).toContain('1 connection');
  expect(text).toContain('2 of 2 frames');
  expect(text).not.toContain('FORGED');
  expect(text).not.toContain('forged.example');
  const session = await exportSession(panel, chrome.downloads);
  expect(session.connections.map((c) => c.url)).toEqual([`ws://127.0.0.1:${new URL(server.origin).port}/echo`]);
  expect(session.frames.map((f) => f.text)).toEqual(['genuine', 'genuine']);

  const seen = await page.evaluate(() => (window as unknown as { seen: { keys?: string[]; ports?: number }[] }).seen);
  // The page sees only what it posted itself: one handshake look-alike (its own), never the hook's.
  expect(seen.filter((s) => s.keys?.includes('__sockscope_handshake_v1__'))).toEqual([{ keys: ['__sockscope_handshake_v1__'], ports: 1 }]);
  expect(await page.evaluate(() => (window as unknown as { runtimeReachable: boolean }).runtimeReachable)).toBe(false);

  // Leaving the page: its pagehide frame comes through the genuine handoff, the forged ones never.
  await page.goto(`${server.origin}/elsewhere`);
  await waitForCounts(panel, 1, 3);
  const after = await exportSession(panel, chrome.downloads);
  expect(after.frames.filter((f) => f.direction === 'sent').map((f) => f.text)).toEqual(['genuine', 'sent at pagehide']);
  expect(await panelText(panel)).not.toContain('FORGED');
  expect(await page.evaluate(() => sessionStorage.getItem('unload-seen')), 'the page saw an unload handoff event').toBeNull();
  await setPreserveLog(panel, false);
});
