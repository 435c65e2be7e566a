/**
 * The STOMP decoder on real traffic: @stomp/stompjs clients talking to stomp-broker-js (a STOMP
 * 1.1 broker on its own ws server) through the recording proxy. One client subscribes, sends with
 * a receipt and lets heart-beats run; a second one publishes in binary WebSocket frames
 * (forceBinaryWSFrames), so the subscriber gets a MESSAGE.
 */
import { Client, type IMessage } from '@stomp/stompjs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { stompDecoder } from '../../src/decoders/protocols/stomp';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { startFrameRecorder, type FrameRecorder, type RecordedConnection } from '../support/frame-recorder';

// stomp-broker-js is CommonJS without type declarations: required, and typed as far as used here.
interface StompBroker { on(event: 'subscribe' | 'send', cb: (x: unknown) => void): void }
const StompServer = createRequire(import.meta.url)('stomp-broker-js') as new (config: { server: Server; path: string; heartbeat: [number, number] }) => StompBroker;

const ORDER = { orderId: 42, items: ['apple', 'pear'], total: 3.5 };
const AUDIT = { event: 'created', by: 'alice' };

let http: Server;
let recorder: FrameRecorder;
let subscriberConn: RecordedConnection;
let publisherConn: RecordedConnection;
let received: IMessage;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function client(url: string, binary: boolean): Client {
  return new Client({
    brokerURL: url,
    webSocketFactory: () => new WebSocket(url, ['v10.stomp', 'v11.stomp', 'v12.stomp']),
    heartbeatIncoming: 200,
    heartbeatOutgoing: 200,
    reconnectDelay: 0,
    forceBinaryWSFrames: binary,
  });
}

async function connected(c: Client): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    c.onConnect = () => resolve();
    c.onStompError = (f) => reject(new Error(f.headers.message));
    c.onWebSocketError = () => reject(new Error('websocket error'));
    c.activate();
  });
}

