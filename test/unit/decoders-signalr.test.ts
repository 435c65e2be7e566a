/**
 * SignalR decoder. Fixtures come from the ASP.NET Core SignalR Hub Protocol specification
 * (github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md): the JSON examples
 * of each message type (terminated by the record separator 0x1E), the handshake request and
 * response, the spec's worked examples (Add, SingleResultFailure, Stream, AddStream), and the
 * MessagePack byte sequences quoted in its "MessagePack (MsgPack) encoding" section, framed with the
 * VarInt length prefix that section describes.
 */
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { withinBudget } from '../../src/decoders/budget';
import { signalrDecoder } from '../../src/decoders/protocols/signalr';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';

const RS = '\x1e';
const sent = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const received = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const bin = (dir: DecodeInput['dir'], bytes: number[] | Uint8Array): DecodeInput => ({ dir, type: 'binary', bytes: Uint8Array.from(bytes) });
const json = (o: unknown) => JSON.stringify(o) + RS;

/** The spec's framing: a VarInt length before each MessagePack message. */
function frame(...messages: (number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const m of messages) {
    let n = m.length;
    do { let b = n & 0x7f; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
    out.push(...m);
  }
  return Uint8Array.from(out);
}

const decodeAll = (frames: DecodeInput[]) => {
  const s = signalrDecoder.session();
  return frames.map((f) => s.decode(f));
};
const one = (f: DecodeInput) => {
  const m = signalrDecoder.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};

/** Spec MessagePack examples, byte for byte. */
const MP = {
  invocation: [0x96, 0x01, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0xa6, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x91, 0x2a, 0x90],
  nonBlocking: [0x96, 0x01, 0x80, 0xc0, 0xa6, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x91, 0x2a, 0x90],
  streamInvocation: [0x96, 0x04, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0xa6, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x91, 0x2a, 0x90],
  streamItem: [0x94, 0x02, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0x2a],
  completionError: [0x95, 0x03, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0x01, 0xa5, 0x45, 0x72, 0x72, 0x6f, 0x72],
  completionVoid: [0x94, 0x03, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0x02],
  completionResult: [0x95, 0x03, 0x80, 0xa3, 0x78, 0x79, 0x7a, 0x03, 0x2a],
  cancel: [0x93, 0x05, 0x80, 0xa3, 0x78, 0x79, 0x7a],
  ping: [0x91, 0x06],
  close: [0x92, 0x07, 0xa3, 0x78, 0x79, 0x7a],
  closeReconnect: [0x93, 0x07, 0xa3, 0x78, 0x79, 0x7a, 0xc3],
  ack: [0x92, 0x08, 0xcc, 0x24],
  sequence: [0x92, 0x09, 0xcc, 0x13],
  withHeaders: [0x96, 0x01, 0x82, 0xa1, 0x78, 0xa1, 0x79, 0xa1, 0x7a, 0xa1, 0x7a, 0xa3, 0x78, 0x79, 0x7a, 0xa6, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x91, 0x2a, 0x90],
};

describe('SignalR handshake', () => {
  it('decodes the JSON handshake request and sniffs it as certain', () => {
    const f = sent(`{"protocol":"json","version":1}${RS}`);
    expect(signalrDecoder.sniff(f)).toBe(1);
    const m = one(f);
    expect(m.summary).toBe('handshake json v1');
    expect(m.fields).toMatchObject({ type: 'handshake', protocol: 'json', version: 1 });
    expect(m.heartbeat).toBe(false);
    expect(m.error).toBeUndefined();
  });

  it('decodes the MessagePack handshake request (always JSON)', () => {
    expect(one(sent(`{"protocol":"messagepack","version":1}${RS}`)).summary).toBe('handshake messagepack v1');
  });

  it('decodes the empty handshake response and a failed one', () => {
    const ok = received(`{}${RS}`);
    expect(signalrDecoder.sniff(ok)).toBeGreaterThan(0.5);
    expect(one(ok).summary).toBe('handshake ok');
    const failed = one(received(`{"error":"Requested protocol 'messagepack' is not available."}${RS}`));
    expect(failed.summary).toBe("handshake error: Requested protocol 'messagepack' is not available.");
    expect(failed.fields.error).toBe("Requested protocol 'messagepack' is not available.");
  });

  it('decodes a handshake response that shares its frame with the first message', () => {
    const m = one(received(`{}${RS}{"type":6}${RS}`));
    expect(m.summary).toBe('handshake ok; ping');
    expect(m.fields.count).toBe(2);
    expect(m.heartbeat).toBe(false);
  });
});

describe('SignalR JSON messages', () => {
  it('decodes the spec Invocation example', () => {
    const f = sent(json({ type: 1, invocationId: '123', target: 'Send', arguments: [42, 'Test Message'] }));
    expect(signalrDecoder.sniff(f)).toBeGreaterThanOrEqual(0.9);
    const m = one(f);
    expect(m.summary).toBe('invoke Send #123');
    expect(m.fields).toMatchObject({ type: 'invocation', target: 'Send', op: 'Send', id: '123' });
    expect(m.body).toMatchObject({ arguments: [42, 'Test Message'] });
    expect(m.heartbeat).toBe(false);
  });

  it('names a non-blocking invocation without an id', () => {
    const m = one(sent(json({ type: 1, target: 'Send', arguments: [42, 'Test Message'] })));
    expect(m.summary).toBe('invoke Send');
    expect(m.fields.id).toBeUndefined();
  });

  it('decodes invoke SendMessage #3 and matches its completion', () => {
    const [inv, done] = decodeAll([
      sent(json({ type: 1, invocationId: '3', target: 'SendMessage', arguments: ['alice', 'hi'] })),
      received(json({ type: 3, invocationId: '3' })),
    ]);
    expect(inv?.summary).toBe('invoke SendMessage #3');
    expect(done?.summary).toBe('completion #3 SendMessage');
    expect(done?.fields).toMatchObject({ type: 'completion', id: '3', target: 'SendMessage', op: 'SendMessage' });
  });

  it('says completion #id alone when it never saw the invocation', () => {
    expect(one(received(json({ type: 3, invocationId: '3', result: 42 }))).summary).toBe('completion #3');
  });

  it('follows the spec "Single Result" and "Single Result with Error" examples', () => {
    const [, add, , fail] = decodeAll([
      sent(json({ type: 1, invocationId: '42', target: 'Add', arguments: [40, 2] })),
      received(json({ type: 3, invocationId: '42', result: 42 })),
      sent(json({ type: 1, invocationId: '43', target: 'SingleResultFailure', arguments: [40, 2] })),
      received(json({ type: 3, invocationId: '43', error: "It didn't work!" })),
    ]);
    expect(add?.summary).toBe('completion #42 Add');
    expect(add?.body).toMatchObject({ result: 42 });
    expect(fail?.summary).toBe("completion #43 SingleResultFailure: error It didn't work!");
    expect(fail?.fields.error).toBe("It didn't work!");
    expect(fail?.error).toBeUndefined();
  });

  it('flags the spec\'s invalid completion with both result and error', () => {
    const m = one(received(json({ type: 3, invocationId: '123', result: 42, error: "It didn't work!" })));
    expect(m.error).toMatch(/both a result and an error/);
  });

  it('follows the spec "Streamed Result closed early" example', () => {
    const out = decodeAll([
      sent(json({ type: 4, invocationId: '42', target: 'Stream', arguments: [5] })),
      received(json({ type: 2, invocationId: '42', item: 0 })),
      received(json({ type: 2, invocationId: '42', item: 1 })),
      sent(json({ type: 5, invocationId: '42' })),
      received(json({ type: 3, invocationId: '42' })),
    ]).map((m) => m?.summary);
    expect(out).toEqual(['stream Stream #42', 'stream item #42 Stream', 'stream item #42 Stream', 'cancel #42 Stream', 'completion #42 Stream']);
  });

  it('follows the spec "Stream from Client to Server" example (upload stream ids)', () => {
    const out = decodeAll([
      sent(json({ type: 1, invocationId: '42', target: 'AddStream', arguments: [], streamIds: ['1'] })),
      sent(json({ type: 2, invocationId: '1', item: 1 })),
      sent(json({ type: 3, invocationId: '1' })),
      received(json({ type: 3, invocationId: '42', result: 6 })),
    ]);
    expect(out.map((m) => m?.summary)).toEqual(['invoke AddStream #42', 'stream item #1 AddStream', 'completion #1 AddStream', 'completion #42 AddStream']);
    expect(out[0]?.fields.streamIds).toBe('1');
  });

  it('keeps each side\'s invocation ids apart', () => {
    const out = decodeAll([
      sent(json({ type: 1, invocationId: '1', target: 'ClientToServer', arguments: [] })),
      received(json({ type: 1, invocationId: '1', target: 'ServerToClient', arguments: [] })),
      sent(json({ type: 3, invocationId: '1', result: 'from client' })),
      received(json({ type: 3, invocationId: '1', result: 'from server' })),
    ]);
    expect(out[2]?.summary).toBe('completion #1 ServerToClient');
    expect(out[3]?.summary).toBe('completion #1 ClientToServer');
  });

  it('marks ping (type 6) as a heartbeat, and nothing else', () => {
    const ping = one(received(json({ type: 6 })));
    expect(ping.summary).toBe('ping');
    expect(ping.fields.type).toBe('ping');
    expect(ping.heartbeat).toBe(true);
    for (const o of [{ type: 7 }, { type: 8, sequenceId: 1394 }, { type: 9, sequenceId: 1234 }, { type: 3, invocationId: '1' }]) {
      expect(one(received(json(o))).heartbeat).toBe(false);
    }
  });

  it('decodes Close, Ack and Sequence examples', () => {
    expect(one(received(json({ type: 7 }))).summary).toBe('close');
    const err = one(received(json({ type: 7, error: 'Connection closed because of an error!', allowReconnect: true })));
    expect(err.summary).toBe('close: Connection closed because of an error! (reconnect)');
    expect(err.fields).toMatchObject({ type: 'close', allowReconnect: true, error: 'Connection closed because of an error!' });
    expect(one(received(json({ type: 8, sequenceId: 1394 }))).summary).toBe('ack 1394');
    const seq = one(received(json({ type: 9, sequenceId: 1234 })));
    expect(seq.summary).toBe('sequence 1234');
    expect(seq.fields.sequenceId).toBe(1234);
  });

  it('decodes the JSON header example', () => {
    const m = one(sent(json({ type: 1, headers: { Foo: 'Bar' }, invocationId: '123', target: 'Send', arguments: [42, 'Test Message'] })));
    expect(m.summary).toBe('invoke Send #123');
    expect(m.body).toMatchObject({ headers: { Foo: 'Bar' } });
  });

  it('decodes several messages in one frame; the frame is a heartbeat only if all are pings', () => {
    const mixed = one(received(json({ type: 6 }) + json({ type: 1, target: 'ReceiveMessage', arguments: ['bob', 'yo'] }) + json({ type: 6 })));
    expect(mixed.summary).toBe('ping; invoke ReceiveMessage; ping');
    expect(mixed.fields).toMatchObject({ count: 3, type: 'invocation', target: 'ReceiveMessage' });
    expect(mixed.heartbeat).toBe(false);
    expect(Array.isArray(mixed.body)).toBe(true);
    const pings = one(received(json({ type: 6 }) + json({ type: 6 })));
    expect(pings.heartbeat).toBe(true);
  });
});

describe('SignalR MessagePack messages (spec byte examples)', () => {
  it('decodes the Invocation and learns its target', () => {
    const s = signalrDecoder.session();
    const inv = s.decode(bin('sent', frame(MP.invocation)));
    expect(inv?.summary).toBe('invoke method #xyz');
    expect(inv?.fields).toMatchObject({ type: 'invocation', target: 'method', op: 'method', id: 'xyz' });
    expect(inv?.body).toMatchObject({ arguments: [42] });
    expect(s.decode(bin('received', frame(MP.completionResult)))?.summary).toBe('completion #xyz method');
  });

  it('decodes every example message type', () => {
    const cases: [number[], string][] = [
      [MP.nonBlocking, 'invoke method'],
      [MP.streamInvocation, 'stream method #xyz'],
      [MP.streamItem, 'stream item #xyz'],
      [MP.completionError, 'completion #xyz: error Error'],
      [MP.completionVoid, 'completion #xyz'],
      [MP.completionResult, 'completion #xyz'],
      [MP.cancel, 'cancel #xyz'],
      [MP.ping, 'ping'],
      [MP.close, 'close: xyz'],
      [MP.closeReconnect, 'close: xyz (reconnect)'],
      [MP.ack, 'ack 36'],
      [MP.sequence, 'sequence 19'],
      [MP.withHeaders, 'invoke method #xyz'],
    ];
    for (const [bytes, summary] of cases) {
      const m = one(bin('received', frame(bytes)));
      expect(m.summary, summary).toBe(summary);
      expect(m.error, summary).toBeUndefined();
      expect(m.heartbeat, summary).toBe(bytes === MP.ping);
    }
    expect(one(bin('received', frame(MP.withHeaders))).body).toMatchObject({ headers: { x: 'y', z: 'z' } });
    expect(one(bin('received', frame(MP.completionResult))).body).toMatchObject({ result: 42 });
  });

  it('sniffs VarInt-framed hub messages above the generic MessagePack score', () => {
    expect(signalrDecoder.sniff(bin('sent', frame(MP.invocation)))).toBeGreaterThanOrEqual(0.85);
    expect(signalrDecoder.sniff(bin('received', frame(MP.ping)))).toBeGreaterThan(0.55);
    expect(signalrDecoder.sniff(bin('received', Uint8Array.from([0x7b, 0x7d, 0x1e])))).toBeGreaterThan(0.55);
    // The same array without the length prefix is plain MessagePack, not SignalR.
    expect(signalrDecoder.sniff(bin('sent', MP.invocation))).toBe(0);
  });

  it('decodes several length-prefixed messages in one frame', () => {
    const m = one(bin('received', frame(MP.ping, MP.invocation, MP.completionVoid)));
    expect(m.summary).toBe('ping; invoke method #xyz; completion #xyz');
    expect(m.fields.count).toBe(3);
  });

  it('reads a two-byte VarInt length (messages of 128 bytes and more)', () => {
    const big = encode([1, {}, '7', 'Broadcast', ['x'.repeat(300)], []]);
    expect(big.length).toBeGreaterThan(127);
    const f = frame(big);
    expect(f[0]! & 0x80).toBe(0x80);
    expect(one(bin('received', f)).summary).toBe('invoke Broadcast #7');
  });

  it('decodes the JSON handshake response sharing a binary frame with MessagePack messages', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode(`{}${RS}`), ...frame(MP.ping)]);
    expect(one(bin('received', bytes)).summary).toBe('handshake ok; ping');
  });

  it('reports a truncated message instead of throwing', () => {
    const full = frame(MP.invocation);
    const m = one(bin('received', full.subarray(0, full.length - 3)));
    expect(m.error).toMatch(/needs 17 bytes/);
    const badPrefix = one(bin('received', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(badPrefix.error).toBeTruthy();
  });
});

