/**
 * Real client libraries against real servers, for the "transparency with real libraries" e2e tests
 * (Chromium and Firefox). The page loads the libraries' own browser builds from node_modules and
 * runs one app per scenario; each app writes down every event it observes (messages with their
 * payloads, acks, connects, disconnects, reconnects, errors, close codes and reasons), without
 * timestamps, so a run with the extension must give exactly the log of a run without it.
 *
 * Every scenario is driven step by step by awaiting the answer to the previous step, never by
 * timers, so the log does not depend on the machine's speed.
 *
 * The server side keeps its own record of every message it exchanged ("the wire"), independent of
 * the extension: the library servers (socket.io, graphql-ws, aedes) sit behind the recording
 * proxy of frame-recorder.ts; the plain `ws` servers, which send fragmented frames the proxy would
 * join, record what they send and receive themselves.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Aedes } from 'aedes';
import { useServer } from 'graphql-ws/use/ws';
import type { Page } from 'puppeteer-core';
import { Server as SocketIoServer } from 'socket.io';
import { expect } from 'vitest';
import { WebSocketServer, createWebSocketStream, type RawData, type WebSocket } from 'ws';
import type { SessionFileV1 } from '../../src/session/session-format';
import { startFrameRecorder, type FrameRecorder } from './frame-recorder';

// graphql through require, as in test/protocols/graphql.test.ts: graphql-ws loads graphql's CommonJS
// build, and a schema from the ESM build would be "from another module or realm".
const { execute, subscribe, GraphQLFloat, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } =
  createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SCENARIOS = ['socket.io', 'graphql-ws', 'mqtt', 'reconnecting-websocket', 'plain-ws', 'close-codes'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What each app observed, by scenario; `uncaught` holds errors nobody caught on the page. */
export type AppLog = Record<ScenarioName | 'uncaught', unknown[]>;

export const LARGE = 10 * 1024 * 1024;
/** Server-initiated closes with the codes apps rarely see. */
export const CLOSES: [number, string][] = [
  [1001, 'going away'], [1011, 'internal error'], [4000, 'first private code'], [4999, 'last private code, ünïcødé'],
];

/** 10 MiB of pseudo-random bytes, the same every run. */
export function largeBinary(): Buffer {
  const b = Buffer.alloc(LARGE);
  let x = 0x2545f491;
  for (let i = 0; i < b.length; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

/** 10 MiB of numbered lines; the app builds the same text with the same loop (see APP_SCRIPT). */
export function largeText(): string {
  const parts: string[] = [];
  for (let n = 0, len = 0; len < LARGE; n++) { const line = `frame line ${n}\n`; parts.push(line); len += line.length; }
  return parts.join('').slice(0, LARGE);
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const LARGE_BINARY = largeBinary();
export const LARGE_BINARY_SHA = sha256(LARGE_BINARY);
export const LARGE_TEXT_SHA = sha256(largeText());

/** One message as the server side saw it; `sent` is page to server, as in the panel. */
export interface WireFrame { dir: 'sent' | 'received'; type: 'text' | 'binary'; bytes: Buffer }
export interface WireConnection { scenario: ScenarioName; frames: WireFrame[] }

export interface ScenarioServers {
  /** Serves /app (the page) and /blank. */
  origin: string;
  /** Every connection the servers accepted, in order, with every message both ways. */
  wire(): WireConnection[];
  /** The scenario a captured connection belongs to, from its URL. */
  scenarioOf(url: string): ScenarioName | undefined;
  /** Runs every scenario in `page` and returns what the apps observed. */
  runApp(page: Page): Promise<AppLog>;
  close(): Promise<void>;
}

const toBuffer = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);

async function listen(http: HttpServer): Promise<number> {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return (http.address() as AddressInfo).port;
}
const closeHttp = (http: HttpServer) => new Promise<void>((r) => { http.close(() => r()); http.closeAllConnections(); });

// ---------------------------------------------------------------------------------------------
// Library servers, each behind the recording proxy.

async function startSocketIo(): Promise<{ port: number; close(): Promise<void> }> {
  const http = createServer();
  const io = new SocketIoServer(http, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    socket.on('echo', (v: unknown, cb: (v: unknown) => void) => cb(v));
    socket.on('upload', (name: string, data: Buffer, cb: (r: unknown) => void) => cb({ name, size: data.length, back: data }));
    socket.on('files?', () => socket.emit('files', 'two', Buffer.alloc(3, 1), Buffer.from([5, 4, 3, 2, 1])));
    // An event with an ack the page answers; the answer comes back as another event.
    socket.on('ask-me', () => socket.emit('question', 'why?', (answer: string) => socket.emit('answered', answer)));
    // Closes the transport: the client sees "transport close" and reconnects.
    socket.on('drop-me', () => socket.conn.close());
    // A server-side disconnect: the client sees "io server disconnect" and stays disconnected.
    socket.on('kick-me', () => socket.disconnect());
  });
  io.of('/admin').use((_socket, next) => next(new Error('Not authorized')));
  const port = await listen(http);
  return { port, close: () => new Promise<void>((r) => io.close(() => r())) };
}

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, resolve: () => 'world' },
      boom: { type: GraphQLString, resolve: () => { throw new Error('boom failed'); } },
    },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: { setPrice: { type: GraphQLFloat, args: { value: { type: new GraphQLNonNull(GraphQLFloat) } }, resolve: (_: unknown, a: { value: number }) => a.value } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      price: {
        type: GraphQLFloat,
        subscribe: async function* () { for (const price of [1.5, 2.5, 3.5]) yield { price }; },
      },
      // One tick, then nothing until the client unsubscribes (the iterator's return ends it).
      ticks: {
        type: GraphQLInt,
        subscribe: () => {
          let first = true;
          let stop: ((r: IteratorResult<unknown>) => void) | undefined;
          const it: AsyncIterableIterator<unknown> = {
            [Symbol.asyncIterator]: () => it,
            next: () => (first ? ((first = false), Promise.resolve({ value: { ticks: 1 }, done: false })) : new Promise((r) => { stop = r; })),
            return: () => { stop?.({ value: undefined, done: true }); return Promise.resolve({ value: undefined, done: true }); },
          };
          return it;
        },
      },
    },
  }),
});

