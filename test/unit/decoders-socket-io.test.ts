/**
 * The Socket.IO decoder on hand-written frames: the encoding examples of the Socket.IO protocol
 * specification (github.com/socketio/socket.io-protocol, v5 Readme, each wrapped in an Engine.IO
 * `4` message as on the wire), the Engine.IO v3 / Socket.IO v2 dialect, malformed packets, lost and
 * surplus attachments. Real traffic is in test/protocols/socket-io.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { BODY_MAX_DEPTH } from '../../src/decoders/budget';
import { parseSocketIoPacket, socketIoDecoder } from '../../src/decoders/protocols/socket-io';
import { safeDecode, sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput, DecoderSession } from '../../src/decoders/types';

const rx = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const tx = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const bin = (dir: DecodeInput['dir'], ...bytes: number[]): DecodeInput => ({ dir, type: 'binary', bytes: new Uint8Array(bytes) });
const PH = (num: number) => `{"_placeholder":true,"num":${num}}`;

/** Decodes frames in order with one session; returns the messages. */
function run(...frames: DecodeInput[]): (DecodedMessage | null)[] {
  const s = socketIoDecoder.session();
  return frames.map((f) => s.decode(f));
}
const one = (f: DecodeInput) => run(f)[0]!;

/** A session that has seen an EIO4 (v3+) handshake, or an EIO3 (v2) one. */
function v4Session(): DecoderSession {
  const s = socketIoDecoder.session();
  s.decode(rx('0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}'));
  s.decode(tx('40'));
  s.decode(rx('40{"sid":"wZX3oN0bSVIhsaknAAAI"}'));
  return s;
}
function v3Session(): DecoderSession {
  const s = socketIoDecoder.session();
  s.decode(rx('0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":60000}'));
  s.decode(rx('40'));
  return s;
}

describe('Engine.IO packets', () => {
  it('decodes the open packet of the specification sample session', () => {
    expect(one(rx('0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}'))).toEqual({
      protocol: 'socket.io', summary: 'open sid=lv_VI97HAXpY6yYWAAAC', heartbeat: false,
      fields: { type: 'open', sid: 'lv_VI97HAXpY6yYWAAAC', pingInterval: 25000, pingTimeout: 5000 },
      body: { sid: 'lv_VI97HAXpY6yYWAAAC', upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 5000, maxPayload: 1000000 },
    });
  });

  it('marks ping, pong, their probes and noop as heartbeats; upgrade and close are not', () => {
    const [ping, pong, probe, probeBack, upgrade, noop, close] = run(rx('2'), tx('3'), tx('2probe'), rx('3probe'), tx('5'), rx('6'), tx('1'));
    expect(ping).toMatchObject({ summary: 'ping', heartbeat: true, fields: { type: 'ping' } });
    expect(pong).toMatchObject({ summary: 'pong', heartbeat: true, fields: { type: 'pong' } });
    expect(probe).toMatchObject({ summary: 'ping probe', heartbeat: true, fields: { type: 'ping', probe: true } });
    expect(probeBack).toMatchObject({ summary: 'pong probe', heartbeat: true, fields: { type: 'pong', probe: true } });
    expect(upgrade).toMatchObject({ summary: 'upgrade', heartbeat: false, fields: { type: 'upgrade' } });
    expect(noop).toMatchObject({ summary: 'noop', heartbeat: true });
    expect(close).toMatchObject({ summary: 'close', heartbeat: false, fields: { type: 'close' } });
  });

  it('returns null for text that is not an Engine.IO packet', () => {
    for (const t of ['', 'hello', '{"sid":"x"}', '7', '9abc', '[1,2]', ' 42["x"]', 'bonjour !']) expect(one(rx(t)), t).toBeNull();
  });

  it('reports a broken open packet', () => {
    expect(one(rx('0not json'))).toMatchObject({ summary: 'open', error: 'open packet without a JSON handshake' });
    expect(one(rx('0{"upgrades":[]}'))).toMatchObject({ summary: 'open', error: 'handshake without a sid' });
  });
});

