/**
 * The Socket.IO decoder on real traffic: a socket.io v4 server (with `allowEIO3`, so it also speaks
 * Engine.IO v3 / Socket.IO v2) behind the recording proxy. One connection is socket.io-client v4
 * (EIO4); three are driven by hand over `ws` in the older dialects the installed client cannot
 * speak: EIO3 with 0x04-prefixed binary frames, EIO3 with base64 attachments (`b64=1`), EIO4 with
 * base64 attachments. Every recorded connection is then decoded with one session, in order.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { socketIoDecoder } from '../../src/decoders/protocols/socket-io';
import { sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { startFrameRecorder, waitFor, type FrameRecorder, type RecordedConnection } from '../support/frame-recorder';

let http: HttpServer;
let io: Server;
let recorder: FrameRecorder;

interface Decoded { frame: DecodeInput; msg: DecodedMessage | null }

/** The connection whose path carries `marker`, decoded in order by one session. */
function decodeConnection(marker: string): Decoded[] {
  const conn = recorder.connections.find((c) => c.path.includes(marker));
  if (!conn) throw new Error(`no recorded connection for ${marker}`);
  const session = socketIoDecoder.session();
  return conn.frames.map((frame) => ({ frame, msg: session.decode(frame) }));
}

const connectionFor = (marker: string): RecordedConnection => recorder.connections.find((c) => c.path.includes(marker))!;
const textOf = (d: Decoded) => (d.frame.type === 'text' ? d.frame.text : undefined);
/** The decoded frames of one direction: attachments follow their placeholder in their own direction. */
const inDir = (all: Decoded[], dir: DecodeInput['dir']) => all.filter((d) => d.frame.dir === dir);
function byText(all: Decoded[], text: string | RegExp): Decoded {
  const d = all.find((x) => { const t = textOf(x); return t !== undefined && (typeof text === 'string' ? t === text : text.test(t)); });
  if (!d) throw new Error(`no frame ${String(text)}`);
  return d;
}
const msgOf = (all: Decoded[], text: string | RegExp) => byText(all, text).msg!;

/** A hand-driven Engine.IO client: answers pings (EIO4) so the server keeps it, queues what it receives. */
class RawClient {
  readonly ws: WebSocket;
  private readonly inbox: (string | Buffer)[] = [];
  constructor(url: string, eio4: boolean) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('message', (data, isBinary) => {
      const m = isBinary ? (data as Buffer) : data.toString();
      if (eio4 && m === '2') this.ws.send('3');
      else this.inbox.push(m);
    });
  }
  async opened(): Promise<void> {
    await new Promise<void>((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); });
  }
  /** Waits for the next received message matching `match` (earlier ones are kept). */
  async next(match: (m: string | Buffer) => boolean): Promise<string | Buffer> {
    let found: string | Buffer | undefined;
    await waitFor('a message from the server', () => {
      const i = this.inbox.findIndex(match);
      if (i < 0) return false;
      found = this.inbox.splice(i, 1)[0];
      return true;
    });
    return found!;
  }
  nextText(prefix: string): Promise<string | Buffer> {
    return this.next((m) => typeof m === 'string' && m.startsWith(prefix));
  }
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((r) => { this.ws.once('close', () => r()); this.ws.close(); });
  }
}

