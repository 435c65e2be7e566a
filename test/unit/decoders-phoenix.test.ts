/**
 * Phoenix Channels decoder. Fixtures follow the Phoenix framework's published wire format: the
 * Phoenix.Socket.V1.JSONSerializer object `{"topic","event","payload","ref"}`, the
 * Phoenix.Socket.V2.JSONSerializer array `[join_ref, ref, topic, event, payload]` used by phoenix.js,
 * the binary form of phoenix.js's serializer (push / reply / broadcast kinds, assets/js/phoenix/
 * serializer.js), and the channel life-cycle events of the Phoenix.Channel guide: phx_join,
 * phx_reply with a status, phx_leave, phx_close, phx_error, and heartbeats (topic "phoenix", event
 * "heartbeat") with their replies.
 */
import { describe, expect, it } from 'vitest';
import { withinBudget } from '../../src/decoders/budget';
import { phoenixDecoder } from '../../src/decoders/protocols/phoenix';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';

const sent = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const received = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const bin = (dir: DecodeInput['dir'], bytes: Uint8Array): DecodeInput => ({ dir, type: 'binary', bytes });
const one = (f: DecodeInput) => {
  const m = phoenixDecoder.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};

const enc = new TextEncoder();
/** phoenix.js binaryEncode: kind 0, sizes of join_ref, ref, topic, event, then the strings and the payload. */
function clientPush(joinRef: string, ref: string, topic: string, event: string, payload: Uint8Array) {
  return Uint8Array.from([0, joinRef.length, ref.length, topic.length, event.length, ...enc.encode(joinRef + ref + topic + event), ...payload]);
}
/** Phoenix.Socket.V2.JSONSerializer binary reply: kind 1, sizes of join_ref, ref, topic, status. */
function serverReply(joinRef: string, ref: string, topic: string, status: string, payload: Uint8Array) {
  return Uint8Array.from([1, joinRef.length, ref.length, topic.length, status.length, ...enc.encode(joinRef + ref + topic + status), ...payload]);
}
/** Binary broadcast: kind 2, sizes of topic and event. */
function serverBroadcast(topic: string, event: string, payload: Uint8Array) {
  return Uint8Array.from([2, topic.length, event.length, ...enc.encode(topic + event), ...payload]);
}
/** Binary push from the server: kind 0 without a ref. */
function serverPush(joinRef: string, topic: string, event: string, payload: Uint8Array) {
  return Uint8Array.from([0, joinRef.length, topic.length, event.length, ...enc.encode(joinRef + topic + event), ...payload]);
}