describe('Socket.IO packets: the specification examples', () => {
  it('CONNECT, with and without payload, in the main and a custom namespace', () => {
    const [c1, c2, c3, c4, auth] = run(tx('40'), rx('40{"sid":"wZX3oN0bSVIhsaknAAAI"}'), tx('40/admin,'), rx('40/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}'), tx('40/admin,{"token":"123"}'));
    expect(c1).toEqual({ protocol: 'socket.io', summary: 'connect /', fields: { type: 'connect', namespace: '/' }, heartbeat: false });
    expect(c2).toMatchObject({ summary: 'connect /', fields: { sid: 'wZX3oN0bSVIhsaknAAAI' }, body: { sid: 'wZX3oN0bSVIhsaknAAAI' } });
    expect(c3).toMatchObject({ summary: 'connect /admin', fields: { namespace: '/admin' } });
    expect(c4).toMatchObject({ summary: 'connect /admin', fields: { namespace: '/admin', sid: 'oSO0OpakMV_3jnilAAAA' } });
    expect(auth).toMatchObject({ summary: 'connect /admin', body: { token: '123' } });
    expect(auth!.fields.sid).toBeUndefined();
  });

  it('CONNECT_ERROR', () => {
    expect(one(rx('44{"message":"Not authorized"}'))).toEqual({
      protocol: 'socket.io', summary: 'connect_error /: Not authorized', heartbeat: false,
      fields: { type: 'connect_error', namespace: '/', message: 'Not authorized' }, body: { message: 'Not authorized' },
    });
    expect(one(rx('44/admin,{"message":"Not authorized","data":{"code":42}}'))).toMatchObject({
      summary: 'connect_error /admin: Not authorized', body: { message: 'Not authorized', data: { code: 42 } },
    });
  });

  it('EVENT and DISCONNECT', () => {
    const [foo, bar, d1, d2] = run(tx('42["foo"]'), rx('42/admin,["bar"]'), tx('41'), tx('41/admin,'));
    expect(foo).toEqual({ protocol: 'socket.io', summary: 'emit foo', fields: { type: 'event', namespace: '/', event: 'foo' }, heartbeat: false, body: [] });
    expect(bar).toMatchObject({ summary: 'emit bar on /admin', fields: { event: 'bar', namespace: '/admin' }, body: [] });
    expect(d1).toMatchObject({ summary: 'disconnect /', fields: { type: 'disconnect', namespace: '/' } });
    expect(d2).toMatchObject({ summary: 'disconnect /admin', fields: { namespace: '/admin' } });
  });

  it('numeric event names and arguments of every JSON type', () => {
    expect(one(tx('42[7,null,true,1.5,"s",{"a":[1]}]'))).toMatchObject({ summary: 'emit 7', fields: { event: '7' }, body: [null, true, 1.5, 's', { a: [1] }] });
  });

  it('acknowledgements', () => {
    const [e12, a12, e13, a13] = run(tx('4212["foo"]'), rx('4312[]'), rx('42/admin,13["foo"]'), tx('43/admin,13["bar"]'));
    expect(e12).toMatchObject({ summary: 'emit foo #12', fields: { event: 'foo', id: 12 } });
    expect(a12).toEqual({ protocol: 'socket.io', summary: 'ack #12', fields: { type: 'ack', namespace: '/', id: 12 }, heartbeat: false, body: [] });
    expect(e13).toMatchObject({ summary: 'emit foo #13 on /admin', fields: { id: 13, namespace: '/admin' } });
    expect(a13).toMatchObject({ summary: 'ack #13 on /admin', body: ['bar'] });
  });

  it('BINARY_EVENT with one attachment', () => {
    const [ph, last] = run(tx(`451-["baz",${PH(0)}]`), bin('sent', 1, 2, 3, 4));
    expect(ph).toMatchObject({
      summary: 'emit baz (waiting for 1 attachment)', partial: true,
      fields: { type: 'binary_event', event: 'baz', attachments: 1 }, body: [{ _placeholder: true, num: 0 }],
    });
    expect(last).toEqual({
      protocol: 'socket.io', summary: 'emit baz', heartbeat: false,
      fields: { type: 'binary_event', namespace: '/', attachments: 1, event: 'baz', bytes: 4 }, body: [{ binary: '4 bytes' }],
    });
  });

  it('BINARY_EVENT with two attachments in a namespace', () => {
    const [ph, a1, last] = run(rx(`452-/admin,["baz",${PH(0)},${PH(1)}]`), bin('received', 1, 2), bin('received', 3, 4, 5));
    expect(ph).toMatchObject({ summary: 'emit baz on /admin (waiting for 2 attachments)', partial: true });
    expect(a1).toEqual({
      protocol: 'socket.io', summary: 'attachment 1 of 2', heartbeat: false, partial: true,
      fields: { type: 'attachment', namespace: '/admin', attachment: 1, attachments: 2, bytes: 2, event: 'baz' },
    });
    expect(last).toMatchObject({ summary: 'emit baz on /admin', body: [{ binary: '2 bytes' }, { binary: '3 bytes' }], fields: { bytes: 5 } });
    expect(last!.partial).toBeUndefined();
  });

  it('BINARY_EVENT with an ack id, and BINARY_ACK', () => {
    const [ph, last, ack] = run(tx(`451-14["foo",${PH(0)}]`), bin('sent', 1, 2, 3, 4), rx('4314["bar"]'));
    expect(ph).toMatchObject({ summary: 'emit foo #14 (waiting for 1 attachment)', fields: { id: 14 } });
    expect(last).toMatchObject({ summary: 'emit foo #14', fields: { id: 14 }, body: [{ binary: '4 bytes' }] });
    expect(ack).toMatchObject({ summary: 'ack #14', body: ['bar'] });
    const [bph, black] = run(tx(`461-15["bar",${PH(0)}]`), bin('sent', 1, 2, 3, 4));
    expect(bph).toMatchObject({ summary: 'ack #15 (waiting for 1 attachment)', partial: true, fields: { type: 'binary_ack', id: 15 } });
    expect(black).toMatchObject({ summary: 'ack #15', fields: { type: 'binary_ack' }, body: ['bar', { binary: '4 bytes' }] });
  });

  it('the WebSocket part of the sample session', () => {
    const msgs = run(tx('2probe'), rx('3probe'), tx('5'), tx('42["hello"]'), tx('42["world"]'), tx('40/admin,'),
      rx('40/admin,{"sid":"-G5j-67EZFp-q59rADQM"}'), tx('42/admin,1["tellme"]'), rx(`461-/admin,1[${PH(0)}]`), bin('received', 0xca, 0xfe), tx('1'));
    expect(msgs.map((m) => m?.summary)).toEqual([
      'ping probe', 'pong probe', 'upgrade', 'emit hello', 'emit world', 'connect /admin', 'connect /admin', 'emit tellme #1 on /admin',
      'ack #1 on /admin (waiting for 1 attachment)', 'ack #1 on /admin', 'close',
    ]);
    expect(msgs[9]!.body).toEqual([{ binary: '2 bytes' }]);
    for (const m of msgs) expect(m!.error).toBeUndefined();
  });
});

