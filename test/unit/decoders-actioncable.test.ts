/**
 * Action Cable decoder. Fixtures follow the Action Cable wire protocol as documented by Rails (the
 * Action Cable Overview guide and ActionCable::INTERNAL message types) and AnyCable's "Action Cable
 * protocol" specification: `{"type":"welcome"}`, `{"type":"ping","message":<unix seconds>}`,
 * `confirm_subscription` / `reject_subscription`, `disconnect` with reason and reconnect, client
 * commands subscribe / unsubscribe / message (with a `data` JSON string), and server broadcasts
 * `{"identifier":…,"message":{…}}`; subprotocols `actioncable-v1-json` and `actioncable-unsupported`.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { actionCableDecoder } from '../../src/decoders/protocols/actioncable';
import type { DecodeInput } from '../../src/decoders/types';

const sent = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const received = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const one = (f: DecodeInput) => {
  const m = actionCableDecoder.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};
const ID = JSON.stringify({ channel: 'ChatChannel', room: 'Best Room' });
const matches = (p: string) => actionCableDecoder.subprotocols.some((s) => (typeof s === 'string' ? s === p : s.test(p)));

describe('Action Cable server messages', () => {
  it('decodes welcome', () => {
    const f = received('{"type":"welcome"}');
    expect(actionCableDecoder.sniff(f)).toBeGreaterThanOrEqual(0.9);
    const m = one(f);
    expect(m.summary).toBe('welcome');
    expect(m.fields.type).toBe('welcome');
    expect(m.heartbeat).toBe(false);
  });

  it('decodes ping as a heartbeat', () => {
    const f = received('{"type":"ping","message":1652197373}');
    expect(actionCableDecoder.sniff(f)).toBeGreaterThanOrEqual(0.9);
    const m = one(f);
    expect(m.summary).toBe('ping');
    expect(m.heartbeat).toBe(true);
    expect(m.body).toBe(1652197373);
  });

  it('decodes confirm_subscription and reject_subscription with the channel', () => {
    const ok = one(received(JSON.stringify({ identifier: ID, type: 'confirm_subscription' })));
    expect(ok.summary).toBe('confirm_subscription ChatChannel');
    expect(ok.fields).toMatchObject({ type: 'confirm_subscription', channel: 'ChatChannel', identifier: ID });
    const no = one(received(JSON.stringify({ identifier: ID, type: 'reject_subscription' })));
    expect(no.summary).toBe('reject_subscription ChatChannel');
    expect(no.heartbeat).toBe(false);
  });

  it('decodes disconnect with its reason', () => {
    const m = one(received('{"type":"disconnect","reason":"unauthorized","reconnect":false}'));
    expect(m.summary).toBe('disconnect unauthorized (no reconnect)');
    expect(m.fields).toMatchObject({ type: 'disconnect', reason: 'unauthorized', reconnect: false });
    expect(one(received('{"type":"disconnect","reason":"server_restart","reconnect":true}')).summary).toBe('disconnect server_restart');
  });

  it('decodes a broadcast as "<channel> message"', () => {
    const f = received(JSON.stringify({ identifier: ID, message: { sent_by: 'Paul', body: 'This is a cool chat app.' } }));
    expect(actionCableDecoder.sniff(f)).toBeGreaterThan(0.5);
    const m = one(f);
    expect(m.summary).toBe('ChatChannel message');
    expect(m.fields).toMatchObject({ channel: 'ChatChannel', type: 'message' });
    expect(m.body).toEqual({ sent_by: 'Paul', body: 'This is a cool chat app.' });
  });

  it('reads the channel of Turbo Streams identifiers', () => {
    const id = JSON.stringify({ channel: 'Turbo::StreamsChannel', signed_stream_name: 'abc--def' });
    expect(one(received(JSON.stringify({ identifier: id, message: '<turbo-stream action="append"></turbo-stream>' }))).summary)
      .toBe('Turbo::StreamsChannel message');
  });
});

describe('Action Cable client commands', () => {
  it('decodes subscribe ChatChannel', () => {
    const f = sent(JSON.stringify({ command: 'subscribe', identifier: '{"channel":"ChatChannel"}' }));
    expect(actionCableDecoder.sniff(f)).toBeGreaterThanOrEqual(0.9);
    const m = one(f);
    expect(m.summary).toBe('subscribe ChatChannel');
    expect(m.fields).toMatchObject({ command: 'subscribe', channel: 'ChatChannel', identifier: '{"channel":"ChatChannel"}' });
    expect(m.body).toEqual({ channel: 'ChatChannel' });
  });

  it('decodes unsubscribe', () => {
    expect(one(sent(JSON.stringify({ command: 'unsubscribe', identifier: ID }))).summary).toBe('unsubscribe ChatChannel');
  });

  it('decodes a message command: the data JSON string and its action', () => {
    const m = one(sent(JSON.stringify({ command: 'message', identifier: ID, data: JSON.stringify({ action: 'speak', message: 'hi' }) })));
    expect(m.summary).toBe('ChatChannel perform speak');
    expect(m.fields).toMatchObject({ command: 'message', channel: 'ChatChannel', action: 'speak' });
    expect(m.body).toEqual({ action: 'speak', message: 'hi' });
    expect(m.heartbeat).toBe(false);
  });

  it('flags a message whose data is not JSON', () => {
    const m = one(sent(JSON.stringify({ command: 'message', identifier: ID, data: '{not json' })));
    expect(m.error).toMatch(/"data" is not JSON/);
    expect(m.summary).toBe('ChatChannel perform');
  });
});

describe('Action Cable subprotocols and robustness', () => {
  it('claims its subprotocols', () => {
    expect(matches('actioncable-v1-json')).toBe(true);
    expect(matches('actioncable-unsupported')).toBe(true);
    expect(matches('actioncable-v1-ext-json')).toBe(true);
    expect(matches('graphql-ws')).toBe(false);
  });

  it('decodes AnyCable\'s MessagePack variant', () => {
    const m = one({ dir: 'received', type: 'binary', bytes: encode({ type: 'ping', message: 1652197373 }) });
    expect(m.summary).toBe('ping');
    expect(m.heartbeat).toBe(true);
  });

  it('does not claim other protocols\' frames', () => {
    expect(actionCableDecoder.sniff(received('{"type":"ping"}'))).toBe(0); // graphql-ws
    expect(actionCableDecoder.sniff(received('{"type":"connection_ack"}'))).toBe(0);
    expect(actionCableDecoder.sniff(received('{"jsonrpc":"2.0","method":"x"}'))).toBe(0);
    expect(actionCableDecoder.sniff(received('hello'))).toBe(0);
    expect(actionCableDecoder.sniff({ dir: 'received', type: 'binary', bytes: Uint8Array.from([1, 2]) })).toBe(0);
  });

  it('says so on text that is not a JSON object, and flags malformed JSON', () => {
    expect(actionCableDecoder.session().decode(received('hello'))).toMatchObject({ summary: '(not an Action Cable message)', error: expect.stringMatching(/not a JSON object/) });
    expect(actionCableDecoder.session().decode(received(''))).toBeNull();
    expect(one(received('{"type":')).error).toMatch(/invalid JSON/);
    expect(one(received('{"foo":1}')).error).toBeTruthy();
  });

  it('never throws on truncations and random input', () => {
    const texts = [
      JSON.stringify({ command: 'message', identifier: ID, data: JSON.stringify({ action: 'speak', message: 'hi' }) }),
      JSON.stringify({ identifier: ID, message: { a: [1, 2, 3] } }),
      '{"type":"ping","message":1652197373}',
    ];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const s = actionCableDecoder.session();
    for (const t of texts) {
      for (let cut = 0; cut <= t.length; cut++) {
        const f = received(t.slice(0, cut));
        expect(() => actionCableDecoder.sniff(f)).not.toThrow();
        expect(() => s.decode(f)).not.toThrow();
      }
    }
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256));
      const f: DecodeInput = { dir: 'received', type: 'binary', bytes };
      expect(() => actionCableDecoder.sniff(f)).not.toThrow();
      expect(() => s.decode(f)).not.toThrow();
    }
  });
});