async function startGraphqlWs(): Promise<{ port: number; close(): Promise<void> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  useServer({
    schema, execute, subscribe,
    // The ack carries a payload when the client's connectionParams are right.
    onConnect: (ctx) => ((ctx.connectionParams as { token?: string } | undefined)?.token === 'secret' ? { welcome: 'hi' } : false),
  }, wss);
  const port = await listen(http);
  return { port, close: async () => { for (const c of wss.clients) c.terminate(); wss.close(); await closeHttp(http); } };
}

/** aedes behind a ws server, as aedes documents it (and as test/protocols/mqtt.test.ts runs it). */
export async function startAedes(): Promise<{ port: number; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => broker.handle(createWebSocketStream(ws), req));
  const port = await listen(http);
  return {
    port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => broker.close(() => r()));
      wss.close();
      await closeHttp(http);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Plain `ws` servers, on the page's own server, recording their own traffic.

const LIBS: Record<string, string> = {
  '/lib/socket.io.min.js': 'node_modules/socket.io-client/dist/socket.io.min.js',
  '/lib/mqtt.min.js': 'node_modules/mqtt/dist/mqtt.min.js',
  '/lib/graphql-ws.min.js': 'node_modules/graphql-ws/umd/graphql-ws.min.js',
  '/lib/reconnecting-websocket.min.js': 'node_modules/reconnecting-websocket/dist/reconnecting-websocket-iife.min.js',
};

