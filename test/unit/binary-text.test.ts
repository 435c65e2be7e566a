/** What a filter query can find in a binary frame, and the memory the cache may take for it. */
import { describe, expect, it } from 'vitest';
import { BINARY_TEXT_CACHE_MAX_CHARS, BinaryTextCache, binarySearchText } from '../../src/panel/filter/binary-text';

/** A binary frame's payload as the panel keeps it: its bytes. */
const bytesOf = (bytes: number[] | Uint8Array) => Uint8Array.from(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('binarySearchText', () => {
  it('gives lowercase contiguous hex', () => {
    expect(binarySearchText(bytesOf([0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a])).hex).toBe('deadbeef000a');
  });

  it('gives the same hex for large payloads as for small ones', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 255);
    expect(binarySearchText(bytes).hex).toBe(Buffer.from(bytes).toString('hex'));
  });

  it('decodes UTF-8 text inside the bytes, replacing invalid sequences', () => {
    const bytes = [0xff, ...new TextEncoder().encode('héllo 日本'), 0xc3];
    expect(binarySearchText(bytesOf(bytes)).utf8).toBe('\ufffdhéllo 日本\ufffd');
  });

  it('gives empty text for a frame with no bytes', () => {
    expect(binarySearchText(new Uint8Array(0))).toEqual({ hex: '', utf8: '' });
  });

  it('reads only the bytes of the view it is given, not the rest of the buffer behind it', () => {
    const buffer = Uint8Array.from([0x41, 0x42, 0xca, 0xfe, 0x43, 0x44]).buffer;
    expect(binarySearchText(new Uint8Array(buffer, 2, 2))).toEqual({ hex: 'cafe', utf8: '\ufffd\ufffd' });
    const large = new Uint8Array(1000).fill(0x61);
    expect(binarySearchText(large.subarray(500, 800))).toEqual({ hex: '61'.repeat(300), utf8: 'a'.repeat(300) });
  });
});

describe('BinaryTextCache', () => {
  it('has a 64 MiB character cap by default', () => {
    expect(BINARY_TEXT_CACHE_MAX_CHARS).toBe(64 * 1024 * 1024);
    expect(new BinaryTextCache().maxChars).toBe(BINARY_TEXT_CACHE_MAX_CHARS);
  });

  it('returns the cached text for the same frame object', () => {
    const cache = new BinaryTextCache();
    const frame = { data: utf8('abc') };
    const first = cache.get(frame, frame.data);
    expect(cache.get(frame, frame.data)).toBe(first);
    expect(first).toEqual({ hex: '616263', utf8: 'abc' });
  });

  it('never holds more characters than its cap, and counts what it evicts', () => {
    // Each 10-byte frame costs 20 hex + 10 utf8 = 30 characters.
    const cache = new BinaryTextCache(100);
    const frames = Array.from({ length: 10 }, (_, i) => ({ data: utf8(String(i).repeat(10)) }));
    for (const f of frames) {
      cache.get(f, f.data);
      expect(cache.totalChars).toBeLessThanOrEqual(100);
    }
    expect(cache.size).toBe(3);
    expect(cache.totalChars).toBe(90);
    expect(cache.evictions).toBe(7);
  });

  it('evicts the least recently used frame first', () => {
    const cache = new BinaryTextCache(90);
    const [a, b, c, d] = Array.from({ length: 4 }, (_, i) => ({ data: utf8(String(i).repeat(10)) }));
    for (const f of [a, b, c]) cache.get(f!, f!.data);
    const aText = cache.get(a!, a!.data); // a is now the most recent; b is the oldest
    cache.get(d!, d!.data);
    expect(cache.evictions).toBe(1);
    expect(cache.get(a!, a!.data)).toBe(aText);
    expect(cache.evictions).toBe(1);
    cache.get(b!, b!.data); // b was evicted: computing it again evicts c
    expect(cache.evictions).toBe(2);
  });

  it('does not cache an entry larger than the whole cap', () => {
    const cache = new BinaryTextCache(100);
    const small = { data: utf8('0123456789') };
    cache.get(small, small.data);
    const big = { data: utf8('x'.repeat(1000)) };
    expect(cache.get(big, big.data).utf8).toHaveLength(1000);
    expect(cache.totalChars).toBe(30);
    expect(cache.evictions).toBe(0);
  });

  it('frees the characters of deleted frames', () => {
    const cache = new BinaryTextCache(100);
    const f = { data: utf8('0123456789') };
    cache.get(f, f.data);
    cache.delete(f);
    expect(cache.totalChars).toBe(0);
    expect(cache.size).toBe(0);
  });
});
