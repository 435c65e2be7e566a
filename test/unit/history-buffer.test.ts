/**
 * The relay's history is what a late-opened DevTools gets to see: it must keep the newest frames,
 * every lifecycle event it can, and account exactly for what it let go.
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuffer, type HistoryCaps } from '../../src/relay/history-buffer';
import type { CapturedEvent } from '../../src/protocol/capture-events';
import { closed, created, opened, receivedText, sentText } from './fixtures/wire-events';

/** The relay keeps binary as the bytes the hook transferred, not as base64. */
const sentBytes = (seq: number, sock: number, n: number): CapturedEvent => ({ k: 'frame', seq, sock, at: seq, dir: 'sent', data: new ArrayBuffer(n) });

const big: HistoryCaps = { maxBytes: 1_000_000, maxFrames: 1_000_000, maxLifecycle: 1_000_000, maxLifecycleBytes: 1_000_000 };
const seqs = (h: HistoryBuffer) => h.snapshot().map((e) => e.seq);

describe('HistoryBuffer', () => {
  it('keeps everything under its caps, with nothing counted as evicted', () => {
    const h = new HistoryBuffer(big);
    h.push(created(1, 1, 'wss://a/'));
    h.push(sentText(2, 1, 'hi'));
    expect(seqs(h)).toEqual([1, 2]);
    expect(h.evicted).toEqual({ frames: 0, bytes: 0, throughSeq: 0, lifecycle: 0 });
  });

  it('evicts the oldest frames first past the frame-count cap, counting frames, bytes and throughSeq', () => {
    const h = new HistoryBuffer({ ...big, maxFrames: 2 });
    h.push(sentText(1, 1, 'é'));      // 2 bytes
    h.push(sentText(2, 1, '€€'));     // 6 bytes
    h.push(sentText(3, 1, 'c'));
    h.push(sentText(4, 1, 'd'));
    expect(seqs(h)).toEqual([3, 4]);
    expect(h.frameCount).toBe(2);
    expect(h.evicted).toEqual({ frames: 2, bytes: 8, throughSeq: 2, lifecycle: 0 });
  });

  it('evicts past the stored-size cap: text by characters, binary by bytes (it is not base64 here)', () => {
    const h = new HistoryBuffer({ ...big, maxBytes: 20 });
    h.push(sentBytes(1, 1, 12));                  // 12 bytes
    h.push(sentText(2, 1, '12345678'));           // 8 chars: 20 stored, at the cap
    expect(h.evicted.frames).toBe(0);
    expect(h.storedBytes).toBe(20);
    h.push(sentText(3, 1, 'x'));                  // 21 > 20: the oldest goes
    expect(seqs(h)).toEqual([2, 3]);
    expect(h.storedBytes).toBe(9);
    expect(h.evicted).toEqual({ frames: 1, bytes: 12, throughSeq: 1, lifecycle: 0 });
  });

  it('evicts several old frames at once for one large new frame, and a frame larger than the cap itself', () => {
    const h = new HistoryBuffer({ ...big, maxBytes: 10 });
    h.push(sentText(1, 1, 'aaa'));
    h.push(sentText(2, 1, 'bbb'));
    h.push(sentText(3, 1, 'cccccccc'));
    expect(seqs(h)).toEqual([3]);
    expect(h.evicted).toMatchObject({ frames: 2, bytes: 6, throughSeq: 2 });
    h.push(sentText(4, 1, 'd'.repeat(11)));
    expect(seqs(h)).toEqual([]);
    expect(h.evicted).toMatchObject({ frames: 4, bytes: 6 + 8 + 11, throughSeq: 4 });
  });

  it('never evicts lifecycle events to make room for frames', () => {
    const h = new HistoryBuffer({ ...big, maxFrames: 1, maxBytes: 5 });
    h.push(created(1, 1, 'wss://a/'));
    h.push(opened(2, 1));
    for (let s = 3; s <= 10; s++) h.push(receivedText(s, 1, 'abcd'));
    h.push(closed(11, 1));
    expect(seqs(h)).toEqual([1, 2, 10, 11]);
    expect(h.evicted.frames).toBe(7);
    expect(h.evicted.lifecycle).toBe(0);
  });

  it('caps lifecycle events on their own, oldest first, counted in evicted.lifecycle only', () => {
    const h = new HistoryBuffer({ ...big, maxLifecycle: 2 });
    h.push(created(1, 1, 'wss://a/'));
    h.push(sentText(2, 1, 'kept'));
    h.push(opened(3, 1));
    h.push(closed(4, 1));
    expect(seqs(h)).toEqual([2, 3, 4]);
    expect(h.evicted.lifecycle).toBe(1);
    expect(h.evicted.frames).toBe(0);
    expect(h.evicted.bytes).toBe(0);
  });

  it('snapshot() merges frames and lifecycle events in seq order', () => {
    const h = new HistoryBuffer(big);
    const events = [
      created(1, 1, 'wss://a/'), sentText(2, 1, 'a'), created(3, 2, 'wss://b/'), opened(4, 1),
      receivedText(5, 2, 'b'), receivedText(6, 1, 'c'), closed(7, 2), sentText(8, 1, 'd'),
    ];
    for (const e of events) h.push(e);
    expect(h.snapshot()).toEqual(events);
  });

  it('keeps working through many evictions (internal compaction does not lose or reorder)', () => {
    const h = new HistoryBuffer({ ...big, maxFrames: 100 });
    for (let s = 1; s <= 5000; s++) h.push(sentText(s, 1, String(s)));
    expect(seqs(h)).toEqual(Array.from({ length: 100 }, (_, i) => 4901 + i));
    expect(h.evicted.frames).toBe(4900);
    expect(h.evicted.throughSeq).toBe(4900);
  });
});

