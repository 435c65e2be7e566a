/**
 * The relay cuts its events into runtime messages small enough for the browser; the panel must
 * get back exactly what was captured, in order, whatever the cut.
 */
import { describe, expect, it } from 'vitest';
import type { WireEvent, WireFrame } from '../../src/protocol/capture-events';
import { PartAssembler, packForTransport } from '../../src/protocol/transport-packing';
import { created, opened, receivedText, sentBinary, sentText } from './fixtures/wire-events';

const seqsOf = (packs: WireEvent[][]) => packs.flat().map((e) => e.seq);
const payloadChars = (pack: WireEvent[]) => pack.reduce((n, e) => n + (e.k === 'frame' ? e.data.length : 0), 0);

describe('packForTransport', () => {
  it('keeps small events together in one pack, in order', () => {
    const events = [created(1, 1, 'wss://a/'), opened(2, 1), sentText(3, 1, 'hi'), receivedText(4, 1, 'ho')];
    expect(packForTransport(events, 10_000, 100)).toEqual([events]);
  });

  it('returns no packs for no events', () => {
    expect(packForTransport([], 1000, 10)).toEqual([]);
  });

  it('starts a new pack after maxEvents events', () => {
    const events = Array.from({ length: 7 }, (_, i) => sentText(i + 1, 1, 'x'));
    const packs = packForTransport(events, 1_000_000, 3);
    expect(packs.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(seqsOf(packs)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts a new pack before the payload characters would pass maxChars', () => {
    const maxChars = 1000;
    const events = Array.from({ length: 10 }, (_, i) => sentText(i + 1, 1, 'y'.repeat(300)));
    const packs = packForTransport(events, maxChars, 1000);
    expect(packs.length).toBeGreaterThan(1);
    for (const p of packs) {
      expect(p.length).toBeGreaterThan(0);
      if (p.length > 1) expect(payloadChars(p)).toBeLessThanOrEqual(maxChars);
    }
    expect(seqsOf(packs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('splits a frame longer than maxChars into parts i of n, each alone and within maxChars', () => {
    const big = sentText(2, 1, 'abcdefghij'.repeat(25)); // 250 chars
    const packs = packForTransport([created(1, 1, 'wss://a/'), big, sentText(3, 1, 'after')], 100, 50);

    expect(packs.map((p) => p.map((e) => e.seq))).toEqual([[1], [2], [2], [2], [3]]);
    const parts = packs.slice(1, 4).map((p) => p[0] as WireFrame);
    expect(parts.map((p) => p.part)).toEqual([{ i: 0, n: 3 }, { i: 1, n: 3 }, { i: 2, n: 3 }]);
    for (const p of parts) {
      expect(p.data.length).toBeLessThanOrEqual(100);
      expect(p.data.length).toBeGreaterThan(0);
      expect(p.size).toBe(big.size); // size stays the whole frame's
    }
    expect(parts.map((p) => p.data).join('')).toBe(big.data);
  });

  it('does not split a frame of exactly maxChars', () => {
    const packs = packForTransport([sentText(1, 1, 'z'.repeat(100))], 100, 10);
    expect(packs).toHaveLength(1);
    expect((packs[0]![0] as WireFrame).part).toBeUndefined();
  });

  it('never leaves the original event modified', () => {
    const big = sentBinary(1, 1, new Uint8Array(300));
    const copy = structuredClone(big);
    packForTransport([big], 64, 10);
    expect(big).toEqual(copy);
  });
});

describe('PartAssembler', () => {
  const split = (frame: WireFrame, maxChars: number) =>
    packForTransport([frame], maxChars, 10).map((p) => p[0] as WireFrame);

  it('passes a frame without parts straight through', () => {
    const a = new PartAssembler();
    const f = sentText(1, 1, 'whole');
    expect(a.accept('doc', f)).toBe(f);
  });

  it('returns nothing until the last part, then the identical frame without `part`', () => {
    const original = receivedText(5, 2, 'Ünïcödé payload 😀 '.repeat(20));
    const parts = split(original, 37);
    expect(parts.length).toBeGreaterThan(2);

    const a = new PartAssembler();
    const results = parts.map((p) => a.accept('doc', p));
    expect(results.slice(0, -1)).toEqual(parts.slice(0, -1).map(() => null));
    expect(results.at(-1)).toEqual(original);
    expect(results.at(-1)).not.toHaveProperty('part');
    expect(a.pendingCount).toBe(0);
  });

  it('reassembles a binary (base64) frame', () => {
    const original = sentBinary(9, 1, Uint8Array.from({ length: 500 }, (_, i) => i % 256));
    const a = new PartAssembler();
    let whole: WireFrame | null = null;
    for (const p of split(original, 64)) whole = a.accept('doc', p);
    expect(whole).toEqual(original);
  });

  it('restarts a frame when part 0 is replayed', () => {
    const original = sentText(4, 1, 'x'.repeat(30));
    const parts = split(original, 10); // 3 parts
    const a = new PartAssembler();
    expect(a.accept('doc', parts[0]!)).toBeNull();
    expect(a.accept('doc', parts[1]!)).toBeNull();
    // A replay starts the same frame again from the beginning.
    expect(a.accept('doc', parts[0]!)).toBeNull();
    expect(a.accept('doc', parts[1]!)).toBeNull();
    expect(a.accept('doc', parts[2]!)).toEqual(original);
  });

  it('drops a frame joined mid-way (its first part seen is not part 0)', () => {
    const parts = split(sentText(4, 1, 'x'.repeat(30)), 10);
    const a = new PartAssembler();
    expect(a.accept('doc', parts[1]!)).toBeNull();
    expect(a.accept('doc', parts[2]!)).toBeNull();
    expect(a.pendingCount).toBe(0);
  });

  it('drops a frame whose parts arrive out of order', () => {
    const parts = split(sentText(4, 1, 'abcdefghij'.repeat(4)), 10); // 4 parts
    const a = new PartAssembler();
    expect(a.accept('doc', parts[0]!)).toBeNull();
    expect(a.accept('doc', parts[2]!)).toBeNull();
    expect(a.accept('doc', parts[1]!)).toBeNull();
    expect(a.accept('doc', parts[3]!)).toBeNull();
    expect(a.pendingCount).toBe(0);
  });

  it('keeps frames of the same seq from different documents apart', () => {
    const fromTop = sentText(7, 1, 'T'.repeat(20));
    const fromIframe = sentText(7, 1, 'I'.repeat(20));
    const top = split(fromTop, 10), iframe = split(fromIframe, 10);
    const a = new PartAssembler();
    expect(a.accept('top', top[0]!)).toBeNull();
    expect(a.accept('iframe', iframe[0]!)).toBeNull();
    expect(a.accept('top', top[1]!)).toEqual(fromTop);
    expect(a.accept('iframe', iframe[1]!)).toEqual(fromIframe);
  });
});