describe('SignalR robustness', () => {
  it('returns null for frames that are not SignalR and sniffs them as 0', () => {
    for (const t of ['hello', '', '42', '["a"]']) {
      expect(signalrDecoder.session().decode(sent(t))).toBeNull();
      expect(signalrDecoder.sniff(sent(t))).toBe(0);
    }
    // JSON without the record separator is not SignalR to the sniffer.
    expect(signalrDecoder.sniff(sent('{"type":1,"target":"x"}'))).toBe(0);
    expect(signalrDecoder.sniff(sent('[null,"1","room:lobby","phx_join",{}]'))).toBe(0);
    expect(signalrDecoder.sniff(sent('{"jsonrpc":"2.0","method":"x","id":1}'))).toBe(0);
  });

  it('flags malformed frames of a SignalR connection', () => {
    const unterminated = one(sent('{"type":6}'));
    expect(unterminated.summary).toBe('ping');
    expect(unterminated.error).toMatch(/0x1E/);
    expect(one(sent(`{"type":1,"target":${RS}`)).error).toMatch(/invalid JSON/);
    expect(one(sent(json({ type: 1, invocationId: '1', arguments: [] }))).error).toMatch(/without a target/);
    expect(one(sent(json({ type: 99 }))).error).toMatch(/unknown hub message type/);
    expect(one(sent(json({ type: 'x' }))).error).toBeTruthy();
  });

  it('never throws on truncations of valid frames or on random bytes', () => {
    const frames = [
      frame(MP.invocation, MP.completionError, MP.ping),
      new TextEncoder().encode(json({ type: 1, invocationId: '1', target: 'Send', arguments: [{ a: [1, 2, { b: 'c' }] }] }) + json({ type: 6 })),
    ];
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 80; i++) frames.push(Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    const s = signalrDecoder.session();
    for (const f of frames) {
      for (let cut = 0; cut <= f.length; cut++) {
        const part = f.subarray(0, cut);
        const text = new TextDecoder().decode(part);
        for (const input of [bin('received', part), received(text)]) {
          expect(() => signalrDecoder.sniff(input)).not.toThrow();
          let m: DecodedMessage | null = null;
          expect(() => { m = s.decode(input); }).not.toThrow();
          if (m) expect(() => withinBudget(m as DecodedMessage)).not.toThrow();
        }
      }
    }
  }, 20_000);

  it('has no subprotocol (it is recognised by its handshake)', () => {
    expect(signalrDecoder.subprotocols).toEqual([]);
  });
});
