/**
 * The relay's outbox cuts captured events into runtime messages small enough for the browser, one
 * message per task, encoding payloads on the way (binary as ArrayBuffers on a channel that clones
 * them, as base64 on a JSON-only one); the panel must get back exactly what was captured, in
 * order, whatever the cut and whatever form the bytes travelled in.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedEvent, WireEvent, WireFrame } from '../../src/protocol/capture-events';
import { PartAssembler, type WholeFrame } from '../../src/protocol/transport-packing';
import { base64ToBytes } from '../../src/protocol/bytes';
import { fromWireBinary } from '../../src/protocol/wire-payload';
import { Outbox, type OutboxLimits } from '../../src/relay/outbox';
import { STACK_MAX_FRAMES, type Initiator } from '../../src/protocol/stack-frames';
import { atOf, cloned, created, opened, receivedText, sentBinary, sentText } from './fixtures/wire-events';

/** What the relay holds for a wire fixture: the same event, binary as bytes, no size or type. */
function fromWire(ev: WireEvent): CapturedEvent {
  if (ev.k !== 'frame') return ev as CapturedEvent;
  const { type, size: _size, ...rest } = ev;
  return { ...rest, data: type === 'binary' ? fromWireBinary(ev.data).slice().buffer : ev.data as string };
}

/**
 * Runs an outbox to empty, one queued task at a time, and records every message it posted.
 * `clone`: the channel clones buffers (setClone(true)); by default it is not known to, so base64.
 */
function sendThroughOutbox(events: CapturedEvent[], limits: OutboxLimits, opts: { replay?: boolean; clone?: boolean } = {}) {
  const messages: { events: WireEvent[]; snapshot: boolean }[] = [];
  const tasks: (() => void)[] = [];
  const box = new Outbox({ post: (evs, snapshot) => { messages.push({ events: evs, snapshot }); return true; }, nextTask: (fn) => tasks.push(fn) }, limits);
  if (opts.clone !== undefined) box.setClone(opts.clone);
  if (opts.replay) box.replay(events);
  else { for (const e of events) box.add(e); box.flush(); }
  const postedInFirstTask = messages.length;
  let taskCount = 1;
  while (tasks.length > 0) { tasks.shift()!(); taskCount++; }
  return { messages, packs: messages.map((m) => m.events), postedInFirstTask, taskCount, box };
}

