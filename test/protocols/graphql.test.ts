/**
 * The GraphQL-over-WebSocket decoders on real traffic, through the recording proxy:
 * - graphql-transport-ws: graphql-ws's server (useServer on a ws server) and client, with the
 *   client's keepAlive short so ping/pong appear;
 * - the legacy subscriptions-transport-ws: its SubscriptionServer (keepAlive short, so `ka`
 *   appears) and SubscriptionClient.
 * Both run a named subscription yielding three prices, named and anonymous queries, a document
 * with two operations picked by operationName, and a mutation.
 */
import { createClient, type Client as GraphqlWsClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SubscriptionClient, SubscriptionServer } from 'subscriptions-transport-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { graphqlWsDecoder, subscriptionsTransportWsDecoder } from '../../src/decoders/protocols/graphql-ws';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, Decoder } from '../../src/decoders/types';
import { startFrameRecorder, type FrameRecorder, type RecordedConnection } from '../support/frame-recorder';

// graphql through require: an `import` here gets graphql's ESM build (index.mjs) from vitest while
// graphql-ws and subscriptions-transport-ws get its CommonJS build from Node, and graphql refuses a
// schema made by the other copy ("Cannot use GraphQLSchema … from another module or realm").
const { execute, subscribe, GraphQLFloat, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } =
  createRequire(import.meta.url)('graphql') as typeof import('graphql');

const PRICES = [1.5, 2.5, 3.5];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: {
      setPrice: { type: GraphQLFloat, args: { value: { type: new GraphQLNonNull(GraphQLFloat) } }, resolve: (_: unknown, a: { value: number }) => a.value },
    },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      price: {
        type: GraphQLFloat,
        // Spaced out, so keep-alive traffic falls between the prices.
        subscribe: async function* () {
          for (const price of PRICES) { await sleep(120); yield { price }; }
        },
      },
    },
  }),
});

const OPERATIONS = [
  { query: 'subscription OnPrice { price }' },
  { query: 'query Hello { hello }' },
  { query: '{ hello }' },
  { query: 'query A { hello } query B { hello }', operationName: 'B' },
  { query: 'mutation SetPrice($v: Float!) { setPrice(value: $v) }', operationName: 'SetPrice', variables: { v: 4 } },
];

interface Server2 { http: Server; origin: string }
async function listen(http: Server): Promise<Server2> {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { http, origin: `ws://127.0.0.1:${(http.address() as AddressInfo).port}` };
}
const closeHttp = (s: Server | undefined) => new Promise<void>((r) => (s ? s.close(() => r()) : r()));

let modern: { server: Server2; wss: WebSocketServer; recorder: FrameRecorder; conn: RecordedConnection; results: unknown[][] };
let legacy: { server: Server2; sub: SubscriptionServer; recorder: FrameRecorder; conn: RecordedConnection; results: unknown[][] };

/** Runs one operation to completion and returns every result it got. */
function runModern(client: GraphqlWsClient, op: (typeof OPERATIONS)[number]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const got: unknown[] = [];
    client.subscribe(op, { next: (r) => got.push(r), error: reject, complete: () => resolve(got) });
  });
}

function runLegacy(client: SubscriptionClient, op: (typeof OPERATIONS)[number]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const got: unknown[] = [];
    client.request(op).subscribe({ next: (r) => got.push(r), error: reject, complete: () => resolve(got) });
  });
}

beforeAll(async () => {
  {
    const server = await listen(createServer());
    const wss = new WebSocketServer({ server: server.http, path: '/graphql' });
    useServer({ schema }, wss);
    const recorder = await startFrameRecorder(server.origin);
    const client = createClient({ url: `${recorder.url}/graphql`, webSocketImpl: WebSocket, keepAlive: 100, lazy: false, retryAttempts: 0 });
    const results: unknown[][] = [];
    for (const op of OPERATIONS) results.push(await runModern(client, op));
    await sleep(250);
    await client.dispose();
    await sleep(50);
    modern = { server, wss, recorder, conn: recorder.connections[0]!, results };
  }
  {
    const server = await listen(createServer());
    const sub = SubscriptionServer.create({ schema, execute, subscribe, keepAlive: 100 }, { server: server.http, path: '/legacy' });
    const recorder = await startFrameRecorder(server.origin);
    const client = new SubscriptionClient(`${recorder.url}/legacy`, { reconnect: false }, WebSocket);
    const results: unknown[][] = [];
    for (const op of OPERATIONS) results.push(await runLegacy(client, op));
    await sleep(250);
    client.close();
    await sleep(50);
    legacy = { server, sub, recorder, conn: recorder.connections[0]!, results };
  }
});

