/**
 * The relay's outbox cuts captured events into runtime messages small enough for the browser, one
 * message per task, encoding payloads on the way; the panel must get back exactly what was
 * captured, in order, whatever the cut.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedEvent, WireEvent, WireFrame } from '../../src/protocol/capture-events';
import { PartAssembler } from '../../src/protocol/transport-packing';
import { base64ToBytes } from '../../src/protocol/bytes';
import { Outbox, type OutboxLimits } from '../../src/relay/outbox';
import { atOf, created, opened, receivedText, sentBinary, sentText } from './fixtures/wire-events';

/** What the relay holds for a wire fixture: the same event, binary as bytes, no size or type. */
function fromWire(ev: WireEvent): CapturedEvent {
  if (ev.k !== 'frame') return ev as CapturedEvent;
  const { type, size: _size, ...rest } = ev;
  return { ...rest, data: type === 'binary' ? base64ToBytes(ev.data).slice().buffer : ev.data };
}

/** Runs an outbox to empty, one queued task at a time, and records every message it posted. */
function sendThroughOutbox(events: CapturedEvent[], limits: OutboxLimits, opts: { replay?: boolean } = {}) {
  const messages: { events: WireEvent[]; snapshot: boolean }[] = [];
  const tasks: (() => void)[] = [];
  const box = new Outbox({ post: (evs, snapshot) => { messages.push({ events: evs, snapshot }); return true; }, nextTask: (fn) => tasks.push(fn) }, limits);
  if (opts.replay) box.replay(events);
  else { for (const e of events) box.add(e); box.flush(); }
  const postedInFirstTask = messages.length;
  let taskCount = 1;
  while (tasks.length > 0) { tasks.shift()!(); taskCount++; }
  return { messages, packs: messages.map((m) => m.events), postedInFirstTask, taskCount, box };
}

const seqsOf = (packs: WireEvent[][]) => packs.flat().map((e) => e.seq);
const payloadChars = (pack: WireEvent[]) => pack.reduce((n, e) => n + (e.k === 'frame' ? e.data.length : 0), 0);
const wide = { maxChars: 10_000, maxEvents: 100 };

