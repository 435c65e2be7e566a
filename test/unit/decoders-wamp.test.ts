/**
 * WAMP decoder. Fixtures are the message examples of the WAMP v2 specification (wamp-proto.org,
 * "The Web Application Messaging Protocol", Basic and Advanced Profiles): HELLO / WELCOME / ABORT /
 * GOODBYE, CHALLENGE / AUTHENTICATE (WAMP-CRA), SUBSCRIBE → SUBSCRIBED → EVENT, PUBLISH →
 * PUBLISHED, REGISTER → REGISTERED → INVOCATION → YIELD, CALL → RESULT, ERROR for CALL and
 * INVOCATION, CANCEL / INTERRUPT, with the spec's ids and URIs. The same arrays are serialized as
 * JSON (text), MessagePack and CBOR (binary, built with the libraries' encoders), and in the
 * batched modes: JSON records each followed by 0x1E, binary messages each preceded by a 4-byte
 * big-endian length.
 */
import { encode as msgpack } from '@msgpack/msgpack';
import { encode as cbor } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { wampDecoder } from '../../src/decoders/protocols/wamp';
import type { DecodeInput } from '../../src/decoders/types';

const sent = (v: unknown): DecodeInput => ({ dir: 'sent', type: 'text', text: JSON.stringify(v) });
const received = (v: unknown): DecodeInput => ({ dir: 'received', type: 'text', text: JSON.stringify(v) });
const bin = (dir: DecodeInput['dir'], bytes: Uint8Array): DecodeInput => ({ dir, type: 'binary', bytes: Uint8Array.from(bytes) });
const one = (f: DecodeInput) => {
  const m = wampDecoder.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};
const matches = (p: string) => wampDecoder.subprotocols.some((s) => (typeof s === 'string' ? s === p : s.test(p)));
function batch(parts: Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push((p.length >>> 24) & 255, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255, ...p);
  return Uint8Array.from(out);
}

const HELLO = [1, 'somerealm', { roles: { publisher: {}, subscriber: {} } }];
const WELCOME = [2, 9129137332, { roles: { broker: {} } }];

describe('WAMP session messages', () => {
  it('decodes HELLO and WELCOME and sniffs them as WAMP', () => {
    expect(wampDecoder.sniff(sent(HELLO))).toBeGreaterThanOrEqual(0.9);
    expect(wampDecoder.sniff(received(WELCOME))).toBeGreaterThanOrEqual(0.9);
    const hello = one(sent(HELLO));
    expect(hello.summary).toBe('HELLO somerealm');
    expect(hello.fields).toMatchObject({ type: 'HELLO', code: 1, realm: 'somerealm' });
    const welcome = one(received(WELCOME));
    expect(welcome.summary).toBe('WELCOME session 9129137332');
    expect(welcome.fields.session).toBe(9129137332);
  });

  it('decodes ABORT and GOODBYE with their reasons', () => {
    const abort = one(received([3, { message: 'The realm does not exist.' }, 'wamp.error.no_such_realm']));
    expect(abort.summary).toBe('ABORT wamp.error.no_such_realm: The realm does not exist.');
    expect(abort.fields.reason).toBe('wamp.error.no_such_realm');
    expect(one(sent([6, {}, 'wamp.close.goodbye_and_out'])).summary).toBe('GOODBYE wamp.close.goodbye_and_out');
  });

  it('decodes CHALLENGE and AUTHENTICATE without showing the signature', () => {
    expect(one(received([4, 'wampcra', { challenge: '{"nonce": "LHRTC9zeOIrt_9U3"}' }])).summary).toBe('CHALLENGE wampcra');
    const auth = one(sent([5, 'gir1mSx+deCDUV7wRM5SGIn/+R/ClqLZuH4m7FJeBVI=', {}]));
    expect(auth.summary).toBe('AUTHENTICATE');
    expect(JSON.stringify(auth)).not.toContain('gir1mSx');
  });

  it('is never a heartbeat', () => {
    for (const m of [HELLO, WELCOME, [6, {}, 'wamp.close.goodbye_and_out'], [36, 1, 2, {}]]) expect(one(received(m)).heartbeat).toBe(false);
  });
});