beforeAll(async () => {
  http = createServer();
  // A short pingInterval so the pings come quickly; a long pingTimeout so a slow machine never drops the hand-driven EIO3 clients (which must ping within both).
  io = new Server(http, { transports: ['websocket'], pingInterval: 200, pingTimeout: 5_000, allowEIO3: true });
  io.on('connection', (socket) => {
    socket.on('ask', (_q: unknown, cb: (a: unknown) => void) => cb({ answer: 42 }));
    socket.on('files?', () => socket.emit('files', 'two', Buffer.alloc(3, 1), Buffer.alloc(5, 2)));
    socket.on('upload', (_name: string, data: Buffer, cb: (n: number) => void) => cb(data.length));
  });
  io.of('/chat').on('connection', (socket) => {
    socket.on('chat:message', (_text: string, cb: (r: string) => void) => cb('ok'));
  });
  io.of('/admin').use((_socket, next) => next(new Error('Not authorized')));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  recorder = await startFrameRecorder(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);

  // socket.io-client v4 (Engine.IO v4): default namespace, /chat, and /admin which refuses.
  const socket = ioClient(recorder.url, { path: '/socket.io/', transports: ['websocket'], forceNew: true, query: { case: 'client-v4' } });
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
  socket.emit('hello', 'world', { n: 1 });
  await socket.emitWithAck('ask', 'life?');
  await new Promise<void>((resolve) => { socket.once('files', () => resolve()); socket.emit('files?'); });
  await socket.emitWithAck('upload', 'a.bin', new Uint8Array([1, 2, 3, 4]));
  const chat = socket.io.socket('/chat');
  await new Promise<void>((resolve) => chat.once('connect', () => resolve()));
  await chat.emitWithAck('chat:message', 'hi');
  const admin = socket.io.socket('/admin');
  await new Promise<void>((resolve) => admin.once('connect_error', () => resolve()));
  admin.disconnect();
  // pingInterval is 200 ms: wait for two server pings and the client's pongs.
  const v4 = connectionFor('case=client-v4');
  const count = (dir: string, text: string) => v4.frames.filter((f) => f.dir === dir && f.text === text).length;
  await waitFor('pings', () => count('received', '2') >= 2 && count('sent', '3') >= 2);
  chat.disconnect();
  socket.disconnect();
  await waitFor('the disconnects', () => count('sent', '41') === 1 && count('sent', '41/chat,') === 1);

  // Engine.IO v3 / Socket.IO v2 by hand: the client pings, binary frames carry a 0x04 prefix.
  const v3 = new RawClient(`${recorder.url}/socket.io/?EIO=3&transport=websocket&case=raw-eio3`, false);
  await v3.opened();
  await v3.nextText('0{');
  await v3.nextText('40');
  v3.ws.send('2');
  await v3.nextText('3');
  v3.ws.send('42["hello","v2"]');
  v3.ws.send('451-1["upload","b.bin",{"_placeholder":true,"num":0}]');
  v3.ws.send(Buffer.from([4, 9, 8, 7, 6, 5, 4]));
  await v3.nextText('431[6]');
  v3.ws.send('42["files?"]');
  await v3.nextText('452-');
  await v3.next((m) => typeof m !== 'string');
  await v3.next((m) => typeof m !== 'string');
  v3.ws.send('40/admin,');
  await v3.nextText('44/admin,');
  v3.ws.send('40/chat,');
  await v3.nextText('40/chat,');
  await v3.close();

  // EIO3 with b64=1: attachments come as `b4<base64>` text frames.
  const b64v3 = new RawClient(`${recorder.url}/socket.io/?EIO=3&transport=websocket&b64=1&case=raw-b64-eio3`, false);
  await b64v3.opened();
  await b64v3.nextText('40');
  b64v3.ws.send('42["files?"]');
  await b64v3.nextText('452-');
  await b64v3.nextText('b4');
  await b64v3.nextText('b4');
  await b64v3.close();

  // EIO4 with b64=1: `b<base64>`, and the client sends CONNECT itself.
  const b64v4 = new RawClient(`${recorder.url}/socket.io/?EIO=4&transport=websocket&b64=1&case=raw-b64-eio4`, true);
  await b64v4.opened();
  await b64v4.nextText('0{');
  b64v4.ws.send('40');
  await b64v4.nextText('40{');
  b64v4.ws.send('42["files?"]');
  await b64v4.nextText('452-');
  await b64v4.nextText('b');
  await b64v4.nextText('b');
  await b64v4.close();
});

afterAll(async () => {
  await recorder?.close();
  await new Promise<void>((r) => (io ? io.close(() => r()) : r()));
});