describe('Engine.IO v3 / Socket.IO v2', () => {
  it('strips the 0x04 type byte from binary attachments', () => {
    const s = v3Session();
    expect(s.decode(rx(`451-["upload",${PH(0)}]`))).toMatchObject({ partial: true });
    expect(s.decode(bin('received', 4, 10, 20, 30))).toMatchObject({ summary: 'emit upload', body: [{ binary: '3 bytes' }], fields: { bytes: 3 } });
    expect(s.decode(tx(`451-["up",${PH(0)}]`))).toMatchObject({ partial: true });
    expect(s.decode(bin('sent', 4))).toMatchObject({ summary: 'emit up', body: [{ binary: '0 bytes' }] });
  });

  it('learns the version from the client pinging, without any CONNECT', () => {
    const s = socketIoDecoder.session();
    s.decode(tx('2'));
    s.decode(rx(`451-["x",${PH(0)}]`));
    expect(s.decode(bin('received', 4, 4, 4))!.body).toEqual([{ binary: '2 bytes' }]);
  });

  it('keeps a leading 0x04 as data once the traffic says EIO4', () => {
    const s = v4Session();
    s.decode(rx(`451-["x",${PH(0)}]`));
    expect(s.decode(bin('received', 4, 5, 6))!.body).toEqual([{ binary: '3 bytes' }]);
    const pinged = socketIoDecoder.session();
    pinged.decode(rx('2'));
    pinged.decode(rx(`451-["x",${PH(0)}]`));
    expect(pinged.decode(bin('received', 4, 5, 6))!.body).toEqual([{ binary: '3 bytes' }]);
  });

  it('takes a leading 0x04 for the EIO3 prefix while the version is unknown', () => {
    const [, a, , b] = run(rx(`451-["x",${PH(0)}]`), bin('received', 4, 1, 2), rx(`451-["y",${PH(0)}]`), bin('received', 1, 2));
    expect(a!.body).toEqual([{ binary: '2 bytes' }]);
    expect(b!.body).toEqual([{ binary: '2 bytes' }]);
  });

  it('reports an EIO3 binary frame whose type byte is not message', () => {
    const s = v3Session();
    s.decode(rx(`451-["x",${PH(0)}]`));
    expect(s.decode(bin('received', 2, 1, 1))).toMatchObject({ summary: 'emit x', error: 'EIO3 binary packet of type 2, expected 4 (message)' });
  });

  it('decodes base64 attachments: `b4<base64>` in EIO3, `b<base64>` in EIO4', () => {
    const s3 = v3Session();
    s3.decode(rx(`451-["x",${PH(0)}]`));
    expect(s3.decode(rx('b4AQIDBA=='))).toMatchObject({ summary: 'emit x', body: [{ binary: '4 bytes' }] });
    const s4 = v4Session();
    s4.decode(rx(`452-["x",${PH(0)},${PH(1)}]`));
    expect(s4.decode(rx('bAQID'))).toMatchObject({ summary: 'attachment 1 of 2', fields: { bytes: 3 } });
    expect(s4.decode(rx('bAQ=='))).toMatchObject({ summary: 'emit x', body: [{ binary: '3 bytes' }, { binary: '1 bytes' }] });
  });

  it('names the v2 ERROR packet (a bare string) `error`', () => {
    expect(one(rx('44"Not authorized"'))).toEqual({
      protocol: 'socket.io', summary: 'error /: Not authorized', heartbeat: false,
      fields: { type: 'error', namespace: '/', message: 'Not authorized' }, body: 'Not authorized',
    });
    expect(one(rx('44/admin,"Not authorized"'))).toMatchObject({ summary: 'error /admin: Not authorized', fields: { namespace: '/admin' } });
  });

  it('splits the v2 connection query off the namespace', () => {
    expect(one(tx('40/chat?token=abc&x=1,'))).toMatchObject({ summary: 'connect /chat', fields: { namespace: '/chat', query: 'token=abc&x=1' } });
  });
});

