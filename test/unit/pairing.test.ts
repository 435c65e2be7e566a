/** Requests paired with their replies, in the model, as frames arrive: latency, streams, timeouts, caps. */
import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import { CaptureModel } from '../../src/panel/model/capture-model';
import type { Exchange, FrameRecord } from '../../src/panel/model/types';
import { compileFilter, DEFAULT_FILTER, filterIndices, type FilterRow } from '../../src/panel/filter/filter-engine';
import { callTerm, latencyIn } from '../../src/panel/filter/pair-terms';
import { CALLS_MAX, PAIR_PENDING_MAX } from '../../src/protocol/limits';
import { OTHER_CALLS } from '../../src/panel/model/call-stats';
import { batch, closed, created, opened, receivedBinary, receivedText, sentBinary, sentText } from './fixtures/wire-events';
import type { WireFrame } from '../../src/protocol/capture-events';

const model = (maxFrames = 100_000) => new CaptureModel({ maxFrames, maxBytes: 1e9 });
const at = (f: WireFrame, ms: number): WireFrame => ({ ...f, at: ms });
const rpc = (method: string, id: unknown) => JSON.stringify({ jsonrpc: '2.0', method, params: [], id });
const result = (id: unknown) => JSON.stringify({ jsonrpc: '2.0', result: 'ok', id });
const frames = (m: CaptureModel) => m.allFrames();
const texts = (rows: FrameRecord[]) => rows.map((r) => (typeof r.data === 'string' ? r.data : `<${r.data.length} bytes>`));
const filtered = (m: CaptureModel, text: string): FrameRecord[] => {
  const f = compileFilter({ ...DEFAULT_FILTER, text });
  if (!f.ok) throw new Error(f.error);
  const all = frames(m);
  return [...filterIndices(all as unknown as FilterRow[], f.matches)].map((i) => all[i]!);
};
const stat = (m: CaptureModel, call: string) => m.pairing.calls.list().find((s) => s.call === call)!;
const mqtt = (p: object) => Uint8Array.from(mqttPacket.generate(p as mqttPacket.Packet));

/** A JSON-RPC socket where `slow` is answered after 300 ms, `fast` at once, and `lost` never. */
function jsonRpcSession(): CaptureModel {
  const m = model();
  m.ingest(batch([
    created(1, 1, 'ws://rpc/'), opened(2, 1),
    at(sentText(3, 1, rpc('slow', 1)), 10_000), at(sentText(4, 1, rpc('fast', 2)), 10_010), at(receivedText(5, 1, result(2)), 10_012),
    at(sentText(6, 1, rpc('lost', 3)), 10_020), at(receivedText(7, 1, result(1)), 10_305),
    at(sentText(8, 1, rpc('slow', 4)), 10_400), at(receivedText(9, 1, result(4)), 10_750),
  ]));
  return m;
}

