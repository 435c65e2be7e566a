/**
 * Generic MessagePack and CBOR decoders. Fixtures come from the formats' specifications: the
 * MessagePack example on msgpack.org / the msgpack spec (`{"compact":true,"schema":0}` as 18 bytes)
 * and format-family examples from spec.md, and the CBOR encoding examples of RFC 8949 Appendix A
 * (maps, nested and indefinite-length arrays, text strings, tags 0, 1 and 24). Application-shaped
 * payloads are built with the libraries' encoders.
 */
import { encode as msgpack } from '@msgpack/msgpack';
import { encode as cbor } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { SNIFF_THRESHOLD, withinBudget } from '../../src/decoders/budget';
import { cborDecoder, msgpackDecoder } from '../../src/decoders/protocols/binary-objects';
import type { DecodedMessage, DecodeInput, Decoder } from '../../src/decoders/types';

const bin = (bytes: number[] | Uint8Array): DecodeInput => ({ dir: 'received', type: 'binary', bytes: Uint8Array.from(bytes) });
const hex = (h: string) => bin(h.match(/../g)!.map((b) => parseInt(b, 16)));
const one = (d: Decoder, f: DecodeInput) => {
  const m = d.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};

/** msgpack.org: {"compact":true,"schema":0} in 18 bytes. */
const MSGPACK_SITE = [0x82, 0xa7, 0x63, 0x6f, 0x6d, 0x70, 0x61, 0x63, 0x74, 0xc3, 0xa6, 0x73, 0x63, 0x68, 0x65, 0x6d, 0x61, 0x00];

describe('MessagePack', () => {
  it('decodes the msgpack.org example', () => {
    const f = bin(MSGPACK_SITE);
    const m = one(msgpackDecoder, f);
    expect(m.summary).toBe('map{2}: compact=true, schema=0');
    expect(m.body).toEqual({ compact: true, schema: 0 });
    expect(m.fields).toMatchObject({ shape: 'map', size: 2 });
    expect(m.heartbeat).toBe(false);
    const score = msgpackDecoder.sniff(f);
    expect(score).toBeGreaterThan(SNIFF_THRESHOLD);
    expect(score).toBeLessThanOrEqual(0.55);
  });

  it('previews application payloads and lifts common keys into fields', () => {
    const m = one(msgpackDecoder, bin(msgpack({ type: 'chat', id: 7, data: { text: 'hi', from: 'ann' } })));
    expect(m.summary).toBe('map{3}: type=chat, id=7, data{2}');
    expect(m.fields).toMatchObject({ type: 'chat', id: 7, shape: 'map', size: 3 });
    const arr = one(msgpackDecoder, bin(msgpack([1, 'two', { three: 3 }, [4]])));
    expect(arr.summary).toBe('array[4]: 1, "two", {1}, [1]');
    expect(arr.fields).toMatchObject({ shape: 'array', size: 4 });
  });

  it('decodes scalar values from spec.md format families without claiming the connection', () => {
    const cases: [number[], string][] = [
      [[0xc0], 'null'], [[0xc3], 'true'], [[0x2a], '42'], [[0xe0], '-32'], [[0xcc, 0xff], '255'],
      [[0xa3, 0x61, 0x62, 0x63], '"abc"'], [[0xc4, 0x03, 1, 2, 3], 'bin 3 bytes'],
    ];
    for (const [bytes, summary] of cases) {
      expect(one(msgpackDecoder, bin(bytes)).summary, summary).toBe(summary);
      expect(msgpackDecoder.sniff(bin(bytes)), summary).toBe(0);
    }
    expect(msgpackDecoder.sniff(bin([0x80]))).toBe(0); // empty map
    expect(msgpackDecoder.sniff(bin([0x90]))).toBe(0); // empty array
  });

  it('keeps a timestamp extension and a long value within the budget', () => {
    const m = one(msgpackDecoder, bin(msgpack({ at: new Date(Date.UTC(2024, 0, 2)), blob: new Uint8Array(1000), text: 'x'.repeat(5000) })));
    expect(m.summary.length).toBeLessThanOrEqual(130);
    const b = withinBudget(m);
    expect(b.body).toMatchObject({ at: '2024-01-02T00:00:00.000Z', blob: { binary: '1000 bytes' } });
  });
});