afterAll(async () => {
  await modern?.recorder.close();
  modern?.wss.close();
  await closeHttp(modern?.server.http);
  await legacy?.recorder.close();
  legacy?.sub.close();
  await closeHttp(legacy?.server.http);
});

function decodeAll(d: Decoder, conn: RecordedConnection): DecodedMessage[] {
  const session = d.session();
  return conn.frames.map((f) => {
    const m = safeDecode(session, f, d.id);
    expect(m, `frame ${f.text} decoded`).not.toBeNull();
    expect(m!.error, m!.summary).toBeUndefined();
    return m!;
  });
}

/** Ids of the operations in start order, from the client's subscribe/start frames. */
function operationIds(msgs: DecodedMessage[], startType: string): string[] {
  return msgs.filter((m) => m.fields.type === startType).map((m) => String(m.fields.id));
}

describe('graphql-transport-ws (graphql-ws library)', () => {
  it('ran every operation', () => {
    expect(modern.results[0]).toEqual(PRICES.map((price) => ({ data: { price } })));
    expect(modern.results[3]).toEqual([{ data: { hello: 'world' } }]);
    expect(modern.results[4]).toEqual([{ data: { setPrice: 4 } }]);
  });

  it('is found by its subprotocol and by its frames', () => {
    expect(modern.conn.protocol).toBe('graphql-transport-ws');
    expect(decoderForSubprotocol(modern.conn.protocol)).toBe(graphqlWsDecoder);
    expect(sniffFrame(modern.conn.frames[0]!)).toBe(graphqlWsDecoder);
    const subscribeFrame = modern.conn.frames.find((f) => f.text?.includes('"subscribe"'))!;
    expect(graphqlWsDecoder.sniff(subscribeFrame)).toBe(1);
    expect(subscriptionsTransportWsDecoder.sniff(subscribeFrame)).toBe(0);
  });

  it('names every operation in its frames', () => {
    const msgs = decodeAll(graphqlWsDecoder, modern.conn);
    // The client's keep-alive pings may be recorded anywhere, even before connection_ack: the
    // order is checked on everything else.
    const [sub, hello, anon, b, set] = operationIds(msgs, 'subscribe') as [string, string, string, string, string];
    const app = msgs.filter((m) => !m.heartbeat).map((m) => m.summary);
    expect(app).toEqual([
      'connection_init', 'connection_ack',
      `subscribe #${sub} OnPrice`, ...PRICES.map(() => `next #${sub} OnPrice`), `complete #${sub} OnPrice`,
      `subscribe #${hello} Hello`, `next #${hello} Hello`, `complete #${hello} Hello`,
      `subscribe #${anon} (anonymous query)`, `next #${anon} (anonymous query)`, `complete #${anon} (anonymous query)`,
      `subscribe #${b} B`, `next #${b} B`, `complete #${b} B`,
      `subscribe #${set} SetPrice`, `next #${set} SetPrice`, `complete #${set} SetPrice`,
    ]);
    const bySummary = (s: string) => msgs.find((m) => m.summary === s)!;
    expect(bySummary(`subscribe #${sub} OnPrice`).fields).toEqual({ type: 'subscribe', id: sub, op: 'OnPrice', operationType: 'subscription' });
    expect(bySummary(`next #${sub} OnPrice`).fields).toEqual({ type: 'next', id: sub, op: 'OnPrice', operationType: 'subscription' });
    expect(bySummary(`next #${sub} OnPrice`).body).toEqual({ data: { price: 1.5 } });
    expect(bySummary(`subscribe #${b} B`).fields.operationType).toBe('query');
    expect(bySummary(`subscribe #${set} SetPrice`).fields.operationType).toBe('mutation');
    expect(bySummary(`subscribe #${set} SetPrice`).body).toMatchObject({ operationName: 'SetPrice', variables: { v: 4 } });
  });

  it('marks ping and pong as heartbeats', () => {
    const msgs = decodeAll(graphqlWsDecoder, modern.conn);
    const beats = msgs.filter((m) => m.heartbeat);
    expect(beats.map((m) => m.summary)).toContain('ping');
    expect(beats.map((m) => m.summary)).toContain('pong');
    for (const m of beats) expect(['ping', 'pong']).toContain(m.summary);
    expect(msgs.filter((m) => !m.heartbeat).some((m) => m.fields.type === 'ping' || m.fields.type === 'pong')).toBe(false);
  });
});

