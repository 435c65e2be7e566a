/**
 * The GraphQL-over-WebSocket decoders on hand-made frames: operation names from operationName or
 * the query text, ids remembered across frames, messages missing ids, unknown types, telling the
 * two protocols apart, and garbage, which must never throw.
 */
import { describe, expect, it } from 'vitest';
import { graphqlWsDecoder, operationOf, subscriptionsTransportWsDecoder } from '../../src/decoders/protocols/graphql-ws';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput, DecoderSession } from '../../src/decoders/types';

const frame = (msg: unknown, dir: DecodeInput['dir'] = 'received'): DecodeInput =>
  ({ dir, type: 'text', text: typeof msg === 'string' ? msg : JSON.stringify(msg) });
const sent = (msg: unknown) => frame(msg, 'sent');

function ok(s: DecoderSession, f: DecodeInput): DecodedMessage {
  const m = s.decode(f);
  expect(m).not.toBeNull();
  expect(m!.error, m!.summary).toBeUndefined();
  return m!;
}

describe('operation names', () => {
  it('reads the name and type from the query text', () => {
    expect(operationOf('subscription OnPrice { price }')).toEqual({ name: 'OnPrice', type: 'subscription' });
    expect(operationOf('  query Hello($id: ID!) { user(id: $id) { name } }')).toEqual({ name: 'Hello', type: 'query' });
    expect(operationOf('mutation\n  AddTodo{add}')).toEqual({ name: 'AddTodo', type: 'mutation' });
    expect(operationOf('# subscription Fake\nquery Real { a }')).toEqual({ name: 'Real', type: 'query' });
    expect(operationOf('fragment F on Query { a { b } }\nsubscription Live { ...F }')).toEqual({ name: 'Live', type: 'subscription' });
  });

  it('knows anonymous operations by their type', () => {
    expect(operationOf('{ hello }')).toEqual({ type: 'query' });
    expect(operationOf('query { hello }')).toEqual({ type: 'query' });
    expect(operationOf('subscription($x: Int) { tick(every: $x) }')).toEqual({ type: 'subscription' });
  });

  it('prefers payload.operationName, and finds its type in a document of several', () => {
    expect(operationOf('query A { a } mutation B { b }', 'B')).toEqual({ name: 'B', type: 'mutation' });
    expect(operationOf('query A { a }', 'Other')).toEqual({ name: 'Other' });
    expect(operationOf(undefined, 'Named')).toEqual({ name: 'Named' });
    expect(operationOf('query A { a }', 'we(ird')).toEqual({ name: 'we(ird' });
    expect(operationOf('query A { a }', '')).toEqual({ name: 'A', type: 'query' });
  });

  it('gives nothing for what is not a query', () => {
    expect(operationOf(42)).toEqual({});
    expect(operationOf('')).toEqual({});
    expect(operationOf('type Query { a: Int }')).toEqual({});
  });

  it('stays fast on hostile query text', () => {
    const t0 = performance.now();
    operationOf('#'.repeat(200_000));
    operationOf('}'.repeat(200_000));
    operationOf('} '.repeat(100_000) + 'x');
    operationOf(`query ${'a'.repeat(200_000)}`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('graphql-transport-ws', () => {
  it('decodes a whole conversation and names each operation by its id', () => {
    const s = graphqlWsDecoder.session();
    expect(ok(s, sent({ type: 'connection_init', payload: { token: 't' } }))).toMatchObject({ summary: 'connection_init', fields: { type: 'connection_init' }, body: { token: 't' }, heartbeat: false });
    expect(ok(s, frame({ type: 'connection_ack' })).summary).toBe('connection_ack');
    const sub = ok(s, sent({ id: '1', type: 'subscribe', payload: { query: 'subscription OnPrice { price }' } }));
    expect(sub.summary).toBe('subscribe #1 OnPrice');
    expect(sub.fields).toEqual({ type: 'subscribe', id: '1', op: 'OnPrice', operationType: 'subscription' });
    expect(sub.body).toEqual({ query: 'subscription OnPrice { price }' });
    const next = ok(s, frame({ id: '1', type: 'next', payload: { data: { price: 2 } } }));
    expect(next.summary).toBe('next #1 OnPrice');
    expect(next.fields).toEqual({ type: 'next', id: '1', op: 'OnPrice', operationType: 'subscription' });
    expect(next.body).toEqual({ data: { price: 2 } });
    expect(ok(s, sent({ type: 'ping' }))).toMatchObject({ summary: 'ping', heartbeat: true });
    expect(ok(s, frame({ type: 'pong', payload: { at: 1 } }))).toMatchObject({ summary: 'pong', heartbeat: true });
    expect(ok(s, sent({ id: '1', type: 'complete' })).summary).toBe('complete #1 OnPrice');
    expect(ok(s, frame({ id: '1', type: 'complete' })).summary).toBe('complete #1 OnPrice');
  });

  it('shows errors in the summary', () => {
    const s = graphqlWsDecoder.session();
    ok(s, sent({ id: 'a', type: 'subscribe', payload: { query: 'query Q { x }', operationName: 'Q' } }));
    expect(ok(s, frame({ id: 'a', type: 'error', payload: [{ message: 'Cannot query field "x"' }] })).summary).toBe('error #a Q: Cannot query field "x"');
    expect(ok(s, frame({ id: 'a', type: 'next', payload: { data: null, errors: [{ message: 'boom' }] } })).summary).toBe('next #a Q: boom');
  });

  it('says "anonymous" for a query with no name', () => {
    const s = graphqlWsDecoder.session();
    const m = ok(s, sent({ id: '2', type: 'subscribe', payload: { query: '{ hello }' } }));
    expect(m.summary).toBe('subscribe #2 (anonymous query)');
    expect(m.fields).toEqual({ type: 'subscribe', id: '2', operationType: 'query' });
    expect(ok(s, frame({ id: '2', type: 'next', payload: { data: { hello: 'w' } } })).summary).toBe('next #2 (anonymous query)');
  });

  it('reports messages that miss their id or query, and still summarises them', () => {
    const s = graphqlWsDecoder.session();
    const next = s.decode(frame({ type: 'next', payload: { data: {} } }))!;
    expect(next.summary).toBe('next');
    expect(next.fields).toEqual({ type: 'next' });
    expect(next.error).toMatch(/without an id/);
    expect(s.decode(frame({ type: 'complete' }))!.error).toMatch(/without an id/);
    expect(s.decode(sent({ type: 'subscribe', payload: { query: 'subscription S { a }' } }))!).toMatchObject({ summary: 'subscribe S', error: expect.stringMatching(/without an id/) });
    expect(s.decode(sent({ id: '3', type: 'subscribe', payload: {} }))!.error).toMatch(/without a query/);
    expect(s.decode(frame({ id: '3', type: 'next' }))!.error).toMatch(/without a result payload/);
  });

  it('does not know ids it never saw start', () => {
    const m = ok(graphqlWsDecoder.session(), frame({ id: '9', type: 'next', payload: { data: {} } }));
    expect(m.summary).toBe('next #9');
    expect(m.fields).toEqual({ type: 'next', id: '9' });
  });

  it('reports unknown types without guessing', () => {
    const m = graphqlWsDecoder.session().decode(frame({ type: 'subscription_data', id: '1', payload: {} }))!;
    expect(m.summary).toBe('subscription_data #1');
    expect(m.heartbeat).toBe(false);
    expect(m.error).toMatch(/unknown message type/);
  });

  it('says so on a frame that is not a JSON object, and an error for broken JSON', () => {
    const s = graphqlWsDecoder.session();
    for (const t of ['hello', '[1,2]', '42', '"connection_init"']) expect(s.decode(frame(t)), t).toMatchObject({ summary: '(not a GraphQL message)', error: expect.stringMatching(/not a JSON object/) });
    expect(s.decode(frame(''))).toBeNull();
    expect(s.decode({ dir: 'received', type: 'text' })).toBeNull();
    // A binary frame is read as its UTF-8 text, as the reference servers do; other bytes are not GraphQL.
    expect(s.decode({ dir: 'received', type: 'binary', bytes: new TextEncoder().encode('{"type":"connection_ack"}') })).toMatchObject({ summary: 'connection_ack' });
    expect(s.decode({ dir: 'received', type: 'binary', bytes: new Uint8Array([0xff, 0x00]) })!.error).toMatch(/binary frame that is not UTF-8/);
    expect(s.decode(frame('{"type":'))).toMatchObject({ error: 'not valid JSON', heartbeat: false });
    expect(s.decode(frame('{"id":"1"}'))!.error).toMatch(/without a string "type"/);
    expect(s.decode(frame('{"type":7}'))!.error).toMatch(/without a string "type"/);
  });

  it('forgets old operations past its limit', () => {
    const s = graphqlWsDecoder.session();
    for (let i = 0; i < 1100; i++) s.decode(sent({ id: String(i), type: 'subscribe', payload: { query: `query Q${i} { a }` } }));
    expect(ok(s, frame({ id: '0', type: 'complete' })).summary).toBe('complete #0');
    expect(ok(s, frame({ id: '1099', type: 'complete' })).summary).toBe('complete #1099 Q1099');
  });
});

describe('subscriptions-transport-ws', () => {
  it('decodes a whole conversation, with ka as the heartbeat', () => {
    const s = subscriptionsTransportWsDecoder.session();
    expect(ok(s, sent({ type: 'connection_init', payload: {} })).protocol).toBe('subscriptions-transport-ws');
    expect(ok(s, frame({ type: 'connection_ack' })).summary).toBe('connection_ack');
    expect(ok(s, frame({ type: 'ka' }))).toMatchObject({ summary: 'ka', heartbeat: true, fields: { type: 'ka' } });
    const start = ok(s, sent({ id: '1', type: 'start', payload: { query: 'subscription OnPrice { price }', variables: {}, operationName: null } }));
    expect(start.summary).toBe('start #1 OnPrice');
    expect(start.fields).toEqual({ type: 'start', id: '1', op: 'OnPrice', operationType: 'subscription' });
    expect(ok(s, frame({ id: '1', type: 'data', payload: { data: { price: 1 } } })).summary).toBe('data #1 OnPrice');
    expect(ok(s, sent({ id: '1', type: 'stop' })).summary).toBe('stop #1 OnPrice');
    expect(ok(s, frame({ id: '1', type: 'complete' })).summary).toBe('complete #1 OnPrice');
    expect(ok(s, frame({ id: '1', type: 'error', payload: { message: 'nope' } })).summary).toBe('error #1 OnPrice: nope');
    expect(ok(s, frame({ type: 'connection_error', payload: { message: 'bad token' } })).summary).toBe('connection_error: bad token');
    expect(ok(s, sent({ type: 'connection_terminate' }))).toMatchObject({ summary: 'connection_terminate', heartbeat: false });
  });

  it('still decodes the other protocol\'s messages (detection may have named the wrong one)', () => {
    const s = graphqlWsDecoder.session();
    ok(s, sent({ id: '1', type: 'start', payload: { query: 'subscription S { a }' } }));
    expect(ok(s, frame({ id: '1', type: 'data', payload: { data: {} } })).summary).toBe('data #1 S');
    expect(ok(s, frame({ type: 'ka' })).heartbeat).toBe(true);
  });
});

describe('GraphQL detection', () => {
  it('takes the negotiated subprotocol, exactly', () => {
    expect(decoderForSubprotocol('graphql-transport-ws')).toBe(graphqlWsDecoder);
    expect(decoderForSubprotocol('graphql-ws')).toBe(subscriptionsTransportWsDecoder);
    expect(decoderForSubprotocol('graphql')).not.toBe(graphqlWsDecoder);
    expect(decoderForSubprotocol('graphql-ws2')).not.toBe(subscriptionsTransportWsDecoder);
  });

  it('is sure of connection_init, preferring the current protocol', () => {
    const init = sent({ type: 'connection_init', payload: {} });
    expect(graphqlWsDecoder.sniff(init)).toBeGreaterThanOrEqual(0.8);
    expect(subscriptionsTransportWsDecoder.sniff(init)).toBeGreaterThanOrEqual(0.5);
    expect(graphqlWsDecoder.sniff(init)).toBeGreaterThan(subscriptionsTransportWsDecoder.sniff(init));
    expect(sniffFrame(init)).toBe(graphqlWsDecoder);
  });

  it('tells the protocols apart by their own messages', () => {
    const both = (m: unknown) => [graphqlWsDecoder.sniff(frame(m)), subscriptionsTransportWsDecoder.sniff(frame(m))];
    expect(both({ id: '1', type: 'subscribe', payload: { query: '{ a }' } })).toEqual([1, 0]);
    expect(both({ id: '1', type: 'start', payload: { query: '{ a }' } })).toEqual([0, 1]);
    expect(both({ id: '1', type: 'next', payload: { data: {} } })[1]).toBe(0);
    expect(both({ id: '1', type: 'data', payload: { data: {} } })[0]).toBe(0);
    expect(both({ type: 'ka' })).toEqual([0, expect.any(Number)]);
    expect(both({ type: 'ping' })).toEqual([expect.any(Number), 0]);
    expect(sniffFrame(frame({ type: 'ka' }))).toBe(subscriptionsTransportWsDecoder);
    expect(sniffFrame(frame({ id: '1', type: 'start', payload: { query: '{ a }' } }))).toBe(subscriptionsTransportWsDecoder);
    expect(sniffFrame(frame({ id: '1', type: 'subscribe', payload: { query: '{ a }' } }))).toBe(graphqlWsDecoder);
  });

  it('is not fooled by other JSON with a type', () => {
    for (const m of [
      { type: 'ping', message: 1700000000 }, // Action Cable
      { type: 'welcome' },
      { type: 'connection_init', data: {} },
      { id: 1, type: 'next', payload: {} },
      { event: 'phx_join', topic: 'room:1' },
      [1, 'type'],
    ]) {
      expect(graphqlWsDecoder.sniff(frame(m)), JSON.stringify(m)).toBe(0);
      expect(subscriptionsTransportWsDecoder.sniff(frame(m)), JSON.stringify(m)).toBe(0);
    }
    expect(graphqlWsDecoder.sniff({ dir: 'sent', type: 'binary', bytes: new TextEncoder().encode('{"type":"connection_init"}') })).toBe(0);
  });
});

describe('GraphQL garbage', () => {
  let seed = 99;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const PIECES = ['{', '}', '"type"', ':', '"next"', '"subscribe"', '"id"', '"1"', ',', '"payload"', '{"query":"', 'subscription X', '"', 'null', '[', ']', '\\', '\u0000', '1e999'];

  it('never throws on random JSON-ish text', () => {
    const sessions = [graphqlWsDecoder.session(), subscriptionsTransportWsDecoder.session()];
    for (let i = 0; i < 3000; i++) {
      let t = '';
      for (let j = rand(14); j >= 0; j--) t += PIECES[rand(PIECES.length)];
      const f = frame(t);
      for (const d of [graphqlWsDecoder, subscriptionsTransportWsDecoder]) expect(() => d.sniff(f)).not.toThrow();
      for (const s of sessions) {
        expect(() => s.decode(f)).not.toThrow();
        const m = safeDecode(s, f, 'graphql-ws');
        if (m) expect(m.error ?? '').not.toMatch(/decoder failed/);
      }
    }
  });

  it('never throws on odd but valid JSON shapes', () => {
    const s = graphqlWsDecoder.session();
    const odd = [
      { type: 'subscribe', id: '1', payload: { query: 42, operationName: {} } },
      { type: 'subscribe', id: { x: 1 }, payload: null },
      { type: 'next', id: '1', payload: [] },
      { type: 'error', id: '1', payload: 'plain string' },
      { type: 'error', id: '1', payload: [null, 1] },
      { type: 'connection_error', payload: null },
      { type: '__proto__', id: 'constructor' },
      { type: 'toString' },
      { type: 'subscribe', id: '__proto__', payload: { query: 'query P { a }' } },
    ];
    for (const m of odd) expect(() => s.decode(frame(m))).not.toThrow();
    expect(s.decode(frame({ type: 'toString' }))!.error).toMatch(/unknown message type/);
    expect(s.decode(frame({ type: 'next', id: '__proto__', payload: {} }))!.summary).toBe('next #__proto__ P');
  });
});