describe('CBOR (RFC 8949 Appendix A)', () => {
  it('decodes maps and arrays', () => {
    const m = one(cborDecoder, hex('a26161016162820203'));
    expect(m.summary).toBe('map{2}: a=1, b[2]');
    expect(m.body).toEqual({ a: 1, b: [2, 3] });
    expect(one(cborDecoder, hex('8301820203820405')).summary).toBe('array[3]: 1, [2], [2]');
    expect(one(cborDecoder, hex('9f018202039f0405ffff')).body).toEqual([1, [2, 3], [4, 5]]);
    expect(one(cborDecoder, hex('a56161614161626142616361436164614461656145')).summary).toBe('map{5}: a=A, b=B, c=C, d=D, e=E');
  });

  it('decodes strings and tags', () => {
    expect(one(cborDecoder, hex('6449455446')).summary).toBe('"IETF"');
    expect(one(cborDecoder, hex('f4')).summary).toBe('false');
    const epoch = withinBudget(one(cborDecoder, hex('c11a514b67b0')));
    expect(epoch.body).toBe('2013-03-21T20:04:00.000Z');
    expect(() => withinBudget(one(cborDecoder, hex('d818456449455446')))).not.toThrow();
  });

  it('sniffs decodable structures low, scalars not at all', () => {
    const f = bin(cbor({ type: 'tick', seq: 12, values: [1.5, 2.5] }));
    const score = cborDecoder.sniff(f);
    expect(score).toBeGreaterThan(SNIFF_THRESHOLD);
    expect(score).toBeLessThanOrEqual(0.55);
    expect(one(cborDecoder, f).summary).toBe('map{3}: type=tick, seq=12, values[2]');
    expect(cborDecoder.sniff(hex('6449455446'))).toBe(0);
    expect(cborDecoder.sniff(hex('f4'))).toBe(0);
  });
});

describe('MessagePack and CBOR together', () => {
  it('each claims its own format and not the other', () => {
    expect(cborDecoder.sniff(bin(MSGPACK_SITE))).toBe(0);
    expect(msgpackDecoder.sniff(hex('a26161016162820203'))).toBe(0);
  });

  it('neither claims bytes that both read as a structure', () => {
    // MessagePack {24: 32}, CBOR [32].
    const f = bin([0x81, 0x18, 0x20]);
    expect(one(msgpackDecoder, f).body).toEqual({ 24: 32 });
    expect(one(cborDecoder, f).body).toEqual([32]);
    expect(msgpackDecoder.sniff(f)).toBeLessThanOrEqual(SNIFF_THRESHOLD);
    expect(cborDecoder.sniff(f)).toBeLessThanOrEqual(SNIFF_THRESHOLD);
  });

  it('ignore text frames, JSON in binary frames and undecodable bytes', () => {
    for (const d of [msgpackDecoder, cborDecoder]) {
      const text: DecodeInput = { dir: 'received', type: 'text', text: '{"a":1}' };
      expect(d.sniff(text)).toBe(0);
      expect(d.session().decode(text)).toBeNull();
      expect(d.sniff(bin(new TextEncoder().encode('{"type":"chat","id":7}')))).toBe(0);
      expect(d.sniff(bin(new TextEncoder().encode('hello world')))).toBe(0);
      expect(d.subprotocols).toEqual([]);
    }
  });

  it('report undecodable binary frames as errors', () => {
    const m = one(msgpackDecoder, bin([0xc1]));
    expect(m.summary).toBe('(not MessagePack)');
    expect(m.error).toMatch(/MessagePack/);
    expect(one(cborDecoder, bin([0xff])).error).toMatch(/CBOR/);
    expect(msgpackDecoder.session().decode(bin([]))).toBeNull();
  });

  it('never score above 0.55 or throw, whatever the bytes (truncations and random input)', () => {
    const frames: Uint8Array[] = [
      Uint8Array.from(MSGPACK_SITE), msgpack({ a: [1, 2, { b: 'c' }], d: new Uint8Array(4), e: -1.5 }),
      cbor({ a: [1, 2, { b: 'c' }], d: new Uint8Array(4), e: -1.5 }), Uint8Array.from([0x9f, 0x01, 0x82, 0x02, 0x03, 0x9f, 0x04, 0x05, 0xff, 0xff]),
    ];
    let seed = 2024;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 100; i++) frames.push(Uint8Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
    for (const d of [msgpackDecoder, cborDecoder]) {
      const s = d.session();
      for (const f of frames) {
        for (let cut = 0; cut <= f.length; cut++) {
          const input = bin(f.subarray(0, cut));
          let score = 0;
          expect(() => { score = d.sniff(input); }).not.toThrow();
          expect(score).toBeLessThanOrEqual(0.55);
          let m: DecodedMessage | null = null;
          expect(() => { m = s.decode(input); }).not.toThrow();
          if (m) expect(() => withinBudget(m as DecodedMessage)).not.toThrow();
        }
      }
    }
  }, 20_000);

  it('does not sniff frames above 64 KB', () => {
    const big = msgpack({ data: 'x'.repeat(70_000) });
    expect(msgpackDecoder.sniff(bin(big))).toBe(0);
    expect(one(msgpackDecoder, bin(big)).summary.startsWith('map{1}: data=')).toBe(true);
  });
});