const seqsOf = (packs: WireEvent[][]) => packs.flat().map((e) => e.seq);
/** A text frame's payload, which stays a string on every channel. */
const textOf = (f: WireEvent) => { const d = (f as WireFrame).data; expect(typeof d).toBe('string'); return d as string; };
/** A binary payload sent as base64 (the JSON-only form). */
const base64Of = (f: WireEvent) => { const d = (f as WireFrame).data; expect(typeof d).toBe('string'); return d as string; };
/** A binary payload sent as a buffer (the cloning form). */
const bufferOf = (f: WireEvent) => { const d = (f as WireFrame).data; expect(d).toBeInstanceOf(ArrayBuffer); return d as ArrayBuffer; };
const payloadChars = (pack: WireEvent[]) => pack.reduce((n, e) => n + (e.k === 'frame' ? textOf(e).length : 0), 0);
const wide = { maxChars: 10_000, maxEvents: 100 };
/** Bytes that are not all alike, so a part out of place would show. */
const patterned = (n: number, mul = 7) => Uint8Array.from({ length: n }, (_, i) => (i * mul + (i >> 8)) % 256);
const joined = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('Outbox', () => {
  it('sends small events together in one message, in order, encoded as wire events', () => {
    const events = [created(1, 1, 'wss://a/'), opened(2, 1), sentText(3, 1, 'hi'), receivedBinary(4, [1, 2, 3])];
    const { packs } = sendThroughOutbox(events.map(fromWire), wide);
    expect(packs).toEqual([events]);
    // Until the router says the channel clones buffers, binary goes as base64.
    expect(base64Of(packs[0]![3]!)).toBe('AQID');
  });

  it('with setClone(true), sends the same events with binary as an ArrayBuffer of its bytes', () => {
    const events = [created(1, 1, 'wss://a/'), sentText(2, 1, 'hi'), receivedBinary(3, [1, 2, 3]), receivedBinary(4, [])];
    const { packs } = sendThroughOutbox(events.map(fromWire), wide, { clone: true });
    // toStrictEqual: toEqual does not compare the contents of ArrayBuffers.
    expect(packs).toStrictEqual([events.map(cloned)]);
    expect([...new Uint8Array(bufferOf(packs[0]![2]!))]).toEqual([1, 2, 3]);
    expect(bufferOf(packs[0]![3]!).byteLength).toBe(0);
    expect(textOf(packs[0]![1]!)).toBe('hi');
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
      expect(textOf(p).length).toBeLessThanOrEqual(100);
      expect(textOf(p).length).toBeGreaterThan(0);
      expect(p.size).toBe(big.size); // size stays the whole frame's
    }
    expect(parts.map(textOf).join('')).toBe(big.data);
  });

  it('cuts text by characters whatever the channel does with buffers', () => {
    const big = fromWire(sentText(1, 1, 'abcdefghij'.repeat(25)));
    expect(sendThroughOutbox([big], { maxChars: 100, maxEvents: 50 }, { clone: true }).packs)
      .toEqual(sendThroughOutbox([big], { maxChars: 100, maxEvents: 50 }, { clone: false }).packs);
  });

  it('splits a binary frame at multiples of 3 bytes, so the parts\' base64 joined is the base64 of the whole', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    const big = sentBinary(1, 1, bytes);
    const { packs } = sendThroughOutbox([fromWire(big)], { maxChars: 64, maxEvents: 10 });
    const parts = packs.map((p) => p[0] as WireFrame);
    expect(parts.length).toBe(Math.ceil(1000 / 48));
    for (const p of parts) expect(base64Of(p).length).toBeLessThanOrEqual(64);
    expect(parts.map(base64Of).join('')).toBe(big.data);
    expect(parts.every((p) => p.size === 1000 && p.type === 'binary')).toBe(true);
  });

  it('in base64 mode, each part decodes on its own to its slice of the bytes', () => {
    const bytes = patterned(1000);
    const { packs } = sendThroughOutbox([fromWire(sentBinary(1, 1, bytes))], { maxChars: 64, maxEvents: 10 }, { clone: false });
    const decoded = packs.map((p) => base64ToBytes(base64Of(p[0]!)));
    decoded.forEach((d, i) => expect(d).toEqual(bytes.slice(i * 48, (i + 1) * 48)));
    expect(joined(decoded)).toEqual(bytes);
  });

  it('with setClone(true), cuts a binary frame by bytes: parts of at most maxChars bytes, each its own ArrayBuffer', () => {
    const bytes = patterned(1000);
    const kept = fromWire(sentBinary(1, 1, bytes)) as Extract<CapturedEvent, { k: 'frame' }>;
    const { packs } = sendThroughOutbox([kept], { maxChars: 64, maxEvents: 10 }, { clone: true });
    const parts = packs.map((p) => { expect(p).toHaveLength(1); return p[0] as WireFrame; });
    // 64 bytes a part, not the 48 whose base64 would fit in 64 characters.
    expect(parts.length).toBe(Math.ceil(1000 / 64));
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => ({ i, n: 16 })));
    const buffers = parts.map(bufferOf);
    for (const b of buffers) {
      // An ArrayBuffer has no offset: one this small holds the part only, never the whole frame.
      expect(b.byteLength).toBeLessThanOrEqual(64);
      expect(b.byteLength).toBeGreaterThan(0);
      expect(b).not.toBe(kept.data);
    }
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers.slice(0, -1).every((b) => b.byteLength === 64)).toBe(true);
    expect(joined(buffers.map((b) => new Uint8Array(b)))).toEqual(bytes);
    expect(parts.every((p) => p.size === 1000 && p.type === 'binary')).toBe(true);
  });

  it('with setClone(true), sends a binary frame of exactly maxChars bytes whole (its base64 would not fit)', () => {
    const frame = fromWire(sentBinary(1, 1, patterned(100)));
    const cloning = sendThroughOutbox([frame], { maxChars: 100, maxEvents: 10 }, { clone: true }).packs;
    expect(cloning).toHaveLength(1);
    expect((cloning[0]![0] as WireFrame).part).toBeUndefined();
    expect(new Uint8Array(bufferOf(cloning[0]![0]!))).toEqual(patterned(100));
    expect(sendThroughOutbox([frame], { maxChars: 100, maxEvents: 10 }, { clone: false }).packs.length).toBeGreaterThan(1);
  });

  it.each([
    ['base64 to buffers', false, true],
    ['buffers to base64', true, false],
  ])('a switch of setClone (%s) in the middle of a frame sent in parts takes effect only after that frame', (_name, before, after) => {
    const tasks: (() => void)[] = [];
    const posted: WireEvent[][] = [];
    const box = new Outbox({ post: (events) => { posted.push(events); return true; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 64, maxEvents: 10 });
    const big = patterned(300), small = [5, 6, 7];
    box.setClone(before);
    box.add(fromWire(sentBinary(1, 1, big)));
    box.add(fromWire(sentBinary(2, 1, small)));
    box.flush();
    expect(posted).toHaveLength(1);
    box.setClone(after);
    while (tasks.length > 0) tasks.shift()!();

    const frames = posted.flat() as WireFrame[];
    const bigParts = frames.filter((f) => f.seq === 1);
    const n = before ? Math.ceil(300 / 64) : Math.ceil(300 / 48);
    expect(bigParts.map((f) => f.part)).toEqual(bigParts.map((_, i) => ({ i, n })));
    // Every part of the frame under way keeps the form it started in…
    for (const p of bigParts) expect(typeof p.data === 'string').toBe(!before);
    // …and the next frame goes in the new one.
    const next = frames.find((f) => f.seq === 2)!;
    expect(typeof next.data === 'string').toBe(!after);

    const a = new PartAssembler();
    const whole = frames.map((f) => a.accept('doc', f)).filter((w): w is WholeFrame => w !== null);
    expect(whole.map((w) => w.data)).toEqual([big, Uint8Array.from(small)]);
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

  it.each([false, true])('never modifies what the history holds (clone: %s)', (clone) => {
    const kept = fromWire(sentBinary(1, 1, patterned(300)));
    const small = fromWire(sentBinary(2, 1, [1, 2, 3]));
    const copy = structuredClone([kept, small]);
    sendThroughOutbox([kept, small], { maxChars: 64, maxEvents: 10 }, { clone });
    expect([kept, small]).toStrictEqual(copy);
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

describe('Outbox: send stacks', () => {
  /** A stack as deep as a page's can be kept, from a script with a long (signed CDN) URL. */
  const deep: Initiator = { stack: Array.from({ length: STACK_MAX_FRAMES }, (_, i) => ({ fn: `f${i}`, url: `https://cdn.test/app.js?sig=${'s'.repeat(200)}`, line: i + 1, col: 1 })) };
  const withStack = <E extends WireEvent>(ev: E): E => ({ ...ev, initiator: deep });

  it('sends every frame and rule event with its stack, and a frame sent in parts arrives whole with it', () => {
    const held: WireEvent = { k: 'intercept', seq: 2, sock: 1, at: atOf(2), dir: 'sent', what: 'held', ruleId: 'r1', holdId: 1, type: 'text', size: 2, data: 'hi' };
    const events = [withStack(sentText(1, 1, 'hi')), withStack(held), withStack(sentText(3, 1, 'x'.repeat(250))), sentText(4, 1, 'no stack')];
    const { packs } = sendThroughOutbox(events.map(fromWire), { maxChars: 100_000, maxEvents: 100 });
    const a = new PartAssembler();
    const arrived: (WireEvent | WholeFrame)[] = [];
    for (const e of packs.flat()) {
      const whole = e.k === 'frame' ? a.accept('doc', e) : e;
      if (whole) arrived.push(whole);
    }
    expect(arrived.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(arrived.map((e) => ('initiator' in e ? e.initiator : undefined))).toEqual([deep, deep, deep, undefined]);
    const cut = sendThroughOutbox([fromWire(events[2]!)], { maxChars: 100, maxEvents: 100 }).packs.flat() as WireFrame[];
    expect(cut.map((f) => f.part?.n)).toEqual([3, 3, 3]);
    expect(a.accept('doc2', cut[0]!)).toBeNull();
    expect(a.accept('doc2', cut[1]!)).toBeNull();
    expect(a.accept('doc2', cut[2]!)).toMatchObject({ seq: 3, data: 'x'.repeat(250), initiator: deep });
  });

  it('counts stacks against a message\'s budget: many small frames sent from deep in a page do not make one huge message', () => {
    const maxChars = 50_000;
    const events = Array.from({ length: 100 }, (_, i) => withStack(sentText(i + 1, 1, 'x')));
    const { packs } = sendThroughOutbox(events.map(fromWire), { maxChars, maxEvents: 2_000 });
    expect(seqsOf(packs)).toEqual(events.map((e) => e.seq));
    // Each event alone is under the budget, so only the budget decides the cut (JSON adds keys and quotes: twice is ample).
    expect(packs.length).toBeGreaterThan(1);
    expect(Math.max(...packs.map((p) => JSON.stringify(p).length))).toBeLessThanOrEqual(2 * maxChars);
  });
});

function receivedBinary(seq: number, bytes: number[]): WireFrame {
  return { ...sentBinary(seq, 1, bytes), dir: 'received', at: atOf(seq) };
}

describe('PartAssembler', () => {
  const split = (frame: WireFrame, maxChars: number) =>
    sendThroughOutbox([fromWire(frame)], { maxChars, maxEvents: 10 }).messages.map((m) => m.events[0] as WireFrame);

  it('passes a text frame without parts through as it is', () => {
    const a = new PartAssembler();
    const f = sentText(1, 1, 'whole');
    expect(a.accept('doc', f)).toEqual(f);
    expect(a.pendingCount).toBe(0);
  });

  it('gives a binary frame without parts as its bytes, from base64 or from a buffer', () => {
    const a = new PartAssembler();
    const f = sentBinary(1, 1, [0xde, 0xad, 0xbe, 0xef]);
    const bytes = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
    expect(a.accept('doc', f)).toEqual({ ...f, data: bytes });
    expect(a.accept('doc', cloned(f))).toEqual({ ...f, data: bytes });
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

  it('reassembles a binary frame sent as base64 parts into its bytes', () => {
    const bytes = Uint8Array.from({ length: 500 }, (_, i) => i % 256);
    const original = sentBinary(9, 1, bytes);
    const a = new PartAssembler();
    let whole: WholeFrame | null = null;
    for (const p of split(original, 64)) whole = a.accept('doc', p);
    expect(whole).toEqual({ ...original, data: bytes });
  });

  it.each([[64], [7], [1], [499], [500]])('rebuilds exactly the original bytes from ArrayBuffer parts (maxChars %i)', (maxChars) => {
    const bytes = patterned(500, 31);
    const original = sentBinary(9, 1, bytes);
    const parts = sendThroughOutbox([fromWire(original)], { maxChars, maxEvents: 10 }, { clone: true }).messages.map((m) => m.events[0] as WireFrame);
    expect(parts.length).toBe(Math.ceil(500 / maxChars));
    const a = new PartAssembler();
    const results = parts.map((p) => a.accept('doc', p));
    expect(results.slice(0, -1).every((r) => r === null)).toBe(true);
    const whole = results.at(-1)!;
    expect(whole.data).toBeInstanceOf(Uint8Array);
    expect(whole).toEqual({ ...original, data: bytes });
    expect(whole).not.toHaveProperty('part');
    expect(a.pendingCount).toBe(0);
  });

  it('gives every binary frame as a Uint8Array, whatever form it and its parts came in, and text as a string', () => {
    const a = new PartAssembler();
    const bytes = (n: number) => patterned(n, n);
    const sent = (seq: number, clone: boolean, n: number, maxChars = 10_000) =>
      sendThroughOutbox([fromWire(sentBinary(seq, 1, bytes(n)))], { maxChars, maxEvents: 10 }, { clone }).messages.map((m) => m.events[0] as WireFrame);
    const frames = [
      ...sent(1, false, 20), // whole, base64
      ...sent(2, true, 20), // whole, buffer
      ...sent(3, false, 200, 64), // parts, base64
      ...sent(4, true, 200, 64), // parts, buffers
      receivedText(5, 1, 'text stays text'),
      ...sent(6, true, 0), // empty, buffer
      ...sent(7, false, 0), // empty, base64
    ];
    const whole = frames.map((f) => a.accept('doc', f)).filter((w): w is WholeFrame => w !== null);
    expect(whole.map((w) => w.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const w of whole) {
      if (w.type === 'text') expect(w.data).toBe('text stays text');
      else expect(w.data).toBeInstanceOf(Uint8Array);
    }
    expect(whole.map((w) => w.data)).toEqual([bytes(20), bytes(20), bytes(200), bytes(200), 'text stays text', bytes(0), bytes(0)]);

    // Parts of one frame in different forms join just the same (base64 parts are whole groups of 3 bytes).
    const b = bytes(9);
    const head = { ...sentBinary(8, 1, b), size: 9 };
    expect(a.accept('doc', { ...head, data: Buffer.from(b.subarray(0, 3)).toString('base64'), part: { i: 0, n: 3 } })).toBeNull();
    expect(a.accept('doc', { ...head, data: b.slice(3, 7).buffer, part: { i: 1, n: 3 } })).toBeNull();
    expect(a.accept('doc', { ...head, data: Buffer.from(b.subarray(7)).toString('base64'), part: { i: 2, n: 3 } })).toEqual({ ...head, data: b });
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

  it('restarts a binary frame when part 0 is replayed, even in the other form', () => {
    const bytes = patterned(200);
    const original = sentBinary(4, 1, bytes);
    const base64Parts = split(original, 64);
    const bufferParts = sendThroughOutbox([fromWire(original)], { maxChars: 64, maxEvents: 10 }, { clone: true }).messages.map((m) => m.events[0] as WireFrame);
    const a = new PartAssembler();
    expect(a.accept('doc', base64Parts[0]!)).toBeNull();
    expect(a.accept('doc', base64Parts[1]!)).toBeNull();
    // The relay's port was replaced and its probe passed: the replay comes as buffers.
    const results = bufferParts.map((p) => a.accept('doc', p));
    expect(results.at(-1)).toEqual({ ...original, data: bytes });
    expect(a.pendingCount).toBe(0);
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