export async function startScenarioServers(): Promise<ScenarioServers> {
  const own: WireConnection[] = [];
  const [sio, gql, mqtt] = await Promise.all([startSocketIo(), startGraphqlWs(), startAedes()]);
  const proxies: Record<'socket.io' | 'graphql-ws' | 'mqtt', FrameRecorder> = {
    'socket.io': await startFrameRecorder(`ws://127.0.0.1:${sio.port}`),
    'graphql-ws': await startFrameRecorder(`ws://127.0.0.1:${gql.port}`),
    mqtt: await startFrameRecorder(`ws://127.0.0.1:${mqtt.port}`),
  };

  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/app') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP_HTML);
    else if (path === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(APP_SCRIPT);
    else if (path === '/blank') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title>');
    else if (LIBS[path]) res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(resolve(LIBS[path])));
    else res.writeHead(404).end('not found');
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // The reconnecting client's second attempt is refused at the handshake, as an overloaded server does.
    if (url.pathname === '/drop' && url.searchParams.get('attempt') === '2') {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const scenario: ScenarioName | undefined = url.pathname === '/plain' ? 'plain-ws' : url.pathname === '/close' ? 'close-codes' : url.pathname === '/drop' ? 'reconnecting-websocket' : undefined;
      if (!scenario) { ws.close(1008, 'unknown path'); return; }
      const conn: WireConnection = { scenario, frames: [] };
      own.push(conn);
      const send = (data: Buffer | string, binary: boolean) => {
        conn.frames.push({ dir: 'received', type: binary ? 'binary' : 'text', bytes: Buffer.from(data) });
        ws.send(data, { binary });
      };
      /** One message in several frames: what the page gets (and what is recorded) is the whole message. */
      const sendFragments = (parts: Buffer[], binary: boolean) => {
        conn.frames.push({ dir: 'received', type: binary ? 'binary' : 'text', bytes: Buffer.concat(parts) });
        parts.forEach((p, i) => ws.send(p, { binary, fin: i === parts.length - 1 }));
      };
      ws.on('message', (data, isBinary) => conn.frames.push({ dir: 'sent', type: isBinary ? 'binary' : 'text', bytes: toBuffer(data) }));
      if (scenario === 'plain-ws') plainServer(ws, send, sendFragments);
      else if (scenario === 'close-codes') {
        const code = Number(url.searchParams.get('code'));
        send(`closing with ${code}`, false);
        ws.close(code, url.searchParams.get('reason') ?? '');
      } else dropServer(ws, Number(url.searchParams.get('attempt')), send);
    });
  });
  const port = await listen(http);
  const ports = { 'socket.io': new URL(proxies['socket.io'].url).port, 'graphql-ws': new URL(proxies['graphql-ws'].url).port, mqtt: new URL(proxies.mqtt.url).port };
  const origin = `http://127.0.0.1:${port}`;
  const config = {
    socketIo: `http://127.0.0.1:${ports['socket.io']}`,
    graphql: `ws://127.0.0.1:${ports['graphql-ws']}/graphql`,
    mqtt: `ws://127.0.0.1:${ports.mqtt}/mqtt`,
    ws: `ws://127.0.0.1:${port}`,
    closes: CLOSES,
  };

  return {
    origin,
    wire() {
      const viaProxy = (['socket.io', 'graphql-ws', 'mqtt'] as const).flatMap((scenario) => proxies[scenario].connections.map((c): WireConnection => ({
        scenario,
        frames: c.frames.map((f) => ({ dir: f.dir, type: f.type, bytes: f.type === 'text' ? Buffer.from(f.text!, 'utf8') : Buffer.from(f.bytes!) })),
      })));
      return [...viaProxy, ...own];
    },
    scenarioOf(url) {
      const u = new URL(url);
      for (const s of ['socket.io', 'graphql-ws', 'mqtt'] as const) if (u.port === ports[s]) return s;
      if (u.port !== String(port)) return undefined;
      return ({ '/plain': 'plain-ws', '/close': 'close-codes', '/drop': 'reconnecting-websocket' } as const)[u.pathname as '/plain'];
    },
    async runApp(page) {
      await page.goto(`${origin}/app`);
      return page.evaluate((c) => (window as unknown as { runScenarios(c: unknown): Promise<AppLog> }).runScenarios(c), config);
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await closeHttp(http);
      for (const p of Object.values(proxies)) await p.close();
      await Promise.all([sio.close(), gql.close(), mqtt.close()]);
    },
  };
}

type Send = (data: Buffer | string, binary: boolean) => void;