describe('Phoenix V2 (array) serializer', () => {
  it('decodes a join, its reply, a push and a broadcast', () => {
    const s = phoenixDecoder.session();
    const join = s.decode(sent('["3","3","room:lobby","phx_join",{"token":"abc"}]'));
    expect(join?.summary).toBe('phx_join room:lobby');
    expect(join?.fields).toMatchObject({ topic: 'room:lobby', event: 'phx_join', ref: '3', join_ref: '3' });
    expect(join?.body).toEqual({ token: 'abc' });

    const reply = s.decode(received('["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}]'));
    expect(reply?.summary).toBe('phx_reply ok room:lobby');
    expect(reply?.fields).toMatchObject({ topic: 'room:lobby', event: 'phx_reply', status: 'ok', reply_to: 'phx_join' });
    expect(reply?.heartbeat).toBe(false);

    const push = s.decode(sent('["3","4","room:lobby","new_msg",{"body":"hello"}]'));
    expect(push?.summary).toBe('room:lobby new_msg');
    expect(push?.fields).toMatchObject({ topic: 'room:lobby', event: 'new_msg' });
    expect(push?.body).toEqual({ body: 'hello' });

    const broadcast = s.decode(received('[null,null,"room:lobby","new_msg",{"body":"hello"}]'));
    expect(broadcast?.summary).toBe('room:lobby new_msg');
    expect(broadcast?.fields.ref).toBeUndefined();
  });

  it('marks heartbeats and their replies, and nothing else', () => {
    const s = phoenixDecoder.session();
    const hb = s.decode(sent('[null,"5","phoenix","heartbeat",{}]'));
    expect(hb?.summary).toBe('heartbeat');
    expect(hb?.heartbeat).toBe(true);
    const reply = s.decode(received('[null,"5","phoenix","phx_reply",{"response":{},"status":"ok"}]'));
    expect(reply?.summary).toBe('heartbeat ok');
    expect(reply?.heartbeat).toBe(true);
    expect(reply?.fields.reply_to).toBe('heartbeat');
    for (const t of ['["3","3","room:lobby","phx_join",{}]', '["3","3","room:lobby","phx_reply",{"response":{},"status":"ok"}]', '[null,null,"room:lobby","new_msg",{}]']) {
      expect(one(received(t)).heartbeat).toBe(false);
    }
  });

  it('names leave, close and error events by event then topic', () => {
    expect(one(sent('["3","6","room:lobby","phx_leave",{}]')).summary).toBe('phx_leave room:lobby');
    expect(one(received('["3","3","room:lobby","phx_close",{}]')).summary).toBe('phx_close room:lobby');
    expect(one(received('["3","3","room:lobby","phx_error",{}]')).summary).toBe('phx_error room:lobby');
  });

  it('shows the reason of an error reply', () => {
    const m = one(received('["1","1","room:secret","phx_reply",{"response":{"reason":"unauthorized"},"status":"error"}]'));
    expect(m.summary).toBe('phx_reply error room:secret: unauthorized');
    expect(m.fields.status).toBe('error');
    expect(m.body).toEqual({ reason: 'unauthorized' });
  });

  it('sniffs V2 frames by shape', () => {
    expect(phoenixDecoder.sniff(sent('["3","3","room:lobby","phx_join",{}]'))).toBeGreaterThanOrEqual(0.9);
    expect(phoenixDecoder.sniff(sent('[null,"5","phoenix","heartbeat",{}]'))).toBeGreaterThanOrEqual(0.9);
    expect(phoenixDecoder.sniff(received('[null,null,"room:lobby","new_msg",{"body":"hi"}]'))).toBeGreaterThan(0.5);
    // A 5-element array of strings without a topic-like third element is anybody's.
    expect(phoenixDecoder.sniff(received('["a","b","c","d","e"]'))).toBe(0);
    expect(phoenixDecoder.sniff(received('[1,2,3,4,5]'))).toBe(0);
    expect(phoenixDecoder.sniff(received('["3","3","room:lobby","phx_join",{}, 6]'))).toBe(0);
  });
});

describe('Phoenix V1 (object) serializer', () => {
  it('decodes join, reply, heartbeat and broadcast objects', () => {
    const s = phoenixDecoder.session();
    const join = s.decode(sent('{"topic":"room:lobby","event":"phx_join","payload":{},"ref":"1"}'));
    expect(join?.summary).toBe('phx_join room:lobby');
    const reply = s.decode(received('{"topic":"room:lobby","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"1"}'));
    expect(reply?.summary).toBe('phx_reply ok room:lobby');
    expect(reply?.fields.reply_to).toBe('phx_join');
    const hb = s.decode(sent('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"2"}'));
    expect(hb?.heartbeat).toBe(true);
    expect(hb?.summary).toBe('heartbeat');
    const msg = s.decode(received('{"topic":"room:lobby","event":"new_msg","payload":{"body":"hi"},"ref":null}'));
    expect(msg?.summary).toBe('room:lobby new_msg');
    expect(msg?.body).toEqual({ body: 'hi' });
  });

  it('sniffs objects with topic, event, payload and ref', () => {
    expect(phoenixDecoder.sniff(sent('{"topic":"room:lobby","event":"phx_join","payload":{},"ref":"1"}'))).toBeGreaterThanOrEqual(0.9);
    expect(phoenixDecoder.sniff(received('{"topic":"room:lobby","event":"new_msg","payload":{},"ref":null}'))).toBeGreaterThan(0.5);
    expect(phoenixDecoder.sniff(received('{"topic":"room:lobby","event":"new_msg","payload":{}}'))).toBe(0);
    expect(phoenixDecoder.sniff(received('{"type":"welcome"}'))).toBe(0);
  });
});