beforeAll(async () => {
  http = createServer();
  const broker = new StompServer({ server: http, path: '/stomp', heartbeat: [200, 200] });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  recorder = await startFrameRecorder(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const url = `${recorder.url}/stomp`;

  const sub = client(url, false);
  await connected(sub);
  const brokerSubscribed = new Promise((r) => broker.on('subscribe', r));
  const gotMessage = new Promise<IMessage>((r) => sub.subscribe('/topic/orders', r));
  await brokerSubscribed;
  // A receipt header, though stomp-broker-js never answers one on SEND (its middleware wrapper
  // drops the callback that would): DISCONNECT's receipt is the RECEIPT frame we see.
  const brokerGotSend = new Promise((r) => broker.on('send', r));
  sub.publish({ destination: '/queue/audit', headers: { 'content-type': 'application/json', receipt: 'audit-1' }, body: JSON.stringify(AUDIT) });
  await brokerGotSend;

  const pub = client(url, true);
  await connected(pub);
  pub.publish({ destination: '/topic/orders', headers: { 'content-type': 'application/json', priority: '9' }, body: JSON.stringify(ORDER) });
  received = await gotMessage;
  // Long enough for several 200 ms heart-beats.
  await sleep(700);
  sub.unsubscribe('sub-0');
  await sleep(50);
  await pub.deactivate();
  await sub.deactivate();
  await sleep(50);
  [subscriberConn, publisherConn] = recorder.connections as [RecordedConnection, RecordedConnection];
});

afterAll(async () => {
  await recorder?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
});

/** Every frame of a connection through one session, as the panel does it. */
function decodeAll(frames: DecodeInput[]): DecodedMessage[] {
  const session = stompDecoder.session();
  return frames.map((f) => {
    const m = safeDecode(session, f, 'stomp');
    expect(m, `frame ${JSON.stringify(f.text ?? `${f.bytes?.length} bytes`)} decoded`).not.toBeNull();
    return m!;
  });
}

const app = (ms: DecodedMessage[]) => ms.filter((m) => !m.heartbeat);

describe('STOMP on stomp-broker-js and @stomp/stompjs', () => {
  it('sees the traffic it expects', () => {
    expect(recorder.connections).toHaveLength(2);
    expect(received.headers.destination).toBe('/topic/orders');
    expect(JSON.parse(received.body)).toEqual(ORDER);
  });

  it('picks the decoder from the negotiated subprotocol and from the first frame', () => {
    for (const conn of [subscriberConn, publisherConn]) {
      expect(conn.protocol).toMatch(/^v1[012]\.stomp$/);
      expect(decoderForSubprotocol(conn.protocol)).toBe(stompDecoder);
      expect(stompDecoder.sniff(conn.frames[0]!)).toBe(1);
      expect(sniffFrame(conn.frames[0]!)).toBe(stompDecoder);
    }
    expect(publisherConn.frames[0]!.type).toBe('binary');
  });

  it('decodes the subscriber connection frame by frame', () => {
    const all = decodeAll(subscriberConn.frames);
    for (const m of all) expect(m.error, m.summary).toBeUndefined();
    const msgs = app(all);
    expect(msgs.map((m) => m.summary)).toEqual([
      'CONNECT v1.2,1.1,1.0',
      'CONNECTED v1.1',
      'SUBSCRIBE /topic/orders',
      'SEND /queue/audit',
      'MESSAGE /topic/orders',
      'UNSUBSCRIBE sub-0',
      'DISCONNECT',
      expect.stringMatching(/^RECEIPT close-\d+$/),
    ]);
    const [connect, connectedMsg, subscribe, send, message, unsubscribe, disconnect, receipt] = msgs;
    expect(connect!.fields).toMatchObject({ type: 'CONNECT', command: 'CONNECT' });
    expect((connect!.body as { headers: Record<string, string> }).headers).toMatchObject({ 'accept-version': '1.2,1.1,1.0', 'heart-beat': '200,200' });
    expect(connectedMsg!.fields).toMatchObject({ command: 'CONNECTED', version: '1.1' });
    expect(subscribe!.fields).toEqual({ type: 'SUBSCRIBE', command: 'SUBSCRIBE', destination: '/topic/orders', id: 'sub-0' });
    expect(send!.fields).toMatchObject({ command: 'SEND', destination: '/queue/audit', receipt: 'audit-1' });
    expect(send!.body).toEqual({ headers: expect.objectContaining({ 'content-type': 'application/json' }), body: AUDIT });
    expect(message!.fields).toMatchObject({ type: 'MESSAGE', command: 'MESSAGE', destination: '/topic/orders', subscription: 'sub-0' });
    expect(message!.body).toEqual({ headers: expect.objectContaining({ priority: '9', 'content-type': 'application/json' }), body: ORDER });
    expect(unsubscribe!.fields).toMatchObject({ command: 'UNSUBSCRIBE', id: 'sub-0' });
    const closeReceipt = disconnect!.fields.receipt;
    expect(closeReceipt).toMatch(/^close-\d+$/);
    expect(receipt!.fields).toEqual({ type: 'RECEIPT', command: 'RECEIPT', receipt: closeReceipt });
    // Directions are the recorder's: client frames sent, broker frames received.
    const dirs = subscriberConn.frames.filter((_, i) => !all[i]!.heartbeat).map((f) => f.dir);
    expect(dirs).toEqual(['sent', 'received', 'sent', 'sent', 'received', 'sent', 'sent', 'received']);
  });

  it('marks the heart-beats', () => {
    const all = decodeAll(subscriberConn.frames);
    const beats = all.filter((m) => m.heartbeat);
    // stomp-broker-js asks the client to beat (heart-beat:0,200): 700 ms of quiet gives a few.
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const b of beats) expect(b.summary).toBe('heart-beat');
    subscriberConn.frames.forEach((f, i) => {
      if (all[i]!.heartbeat) expect(f.text === '\n' || f.text === '\r\n').toBe(true);
    });
  });

  it('decodes the publisher connection sent in binary frames', () => {
    const all = decodeAll(publisherConn.frames);
    for (const m of all) expect(m.error, m.summary).toBeUndefined();
    const sent = publisherConn.frames.map((f, i) => [f, all[i]!] as const).filter(([f, m]) => f.dir === 'sent' && !m.heartbeat);
    expect(sent.every(([f]) => f.type === 'binary')).toBe(true);
    expect(sent.map(([, m]) => m.summary)).toEqual(['CONNECT v1.2,1.1,1.0', 'SEND /topic/orders', 'DISCONNECT']);
    expect(sent[1]![1].body).toEqual({ headers: expect.objectContaining({ priority: '9' }), body: ORDER });
  });
});