/** Answers the plain app's requests, one kind of message at a time. */
function plainServer(ws: WebSocket, send: Send, sendFragments: (parts: Buffer[], binary: boolean) => void): void {
  ws.on('message', (data, isBinary) => {
    const bytes = toBuffer(data);
    if (isBinary) { send(`got binary ${bytes.toString('hex')}`, false); return; }
    const text = bytes.toString('utf8');
    if (text.length > 1000) { send(`got text of ${text.length} chars, sha256 ${sha256(bytes)}`, false); return; }
    switch (text) {
      case 'text': send('héllo wörld 👋', false); break;
      case 'binary': send(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), true); break;
      case 'empty': send('', false); send(Buffer.alloc(0), true); break;
      case 'blob': send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true); send('text while binaryType is blob', false); break;
      case 'fragmented': {
        // Text split inside multi-byte characters, and binary ending with an empty fragment.
        const utf8 = Buffer.from('fragments: ünïcødé ✓ 👋 joined', 'utf8');
        sendFragments([utf8.subarray(0, 12), utf8.subarray(12, 27), utf8.subarray(27, 30), utf8.subarray(30)], false);
        sendFragments([Buffer.from([1, 2, 3]), Buffer.from([4, 5]), Buffer.alloc(0)], true);
        break;
      }
      case 'large': send(LARGE_BINARY, true); break;
      default: send(`unknown request ${text}`, false);
    }
  });
}

/**
 * The reconnecting client's server: attempt 1 is dropped without a close frame, attempt 2 is
 * refused at the handshake (above), attempt 3 is closed with 1012 "service restart", attempt 4 stays.
 */
function dropServer(ws: WebSocket, attempt: number, send: Send): void {
  send(`welcome ${attempt}`, false);
  ws.on('message', (data) => {
    if (toBuffer(data).toString() !== `ready ${attempt}`) return;
    if (attempt === 1) ws.terminate();
    else if (attempt === 3) ws.close(1012, 'service restart');
    else send(`stay ${attempt}`, false);
  });
}

// ---------------------------------------------------------------------------------------------
// Comparing the panel's capture with the wire.

const describeFrame = (type: string, bytes: Buffer) => {
  const preview = type === 'text' ? JSON.stringify(bytes.toString('utf8').slice(0, 60)) : bytes.subarray(0, 24).toString('hex');
  return `${type} ${bytes.length} B sha256:${sha256(bytes).slice(0, 16)} ${preview}`;
};

export interface ConnectionFrames { sent: string[]; received: string[] }

/** The wire, as one entry per connection and direction, by scenario. */
export function wireByScenario(wire: WireConnection[]): Record<string, ConnectionFrames[]> {
  const out: Record<string, ConnectionFrames[]> = {};
  for (const c of wire) {
    (out[c.scenario] ??= []).push({
      sent: c.frames.filter((f) => f.dir === 'sent').map((f) => describeFrame(f.type, f.bytes)),
      received: c.frames.filter((f) => f.dir === 'received').map((f) => describeFrame(f.type, f.bytes)),
    });
  }
  return out;
}

/**
 * The exported session in the same shape as wireByScenario. Connections that never opened (the
 * refused handshake) are left out: no server saw them. Frames of unknown URLs go under "other".
 */
export function captureByScenario(session: SessionFileV1, scenarioOf: (url: string) => ScenarioName | undefined): Record<string, ConnectionFrames[]> {
  const out: Record<string, ConnectionFrames[]> = {};
  const opened = session.connections
    .filter((c) => c.states.some((s) => s.state === 'OPEN'))
    .sort((a, b) => (a.states[0]?.at ?? 0) - (b.states[0]?.at ?? 0));
  for (const c of opened) {
    const frames = session.frames.filter((f) => f.connectionId === c.id);
    const bytes = (f: (typeof frames)[number]) => (f.type === 'text' ? Buffer.from(f.text ?? '', 'utf8') : Buffer.from(f.base64 ?? '', 'base64'));
    (out[scenarioOf(c.url) ?? 'other'] ??= []).push({
      sent: frames.filter((f) => f.direction === 'sent').map((f) => describeFrame(f.type, bytes(f))),
      received: frames.filter((f) => f.direction === 'received').map((f) => describeFrame(f.type, bytes(f))),
    });
  }
  return out;
}

export const frameCount = (wire: WireConnection[]) => wire.reduce((n, c) => n + c.frames.length, 0);

// ---------------------------------------------------------------------------------------------
// What a run without the extension must show, so that "equal with and without" is not trivially true.

