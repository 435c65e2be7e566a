/**
 * Chromium: our HAR importer against the HAR that Chrome itself writes. DevTools records the
 * page's socket in its network log, the panel reads that log through the public extension API
 * (chrome.devtools.network.getHAR), and harToSession must give back the URL, the protocols and
 * every text and binary message the page exchanged, in order.
 *
 * SOCKSCOPE_UPDATE_FIXTURES=1 rewrites test/unit/fixtures/chrome-real-websocket.har.json from
 * this run, so the unit test's fixture stays a recording of something that really ran.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { harToSession } from '../../../src/session/har';
import type { SessionFileV1 } from '../../../src/session/session-format';

const FIXTURE = 'test/unit/fixtures/chrome-real-websocket.har.json';
const SNOWMAN_JSON = JSON.stringify({ op: 'sub', topic: 'prices', note: '☃ é 😀' });
const SMALL_BINARY = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
/** Long enough that its base64 spans many 4-character groups, and ends in padding. */
const LONG_BINARY = Array.from({ length: 301 }, (_, i) => (i * 7) & 0xff);
/** What the page sends, in order, as [type, payload] with binary payloads as base64. */
const SENT: [string, string][] = [
  ['text', 'hello sockscope'],
  ['text', SNOWMAN_JSON],
  ['binary', Buffer.from(SMALL_BINARY).toString('base64')],
  ['text', ''],
  ['binary', Buffer.from(LONG_BINARY).toString('base64')],
];
const RECEIVED: [string, string][] = [['text', 'welcome'], ...SENT];

let server: TestServer;
let chrome: ChromeSession;
let panel: Frame;
let wsUrl: string;
/** The `log` object chrome.devtools.network.getHAR hands the panel. */
let harLog: { entries: { _resourceType?: string; _webSocketMessages?: unknown[]; request: { url: string } }[] };

beforeAll(async () => {
  server = await startTestServer();
  wsUrl = `ws://127.0.0.1:${new URL(server.origin).port}/har-echo?room=1`;
  // Binary sends are typed arrays, not Blobs: Chrome's network log records a sent Blob with empty data.
  server.page('/har', `<!doctype html><script>
    const ws = new WebSocket(${JSON.stringify(wsUrl)}, ['accept-v2', 'v1']);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.send('hello sockscope');
      ws.send(${JSON.stringify(SNOWMAN_JSON)});
      ws.send(new Uint8Array(${JSON.stringify(SMALL_BINARY)}));
      ws.send('');
      ws.send(new Uint8Array(${JSON.stringify(LONG_BINARY)}));
    };
  </script>`);
  server.onSocket('/har-echo', (s) => {
    s.ws.send('welcome');
    s.ws.on('message', (data, isBinary) => s.ws.send(data, { binary: isBinary }));
  });
  chrome = await launchChrome({ devtools: true });
  // DevTools is open before the page loads, so its network log has the socket from the handshake on.
  const { page, devtools } = await newInspectedPage(chrome.browser);
  panel = await showPanel(devtools);
  await page.goto(`${server.origin}/har`);
  await waitForCounts(panel, 1, SENT.length + RECEIVED.length);
  // DevTools hears of frames on its own path, not through Sockscope: wait until its log has them all.
  harLog = await waitForHarMessages(SENT.length + RECEIVED.length);
  if (process.env.SOCKSCOPE_UPDATE_FIXTURES === '1') {
    const entries = harLog.entries.filter((e) => e._resourceType === 'websocket');
    writeFileSync(FIXTURE, `${JSON.stringify({ log: { ...harLog, entries } }, null, 2)}\n`);
  }
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

async function getHar(): Promise<typeof harLog> {
  // globalThis: in this module `chrome` is the test's browser session.
  return panel.evaluate(() => new Promise((resolve) => {
    (globalThis as unknown as { chrome: { devtools: { network: { getHAR(cb: (log: unknown) => void): void } } } }).chrome.devtools.network.getHAR(resolve);
  })) as Promise<typeof harLog>;
}

async function waitForHarMessages(n: number): Promise<typeof harLog> {
  let log = await getHar();
  for (const end = Date.now() + 60_000; Date.now() < end; log = await getHar()) {
    const messages = log.entries.find((e) => e.request.url === wsUrl)?._webSocketMessages;
    if (messages && messages.length >= n) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Chrome's HAR never held ${n} messages for ${wsUrl}: ${JSON.stringify(log.entries.map((e) => [e.request.url, e._resourceType, e._webSocketMessages?.length]))}`);
}

const payloads = (s: SessionFileV1, direction: 'sent' | 'received') =>
  s.frames.filter((f) => f.direction === direction).map((f) => [f.type, f.type === 'text' ? f.text : f.base64]);

test('Chrome puts the socket and its messages in the HAR the DevTools extension API returns', () => {
  const ws = harLog.entries.filter((e) => e._resourceType === 'websocket');
  expect(ws.map((e) => e.request.url)).toEqual([wsUrl]);
  expect(ws[0]!._webSocketMessages).toHaveLength(SENT.length + RECEIVED.length);
});

test('harToSession reads Chrome\'s HAR: the socket, its protocols, and every message in order', () => {
  // getHAR hands over the log itself; a HAR file, as DevTools saves it, wraps it in { log }.
  const r = harToSession(JSON.stringify({ log: harLog }), new Date('2030-01-01T00:00:00Z'));
  if (!r.ok) throw new Error(r.error);
  const s = r.session;
  expect(s.connections.map((c) => c.url)).toEqual([wsUrl]);
  expect(s.connections[0]).toMatchObject({ requestedProtocols: ['accept-v2', 'v1'], protocol: 'accept-v2', extensions: 'permessage-deflate' });
  expect(payloads(s, 'sent')).toEqual(SENT);
  expect(payloads(s, 'received')).toEqual(RECEIVED);
  expect(s.frames.filter((f) => f.direction === 'sent').map((f) => f.size)).toEqual([15, Buffer.byteLength(SNOWMAN_JSON), 6, 0, 301]);
  expect(s.page.url).toBe(`${server.origin}/har`);
});

test('the HAR import and Sockscope\'s own capture agree on every payload', async () => {
  const r = harToSession(JSON.stringify({ log: harLog }), new Date());
  if (!r.ok) throw new Error(r.error);
  const captured = await exportSession(panel, chrome.downloads);
  const conn = captured.connections.find((c) => c.url === wsUrl)!;
  const asBase64 = (frames: { type: string; bytes: Buffer }[]) => frames.map((f) => [f.type, f.bytes.toString('base64')]);
  for (const dir of ['sent', 'received'] as const) {
    expect(asBase64(exportedPayloads(r.session, r.session.connections[0]!.id, dir))).toEqual(asBase64(exportedPayloads(captured, conn.id, dir)));
  }
  // And both are what the server really got.
  const atServer = server.sockets.find((x) => x.path === '/har-echo')!.received.map((m) => [m.isBinary ? 'binary' : 'text', m.data.toString('base64')]);
  expect(asBase64(exportedPayloads(r.session, r.session.connections[0]!.id, 'sent'))).toEqual(atServer);
});