describe('Outbox', () => {
  it('sends small events together in one message, in order, encoded as wire events', () => {
    const events = [created(1, 1, 'wss://a/'), opened(2, 1), sentText(3, 1, 'hi'), receivedBinary(4, [1, 2, 3])];
    const { packs } = sendThroughOutbox(events.map(fromWire), wide);
    expect(packs).toEqual([events]);
  });

  it('posts nothing for nothing, and one empty snapshot message for an empty replay', () => {
    expect(sendThroughOutbox([], wide).messages).toEqual([]);
    expect(sendThroughOutbox([], wide, { replay: true }).messages).toEqual([{ events: [], snapshot: true }]);
  });

  it('marks only the first message of a replay as the snapshot', () => {
    const events = Array.from({ length: 5 }, (_, i) => fromWire(sentText(i + 1, 1, 'x')));
    const { messages } = sendThroughOutbox(events, { maxChars: 10_000, maxEvents: 2 }, { replay: true });
    expect(messages.map((m) => m.snapshot)).toEqual([true, false, false]);
  });

  it('starts a new message after maxEvents events, one message per task', () => {
    const events = Array.from({ length: 7 }, (_, i) => fromWire(sentText(i + 1, 1, 'x')));
    const { packs, postedInFirstTask, taskCount } = sendThroughOutbox(events, { maxChars: 1_000_000, maxEvents: 3 });
    expect(packs.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(seqsOf(packs)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(postedInFirstTask).toBe(1);
    expect(taskCount).toBe(3);
  });

  it('starts a new message before the payload characters would pass maxChars', () => {
    const maxChars = 1000;
    const events = Array.from({ length: 10 }, (_, i) => fromWire(sentText(i + 1, 1, 'y'.repeat(300))));
    const { packs } = sendThroughOutbox(events, { maxChars, maxEvents: 1000 });
    expect(packs.length).toBeGreaterThan(1);
    for (const p of packs) {
      expect(p.length).toBeGreaterThan(0);
      if (p.length > 1) expect(payloadChars(p)).toBeLessThanOrEqual(maxChars);
    }
    expect(seqsOf(packs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('splits a text frame longer than maxChars into parts i of n, each alone, in a task of its own', () => {
    const big = sentText(2, 1, 'abcdefghij'.repeat(25)); // 250 chars
    const { packs, taskCount } = sendThroughOutbox([created(1, 1, 'wss://a/'), big, sentText(3, 1, 'after')].map(fromWire), { maxChars: 100, maxEvents: 50 });

    expect(packs.map((p) => p.map((e) => e.seq))).toEqual([[1], [2], [2], [2], [3]]);
    expect(taskCount).toBe(5);
    const parts = packs.slice(1, 4).map((p) => p[0] as WireFrame);
    expect(parts.map((p) => p.part)).toEqual([{ i: 0, n: 3 }, { i: 1, n: 3 }, { i: 2, n: 3 }]);
    for (const p of parts) {
      expect(p.data.length).toBeLessThanOrEqual(100);
      expect(p.data.length).toBeGreaterThan(0);
      expect(p.size).toBe(big.size); // size stays the whole frame's
    }
    expect(parts.map((p) => p.data).join('')).toBe(big.data);
  });

  it('splits a binary frame at multiples of 3 bytes, so the parts\' base64 joined is the base64 of the whole', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    const big = sentBinary(1, 1, bytes);
    const { packs } = sendThroughOutbox([fromWire(big)], { maxChars: 64, maxEvents: 10 });
    const parts = packs.map((p) => p[0] as WireFrame);
    expect(parts.length).toBe(Math.ceil(1000 / 48));
    for (const p of parts) expect(p.data.length).toBeLessThanOrEqual(64);
    expect(parts.map((p) => p.data).join('')).toBe(big.data);
    expect(parts.every((p) => p.size === 1000 && p.type === 'binary')).toBe(true);
  });

  it('does not split a frame of exactly maxChars', () => {
    const { packs } = sendThroughOutbox([fromWire(sentText(1, 1, 'z'.repeat(100)))], { maxChars: 100, maxEvents: 10 });
    expect(packs).toHaveLength(1);
    expect((packs[0]![0] as WireFrame).part).toBeUndefined();
  });

  it('drain sends everything in the calling task (pagehide has no later task), in order, even mid-way', () => {
    const tasks: (() => void)[] = [];
    const posted: WireEvent[][] = [];
    const box = new Outbox({ post: (events) => { posted.push(events); return true; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 10, maxEvents: 2 });
    const events = [fromWire(sentText(1, 1, 'a')), fromWire(sentText(2, 1, 'b')), fromWire(sentText(3, 1, 'x'.repeat(25))), fromWire(sentText(4, 1, 'c'))];
    for (const e of events) box.add(e);
    box.flush();
    expect(posted).toHaveLength(1);
    box.drain();
    expect(box.pending).toBe(0);
    expect(posted.flat().map((e) => e.seq)).toEqual([1, 2, 3, 3, 3, 4]);
    // The task flush() had queued finds nothing left to send.
    while (tasks.length > 0) tasks.shift()!();
    expect(posted.flat()).toHaveLength(6);
  });

  it('never modifies what the history holds', () => {
    const kept = fromWire(sentBinary(1, 1, new Uint8Array(300)));
    const copy = structuredClone(kept);
    sendThroughOutbox([kept], { maxChars: 64, maxEvents: 10 });
    expect(kept).toEqual(copy);
  });

  it('a replay in the middle of a frame sent in parts starts again from part 0, as a snapshot', () => {
    const tasks: (() => void)[] = [];
    const posted: { events: WireEvent[]; snapshot: boolean }[] = [];
    const box = new Outbox({ post: (events, snapshot) => { posted.push({ events, snapshot }); return true; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 10, maxEvents: 10 });
    const big = fromWire(sentText(1, 1, 'x'.repeat(30)));
    box.add(big);
    box.flush();
    expect((posted[0]!.events[0] as WireFrame).part).toEqual({ i: 0, n: 3 });
    box.replay([big]);
    while (tasks.length > 0) tasks.shift()!();
    expect(posted.slice(1).map((m) => [(m.events[0] as WireFrame).part?.i, m.snapshot])).toEqual([[0, true], [1, false], [2, false]]);
  });

  it('drops its queue when the router\'s port is gone, and posts nothing more', () => {
    const tasks: (() => void)[] = [];
    let posts = 0;
    const box = new Outbox({ post: () => { posts++; return false; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 1000, maxEvents: 1 });
    for (let i = 1; i <= 3; i++) box.add(fromWire(sentText(i, 1, 'x')));
    box.flush();
    expect(posts).toBe(1);
    expect(box.pending).toBe(0);
    expect(tasks).toEqual([]);
  });
});

function receivedBinary(seq: number, bytes: number[]): WireFrame {
  return { ...sentBinary(seq, 1, bytes), dir: 'received', at: atOf(seq) };
}

describe('PartAssembler', () => {
  const split = (frame: WireFrame, maxChars: number) =>
    sendThroughOutbox([fromWire(frame)], { maxChars, maxEvents: 10 }).messages.map((m) => m.events[0] as WireFrame);

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