describe('subscriptions-transport-ws (legacy graphql-ws subprotocol)', () => {
  it('ran every operation', () => {
    expect(legacy.results[0]).toEqual(PRICES.map((price) => ({ data: { price } })));
    expect(legacy.results[4]).toEqual([{ data: { setPrice: 4 } }]);
  });

  it('is found by its subprotocol and by its own frames', () => {
    expect(legacy.conn.protocol).toBe('graphql-ws');
    expect(decoderForSubprotocol(legacy.conn.protocol)).toBe(subscriptionsTransportWsDecoder);
    const start = legacy.conn.frames.find((f) => f.text?.includes('"start"'))!;
    const ka = legacy.conn.frames.find((f) => f.text === '{"type":"ka"}')!;
    expect(sniffFrame(start)).toBe(subscriptionsTransportWsDecoder);
    expect(sniffFrame(ka)).toBe(subscriptionsTransportWsDecoder);
    expect(graphqlWsDecoder.sniff(start)).toBe(0);
  });

  it('names every operation in its frames', () => {
    const msgs = decodeAll(subscriptionsTransportWsDecoder, legacy.conn);
    expect(msgs[0]!.summary).toBe('connection_init');
    const [sub, hello, anon, b, set] = operationIds(msgs, 'start') as [string, string, string, string, string];
    // The client starts operations without waiting for connection_ack, so each direction is
    // checked in its own order.
    const inDir = (dir: string) => msgs.filter((m, i) => !m.heartbeat && legacy.conn.frames[i]!.dir === dir).map((m) => m.summary);
    const sent = inDir('sent');
    // The client's connection_terminate may or may not be through before the socket closes.
    if (sent[sent.length - 1] === 'connection_terminate') sent.pop();
    expect(sent).toEqual([
      'connection_init',
      `start #${sub} OnPrice`, `start #${hello} Hello`, `start #${anon} (anonymous query)`, `start #${b} B`, `start #${set} SetPrice`,
    ]);
    expect(inDir('received')).toEqual([
      'connection_ack',
      ...PRICES.map(() => `data #${sub} OnPrice`), `complete #${sub} OnPrice`,
      `data #${hello} Hello`, `complete #${hello} Hello`,
      `data #${anon} (anonymous query)`, `complete #${anon} (anonymous query)`,
      `data #${b} B`, `complete #${b} B`,
      `data #${set} SetPrice`, `complete #${set} SetPrice`,
    ]);
    expect(sub).toBe('1');
    const data = msgs.find((m) => m.summary === `data #${sub} OnPrice`)!;
    expect(data.fields).toEqual({ type: 'data', id: sub, op: 'OnPrice', operationType: 'subscription' });
    expect(data.body).toEqual({ data: { price: 1.5 } });
    for (const m of msgs) expect(m.protocol).toBe('subscriptions-transport-ws');
  });

  it('marks ka as a heartbeat', () => {
    const msgs = decodeAll(subscriptionsTransportWsDecoder, legacy.conn);
    const beats = msgs.filter((m) => m.heartbeat);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (const m of beats) expect(m.summary).toBe('ka');
    expect(msgs.filter((m) => m.fields.type === 'ka').every((m) => m.heartbeat)).toBe(true);
  });
});
