/**
 * Every decoder, fed garbage: random bytes, random text from each protocol's own alphabet, and
 * valid frames truncated at every length, with bytes flipped and spliced. Each decoder session
 * sees a whole stream (stateful decoders keep state across frames, where bugs hide). None may
 * throw, from sniff or decode, and every result must keep within the budgets. The slowest case is
 * printed, not asserted (machines here are noisy); the size cap is what bounds the work.
 */
import { describe, expect, it } from 'vitest';
import { BODY_MAX_DEPTH, BODY_MAX_NODES, FIELDS_MAX, FIELD_MAX_CHARS, MESSAGES_MAX, SUMMARY_MAX_CHARS } from '../../src/decoders/budget';
import { DECODERS, safeDecode } from '../../src/decoders/registry';
import type { BatchedMessage, DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { seededRandom as rng } from '../support/seeded-random';


const enc = new TextEncoder();
const bin = (...xs: number[]) => Uint8Array.from(xs);
const mqttConnect = bin(0x10, 0x12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 5, 2, 0, 60, 0, 0, 5, 0x61, 0x62, 0x63, 0x64, 0x65);
const mqttPublish = bin(0x32, 0x0c, 0, 3, 0x61, 0x2f, 0x62, 0, 1, 0, 0x68, 0x65, 0x6c, 0x6f);

/** Valid-looking frames of every protocol, the seeds mutations start from. */
const SEEDS: DecodeInput[] = [
  ...['0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}', '2', '3', '40', '40/chat,{"sid":"x"}',
    '42["chat:message","hi",{"a":1}]', '42/chat,7["ev",1]', '43/chat,7[true]', '451-["up",{"_placeholder":true,"num":0}]', '44{"message":"no"}',
    'o', 'h', 'a["{\\"x\\":1}","two"]', 'c[3000,"Go away!"]', '["msg"]',
    '{"protocol":"json","version":1}\u001e', '{"type":1,"invocationId":"3","target":"Send","arguments":["a"]}\u001e{"type":6}\u001e',
    'CONNECT\naccept-version:1.2\nhost:x\n\n\u0000', 'SEND\ndestination:/queue/a\ncontent-length:2\n\nhi\u0000', '\n',
    'MESSAGE\nsubscription:0\nmessage-id:1\ndestination:/topic/x\n\n{"p":1}\u0000',
    '{"type":"connection_init"}', '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}', '{"type":"ping"}',
    '{"id":"1","type":"start","payload":{"query":"query Q { a }","operationName":"Q"}}', '{"type":"ka"}',
    '{"topic":"room:lobby","event":"phx_join","payload":{},"ref":"1"}', '["1","1","room:lobby","phx_join",{}]', '[null,"2","phoenix","heartbeat",{}]',
    '{"type":"welcome"}', '{"type":"ping","message":1700000000}', '{"command":"subscribe","identifier":"{\\"channel\\":\\"ChatChannel\\"}"}',
    '[1,"realm1",{"roles":{"caller":{}}}]', '[48,7,{},"com.myapp.add",[2,3]]', '[50,7,{},[5]]', '[36,5512315355,4429313566,{},["Hello"]]',
    '{"jsonrpc":"2.0","method":"eth_getBalance","params":["0x1","latest"],"id":4}', '{"jsonrpc":"2.0","result":"0x0","id":4}',
    '[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"n"}]',
    // Several messages in one frame: Engine.IO payloads (v4, v3), WAMP batched, two STOMP frames.
    '42["a",1]\u001e42["b",2]\u001e2', '9:42["a",1]2:40', '[48,7,{},"com.a"]\u001e[32,8,{},"t.b"]\u001e',
    'MESSAGE\ndestination:/a\n\nx\u0000MESSAGE\ndestination:/b\n\ny\u0000',
  ].flatMap((text): DecodeInput[] => [{ dir: 'sent', type: 'text', text }, { dir: 'received', type: 'text', text }]),
  { dir: 'sent', type: 'binary', bytes: mqttConnect },
  { dir: 'received', type: 'binary', bytes: bin(0x20, 3, 0, 0, 0) },
  { dir: 'sent', type: 'binary', bytes: mqttPublish },
  { dir: 'sent', type: 'binary', bytes: bin(...mqttPublish, ...mqttPublish, 0xc0, 0) },
  { dir: 'sent', type: 'binary', bytes: bin(0xc0, 0) },
  { dir: 'received', type: 'binary', bytes: bin(0x04, 1, 2, 3) },
  { dir: 'received', type: 'binary', bytes: bin(0x93, 0x01, 0xa3, 0x61, 0x62, 0x63, 0xc3) }, // msgpack [1,"abc",true]
  { dir: 'received', type: 'binary', bytes: bin(0x0b, 0x96, 0x01, 0x80, 0xa1, 0x33, 0xa4, 0x53, 0x65, 0x6e, 0x64, 0x91, 0x01, 0x90) }, // SignalR msgpack, length-prefixed
  { dir: 'received', type: 'binary', bytes: bin(0xa2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x82, 0x02, 0x03) }, // CBOR {a:1,b:[2,3]}
  { dir: 'received', type: 'binary', bytes: enc.encode('SEND\ndestination:/b\n\nbody\u0000') },
];

const ALPHABET = '{}[]":,0123456789-/#+ \n\r\u0000\u001eabcdefxyzACKMSTtypeidevnsphx_jsonrpc2.\\\u00e9\ud83d\ude00';

function randomText(r: () => number, max: number): string {
  const n = Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}
function randomBytes(r: () => number, max: number): Uint8Array {
  const b = new Uint8Array(Math.floor(r() * max));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}
const bytesOf = (f: DecodeInput) => (f.type === 'binary' ? f.bytes! : enc.encode(f.text!));
const asFrame = (f: DecodeInput, bytes: Uint8Array, r: () => number): DecodeInput =>
  (f.type === 'binary' || r() < 0.3 ? { dir: f.dir, type: 'binary', bytes } : { dir: f.dir, type: 'text', text: new TextDecoder().decode(bytes) });

/** A stream of mutated frames: truncations, flips, splices, random bytes and random text. */
function cases(seed: number, count: number): DecodeInput[] {
  const r = rng(seed);
  const out: DecodeInput[] = [];
  while (out.length < count) {
    const base = SEEDS[Math.floor(r() * SEEDS.length)]!;
    const bytes = bytesOf(base);
    const pick = r();
    if (pick < 0.35) out.push(asFrame(base, bytes.slice(0, Math.floor(r() * (bytes.length + 1))), r));
    else if (pick < 0.6) {
      const m = bytes.slice();
      for (let k = 0; k < 1 + r() * 4 && m.length; k++) m[Math.floor(r() * m.length)] = Math.floor(r() * 256);
      out.push(asFrame(base, m, r));
    } else if (pick < 0.75) {
      const at = Math.floor(r() * (bytes.length + 1));
      const ins = randomBytes(r, 24);
      const m = new Uint8Array(bytes.length + ins.length);
      m.set(bytes.slice(0, at)); m.set(ins, at); m.set(bytes.slice(at), at + ins.length);
      out.push(asFrame(base, m, r));
    } else if (pick < 0.85) out.push({ dir: r() < 0.5 ? 'sent' : 'received', type: 'binary', bytes: randomBytes(r, 256) });
    else if (pick < 0.95) out.push({ dir: r() < 0.5 ? 'sent' : 'received', type: 'text', text: randomText(r, 200) });
    else out.push(base);
  }
  return out;
}

function depthAndNodes(v: unknown): { depth: number; nodes: number } {
  let nodes = 0, depth = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    nodes++;
    depth = Math.max(depth, d);
    if (x && typeof x === 'object') for (const y of Object.values(x as object)) stack.push([y, d + 1]);
  }
  return { depth, nodes };
}