describe('socket.io-client v4 (Engine.IO v4)', () => {
  it('is detected from its first frame, the Engine.IO open packet', () => {
    const all = decodeConnection('case=client-v4');
    const first = all[0]!;
    expect(first.frame).toMatchObject({ dir: 'received', type: 'text' });
    expect(textOf(first)).toMatch(/^0\{"sid":/);
    expect(sniffFrame(first.frame)).toBe(socketIoDecoder);
    expect(socketIoDecoder.sniff(first.frame)).toBe(1);
    expect(first.msg).toMatchObject({ summary: expect.stringMatching(/^open sid=/), heartbeat: false, fields: { type: 'open', pingInterval: 200, pingTimeout: 5000 } });
    expect(first.msg!.fields.sid).toEqual(expect.any(String));
    expect(first.msg!.body).toMatchObject({ upgrades: [], pingInterval: 200 });
  });

  it('decodes every frame, without errors', () => {
    const all = decodeConnection('case=client-v4');
    for (const d of all) {
      expect(d.msg, JSON.stringify(textOf(d) ?? d.frame.bytes)).not.toBeNull();
      expect(d.msg!.error).toBeUndefined();
      expect(d.msg!.protocol).toBe('socket.io');
    }
  });

  it('decodes CONNECT both ways, with the sid of the server answer', () => {
    const all = decodeConnection('case=client-v4');
    expect(msgOf(all, '40')).toMatchObject({ summary: 'connect /', fields: { type: 'connect', namespace: '/' } });
    const answer = msgOf(all, /^40\{"sid":/);
    expect(answer).toMatchObject({ summary: 'connect /', fields: { type: 'connect', namespace: '/', sid: expect.any(String) } });
    expect(msgOf(all, '40/chat,')).toMatchObject({ summary: 'connect /chat', fields: { namespace: '/chat' } });
    expect(msgOf(all, /^40\/chat,\{"sid":/).fields.sid).toEqual(expect.any(String));
  });

  it('decodes events with their arguments, and acks with their ids', () => {
    const all = decodeConnection('case=client-v4');
    expect(msgOf(all, '42["hello","world",{"n":1}]')).toMatchObject({
      summary: 'emit hello', fields: { type: 'event', event: 'hello', namespace: '/' }, body: ['world', { n: 1 }], heartbeat: false,
    });
    const ask = msgOf(all, /^42\d+\["ask"/);
    expect(ask).toMatchObject({ fields: { event: 'ask', id: expect.any(Number) }, body: ['life?'] });
    const id = ask.fields.id as number;
    expect(ask.summary).toBe(`emit ask #${id}`);
    expect(msgOf(all, `43${id}[{"answer":42}]`)).toMatchObject({ summary: `ack #${id}`, fields: { type: 'ack', id }, body: [{ answer: 42 }] });
  });

  it('decodes a namespace, its ack, and the disconnects', () => {
    const all = decodeConnection('case=client-v4');
    const say = msgOf(all, /^42\/chat,\d+\["chat:message"/);
    const id = say.fields.id as number;
    expect(say).toMatchObject({ summary: `emit chat:message #${id} on /chat`, fields: { event: 'chat:message', namespace: '/chat' }, body: ['hi'] });
    expect(msgOf(all, `43/chat,${id}["ok"]`)).toMatchObject({ summary: `ack #${id} on /chat`, fields: { namespace: '/chat', id }, body: ['ok'] });
    expect(msgOf(all, '41/chat,')).toMatchObject({ summary: 'disconnect /chat', fields: { type: 'disconnect', namespace: '/chat' } });
    expect(msgOf(all, '41')).toMatchObject({ summary: 'disconnect /' });
  });

  it('decodes the CONNECT_ERROR of a namespace middleware', () => {
    const all = decodeConnection('case=client-v4');
    expect(msgOf(all, '44/admin,{"message":"Not authorized"}')).toMatchObject({
      summary: 'connect_error /admin: Not authorized',
      fields: { type: 'connect_error', namespace: '/admin', message: 'Not authorized' },
      body: { message: 'Not authorized' },
    });
  });

  it('flags the server pings and the client pongs as heartbeats, and nothing else', () => {
    const all = decodeConnection('case=client-v4');
    const pings = all.filter((d) => textOf(d) === '2');
    const pongs = all.filter((d) => textOf(d) === '3');
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(pongs.length).toBeGreaterThanOrEqual(2);
    for (const p of pings) expect(p).toMatchObject({ frame: { dir: 'received' }, msg: { summary: 'ping', heartbeat: true, fields: { type: 'ping' } } });
    for (const p of pongs) expect(p).toMatchObject({ frame: { dir: 'sent' }, msg: { summary: 'pong', heartbeat: true, fields: { type: 'pong' } } });
    expect(all.filter((d) => d.msg?.heartbeat).length).toBe(pings.length + pongs.length);
  });

  it('reassembles a server event with two binary attachments', () => {
    const received = inDir(decodeConnection('case=client-v4'), 'received');
    const i = received.findIndex((d) => textOf(d)?.startsWith('452-["files"'));
    expect(i).toBeGreaterThanOrEqual(0);
    const [placeholder, first, last] = received.slice(i, i + 3).map((d) => d.msg!);
    expect(placeholder).toMatchObject({ summary: 'emit files (waiting for 2 attachments)', partial: true, fields: { type: 'binary_event', event: 'files', attachments: 2 } });
    expect(received[i + 1]!.frame.type).toBe('binary');
    expect(first).toMatchObject({ summary: 'attachment 1 of 2', partial: true, fields: { type: 'attachment', attachment: 1, attachments: 2, bytes: 3, event: 'files' } });
    expect(last).toMatchObject({ summary: 'emit files', fields: { type: 'binary_event', event: 'files', attachments: 2, bytes: 8 } });
    expect(last!.partial).toBeUndefined();
    expect(last!.body).toEqual(['two', { binary: '3 bytes' }, { binary: '5 bytes' }]);
    // The placeholder frame's own body is left as the frame said it.
    expect(placeholder!.body).toEqual(['two', { _placeholder: true, num: 0 }, { _placeholder: true, num: 1 }]);
  });

  it('reassembles a client event with a binary attachment and an ack', () => {
    const sent = inDir(decodeConnection('case=client-v4'), 'sent');
    const i = sent.findIndex((d) => textOf(d)?.match(/^451-\d+\["upload"/));
    const [placeholder, last] = sent.slice(i, i + 2).map((d) => d.msg!);
    const id = placeholder!.fields.id as number;
    expect(placeholder).toMatchObject({ summary: `emit upload #${id} (waiting for 1 attachment)`, partial: true });
    expect(last).toMatchObject({ summary: `emit upload #${id}`, fields: { event: 'upload', id, bytes: 4 }, body: ['a.bin', { binary: '4 bytes' }] });
    expect(last!.partial).toBeUndefined();
    expect(msgOf(decodeConnection('case=client-v4'), `43${id}[4]`)).toMatchObject({ summary: `ack #${id}`, body: [4] });
  });
});

describe('Engine.IO v3 / Socket.IO v2 (socket.io v4 server with allowEIO3)', () => {
  it('is detected and decoded without errors', () => {
    const all = decodeConnection('case=raw-eio3');
    expect(sniffFrame(all[0]!.frame)).toBe(socketIoDecoder);
    for (const d of all) expect(d.msg?.error, textOf(d)).toBeUndefined();
  });

  it('decodes the v2 handshake: the server CONNECTs the default namespace by itself, the client pings', () => {
    const all = decodeConnection('case=raw-eio3');
    expect(all[0]!.msg).toMatchObject({ fields: { type: 'open' } });
    expect(all[1]).toMatchObject({ frame: { dir: 'received', text: '40' }, msg: { summary: 'connect /' } });
    expect(byText(all, '2')).toMatchObject({ frame: { dir: 'sent' }, msg: { summary: 'ping', heartbeat: true } });
    expect(byText(all, '3')).toMatchObject({ frame: { dir: 'received' }, msg: { summary: 'pong', heartbeat: true } });
  });

  it('strips the 0x04 prefix of binary attachments, both ways', () => {
    const all = decodeConnection('case=raw-eio3');
    const sent = inDir(all, 'sent');
    const up = sent.findIndex((d) => textOf(d)?.startsWith('451-1["upload"'));
    expect(sent[up]!.msg).toMatchObject({ summary: 'emit upload #1 (waiting for 1 attachment)', partial: true });
    expect(sent[up + 1]!.frame.bytes?.[0]).toBe(4);
    expect(sent[up + 1]!.msg).toMatchObject({ summary: 'emit upload #1', body: ['b.bin', { binary: '6 bytes' }] });
    expect(msgOf(all, '431[6]')).toMatchObject({ summary: 'ack #1', body: [6] });

    const received = inDir(all, 'received');
    const i = received.findIndex((d) => textOf(d)?.startsWith('452-["files"'));
    expect(received[i + 1]!.msg).toMatchObject({ summary: 'attachment 1 of 2', fields: { bytes: 3 } });
    expect(received[i + 2]!.msg).toMatchObject({ summary: 'emit files', body: ['two', { binary: '3 bytes' }, { binary: '5 bytes' }] });
  });

  it('decodes the v2 ERROR packet (a bare string) and a bare namespace CONNECT answer', () => {
    const all = decodeConnection('case=raw-eio3');
    expect(msgOf(all, '44/admin,"Not authorized"')).toMatchObject({
      summary: 'error /admin: Not authorized', fields: { type: 'error', namespace: '/admin', message: 'Not authorized' }, body: 'Not authorized',
    });
    const answers = all.filter((d) => d.frame.dir === 'received' && textOf(d) === '40/chat,');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.msg).toMatchObject({ summary: 'connect /chat' });
  });
});

describe('base64 attachments (b64=1)', () => {
  it('EIO3: counts `b4<base64>` frames as attachments', () => {
    const all = decodeConnection('case=raw-b64-eio3');
    for (const d of all) expect(d.msg?.error, textOf(d)).toBeUndefined();
    const received = inDir(all, 'received');
    const i = received.findIndex((d) => textOf(d)?.startsWith('452-["files"'));
    expect(textOf(received[i + 1]!)).toMatch(/^b4/);
    expect(received[i + 1]!.msg).toMatchObject({ summary: 'attachment 1 of 2', partial: true, fields: { bytes: 3 } });
    expect(received[i + 2]!.msg).toMatchObject({ summary: 'emit files', body: ['two', { binary: '3 bytes' }, { binary: '5 bytes' }] });
  });

  it('EIO4: counts `b<base64>` frames as attachments', () => {
    const all = decodeConnection('case=raw-b64-eio4');
    for (const d of all) expect(d.msg?.error, textOf(d)).toBeUndefined();
    const received = inDir(all, 'received');
    const i = received.findIndex((d) => textOf(d)?.startsWith('452-["files"'));
    expect(textOf(received[i + 1]!)).toMatch(/^b[^4]/);
    expect(received[i + 2]!.msg).toMatchObject({ summary: 'emit files', body: ['two', { binary: '3 bytes' }, { binary: '5 bytes' }] });
  });
});