/** Checks the log of a run is the full, meaningful one: every scenario ran to its end. */
export function expectCompleteLog(log: AppLog): void {
  expect(log.uncaught).toEqual([]);
  for (const s of SCENARIOS) {
    expect(log[s], s).toBeInstanceOf(Array);
    expect(JSON.stringify(log[s]), s).not.toContain('scenario failed');
  }
  const sio = log['socket.io'];
  expect(sio).toContainEqual(['ack', 'echo', { text: 'héllo', n: 1, list: [1, 'two'] }]);
  expect(sio).toContainEqual(['ack', 'upload', { name: 'a.bin', size: 4, back: { ArrayBuffer: '01020304' } }]);
  expect(sio).toContainEqual(['event', 'files', ['two', { ArrayBuffer: '010101' }, { ArrayBuffer: '0504030201' }]]);
  expect(sio).toContainEqual(['event', 'answered', ['answer to why?']]);
  expect(sio).toContainEqual(['admin connect_error', 'Not authorized']);
  expect(sio).toContainEqual(['disconnect', 'transport close']);
  expect(sio).toContainEqual(['reconnect', 1]);
  expect(sio.at(-1)).toEqual(['disconnect', 'io server disconnect']);

  const gql = log['graphql-ws'];
  expect(gql).toContainEqual(['connected', { welcome: 'hi' }]);
  expect(gql).toContainEqual(['result', 'subscription { price }', [['next', { data: { price: 1.5 } }], ['next', { data: { price: 2.5 } }], ['next', { data: { price: 3.5 } }], ['complete']]]);
  expect(gql).toContainEqual(['result', '{ nope }', [['error', ['Cannot query field "nope" on type "Query".']]]]);
  expect(gql.at(-1)).toEqual(['closed', 1000, 'Normal Closure', true]);

  const mqtt = log.mqtt;
  expect(mqtt[0]).toEqual(['connect', false, 0]);
  expect(mqtt).toContainEqual(['message', 'sensors/raw', ['view', '[object Uint8Array]', 4, 'fffe0001'], 1, false]);
  expect(mqtt).toContainEqual(['message', 'state/door', ['view', '[object Uint8Array]', 4, '6f70656e'], 1, true]);
  expect(mqtt.at(-1)).toEqual(['ended and closed', false, true]);

  const rws = log['reconnecting-websocket'];
  expect(rws.filter((e) => (e as unknown[])[0] === 'open')).toEqual([['open', 0, '?attempt=1'], ['open', 2, '?attempt=3'], ['open', 3, '?attempt=4']]);
  expect(rws).toContainEqual(['close', 1012, 'service restart', true]);
  expect(rws.at(-1)).toEqual(['close', 1000, 'done', true]);

  const plain = log['plain-ws'];
  expect(plain).toContainEqual(['message', ['string', 'héllo wörld 👋']]);
  expect(plain).toContainEqual(['message', ['Blob', '[object Blob]', 4, '', 'deadbeef']]);
  expect(plain).toContainEqual(['message', ['string', 'fragments: ünïcødé ✓ 👋 joined']]);
  expect(plain).toContainEqual(['message', ['ArrayBuffer', '[object ArrayBuffer]', 5, '0102030405']]);
  expect(plain).toContainEqual(['message', ['string', 'got binary 080706']]);
  expect(plain).toContainEqual(['message', ['string', `got binary ${Buffer.from('blob from the app').toString('hex')}`]]);
  // The 10 MB messages arrive intact both ways.
  expect(plain).toContainEqual(['message', ['ArrayBuffer', '[object ArrayBuffer]', LARGE, LARGE_BINARY_SHA]]);
  expect(plain).toContainEqual(['message', ['string', `got text of ${LARGE} chars, sha256 ${LARGE_TEXT_SHA}`]]);

  expect(log['close-codes']).toEqual(CLOSES.flatMap(([code, reason]) => [
    ['open', code], ['message', ['string', `closing with ${code}`]], ['close', code, reason, true, 3],
  ]));
}

// ---------------------------------------------------------------------------------------------
// The page. Plain browser JavaScript in a string, so that no test transform touches it.

const APP_HTML = `<!doctype html><meta charset="utf-8"><title>real libraries</title>
${Object.keys(LIBS).map((src) => `<script src="${src}"></script>`).join('\n')}
<script src="/app.js"></script>`;

