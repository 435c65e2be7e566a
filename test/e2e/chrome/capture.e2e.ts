/**
 * Chromium, DevTools open from the start: every kind of frame and close is captured, and the
 * exported session equals what the server saw, frame for frame.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, panelText, setPanelFilter, showWide, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import type { SessionFileV1 } from '../../../src/session/session-format';

const PAGE = `<!doctype html><html><head><script>
  // The very first script of the page: the hook must already be there.
  window.results = {};
  const base = 'ws://' + location.host;
  const a = new WebSocket(base + '/echo', ['accept-chat', 'other']);
  try { a.send('too early'); results.earlyThrow = 'none'; } catch (e) { results.earlyThrow = e.name; }
  a.binaryType = 'arraybuffer';
  let echoed = 0;
  a.onmessage = () => { if (++echoed === 9) results.echoDone = true; };
  a.onopen = () => {
    a.send('hello ✓ ünïcödé 🚀');
    a.send(new Uint8Array([0, 1, 2, 255]).buffer);
    const big = new Uint8Array(16); big.set([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    a.send(new Uint8Array(big.buffer, 2, 5));
    a.send(new DataView(big.buffer, 4, 3));
    a.send(new Float32Array([1.5, -2]));
    a.send(new Blob(['blob-data']));
    a.send(12345);
    a.send('');
    const reused = new Uint8Array([1, 1, 1]);
    a.send(reused);
    reused.fill(7); // mutating after send must not change what was captured
  };
  const push = new WebSocket(base + '/push');
  push.onclose = () => { results.pushClosed = true; };
  const pc = new WebSocket(base + '/pageclose');
  pc.onopen = () => pc.close(1000, 'client done');
  pc.onclose = () => { results.pageClosed = true; };
  const bad = new WebSocket('ws://127.0.0.1:9/nothing-listens');
  bad.onclose = () => { results.badClosed = true; };
</script></head><body>capture page</body></html>`;

let server: TestServer;
let chrome: ChromeSession;
let session: SessionFileV1;
let text: string;
let filteredRows: string[];
let unicodeRows: string[];
const startedAt = Date.now();

beforeAll(async () => {
  server = await startTestServer();
  server.page('/capture', PAGE);
  server.onSocket('/push', (s) => {
    s.ws.send('push-1');
    s.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    setTimeout(() => s.ws.close(4001, 'server says bye'), 50);
  });
  server.onSocket('/pageclose', () => {});
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/capture`);
  await page.waitForFunction(() => {
    const r = (window as unknown as { results: Record<string, unknown> }).results;
    return r.echoDone && r.pushClosed && r.pageClosed && r.badClosed;
  }, { timeout: 60_000 }).catch(async (e) => {
    const r = await page.evaluate(() => JSON.stringify({ visibility: document.visibilityState, ...(window as unknown as { results: object }).results })).catch(() => '?');
    throw new Error(`the page's sockets did not all finish; it has ${r}, the server saw ${server.sockets.map((s) => `${s.path}:${s.received.length}`).join(' ')}`, { cause: e });
  });
  const panel = await showPanel(devtools);
  await showWide(devtools, panel);
  await waitForCounts(panel, 4, 20);
  // The connection list renders on its own cadence: wait for the last close it must show.
  await panel.waitForFunction(() => ['4001 Application', '1000 Normal Closure', '1006 Abnormal Closure'].every((t) => document.body.innerText.includes(t)));
  text = await panelText(panel);
  session = await exportSession(panel, chrome.downloads);
  // The table is virtualized: find rows as a user would, by filtering, however many rows it holds.
  const filterFor = async (text: string, count: string) => {
    await setPanelFilter(panel, text);
    await panel.waitForFunction((c: string, n: number) => document.querySelector('[data-testid=counts]')?.textContent === c &&
      document.querySelectorAll('.frame-canvas .row.frame').length === n, {}, count, Number(count.split(' ')[0]));
    return panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame')].map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ')));
  };
  unicodeRows = await filterFor('ünïcödé', '2 of 20 frames');
  filteredRows = await filterFor('de ad be ef', '1 of 20 frames');
  expect(await page.evaluate(() => (window as unknown as { results: { earlyThrow: string } }).results.earlyThrow)).toBe('InvalidStateError');
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const conn = (path: string) => {
  const c = session.connections.find((x) => x.url.endsWith(path));
  if (!c) throw new Error(`no connection for ${path} in export`);
  return c;
};

describe('Chromium: capture through the real DevTools panel', () => {
  test('the export is a version-1 session of this page', () => {
    expect(session.format).toBe('sockscope-session');
    expect(session.version).toBe(1);
    expect(new Date(session.exportedAt).getTime()).toBeGreaterThanOrEqual(startedAt);
    expect(session.page.url).toBe(`${server.origin}/capture`);
    expect(session.connections).toHaveLength(4);
    expect(session.dropped).toEqual({ frames: 0, bytes: 0 });
  });

  test('every frame the page sent is in the export, byte for byte, in order, with its type', () => {
    const a = conn('/echo');
    const onServer = server.sockets.find((s) => s.path === '/echo')!.received;
    const exported = exportedPayloads(session, a.id, 'sent');
    expect(exported.map((f) => f.type)).toEqual(onServer.map((r) => (r.isBinary ? 'binary' : 'text')));
    expect(exported.map((f) => f.bytes.toString('hex'))).toEqual(onServer.map((r) => r.data.toString('hex')));
    // The send() that threw while CONNECTING was not recorded, and the mutated buffer was copied in time.
    expect(exported.map((f) => f.bytes.toString())).not.toContain('too early');
    expect(exported.at(-1)!.bytes).toEqual(Buffer.from([1, 1, 1]));
    expect(exported.map((f) => f.bytes.toString('utf8')).slice(6, 8)).toEqual(['12345', '']);
  });

  test('sizes are exact byte counts, and timestamps are high-resolution epoch ms in capture order', () => {
    const frames = session.frames.filter((f) => f.connectionId === conn('/echo').id && f.direction === 'sent');
    expect(frames[0]!.size).toBe(Buffer.byteLength('hello ✓ ünïcödé 🚀'));
    expect(frames.map((f) => f.size)).toEqual([Buffer.byteLength('hello ✓ ünïcödé 🚀'), 4, 5, 3, 8, 9, 5, 0, 3]);
    const ats = session.frames.map((f) => f.at);
    expect(ats.every((t) => t >= startedAt - 1000 && t <= Date.now())).toBe(true);
    expect(ats).toEqual([...ats].sort((x, y) => x - y));
    expect(ats.some((t) => !Number.isInteger(t))).toBe(true);
  });

  test('received frames: text, and binary whether binaryType is arraybuffer or blob', () => {
    const a = conn('/echo');
    expect(exportedPayloads(session, a.id, 'received').map((f) => f.bytes.toString('hex')))
      .toEqual(exportedPayloads(session, a.id, 'sent').map((f) => f.bytes.toString('hex')));
    const push = exportedPayloads(session, conn('/push').id, 'received');
    expect(push.map((f) => f.type)).toEqual(['text', 'binary']);
    expect(push[0]!.bytes.toString()).toBe('push-1');
    expect(push[1]!.bytes.toString('hex')).toBe('deadbeef');
  });

  test('subprotocols and extensions: requested and negotiated', () => {
    const a = conn('/echo');
    expect(a.requestedProtocols).toEqual(['accept-chat', 'other']);
    expect(a.protocol).toBe('accept-chat');
    expect(a.extensions).toContain('permessage-deflate');
    expect(a.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN']);
    expect(a.url).toBe(`ws://127.0.0.1:${new URL(server.origin).port}/echo`);
    expect(a.frameUrl).toBe(`${server.origin}/capture`);
  });

  test('close codes, reasons, wasClean, who closed, and every readyState transition', () => {
    const push = conn('/push');
    expect(push.close).toEqual({ code: 4001, reason: 'server says bye', wasClean: true, initiator: 'server' });
    expect(push.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']);
    const pc = conn('/pageclose');
    expect(pc.close).toEqual({ code: 1000, reason: 'client done', wasClean: true, initiator: 'page' });
    expect(pc.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']);
    const bad = conn('/nothing-listens');
    expect(bad.close).toMatchObject({ code: 1006, wasClean: false, initiator: 'unknown' });
    expect(bad.states.map((s) => s.state)).toEqual(['CONNECTING', 'CLOSED']);
    expect(bad.errors).toHaveLength(1);
  });

  test('the panel lists the connections with state, protocol and close code', () => {
    expect(text).toContain('4 connections');
    expect(text).toContain('20 of 20 frames');
    expect(text).toMatch(/127\.0\.0\.1:\d+\/echo\s+open\s+accept-chat/);
    expect(text).toContain('4001 Application: server says bye');
    expect(text).toContain('1000 Normal Closure: client done');
    expect(text).toContain('1006 Abnormal Closure');
    expect(unicodeRows).toHaveLength(2);
    expect(unicodeRows.every((r) => r.includes('hello ✓ ünïcödé 🚀'))).toBe(true);
    expect(filteredRows).toHaveLength(1);
    expect(filteredRows[0]).toMatch(/↓ \d\d:\d\d:\d\d\.\d{3} 4 B binary de ad be ef/);
  });
});