describe('malformed packets', () => {
  const cases: [string, string][] = [
    ['42', 'EVENT payload must be a non-empty array'],
    ['42{"a":1}', 'EVENT payload must be a non-empty array'],
    ['42[]', 'EVENT payload must be a non-empty array'],
    ['42["connect"]', '"connect" is a reserved event name'],
    ['42[{"x":1}]', 'event name must be a string or a number'],
    ['42["x"', 'invalid JSON payload'],
    ['43[1]', 'ACK without an id'],
    ['431{"a":1}', 'ACK payload must be an array'],
    ['41{"a":1}', 'DISCONNECT has no payload'],
    ['40[1]', 'CONNECT payload must be an object'],
    ['44[1]', 'CONNECT_ERROR payload must be a string or an object'],
    ['45-["x"]', 'missing attachment count (`5<n>-`)'],
    ['45x-["x"]', 'missing attachment count (`5<n>-`)'],
    ['451["x"]', 'missing attachment count (`5<n>-`)'],
    ['4512345678901-["x"]', 'missing attachment count (`5<n>-`)'],
    ['450-["x"]', 'binary packet announces 0 attachments'],
    ['42123456789012345678901["x"]', 'ack id is too large'],
  ];
  it.each(cases)('%s', (text, error) => {
    const m = one(tx(text));
    expect(m).not.toBeNull();
    expect(m!.error).toBe(error);
    expect(m!.partial).toBeUndefined();
  });

  it('shows an Engine.IO message that is not a Socket.IO packet', () => {
    expect(one(rx('4hello'))).toMatchObject({ summary: 'message hello', body: 'hello', error: 'not a Socket.IO packet (type "h")' });
    expect(one(rx('4'))).toMatchObject({ summary: 'message', error: expect.stringContaining('not a Socket.IO packet') });
  });

  it('parses like socket.io-parser: the namespace runs to the first comma', () => {
    expect(parseSocketIoPacket('2/admin,["a,b"]')).toMatchObject({ type: 2, nsp: '/admin', data: ['a,b'] });
    expect(parseSocketIoPacket('0/admin')).toEqual({ type: 0, nsp: '/admin' });
    expect(parseSocketIoPacket('3/a,0[]')).toEqual({ type: 3, nsp: '/a', id: 0, data: [] });
  });
});