describe('pairing', () => {
  it('JSON-RPC: each result pairs with its call; latency is the reply time minus the request time, on both rows', () => {
    const m = jsonRpcSession();
    const [slow1, fast, fastRes, lost, slow1Res] = frames(m);
    expect(slow1!.pair).toBe(slow1Res!.pair);
    expect(latencyIn(slow1!, slow1!.pair!)).toBe(305);
    expect(latencyIn(slow1Res!, slow1!.pair!)).toBe(305);
    expect(latencyIn(fast!, fast!.pair!)).toBe(2);
    expect(fastRes!.pair!.request).toBe(fast);
    expect(lost!.pair!.replies).toBe(0);
    expect(lost!.pair!.noResponse).toBeNull();
  });

  it('a request with no reply after the timeout is marked no response, and the filters find it', () => {
    const m = jsonRpcSession();
    expect(m.pairing.expire(10_020 + 9_999)).toBe(false);
    expect(m.pairing.expire(10_020 + 10_000)).toBe(true);
    expect(texts(filtered(m, 'unanswered'))).toEqual([rpc('lost', 3)]);
    expect(texts(filtered(m, 'paired:no'))).toEqual([rpc('lost', 3)]);
    expect(texts(filtered(m, 'latency:>250ms'))).toEqual([rpc('slow', 1), result(1), rpc('slow', 4), result(4)]);
    expect(texts(filtered(m, 'latency:<10ms'))).toEqual([rpc('fast', 2), result(2)]);
    expect(texts(filtered(m, 'latency:>=0.35s'))).toEqual([rpc('slow', 4), result(4)]);
    expect(filtered(m, 'call:slow')).toHaveLength(4);
    // Case-insensitive and whole names; `*` for any run of characters.
    expect(filtered(m, 'call:SLOW')).toHaveLength(4);
    expect(filtered(m, 'call:slo')).toHaveLength(0);
    expect(filtered(m, 'call:s*w')).toHaveLength(4);
    expect(filtered(m, 'call:*')).toHaveLength(filtered(m, 'paired:yes').length + filtered(m, 'unanswered').length);
    // Pairing terms combine with a text search and with field terms.
    expect(texts(filtered(m, 'latency:>250ms "id":4'))).toEqual([rpc('slow', 4), result(4)]);
    expect(texts(filtered(m, 'latency:>250ms method:slow type:request'))).toEqual([rpc('slow', 1), rpc('slow', 4)]);
    const s = stat(m, 'slow');
    expect(s).toMatchObject({ protocol: 'json-rpc', count: 2, answered: 2, errors: 0, noResponse: 0 });
    expect(s.latency.percentile(0.5)!).toBeGreaterThanOrEqual(300);
    expect(s.latency.max).toBe(350);
    expect(stat(m, 'lost')).toMatchObject({ count: 1, answered: 0, noResponse: 1 });
    expect(stat(m, 'fast').latency.percentile(0.95)).toBe(2);
  });

  it('a bad pairing term is an error that says what is expected', () => {
    for (const bad of ['latency:fast', 'latency:>', 'paired:maybe', 'call:', 'call:"open']) {
      const f = compileFilter({ ...DEFAULT_FILTER, text: bad });
      expect(f.ok, bad).toBe(false);
    }
    expect(callTerm('PUBLISH sensors/1')).toBe('call:"PUBLISH sensors/1"');
    expect(callTerm('getUser')).toBe('call:getUser');
  });

  it('requests still waiting when the socket closes are unanswered at once', () => {
    const m = model();
    m.ingest(batch([created(1, 1, 'ws://rpc/'), opened(2, 1), sentText(3, 1, rpc('a', 1)), closed(4, 1)]));
    expect(frames(m)[0]!.pair!.noResponse).toBe('closed');
  });

  it('Socket.IO: an ack pairs with its emit, per namespace', () => {
    const m = model();
    m.ingest(batch([
      created(1, 1, 'ws://io/?EIO=4&transport=websocket'), opened(2, 1), receivedText(3, 1, '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'),
      sentText(4, 1, '40'), receivedText(5, 1, '40{"sid":"y"}'),
      sentText(6, 1, '420["hello","a"]'), sentText(7, 1, '42/admin,0["stats"]'), receivedText(8, 1, '43/admin,0[1]'), receivedText(9, 1, '430["hi"]'),
    ]));
    const f = frames(m);
    expect(f[3]!.pair!.call).toBe('hello');
    expect(f[3]!.pair).toBe(f[6]!.pair);
    expect(f[4]!.pair).toBe(f[5]!.pair);
    expect(f[4]!.pair!.call).toBe('stats');
    expect(f[1]!.pair!.call).toBe('connect /');
    expect(f[2]!.pair).toBe(f[1]!.pair);
  });

  it('GraphQL: a subscription is one request with many replies, a first-reply latency and a completion', () => {
    const m = model();
    const j = (o: object) => JSON.stringify(o);
    m.ingest(batch([
      created(1, 1, 'ws://gql/', ['graphql-transport-ws']), opened(2, 1, 'graphql-transport-ws'),
      at(sentText(3, 1, j({ type: 'connection_init' })), 100), at(receivedText(4, 1, j({ type: 'connection_ack' })), 104),
      at(sentText(5, 1, j({ id: '1', type: 'subscribe', payload: { query: 'subscription OnPrice { price }' } })), 200),
      ...[1, 2, 3].map((n) => at(receivedText(5 + n, 1, j({ id: '1', type: 'next', payload: { data: { price: n } } })), 200 + 50 * n)),
      at(receivedText(9, 1, j({ id: '1', type: 'complete' })), 500),
    ]));
    const x = frames(m)[2]!.pair!;
    expect(x).toMatchObject({ call: 'OnPrice', stream: true, replies: 3, firstAt: 250, endAt: 500 });
    expect(frames(m)[0]!.pair!.call).toBe('connection_init');
    expect(texts(filtered(m, 'paired:yes call:OnPrice'))).toHaveLength(5);
  });

  it('GraphQL: the client completing its own operation cancels it; it is not a reply', () => {
    const m = model();
    const j = (o: object) => JSON.stringify(o);
    m.ingest(batch([
      created(1, 1, 'ws://gql/', ['graphql-transport-ws']), opened(2, 1, 'graphql-transport-ws'),
      sentText(3, 1, j({ id: '2', type: 'subscribe', payload: { query: 'subscription Ticks { t }' } })), sentText(4, 1, j({ id: '2', type: 'complete' })),
    ]));
    expect(frames(m)[0]!.pair).toMatchObject({ call: 'Ticks', replies: 0, cancelled: true, firstAt: null });
    m.pairing.expire(Number.MAX_SAFE_INTEGER);
    expect(frames(m)[0]!.pair!.noResponse).toBeNull();
  });

  it('MQTT: a QoS 1 publish pairs with its PUBACK; QoS 2 runs to PUBCOMP; ids are per direction', () => {
    const m = model();
    m.ingest(batch([
      created(1, 1, 'ws://mq/', ['mqtt']), opened(2, 1, 'mqtt'),
      at(sentBinary(3, 1, mqtt({ cmd: 'publish', topic: 'a/b', payload: 'x', qos: 1, messageId: 7 })), 100),
      // The broker's own publish with the same packet id is another request, in the other direction.
      at(receivedBinary(4, 1, mqtt({ cmd: 'publish', topic: 'c', payload: 'y', qos: 1, messageId: 7 })), 110),
      at(receivedBinary(5, 1, mqtt({ cmd: 'puback', messageId: 7 })), 130),
      at(sentBinary(6, 1, mqtt({ cmd: 'puback', messageId: 7 })), 111),
      at(sentBinary(7, 1, mqtt({ cmd: 'publish', topic: 'q2', payload: 'z', qos: 2, messageId: 8 })), 200),
      at(receivedBinary(8, 1, mqtt({ cmd: 'pubrec', messageId: 8 })), 210),
      at(sentBinary(9, 1, mqtt({ cmd: 'pubrel', messageId: 8 })), 211),
      at(receivedBinary(10, 1, mqtt({ cmd: 'pubcomp', messageId: 8 })), 230),
    ]));
    const f = frames(m);
    expect(f[0]!.pair).toBe(f[2]!.pair);
    expect(latencyIn(f[0]!, f[0]!.pair!)).toBe(30);
    expect(f[1]!.pair).toBe(f[3]!.pair);
    expect(f[1]!.pair!.dir).toBe('received');
    const q2 = f[4]!.pair!;
    expect([f[5], f[6], f[7]].every((r) => r!.pair === q2)).toBe(true);
    expect(q2).toMatchObject({ call: 'PUBLISH q2', firstAt: 210, endAt: 230 });
  });

  it('plain JSON pairs by the key the user picks, which the panel suggests from both directions', () => {
    const m = model();
    const j = (o: object) => JSON.stringify(o);
    m.ingest(batch([
      created(1, 1, 'ws://custom/'), opened(2, 1),
      ...[1, 2, 3].flatMap((n) => [at(sentText(1 + 2 * n, 1, j({ rid: n, op: 'quote', sym: 'ACME' })), 1000 * n), at(receivedText(2 + 2 * n, 1, j({ rid: n, price: n })), 1000 * n + 20 * n)]),
    ]));
    expect(frames(m).every((f) => !f.pair)).toBe(true);
    expect(m.pairing.suggestions.suggest()[0]!.path).toBe('rid');
    m.setJsonKey(['rid']);
    const f = frames(m);
    expect(f[0]!.pair).toBe(f[1]!.pair);
    expect(f[0]!.pair!.call).toBe('quote');
    expect(latencyIn(f[4]!, f[4]!.pair!)).toBe(60);
    // New frames pair as they come.
    m.ingest(batch([at(sentText(20, 1, j({ rid: 9, op: 'quote' })), 9000), at(receivedText(21, 1, j({ rid: 9 })), 9005)]));
    expect(latencyIn(frames(m)[6]!, frames(m)[6]!.pair!)).toBe(5);
    m.setJsonKey(null);
    expect(frames(m).every((r) => !r.pair)).toBe(true);
  });

  it('hostile traffic: unanswered floods hit the pending cap (counted), duplicate ids, early replies and odd ids break nothing', () => {
    const m = model(200_000);
    const n = PAIR_PENDING_MAX + 2_500;
    const flood: WireFrame[] = [];
    for (let i = 0; i < n; i++) flood.push(sentText(3 + i, 1, rpc('never', i)));
    m.ingest(batch([created(1, 1, 'ws://rpc/'), opened(2, 1), ...flood]));
    expect(m.pairing.counts.untracked).toBe(2_500);
    expect(frames(m)[0]!.pair!.untracked).toBe(true);
    // Every JSON type as an id, a reply before its request, and an id used twice.
    const odd = [null, true, 1.5, '1.5', { a: 1 }, [1], -0, 1e300, '', '__proto__', 'toString'];
    let seq = n + 10;
    const more: WireFrame[] = [receivedText(seq++, 1, result('early')), sentText(seq++, 1, rpc('x', 'early'))];
    for (const id of odd) more.push(sentText(seq++, 1, rpc('odd', id)), receivedText(seq++, 1, result(id)));
    more.push(sentText(seq++, 1, rpc('dup', 'd')), sentText(seq++, 1, rpc('dup', 'd')), receivedText(seq++, 1, result('d')));
    m.ingest(batch(more));
    const tail = frames(m).slice(n);
    expect(tail[0]!.unpaired).toBe(true);
    expect(tail[1]!.pair!.replies).toBe(0);
    expect(m.pairing.counts.reused).toBe(1);
    const dups = tail.slice(-3);
    expect(dups[0]!.pair!.noResponse).toBe('reused');
    expect(dups[1]!.pair).toBe(dups[2]!.pair);
    // Scalar ids pair; null, objects and arrays are no ids (JSON-RPC's null id is an error reply).
    const oddRows = tail.slice(2, 2 + 2 * odd.length);
    const paired = oddRows.filter((r, i) => i % 2 === 0 && r.pair && r.pair.replies === 1).length;
    expect(paired).toBe(odd.length - 4); // JSON-RPC ids are strings and numbers: true is none either
    expect(m.pairing.counts.orphans).toBeGreaterThanOrEqual(1);
  });

  it('the Calls view keeps CALLS_MAX calls apart and counts the rest together', () => {
    const m = model(200_000);
    const many: WireFrame[] = [];
    for (let i = 0; i < CALLS_MAX + 50; i++) many.push(sentText(3 + i, 1, rpc(`m${i}`, i)));
    m.ingest(batch([created(1, 1, 'ws://rpc/'), opened(2, 1), ...many]));
    expect(m.pairing.calls.size).toBe(CALLS_MAX + 1);
    expect(stat(m, OTHER_CALLS).count).toBe(50);
    expect(m.pairing.calls.merged).toBe(50);
  });

  it('a reply arriving later makes an earlier request match, and the filtered view takes it in', async () => {
    const { FilteredView } = await import('../../src/panel/model/filtered-view');
    const m = model();
    m.ingest(batch([created(1, 1, 'ws://rpc/'), opened(2, 1), at(sentText(3, 1, rpc('slow', 1)), 1000)]));
    const f = compileFilter({ ...DEFAULT_FILTER, text: 'latency:>250ms' });
    if (!f.ok) throw new Error(f.error);
    const view = new FilteredView(f.matches as never);
    view.sync(m.rows);
    expect(view.count).toBe(0);
    m.pairing.takeChanged();
    m.ingest(batch([at(receivedText(4, 1, result(1)), 1400)]));
    view.sync(m.rows);
    expect(view.count).toBe(1);
    expect(view.retest(m.pairing.takeChanged(), m.rows)).toBe(true);
    expect(view.count).toBe(2);
    expect(view.frameMatches).toBe(2);
    const rows = [view.index(0)!, view.index(1)!].map((i) => m.rows.at(i) as FrameRecord);
    expect(texts(rows)).toEqual([rpc('slow', 1), result(1)]);
  });

  it('Clear forgets pending requests and the statistics', () => {
    const m = jsonRpcSession();
    m.clear();
    expect(m.pairing.calls.size).toBe(0);
    m.ingest(batch([receivedText(20, 1, result(3))]));
    expect(frames(m)[0]!.unpaired).toBe(true);
  });
});