describe('WAMP publish & subscribe', () => {
  it('follows SUBSCRIBE → SUBSCRIBED → EVENT → UNSUBSCRIBE → UNSUBSCRIBED', () => {
    const s = wampDecoder.session();
    const sub = s.decode(sent([32, 713845233, {}, 'com.myapp.mytopic1']));
    expect(sub?.summary).toBe('SUBSCRIBE com.myapp.mytopic1');
    expect(sub?.fields).toMatchObject({ type: 'SUBSCRIBE', topic: 'com.myapp.mytopic1', id: 713845233 });
    const ok = s.decode(received([33, 713845233, 5512315355]));
    expect(ok?.summary).toBe('SUBSCRIBED com.myapp.mytopic1');
    expect(ok?.fields.subscription).toBe(5512315355);
    const ev = s.decode(received([36, 5512315355, 4429313566, {}, ['Hello, world!']]));
    expect(ev?.summary).toBe('EVENT com.myapp.mytopic1');
    expect(ev?.fields).toMatchObject({ type: 'EVENT', topic: 'com.myapp.mytopic1', subscription: 5512315355, publication: 4429313566 });
    expect(ev?.body).toEqual({ args: ['Hello, world!'] });
    expect(s.decode(sent([34, 85346237, 5512315355]))?.summary).toBe('UNSUBSCRIBE com.myapp.mytopic1');
    expect(s.decode(received([35, 85346237]))?.summary).toBe('UNSUBSCRIBED com.myapp.mytopic1');
  });

  it('names an EVENT by its subscription id when it never saw the SUBSCRIBE', () => {
    const m = one(received([36, 5512315355, 4429313566, {}, ['Hello, world!']]));
    expect(m.summary).toBe('EVENT #5512315355');
    expect(m.fields.subscription).toBe(5512315355);
  });

  it('uses the topic a pattern-based subscription reports in EVENT details', () => {
    expect(one(received([36, 5512315355, 4429313566, { topic: 'com.myapp.topic.123' }])).summary).toBe('EVENT com.myapp.topic.123');
  });

  it('follows PUBLISH → PUBLISHED with arguments and keyword arguments', () => {
    const s = wampDecoder.session();
    const pub = s.decode(sent([16, 239714735, { acknowledge: true }, 'com.myapp.mytopic1', [], { color: 'orange', sizes: [23, 42, 7] }]));
    expect(pub?.summary).toBe('PUBLISH com.myapp.mytopic1');
    expect(pub?.fields.topic).toBe('com.myapp.mytopic1');
    expect(pub?.body).toEqual({ args: [], kwargs: { color: 'orange', sizes: [23, 42, 7] }, options: { acknowledge: true } });
    const done = s.decode(received([17, 239714735, 4429313566]));
    expect(done?.summary).toBe('PUBLISHED com.myapp.mytopic1');
    expect(done?.fields.publication).toBe(4429313566);
  });

  it('decodes a SUBSCRIBE error with the topic it refused', () => {
    const s = wampDecoder.session();
    s.decode(sent([32, 713845233, {}, 'com.myapp.mytopic1']));
    const e = s.decode(received([8, 32, 713845233, {}, 'wamp.error.not_authorized']));
    expect(e?.summary).toBe('ERROR SUBSCRIBE com.myapp.mytopic1: wamp.error.not_authorized');
    expect(e?.fields).toMatchObject({ type: 'ERROR', request_type: 'SUBSCRIBE', error: 'wamp.error.not_authorized', topic: 'com.myapp.mytopic1' });
  });
});