describe('HistoryBuffer: lifecycle payloads', () => {
  const intercepted = (seq: number, text: string) =>
    ({ k: 'intercept' as const, seq, sock: 1, at: seq, dir: 'sent' as const, what: 'dropped' as const, ruleId: 'r', type: 'text' as const, size: text.length, data: text });

  it('caps what rule interceptions hold by payload size too, oldest first, and counts what it evicts', () => {
    const h = new HistoryBuffer({ ...big, maxLifecycleBytes: 10 });
    h.push(created(1, 1, 'wss://a/'));
    h.push(intercepted(2, 'aaaa'));
    h.push(intercepted(3, 'bbbb'));
    h.push(intercepted(4, 'cccc'));
    expect(h.lifecycleBytes).toBeLessThanOrEqual(10);
    expect(h.snapshot().map((e) => e.seq)).toEqual([3, 4]);
    expect(h.evicted.lifecycle).toBe(2);
  });
});

describe('HistoryBuffer: send stacks', () => {
  /** 9 + 15 characters of names, and 16 for the numbers: 40 against the cap (see initiatorUnits). */
  const initiator = { stack: [{ fn: 'sendOrder', url: 'http://h/app.js', line: 8, col: 6 }] };
  const withStack = <E extends CapturedEvent>(ev: E): E => ({ ...ev, initiator });

  it('weighs a frame\'s stack against the stored-size cap, and reports only its payload as evicted', () => {
    const h = new HistoryBuffer({ ...big, maxBytes: 50 });
    h.push(withStack(sentText(1, 1, 'a')));
    expect(h.storedBytes).toBe(41);
    h.push(withStack(sentText(2, 1, 'b')));
    expect(seqs(h)).toEqual([2]);
    expect(h.storedBytes).toBe(41);
    expect(h.evicted).toEqual({ frames: 1, bytes: 1, throughSeq: 1, lifecycle: 0 });
    // Without a stack the same frames fit.
    h.push(sentText(3, 1, 'c'));
    expect(seqs(h)).toEqual([2, 3]);
  });

  it('weighs a rule\'s event\'s stack against the lifecycle payload cap', () => {
    const h = new HistoryBuffer({ ...big, maxLifecycleBytes: 50 });
    const dropped = (seq: number): CapturedEvent => ({ k: 'intercept', seq, sock: 1, at: seq, dir: 'sent', what: 'dropped', ruleId: 'r', data: 'x', initiator });
    h.push(dropped(1));
    expect(h.lifecycleBytes).toBe(41);
    h.push(dropped(2));
    expect(seqs(h)).toEqual([2]);
    expect(h.evicted.lifecycle).toBe(1);
  });
});