describe('pair tags of the other protocols', () => {
  const j = (o: unknown) => JSON.stringify(o);
  const pairsOf = (protocol: string, sent: string[], received: string[]): Exchange[] => {
    const m = model();
    const evs: WireFrame[] = [];
    let seq = 3;
    sent.forEach((t) => evs.push(sentText(seq++, 1, t)));
    received.forEach((t) => evs.push(receivedText(seq++, 1, t)));
    m.ingest(batch([created(1, 1, 'ws://x/', [protocol]), opened(2, 1, protocol), ...evs]));
    return [...new Set(frames(m).map((f) => f.pair).filter((x): x is Exchange => !!x))];
  };

  it('SignalR invocations, STOMP receipts, WAMP calls, Phoenix refs, ActionCable subscriptions', () => {
    const rs = '\u001e';
    const signalr = pairsOf('json', [j({ protocol: 'json', version: 1 }) + rs, j({ type: 1, invocationId: '1', target: 'Send', arguments: [] }) + rs], [j({}) + rs, j({ type: 3, invocationId: '1', result: 1 }) + rs]);
    expect(signalr.map((x) => [x.protocol, x.call, x.replies])).toContainEqual(['signalr', 'Send', 1]);
    const stomp = pairsOf('v12.stomp', ['SEND\ndestination:/q/a\nreceipt:r1\n\nhi\0'], ['RECEIPT\nreceipt-id:r1\n\n\0']);
    expect(stomp.map((x) => [x.call, x.replies])).toEqual([['SEND /q/a', 1]]);
    const stompErr = pairsOf('v12.stomp', ['SUBSCRIBE\ndestination:/q/b\nid:0\nreceipt:r2\n\n\0'], ['ERROR\nreceipt-id:r2\nmessage:no\n\n\0']);
    expect(stompErr[0]).toMatchObject({ error: true, replies: 1 });
    const wamp = pairsOf('wamp.2.json', [j([48, 7, {}, 'com.add', [1, 2]]), j([16, 8, {}, 'com.topic']), j([16, 9, { acknowledge: true }, 'com.topic'])], [j([50, 7, {}, [3]]), j([17, 9, 99])]);
    expect(wamp.map((x) => [x.call, x.replies])).toEqual([['CALL com.add', 1], ['PUBLISH com.topic', 1]]);
    const phoenix = pairsOf('phoenix', [j(['1', '1', 'room:lobby', 'phx_join', {}])], [j(['1', '1', 'room:lobby', 'phx_reply', { status: 'error', response: {} }])]);
    expect(phoenix[0]).toMatchObject({ call: 'phx_join room:lobby', error: true, replies: 1 });
    const ident = j({ channel: 'ChatChannel' });
    const cable = pairsOf('actioncable-v1-json', [j({ command: 'subscribe', identifier: ident })], [j({ type: 'welcome' }), j({ type: 'confirm_subscription', identifier: ident })]);
    expect(cable[0]).toMatchObject({ call: 'subscribe ChatChannel', replies: 1 });
  });
});
