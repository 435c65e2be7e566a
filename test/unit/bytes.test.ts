/** Frame sizes shown in the panel and exported must be the bytes that went on the wire. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64ToBytes, bytesToBase64, hexPreview, utf8ByteLength } from '../../src/protocol/bytes';

/** What WebSocket.send puts on the wire: UTF-8 with lone surrogates replaced by U+FFFD. */
const wireBytes = (s: string) => new TextEncoder().encode(s).length;

describe('utf8ByteLength', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'hello, world'],
    ['2-byte characters', 'héllo ñ ß'],
    ['3-byte characters', '日本語 €'],
    ['4-byte characters', '𝄞 𠜎'],
    ['emoji with ZWJ and skin tone', '👩🏽‍💻🏳️‍🌈'],
    ['a mix', 'a é € 😀 z'],
  ])('matches Buffer.byteLength for %s', (_name, s) => {
    expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
    expect(utf8ByteLength(s)).toBe(wireBytes(s));
  });

  it.each([
    ['a lone high surrogate at the end', 'ab\ud83d', 5],
    ['a lone high surrogate followed by ASCII', '\ud83dx', 4],
    ['a lone low surrogate', 'x\ude00', 4],
    ['a reversed pair (low then high)', '\ude00\ud83d', 6],
    ['two high surrogates then a low one (the second pair is valid)', '\ud83d\ud83d\ude00', 7],
  ])('counts %s as U+FFFD (3 bytes)', (_name, s, expected) => {
    expect(utf8ByteLength(s)).toBe(expected);
    expect(utf8ByteLength(s)).toBe(wireBytes(s));
    expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('matches the encoder on every boundary code point', () => {
    for (const cp of [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff]) {
      const s = String.fromCodePoint(cp);
      expect(utf8ByteLength(s), `U+${cp.toString(16)}`).toBe(wireBytes(s));
    }
  });
});

describe('bytesToBase64 / base64ToBytes', () => {
  it('encodes like Buffer and decodes back', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes('AAEC+v8=')).toEqual(bytes);
  });

  it('round-trips empty data', () => {
    expect(bytesToBase64(new Uint8Array())).toBe('');
    expect(base64ToBytes('')).toEqual(new Uint8Array());
  });

  it('round-trips 100 KB of random bytes (longer than one encoding chunk)', () => {
    const bytes = new Uint8Array(randomBytes(100 * 1024));
    const b64 = bytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('encodes only the viewed bytes of a subarray', () => {
    const whole = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    expect(base64ToBytes(bytesToBase64(whole.subarray(2, 5)))).toEqual(Uint8Array.from([1, 2, 3]));
  });

  it('throws on invalid base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});

describe('base64ByteLength', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 1000, 1001, 1002])('gives the decoded size of %i bytes without decoding', (n) => {
    const b64 = Buffer.alloc(n, 7).toString('base64');
    expect(base64ByteLength(b64)).toBe(n);
  });
});

describe('hexPreview', () => {
  it('shows every byte as two hex digits when within the limit', () => {
    expect(hexPreview(Uint8Array.from([0x0a, 0xff, 0x10]), 3)).toBe('0a ff 10');
  });

  it('shows only the first bytes and a trailing … when longer than the limit', () => {
    expect(hexPreview(Uint8Array.from([1, 2, 3, 4, 5]), 2)).toBe('01 02 …');
  });

  it('is empty for no bytes', () => {
    expect(hexPreview(new Uint8Array(), 8)).toBe('');
  });
});