describe('attachments that never arrive, or too many', () => {
  it('leaves the placeholder partial, and says so on the next message of that direction', () => {
    const [ph, next, after] = run(rx(`452-["up",${PH(0)},${PH(1)}]`), rx('42["next"]'), rx('42["after"]'));
    expect(ph).toMatchObject({ partial: true });
    expect(next).toMatchObject({ summary: 'emit next', body: [], error: 'the previous emit up got 0 of its 2 attachments' });
    expect(after!.error).toBeUndefined();
  });

  it('counts the attachments that did arrive', () => {
    const [, , next] = run(rx(`452-["up",${PH(0)},${PH(1)}]`), bin('received', 1), rx(`451-["again",${PH(0)}]`));
    expect(next).toMatchObject({ summary: 'emit again (waiting for 1 attachment)', partial: true, error: 'the previous emit up got 1 of its 2 attachments' });
  });

  it('is not disturbed by heartbeats, nor by the other direction', () => {
    const msgs = run(rx(`452-["up",${PH(0)},${PH(1)}]`), rx('2'), tx('3'), bin('received', 1), tx('42["x"]'), tx(`451-["y",${PH(0)}]`), bin('received', 2, 2), bin('sent', 3, 3, 3));
    expect(msgs.map((m) => m!.summary)).toEqual([
      'emit up (waiting for 2 attachments)', 'ping', 'pong', 'attachment 1 of 2', 'emit x', 'emit y (waiting for 1 attachment)', 'emit up', 'emit y',
    ]);
    expect(msgs[6]!.body).toEqual([{ binary: '1 bytes' }, { binary: '2 bytes' }]);
    expect(msgs[7]!.body).toEqual([{ binary: '3 bytes' }]);
    for (const m of msgs) expect(m!.error).toBeUndefined();
  });

  it('reports binary frames beyond the announced count', () => {
    const [, done, extra] = run(rx(`451-["up",${PH(0)}]`), bin('received', 1, 2), bin('received', 3, 4, 5));
    expect(done).toMatchObject({ summary: 'emit up' });
    expect(extra).toEqual({
      protocol: 'socket.io', summary: 'binary 3 bytes', fields: { type: 'attachment', bytes: 3 }, heartbeat: false,
      error: 'binary frame with no packet waiting for attachments',
    });
    expect(one(bin('sent', 1))).toMatchObject({ error: 'binary frame with no packet waiting for attachments' });
  });

  it('reports placeholders that point past the attachments', () => {
    const [, last] = run(rx(`451-["up",${PH(0)},${PH(3)},{"_placeholder":true}]`), bin('received', 9));
    expect(last).toMatchObject({ summary: 'emit up', error: '2 placeholders with no matching attachment' });
    expect(last!.body).toEqual([{ binary: '1 bytes' }, { _placeholder: true, num: 3 }, { _placeholder: true }]);
  });

  it('still counts the attachments of a packet whose payload is broken', () => {
    const [ph, last] = run(rx('451-["up",'), bin('received', 1));
    expect(ph).toMatchObject({ partial: true, error: 'invalid JSON payload' });
    expect(last).toMatchObject({ summary: 'emit ?', error: 'invalid JSON payload' });
  });

  it('counts a large attachment that comes without its bytes (size only)', () => {
    const s = v4Session();
    s.decode(rx(`451-["big",${PH(0)}]`));
    expect(s.decode({ dir: 'received', type: 'binary', size: 300_000 })).toMatchObject({ summary: 'emit big', body: [{ binary: '300000 bytes' }] });
  });

  it('replaces placeholders inside nested arguments without touching the placeholder frame\'s body', () => {
    const [ph, , last] = run(rx(`452-["up",{"files":[${PH(1)},{"inner":${PH(0)}}],"__proto__":{"p":1}}]`), bin('received', 1), bin('received', 1, 2));
    expect(last!.body).toEqual([{ files: [{ binary: '2 bytes' }, { inner: { binary: '1 bytes' } }], ['__proto__']: { p: 1 } }]);
    expect(Object.keys((last!.body as object[])[0]!)).toEqual(['files', '__proto__']);
    expect(ph!.body).toEqual([{ files: [{ _placeholder: true, num: 1 }, { inner: { _placeholder: true, num: 0 } }], ['__proto__']: { p: 1 } }]);
  });

  it('stops looking for placeholders below the body depth limit (the body is cut there anyway)', () => {
    const depth = 10_000;
    const s = socketIoDecoder.session();
    s.decode(rx(`451-["deep",${'['.repeat(depth)}${PH(0)}${']'.repeat(depth)}]`));
    const m = s.decode(bin('received', 1))!;
    expect(m.summary).toBe('emit deep');
    expect(m.error).toBeUndefined();
    expect(() => safeDecode(socketIoDecoder.session(), rx(`42["deep",${'['.repeat(depth)}${']'.repeat(depth)}]`), 'socket.io')).not.toThrow();
    expect(BODY_MAX_DEPTH).toBeLessThan(depth);
  });
});