describe('WAMP remote procedure calls', () => {
  it('follows CALL → RESULT (RESULT names the procedure)', () => {
    const s = wampDecoder.session();
    const call = s.decode(sent([48, 7814135, {}, 'com.myapp.add', [2, 3]]));
    expect(call?.summary).toBe('CALL com.myapp.add');
    expect(call?.fields).toMatchObject({ type: 'CALL', code: 48, procedure: 'com.myapp.add', id: 7814135 });
    expect(call?.body).toEqual({ args: [2, 3] });
    const result = s.decode(received([50, 7814135, {}, [5]]));
    expect(result?.summary).toBe('RESULT com.myapp.add');
    expect(result?.fields).toMatchObject({ type: 'RESULT', procedure: 'com.myapp.add', id: 7814135 });
    expect(result?.body).toEqual({ args: [5] });
  });

  it('marks progressive results', () => {
    const s = wampDecoder.session();
    s.decode(sent([48, 77133, { receive_progress: true }, 'com.myapp.compute_revenue', [2010, 2011, 2012]]));
    const r = s.decode(received([50, 77133, { progress: true }, ['Y2010', 120]]));
    expect(r?.summary).toBe('RESULT com.myapp.compute_revenue (progress)');
    expect(r?.fields.progress).toBe(true);
  });

  it('decodes a CALL error with the procedure and the error URI', () => {
    const s = wampDecoder.session();
    s.decode(sent([48, 7814135, {}, 'com.myapp.user.new', ['johnny'], { firstname: 'John', surname: 'Doe' }]));
    const e = s.decode(received([8, 48, 7814135, {}, 'com.myapp.error.object_write_protected', ['Object is write protected.'], { severity: 3 }]));
    expect(e?.summary).toBe('ERROR CALL com.myapp.user.new: com.myapp.error.object_write_protected');
    expect(e?.fields).toMatchObject({ procedure: 'com.myapp.user.new', error: 'com.myapp.error.object_write_protected', id: 7814135 });
    expect(e?.body).toEqual({ args: ['Object is write protected.'], kwargs: { severity: 3 } });
    expect(one(received([8, 48, 1, {}, 'wamp.error.no_such_procedure'])).summary).toBe('ERROR CALL #1: wamp.error.no_such_procedure');
  });

  it('follows REGISTER → REGISTERED → INVOCATION → YIELD / ERROR → UNREGISTER', () => {
    const s = wampDecoder.session();
    expect(s.decode(sent([64, 25349185, {}, 'com.myapp.myprocedure1']))?.summary).toBe('REGISTER com.myapp.myprocedure1');
    const reg = s.decode(received([65, 25349185, 2103333224]));
    expect(reg?.summary).toBe('REGISTERED com.myapp.myprocedure1');
    expect(reg?.fields.registration).toBe(2103333224);
    const inv = s.decode(received([68, 6131533, 2103333224, {}, ['Hello, world!']]));
    expect(inv?.summary).toBe('INVOCATION com.myapp.myprocedure1');
    expect(inv?.fields).toMatchObject({ procedure: 'com.myapp.myprocedure1', id: 6131533, registration: 2103333224 });
    expect(s.decode(sent([70, 6131533, {}, ['Hello, world!']]))?.summary).toBe('YIELD com.myapp.myprocedure1');
    s.decode(received([68, 6131534, 2103333224, {}]));
    expect(s.decode(sent([8, 68, 6131534, {}, 'com.myapp.error.object_write_protected', ['Object is write protected.'], { severity: 3 }]))?.summary)
      .toBe('ERROR INVOCATION com.myapp.myprocedure1: com.myapp.error.object_write_protected');
    expect(s.decode(received([69, 6131534, { mode: 'killnowait' }]))?.summary).toBe('INTERRUPT com.myapp.myprocedure1');
    expect(s.decode(sent([66, 788923562, 2103333224]))?.summary).toBe('UNREGISTER com.myapp.myprocedure1');
    expect(s.decode(received([67, 788923562]))?.summary).toBe('UNREGISTERED com.myapp.myprocedure1');
  });

  it('decodes CANCEL of a known call', () => {
    const s = wampDecoder.session();
    s.decode(sent([48, 7814135, {}, 'com.myapp.longop']));
    expect(s.decode(sent([49, 7814135, { mode: 'killnowait' }]))?.summary).toBe('CANCEL com.myapp.longop');
  });
});