const APP_SCRIPT = String.raw`'use strict';
const uncaught = [];
window.addEventListener('error', (e) => uncaught.push(['error', String(e.message)]));
window.addEventListener('unhandledrejection', (e) => uncaught.push(['unhandledrejection', String(e.reason)]));

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (bytes) => hex(await crypto.subtle.digest('SHA-256', bytes));
const LARGE = 10 * 1024 * 1024;

/** A payload as the app sees it: its kind, size and content (a hash when large). */
async function describe(data) {
  const tag = Object.prototype.toString.call(data);
  if (typeof data === 'string') return data.length > 512 ? ['string', data.length, await sha256(new TextEncoder().encode(data))] : ['string', data];
  if (data instanceof Blob) {
    const bytes = await data.arrayBuffer();
    return ['Blob', tag, data.size, data.type, bytes.byteLength > 512 ? await sha256(bytes) : hex(bytes)];
  }
  if (data instanceof ArrayBuffer) return ['ArrayBuffer', tag, data.byteLength, data.byteLength > 512 ? await sha256(data) : hex(data)];
  if (ArrayBuffer.isView(data)) return ['view', tag, data.byteLength, hex(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice())];
  return ['other', tag, JSON.stringify(data)];
}

/** Library values, with binary parts spelled out (socket.io hands over ArrayBuffers inside arguments). */
function plain(v) {
  if (v instanceof ArrayBuffer) return { ArrayBuffer: hex(v) };
  if (ArrayBuffer.isView(v)) return { [Object.prototype.toString.call(v)]: hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice()) };
  if (typeof v === 'function') return '[function]';
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v === undefined ? '[undefined]' : v;
}

/** Entries stay in the order the events happened, even when describing a payload takes a while. */
function makeLog() {
  const entries = [];
  let chain = Promise.resolve();
  return {
    entries,
    add(entry) {
      chain = chain.then(async () => { entries.push(await Promise.all(entry)); }).catch((e) => { entries.push(['log failure', String(e)]); });
      return chain;
    },
    settled: () => chain,
  };
}

/** Messages in arrival order, each taken once. */
function inbox() {
  const items = [];
  const waiters = [];
  return {
    put(v) { const w = waiters.shift(); if (w) w(v); else items.push(v); },
    next() { return items.length ? Promise.resolve(items.shift()) : new Promise((r) => waiters.push(r)); },
  };
}

const once = (emitter, event) => new Promise((r) => emitter.once(event, (...args) => r(args)));

async function socketIoScenario(url, log) {
  const opts = { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 };
  const socket = io(url, opts);
  const manager = socket.io;
  socket.on('connect', () => log.add(['connect', socket.connected, socket.recovered]));
  socket.on('disconnect', (reason) => log.add(['disconnect', reason]));
  socket.on('connect_error', (e) => log.add(['connect_error', e.message]));
  socket.onAny((event, ...args) => log.add(['event', event, plain(args)]));
  manager.on('reconnect_attempt', (n) => log.add(['reconnect_attempt', n]));
  manager.on('reconnect', (n) => log.add(['reconnect', n]));
  manager.on('error', (e) => log.add(['manager error', String(e && e.message)]));
  socket.on('question', (q, cb) => cb('answer to ' + q));
  await once(socket, 'connect');
  log.add(['ack', 'echo', plain(await socket.emitWithAck('echo', { text: 'héllo', n: 1, list: [1, 'two'] }))]);
  log.add(['ack', 'upload', plain(await socket.emitWithAck('upload', 'a.bin', new Uint8Array([1, 2, 3, 4]).buffer))]);
  const files = once(socket, 'files');
  socket.emit('files?');
  await files;
  const answered = once(socket, 'answered');
  socket.emit('ask-me');
  await answered;
  // A namespace whose middleware refuses.
  const admin = manager.socket('/admin');
  admin.on('connect', () => log.add(['admin connect']));
  const [err] = await once(admin, 'connect_error');
  log.add(['admin connect_error', err.message]);
  admin.disconnect();
  // The server closes the transport: the client reconnects by itself.
  const back = once(socket, 'connect');
  socket.emit('drop-me');
  await back;
  log.add(['ack', 'echo', plain(await socket.emitWithAck('echo', 'again'))]);
  // The server disconnects the socket: no reconnection.
  const gone = once(socket, 'disconnect');
  socket.emit('kick-me');
  await gone;
}

async function graphqlScenario(url, log) {
  let closed;
  const done = new Promise((r) => { closed = r; });
  const connected = new Promise((resolve) => {
    // Listeners given to createClient: a non-lazy client starts connecting before client.on() could be called.
    const client = graphqlWs.createClient({
      url, lazy: false, retryAttempts: 0, connectionParams: { token: 'secret' },
      onNonLazyError: (e) => log.add(['non-lazy error', String(e && (e.code || e.message || e))]),
      on: {
        connecting: () => log.add(['connecting']),
        connected: (_socket, payload) => { log.add(['connected', plain(payload)]); resolve(client); },
        error: (e) => log.add(['error', String(e && (e.message || e.type))]),
        closed: (e) => { log.add(['closed', e.code, e.reason, e.wasClean]); closed(); },
      },
    });
  });
  const client = await connected;
  const run = (payload) => new Promise((resolve) => {
    const got = [];
    client.subscribe(payload, {
      next: (v) => got.push(['next', plain(v)]),
      error: (e) => resolve([...got, ['error', Array.isArray(e) ? e.map((x) => x.message) : String(e && (e.code || e.message))]]),
      complete: () => resolve([...got, ['complete']]),
    });
  });
  for (const payload of [
    { query: 'subscription { price }' },
    { query: 'query Hello { hello }' },
    { query: 'mutation SetPrice($v: Float!) { setPrice(value: $v) }', variables: { v: 4.25 } },
    { query: '{ nope }' },
    { query: '{ boom }' },
  ]) log.add(['result', payload.query, await run(payload)]);
  // A subscription the client ends itself after the first value.
  const first = await new Promise((resolve) => {
    const stop = client.subscribe({ query: 'subscription { ticks }' }, { next: (v) => { stop(); resolve(v); }, error: resolve, complete: () => resolve('complete') });
  });
  log.add(['ticks then unsubscribe', plain(first)]);
  log.add(['after unsubscribe', await run({ query: '{ hello }' })]);
  client.dispose();
  await done;
}

async function mqttScenario(url, log) {
  const client = mqtt.connect(url, { clientId: 'sockscope-app', protocolVersion: 4, clean: true, reconnectPeriod: 0, keepalive: 60 });
  const arrived = inbox();
  client.on('connect', (ack) => log.add(['connect', ack.sessionPresent, ack.returnCode]));
  client.on('message', (topic, payload, packet) => { log.add(['message', topic, describe(payload), packet.qos, packet.retain]); arrived.put(topic); });
  client.on('error', (e) => log.add(['error', String(e && e.message)]));
  client.on('offline', () => log.add(['offline']));
  client.on('reconnect', () => log.add(['reconnect']));
  await once(client, 'connect');
  const granted = await client.subscribeAsync({ 'sensors/#': { qos: 1 }, 'alerts/+': { qos: 2 } });
  log.add(['suback', granted.map((g) => [g.topic, g.qos])]);
  // Each publish waits for its acknowledgement and for the broker's copy of it.
  const publish = async (topic, payload, opts) => {
    await Promise.all([client.publishAsync(topic, payload, opts), arrived.next()]);
    log.add(['published', topic, opts.qos]);
  };
  await publish('sensors/temp', '21.5', { qos: 0 });
  await publish('sensors/raw', new Uint8Array([0xff, 0xfe, 0x00, 0x01]), { qos: 1 });
  await publish('alerts/fire', 'smoke', { qos: 2 });
  // A retained message reaches a later subscription, flagged as retained.
  await client.publishAsync('state/door', 'open', { qos: 1, retain: true });
  const retained = arrived.next();
  log.add(['suback', (await client.subscribeAsync('state/#', { qos: 1 })).map((g) => [g.topic, g.qos])]);
  await retained;
  await client.unsubscribeAsync(['alerts/+', 'state/#']);
  log.add(['unsubscribed']);
  // 'end' (the stores are closed) and 'close' (the socket is) race each other: the log notes both, in a fixed order.
  const ended = Promise.all([once(client, 'end'), once(client, 'close')]);
  await client.endAsync();
  await ended;
  log.add(['ended and closed', client.connected, client.disconnected]);
}

async function reconnectingScenario(base, log) {
  let attempt = 0;
  let finish;
  const finished = new Promise((r) => { finish = r; });
  let closing = false;
  const rws = new ReconnectingWebSocket(() => base + '/drop?attempt=' + (++attempt), undefined, {
    minReconnectionDelay: 50, maxReconnectionDelay: 50, reconnectionDelayGrowFactor: 1, maxRetries: 10,
    // Neither resets the retry count nor gives up on a slow machine: both would make the log depend on timing.
    minUptime: 600000, connectionTimeout: 600000,
  });
  rws.addEventListener('open', () => log.add(['open', rws.retryCount, new URL(rws.url).search]));
  rws.addEventListener('error', (e) => log.add(['error', String(e.message)]));
  rws.addEventListener('close', (e) => { log.add(['close', e.code, String(e.reason), e.wasClean]); if (closing) finish(); });
  rws.addEventListener('message', (e) => {
    log.add(['message', describe(e.data)]);
    if (e.data.startsWith('welcome ')) rws.send('ready ' + e.data.slice(8));
    if (e.data === 'stay 4') { closing = true; rws.close(1000, 'done'); }
  });
  await finished;
}

async function plainScenario(base, log) {
  const box = inbox();
  const ws = new WebSocket(base + '/plain');
  ws.binaryType = 'arraybuffer';
  const closed = new Promise((r) => ws.addEventListener('close', (e) => { log.add(['close', e.code, e.reason, e.wasClean, ws.readyState]); r(); }));
  ws.addEventListener('error', () => log.add(['error', ws.readyState]));
  ws.addEventListener('message', (e) => { const d = describe(e.data); log.add(['message', d]); box.put(d); });
  await new Promise((r) => ws.addEventListener('open', () => { log.add(['open', ws.readyState, ws.protocol, ws.extensions, ws.binaryType]); r(); }));
  const ask = async (request, answers = 1) => { ws.send(request); for (let i = 0; i < answers; i++) await box.next(); };
  await ask('text');
  await ask('binary');
  await ask('empty', 2);
  ws.binaryType = 'blob';
  await ask('blob', 2);
  ws.binaryType = 'arraybuffer';
  await ask('fragmented', 2);
  // What the app sends: a view on part of a buffer, a Blob, and 10 MB of text.
  await ask(new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4));
  await ask(new Blob(['blob from the app']));
  await ask('large');
  const parts = [];
  for (let n = 0, len = 0; len < LARGE; n++) { const line = 'frame line ' + n + '\n'; parts.push(line); len += line.length; }
  await ask(parts.join('').slice(0, LARGE));
  log.add(['bufferedAmount', ws.bufferedAmount]);
  ws.close(1000, 'app done');
  await closed;
}

async function closeCodesScenario(base, closes, log) {
  for (const [code, reason] of closes) {
    const ws = new WebSocket(base + '/close?code=' + code + '&reason=' + encodeURIComponent(reason));
    ws.addEventListener('open', () => log.add(['open', code]));
    ws.addEventListener('message', (e) => log.add(['message', describe(e.data)]));
    ws.addEventListener('error', () => log.add(['error', ws.readyState]));
    await new Promise((r) => ws.addEventListener('close', (e) => { log.add(['close', e.code, e.reason, e.wasClean, ws.readyState]); r(); }));
  }
}

/** Runs the scenarios one after another; a scenario that fails or hangs says so in its log. */
window.runScenarios = async (config) => {
  const scenarios = {
    'socket.io': (log) => socketIoScenario(config.socketIo, log),
    'graphql-ws': (log) => graphqlScenario(config.graphql, log),
    mqtt: (log) => mqttScenario(config.mqtt, log),
    'reconnecting-websocket': (log) => reconnectingScenario(config.ws, log),
    'plain-ws': (log) => plainScenario(config.ws, log),
    'close-codes': (log) => closeCodesScenario(config.ws, config.closes, log),
  };
  const result = {};
  for (const [name, run] of Object.entries(scenarios)) {
    const log = makeLog();
    let timer;
    const hang = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out after 60 s')), 60000); });
    try { await Promise.race([run(log), hang]); } catch (e) { log.add(['scenario failed', String(e && e.message || e)]); }
    clearTimeout(timer);
    await log.settled();
    result[name] = log.entries;
  }
  result.uncaught = uncaught;
  return result;
};
`;
