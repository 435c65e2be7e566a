/**
 * A page that dispatches events on its own real socket, shared by the Chromium and Firefox tests
 * (test/e2e/{chrome,firefox}/page-dispatched): what a test harness or a mock library does. The
 * export's received frames must be exactly what the server sent; the page-made events must be in
 * `dispatched`, never in `frames`.
 */
import { expect } from 'vitest';
import type { SessionFileV1 } from '../../src/session/session-format';
import type { TestServer } from './test-server';

/** What the server sends once the page says "go", in order. */
export const SERVER_FRAMES: { text?: string; bytes?: number[] }[] = [{ text: 'real 1' }, { bytes: [0xde, 0xad, 0xbe, 0xef] }, { text: 'real 2' }];

/**
 * Before "go": a text message, a binary one (a Uint8Array's buffer), a Blob, an object, a text and
 * a typed array too long to keep whole, an "open" Event and a CloseEvent, all dispatched by the page. On "real 1" its handler dispatches one more,
 * nested in a real message's dispatch. After the server's last frame the page sends "done" and
 * sets window.seen to what its own handlers got.
 */
export const DISPATCH_PAGE = `<!doctype html><title>dispatch</title><script>
  window.seen = [];
  const ws = new WebSocket('ws://' + location.host + '/dispatch');
  ws.binaryType = 'arraybuffer';
  const show = (d) => typeof d === 'string' ? d : d instanceof ArrayBuffer ? 'bytes ' + [...new Uint8Array(d)].join(',') : typeof d;
  ws.onmessage = (e) => {
    window.seen.push((e.isTrusted ? 'wire ' : 'page ') + show(e.data));
    if (e.data === 'real 1') ws.dispatchEvent(new MessageEvent('message', { data: 'nested fake' }));
    if (e.data === 'real 2') ws.send('done');
  };
  ws.onopen = (e) => {
    if (!e.isTrusted) return;
    ws.dispatchEvent(new MessageEvent('message', { data: 'fake text' }));
    ws.dispatchEvent(new MessageEvent('message', { data: new Uint8Array([9, 8, 7]).buffer }));
    ws.dispatchEvent(new MessageEvent('message', { data: new Blob(['blob fake']) }));
    ws.dispatchEvent(new MessageEvent('message', { data: { not: 'text' } }));
    ws.dispatchEvent(new MessageEvent('message', { data: 'é'.repeat(70000) }));
    ws.dispatchEvent(new MessageEvent('message', { data: new Uint8Array(70000).fill(7) }));
    ws.dispatchEvent(new Event('open'));
    ws.dispatchEvent(new CloseEvent('close', { code: 4001, reason: 'pretend' }));
    ws.send('go');
  };
</script>`;

export function serveDispatchPage(server: TestServer): void {
  server.page('/dispatch', DISPATCH_PAGE);
  server.onSocket('/dispatch', (s) => {
    s.ws.on('message', (data) => {
      if (data.toString() !== 'go') return;
      for (const f of SERVER_FRAMES) s.ws.send(f.text ?? Buffer.from(f.bytes!), { binary: f.text === undefined });
    });
  });
}

/** What the page's handlers saw: every event, the page's own and the wire's, as without the extension. */
export const PAGE_SAW = [
  'page fake text', 'page bytes 9,8,7', 'page object', 'page object', `page ${'é'.repeat(70000)}`, 'page object',
  'wire real 1', 'page nested fake', 'wire bytes 222,173,190,239', 'wire real 2',
];

/** The export: received frames exactly as the server sent them; the page's own events apart, in order. */
export function expectDispatchExport(session: SessionFileV1): void {
  const id = session.connections[0]!.id;
  expect(session.connections).toHaveLength(1);
  const received = session.frames.filter((f) => f.direction === 'received').map((f) => ({ type: f.type, text: f.text, base64: f.base64, origin: f.origin }));
  expect(received).toEqual(SERVER_FRAMES.map((f) => (f.text !== undefined
    ? { type: 'text', text: f.text, base64: undefined, origin: undefined }
    : { type: 'binary', text: undefined, base64: Buffer.from(f.bytes!).toString('base64'), origin: undefined })));
  expect(session.frames.filter((f) => f.direction === 'sent').map((f) => f.text)).toEqual(['go', 'done']);
  expect(session.connections[0]!.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN']);
  expect(session.connections[0]!.close).toBeNull();
  expect(session.dispatched).toEqual([
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'text', size: 9, text: 'fake text' },
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'binary', size: 3, base64: Buffer.from([9, 8, 7]).toString('base64') },
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'binary', size: 9, base64: Buffer.from('blob fake').toString('base64') },
    { connectionId: id, at: expect.any(Number), event: 'message', note: 'data: an object (not text or binary)' },
    // Kept up to 64 Ki characters or bytes; the size is the whole one (UTF-8 bytes for text).
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'text', size: 140_000, text: 'é'.repeat(65_536), truncated: true },
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'binary', size: 70_000, base64: Buffer.alloc(65_536, 7).toString('base64'), truncated: true },
    { connectionId: id, at: expect.any(Number), event: 'open' },
    { connectionId: id, at: expect.any(Number), event: 'close', note: 'code 4001: pretend' },
    { connectionId: id, at: expect.any(Number), event: 'message', type: 'text', size: 11, text: 'nested fake' },
  ]);
}