describe('WAMP serializations', () => {
  const call = [48, 7814135, {}, 'com.myapp.add', [2, 3]];

  it('decodes MessagePack and CBOR frames the same as JSON', () => {
    for (const bytes of [msgpack(call), cbor(call)]) {
      const f = bin('sent', bytes);
      expect(wampDecoder.sniff(f)).toBeGreaterThan(0.55);
      const s = wampDecoder.session();
      const m = s.decode(f);
      expect(m?.summary).toBe('CALL com.myapp.add');
      expect(m?.body).toEqual({ args: [2, 3] });
      expect(s.decode(bin('received', msgpack([50, 7814135, {}, [5]])))?.summary).toBe('RESULT com.myapp.add');
    }
    expect(wampDecoder.sniff(bin('sent', msgpack(HELLO)))).toBeGreaterThanOrEqual(0.9);
    expect(wampDecoder.sniff(bin('sent', cbor(HELLO)))).toBeGreaterThanOrEqual(0.9);
    expect(one(bin('received', cbor(WELCOME))).summary).toBe('WELCOME session 9129137332');
  });

  it('decodes wamp.2.json.batched frames (each message followed by 0x1E)', () => {
    const text = `${JSON.stringify([32, 1, {}, 'com.myapp.a'])}\x1e${JSON.stringify([32, 2, {}, 'com.myapp.b'])}\x1e`;
    const f: DecodeInput = { dir: 'sent', type: 'text', text };
    expect(wampDecoder.sniff(f)).toBeGreaterThan(0.5);
    const m = one(f);
    expect(m.summary).toBe('SUBSCRIBE com.myapp.a; SUBSCRIBE com.myapp.b');
    expect(m.fields).toMatchObject({ count: 2, topic: 'com.myapp.a' });
  });

  it('decodes wamp.2.msgpack.batched and cbor batched frames (4-byte big-endian lengths)', () => {
    const s = wampDecoder.session();
    s.decode(sent([32, 713845233, {}, 'com.myapp.mytopic1']));
    const m = s.decode(bin('received', batch([msgpack([33, 713845233, 5512315355]), msgpack([36, 5512315355, 1, {}, ['hi']])])));
    expect(m?.summary).toBe('SUBSCRIBED com.myapp.mytopic1; EVENT com.myapp.mytopic1');
    expect(m?.fields.count).toBe(2);
    const c = one(bin('received', batch([cbor([36, 5, 1, {}]), cbor([36, 6, 2, {}])])));
    expect(c.summary).toBe('EVENT #5; EVENT #6');
    expect(wampDecoder.sniff(bin('received', batch([msgpack(WELCOME)])))).toBeGreaterThanOrEqual(0.9);
  });

  it('claims the wamp.2 subprotocols', () => {
    for (const p of ['wamp.2.json', 'wamp.2.msgpack', 'wamp.2.cbor', 'wamp.2.json.batched', 'wamp.2.msgpack.batched', 'wamp.2.cbor.batched']) expect(matches(p), p).toBe(true);
    expect(matches('wamp.1.json')).toBe(false);
    expect(matches('mqtt')).toBe(false);
  });
});

describe('WAMP robustness', () => {
  it('does not claim ordinary JSON arrays or other protocols', () => {
    for (const v of [[1, 2, 3], [1, 'a', 'b'], ['3', '3', 'room:lobby', 'phx_join', {}], [99, 1, {}, 'a.b'], { jsonrpc: '2.0' }]) {
      expect(wampDecoder.sniff(sent(v)), JSON.stringify(v)).toBeLessThanOrEqual(0.5);
    }
    expect(wampDecoder.sniff({ dir: 'sent', type: 'text', text: 'hello' })).toBe(0);
  });

  it('says so on text that is not a JSON array, flags malformed messages', () => {
    expect(wampDecoder.session().decode({ dir: 'sent', type: 'text', text: '{"a":1}' })).toMatchObject({ summary: '(not a WAMP message)', error: expect.stringMatching(/not a JSON array/) });
    expect(wampDecoder.session().decode({ dir: 'sent', type: 'text', text: '' })).toBeNull();
    expect(one({ dir: 'sent', type: 'text', text: '[48, 1, {}, "com.a"' }).error).toMatch(/invalid JSON/);
    expect(one(sent([99, 1])).error).toMatch(/unknown WAMP message code/);
    expect(one(sent(['CALL'])).error).toBeTruthy();
    expect(one(sent([48, 1])).error).toMatch(/at least 4 elements/);
    expect(one(bin('received', Uint8Array.from([0xc1]))).error).toBeTruthy();
  });

  it('never throws on truncations and random input', () => {
    const frames = [msgpack([48, 7814135, {}, 'com.myapp.add', [2, 3], { a: 'b' }]), cbor([36, 5512315355, 4429313566, {}, ['x']]),
      batch([msgpack(HELLO), msgpack(WELCOME)]), new TextEncoder().encode(JSON.stringify(HELLO) + '\x1e' + JSON.stringify(WELCOME) + '\x1e')];
    let seed = 4242;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 60; i++) frames.push(Uint8Array.from({ length: Math.floor(rnd() * 48) }, () => Math.floor(rnd() * 256)));
    const s = wampDecoder.session();
    for (const f of frames) {
      for (let cut = 0; cut <= f.length; cut++) {
        const part = f.subarray(0, cut);
        for (const input of [bin('received', part), { dir: 'received', type: 'text', text: new TextDecoder().decode(part) } as DecodeInput]) {
          expect(() => wampDecoder.sniff(input)).not.toThrow();
          expect(() => s.decode(input)).not.toThrow();
        }
      }
    }
  }, 20_000);
});
