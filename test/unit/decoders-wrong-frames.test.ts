/**
 * A connection whose subprotocol names its protocol speaks only that protocol, so a frame its
 * decoder cannot make sense of says so on the frame, instead of showing no message and no error
 * (a text frame on `mqtt`, random bytes on `v12.stomp`). Every decoder that a subprotocol picks is
 * fed frames of the wrong kind, through the connection's decoding as the panel runs it.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionDecoding } from '../../src/decoders/connection-decoding';
import { DECODERS } from '../../src/decoders/registry';
import type { DecodeInput } from '../../src/decoders/types';

const text = (t: string): DecodeInput => ({ dir: 'received', type: 'text', text: t });
const bytes = (...b: number[]): DecodeInput => ({ dir: 'received', type: 'binary', bytes: Uint8Array.from(b) });
const RANDOM = bytes(0xf3, 0x9c, 0x00, 0x41, 0xfe, 0x07, 0x88, 0x12);

/** Subprotocol → frames that cannot be its protocol's, and what the error says. */
const CASES: [subprotocol: string, frames: DecodeInput[], error: RegExp][] = [
  ['mqtt', [text('hello'), text('{"topic":"a"}')], /text frame: MQTT over WebSocket sends binary frames only/],
  ['v12.stomp', [RANDOM, text('hello world'), text('{"type":"ping"}')], /not a STOMP frame/],
  ['v11.stomp', [RANDOM], /not a STOMP frame/],
  ['graphql-transport-ws', [text('hello'), text('[1,2]'), bytes(0xff, 0x00)], /not a JSON object|not UTF-8/],
  ['graphql-ws', [text('42'), RANDOM], /not a JSON object|not UTF-8/],
  ['actioncable-v1-json', [text('hello'), RANDOM], /not a JSON object|MessagePack/i],
  ['wamp.2.json', [text('{"a":1}'), text('hello')], /not a JSON array/],
  ['wamp.2.msgpack.batched', [RANDOM], /./],
];

describe('a decoder picked by subprotocol says so on a frame it cannot read', () => {
  for (const [subprotocol, frames, error] of CASES) {
    it(subprotocol, () => {
      const c = new ConnectionDecoding(subprotocol);
      expect(c.by).toBe('subprotocol');
      for (const f of frames) {
        const { msg } = c.decode(f);
        expect(msg, JSON.stringify(f.text ?? [...f.bytes!])).not.toBeNull();
        expect(msg!.protocol).toBe(c.decoder!.id);
        expect(msg!.error).toMatch(error);
      }
    });
  }

  it('every decoder a subprotocol can pick is covered above', () => {
    const picked = new Set(CASES.map(([p]) => new ConnectionDecoding(p).decoder!.id));
    expect([...picked].sort()).toEqual(DECODERS.filter((d) => d.subprotocols.length > 0).map((d) => d.id).sort());
  });

  it('empty frames of the right kind stay without a message (there is nothing to read)', () => {
    for (const [subprotocol] of CASES) {
      const empty = subprotocol.startsWith('mqtt') || subprotocol.includes('msgpack') ? bytes() : text('');
      expect(new ConnectionDecoding(subprotocol).decode(empty).msg, subprotocol).toBeNull();
    }
  });
});