describe('Phoenix binary serializer', () => {
  const payload = Uint8Array.from([1, 2, 3, 4]);

  it('decodes a client push (with ref)', () => {
    const m = one(bin('sent', clientPush('3', '7', 'room:lobby', 'upload', payload)));
    expect(m.summary).toBe('room:lobby upload');
    expect(m.fields).toMatchObject({ topic: 'room:lobby', event: 'upload', ref: '7', join_ref: '3', binary: true });
  });

  it('decodes a server push (no ref), a reply and a broadcast', () => {
    const s = phoenixDecoder.session();
    s.decode(bin('sent', clientPush('3', '7', 'room:lobby', 'upload', payload)));
    const reply = s.decode(bin('received', serverReply('3', '7', 'room:lobby', 'ok', payload)));
    expect(reply?.summary).toBe('phx_reply ok room:lobby');
    expect(reply?.fields).toMatchObject({ status: 'ok', reply_to: 'upload', ref: '7' });
    const push = s.decode(bin('received', serverPush('3', 'room:lobby', 'frame', payload)));
    expect(push?.summary).toBe('room:lobby frame');
    expect(push?.fields.ref).toBeUndefined();
    const bc = s.decode(bin('received', serverBroadcast('room:lobby', 'image', payload)));
    expect(bc?.summary).toBe('room:lobby image');
    expect(withinBudget(bc as DecodedMessage).body).toEqual({ binary: '4 bytes' });
  });

  it('flags truncated or unknown binary frames of a Phoenix connection', () => {
    const full = serverBroadcast('room:lobby', 'image', payload);
    expect(one(bin('received', full.subarray(0, 6))).error).toMatch(/truncated/);
    expect(one(bin('received', Uint8Array.from([9, 1, 2]))).error).toMatch(/unknown binary message kind/);
  });
});

describe('Phoenix robustness', () => {
  it('returns null for non-JSON text and flags JSON of the wrong shape', () => {
    expect(phoenixDecoder.session().decode(sent('hello'))).toBeNull();
    expect(one(sent('[1,2,3]')).error).toMatch(/5-element/);
    expect(one(sent('{"topic":1}')).error).toBeTruthy();
    expect(one(sent('["1","1","room:a","phx_join",')).error).toMatch(/invalid JSON/);
    expect(one(received('["1","1","room:a","phx_reply",{}]')).error).toMatch(/without a status/);
  });

  it('never throws on truncations and random input', () => {
    const frames = [
      enc.encode('["3","3","room:lobby","phx_join",{"a":[1,{"b":"c\\"d"}]}]'),
      enc.encode('{"topic":"room:lobby","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"1"}'),
      serverReply('3', '7', 'room:lobby', 'ok', Uint8Array.from([1, 2])),
    ];
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 60; i++) frames.push(Uint8Array.from({ length: Math.floor(rnd() * 48) }, () => Math.floor(rnd() * 256)));
    const s = phoenixDecoder.session();
    for (const f of frames) {
      for (let cut = 0; cut <= f.length; cut++) {
        const part = f.subarray(0, cut);
        for (const input of [bin('received', part), bin('sent', part), received(new TextDecoder().decode(part))]) {
          expect(() => phoenixDecoder.sniff(input)).not.toThrow();
          expect(() => s.decode(input)).not.toThrow();
        }
      }
    }
  }, 20_000);

  it('sniffs large frames from their head without parsing them', () => {
    const big = `[null,null,"room:lobby","new_msg",{"body":"${'x'.repeat(100_000)}"}]`;
    expect(phoenixDecoder.sniff(received(big))).toBeGreaterThan(0.5);
    expect(phoenixDecoder.sniff(received(`[null,null,"nope","new_msg",{"body":"${'x'.repeat(100_000)}"}]`))).toBe(0);
  });

  it('has no subprotocol', () => {
    expect(phoenixDecoder.subprotocols).toEqual([]);
  });
});