function checkBudget(m: DecodedMessage | BatchedMessage): void {
  expect(typeof m.summary).toBe('string');
  expect(m.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
  expect(Object.keys(m.fields).length).toBeLessThanOrEqual(FIELDS_MAX);
  for (const v of Object.values(m.fields)) {
    expect(['string', 'number', 'boolean']).toContain(typeof v);
    if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(FIELD_MAX_CHARS);
  }
  expect(typeof m.heartbeat).toBe('boolean');
  if (m.error !== undefined) expect(m.error.length).toBeLessThanOrEqual(FIELD_MAX_CHARS);
  if (!('protocol' in m)) return;
  if (m.messages !== undefined) {
    // A list is kept only for several messages, each within the budget, and without a body.
    expect(m.messages.length + (m.messagesNotKept ?? 0)).toBeGreaterThan(1);
    expect(m.messages.length).toBeLessThanOrEqual(MESSAGES_MAX);
    for (const x of m.messages) { checkBudget(x); expect(x).not.toHaveProperty('body'); }
  }
  if (m.body !== undefined) {
    const { depth, nodes } = depthAndNodes(m.body);
    // Cut containers keep a marker node, so the walk may see a few over the cap.
    expect(nodes).toBeLessThanOrEqual(BODY_MAX_NODES * 2 + 1);
    expect(depth).toBeLessThanOrEqual(BODY_MAX_DEPTH + 1);
  }
}

const CASES_PER_DECODER = 1_000;

describe('decoder fuzz: garbage never throws and never breaks the budget', () => {
  let total = 0;
  for (const [i, decoder] of DECODERS.entries()) {
    it(`${decoder.label}: ${CASES_PER_DECODER} mutated, truncated and random frames through sniff and one session`, () => {
      const stream = cases(1000 + i, CASES_PER_DECODER);
      let session = decoder.session();
      let slowest = 0;
      for (const [k, frame] of stream.entries()) {
        // A fresh session now and then, so a confused state does not hide the start-of-stream paths.
        if (k % 97 === 0) session = decoder.session();
        const t0 = performance.now();
        expect(() => decoder.sniff(frame)).not.toThrow();
        const score = decoder.sniff(frame);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        let raw: DecodedMessage | null = null;
        expect(() => { raw = session.decode(frame); }).not.toThrow();
        const m = safeDecode(session, frame, decoder.id);
        if (m) checkBudget(m);
        if (raw) expect((raw as DecodedMessage).protocol).toBe(decoder.id);
        slowest = Math.max(slowest, performance.now() - t0);
      }
      total += stream.length;
      console.log(`[measure] ${decoder.id}: slowest fuzz case ${slowest.toFixed(2)} ms`);
    });
  }
  it('fed at least 10,000 cases in all', () => {
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});
