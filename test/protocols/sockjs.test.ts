/**
 * The SockJS decoder on real traffic: sockjs-node (the reference server, `sockjs` 0.3.x) behind
 * the recording proxy, on its framed WebSocket transport `/<prefix>/<server>/<session>/websocket`.
 * sockjs-client is not installed, so the client is `ws`, sending what sockjs-client sends: JSON
 * arrays of strings. `sockjs` is not a direct dependency here: it comes with stomp-broker-js, so it
 * is loaded with require (and has no types). Over WebSocket sockjs-node keeps the connection alive
 * with WebSocket ping control frames instead of `h` frames, so `h` is covered by the unit tests
 * (test/unit/decoders-sockjs.test.ts, frames from the protocol specification).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sockjsDecoder } from '../../src/decoders/protocols/sockjs';
import { sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { startFrameRecorder, waitFor, type FrameRecorder } from '../support/frame-recorder';

interface SockJsConnection { on(ev: 'data', cb: (m: string) => void): void; write(m: string): void; close(code?: number, reason?: string): void }
interface SockJsServer { on(ev: 'connection', cb: (c: SockJsConnection) => void): void; installHandlers(s: HttpServer, o: { prefix: string }): void }
const sockjs = createRequire(import.meta.url)('sockjs') as { createServer(o: object): SockJsServer };

let http: HttpServer;
let recorder: FrameRecorder;

/** Connects through the recorder, runs `talk`, waits for the socket to close. */
async function session(path: string, talk: (ws: WebSocket, received: string[]) => Promise<void>): Promise<void> {
  const ws = new WebSocket(`${recorder.url}${path}`, { perMessageDeflate: false });
  const received: string[] = [];
  ws.on('message', (d) => received.push(d.toString()));
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  await waitFor('the open frame', () => received.includes('o'));
  await talk(ws, received);
  if (ws.readyState === WebSocket.OPEN) ws.close();
  await closed;
}

function decoded(marker: string): { frame: DecodeInput; msg: DecodedMessage | null }[] {
  const conn = recorder.connections.find((c) => c.path.includes(marker));
  if (!conn) throw new Error(`no recorded connection for ${marker}`);
  const s = sockjsDecoder.session();
  return conn.frames.map((frame) => ({ frame, msg: s.decode(frame) }));
}

beforeAll(async () => {
  http = createServer();
  const echo = sockjs.createServer({ log: () => {} });
  echo.on('connection', (conn) => conn.on('data', (m) => {
    if (m === 'bye') conn.close(3000, 'Go away!');
    else conn.write(m);
  }));
  echo.installHandlers(http, { prefix: '/echo' });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  recorder = await startFrameRecorder(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);

  await session('/echo/000/session1/websocket', async (ws, received) => {
    ws.send(JSON.stringify(['hello', '{"type":"chat","text":"hi"}']));
    ws.send(JSON.stringify('single'));
    await waitFor('the echoes', () => received.filter((m) => m.startsWith('a[')).length === 3);
    ws.send(JSON.stringify(['bye']));
    await waitFor('the close frame', () => received.some((m) => m.startsWith('c[')));
  });
  // Broken framing: the server drops the connection.
  await session('/echo/000/session2/websocket', async (ws) => { ws.send('["a'); });
});

afterAll(async () => {
  await recorder?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
});

describe('sockjs-node over its framed WebSocket transport', () => {
  it('is detected from the open frame', () => {
    const [first] = decoded('session1');
    expect(first!.frame).toMatchObject({ dir: 'received', type: 'text', text: 'o' });
    expect(sniffFrame(first!.frame)).toBe(sockjsDecoder);
    expect(first!.msg).toEqual({ protocol: 'sockjs', summary: 'open', fields: { type: 'open' }, heartbeat: false });
  });

  it('decodes what the client sends: arrays of strings and a single string', () => {
    const sent = decoded('session1').filter((d) => d.frame.dir === 'sent').map((d) => d.msg);
    expect(sent[0]).toMatchObject({ summary: '2 messages', fields: { type: 'message', count: 2 }, body: ['hello', { type: 'chat', text: 'hi' }] });
    expect(sent[1]).toMatchObject({ summary: 'message: single', fields: { count: 1 }, body: ['single'] });
    expect(sent[2]).toMatchObject({ summary: 'message: bye', body: ['bye'] });
    for (const m of sent) { expect(m!.error).toBeUndefined(); expect(m!.heartbeat).toBe(false); }
  });

  it('decodes the echoed `a` frames and the close frame', () => {
    const received = decoded('session1').filter((d) => d.frame.dir === 'received');
    const texts = received.map((d) => d.frame.text);
    expect(texts).toEqual(['o', 'a["hello"]', 'a["{\\"type\\":\\"chat\\",\\"text\\":\\"hi\\"}"]', 'a["single"]', 'c[3000,"Go away!"]']);
    const msgs = received.map((d) => d.msg!);
    expect(msgs[1]).toMatchObject({ summary: 'message: hello', body: ['hello'] });
    expect(msgs[2]).toMatchObject({ summary: 'message: {"type":"chat","text":"hi"}', body: [{ type: 'chat', text: 'hi' }] });
    expect(msgs[4]).toMatchObject({ summary: 'close 3000 Go away!', fields: { type: 'close', code: 3000, reason: 'Go away!' }, body: [3000, 'Go away!'] });
    for (const m of msgs) expect(m.error).toBeUndefined();
  });

  it('flags the broken JSON that made the server drop the connection', () => {
    const sent = decoded('session2').filter((d) => d.frame.dir === 'sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.msg).toMatchObject({ protocol: 'sockjs', error: expect.stringContaining('invalid JSON') });
  });
});