describe('sniff', () => {
  const score = (f: DecodeInput) => socketIoDecoder.sniff(f);

  it('is certain of an Engine.IO open packet', () => {
    expect(score(rx('0{"sid":"abc","upgrades":[]}'))).toBe(1);
    expect(sniffFrame(rx('0{"sid":"abc","upgrades":[]}'))).toBe(socketIoDecoder);
    expect(score(rx('0{"upgrades":[],"sid":"abc","pingInterval":25000}'))).toBeGreaterThan(0.5);
  });

  it('finds Socket.IO packets likely, and a lone ping or pong weak', () => {
    for (const t of ['40', '40{"sid":"x"}', '40/chat,', '42["x"]', '42/chat,3["x"]', '430[1]', '44{"message":"no"}', `451-["x",${PH(0)}]`, `461-/a,3[${PH(0)}]`, '2probe', '3probe']) {
      expect(score(tx(t)), t).toBeGreaterThan(0.5);
      expect(sniffFrame(tx(t)), t).toBe(socketIoDecoder);
    }
    for (const t of ['2', '3', '6', '1', '41', '42', '4', '43[1]', '5']) expect(score(tx(t)), t).toBeLessThan(0.5);
  });

  it('scores 0 for other shapes and binary frames', () => {
    for (const t of ['', 'hello', '{"a":1}', '[1,2]', 'o', 'a["x"]', 'CONNECT\n\n\0', '42 is the answer', '4abc']) expect(score(tx(t)), t).toBe(0);
    expect(score(bin('received', 4, 1, 2))).toBe(0);
    expect(score({ dir: 'received', type: 'text' })).toBe(0);
  });

  it('judges a huge frame by its head, without parsing it', () => {
    const huge = `42["x","${'a'.repeat(5_000_000)}`; // unterminated: parsing it would fail
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(score(rx(huge))).toBeGreaterThan(0.5);
      expect(score(rx(`0{"sid":"x","pad":"${'a'.repeat(5_000_000)}"}`))).toBe(1);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});

describe('never throws', () => {
  // A small deterministic PRNG, so a failure can be replayed.
  function rng(seed: number) {
    return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  }

  it('on random frames built from Socket.IO-ish pieces', () => {
    const r = rng(42);
    const pieces = ['0', '1', '2', '3', '4', '5', '6', 'b', '-', '/', ',', '[', ']', '{', '}', '"', '_placeholder', 'num', ':', 'true', '1', '9', 'probe', '/chat', '\u0000', '\ud800'];
    const s = socketIoDecoder.session();
    for (let i = 0; i < 5_000; i++) {
      let f: DecodeInput;
      if (r() < 0.2) {
        const bytes = new Uint8Array(Math.floor(r() * 8));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(r() * 256);
        f = { dir: r() < 0.5 ? 'sent' : 'received', type: 'binary', bytes };
      } else {
        let text = '';
        const n = Math.floor(r() * 12);
        for (let j = 0; j < n; j++) text += pieces[Math.floor(r() * pieces.length)];
        f = { dir: r() < 0.5 ? 'sent' : 'received', type: 'text', text };
      }
      expect(() => s.decode(f), JSON.stringify(f)).not.toThrow();
      const sc = socketIoDecoder.sniff(f);
      expect(sc >= 0 && sc <= 1).toBe(true);
    }
  });

  it('on frames without their payload', () => {
    const s = socketIoDecoder.session();
    expect(s.decode({ dir: 'sent', type: 'text' })).toBeNull();
    expect(s.decode({ dir: 'sent', type: 'binary' })).toMatchObject({ summary: 'binary 0 bytes', error: expect.any(String) });
    expect(socketIoDecoder.sniff({ dir: 'sent', type: 'binary' })).toBe(0);
  });
});
