/**
 * A tab that connects to a SharedWorker late sees its sockets only through this history: it must
 * keep the newest frames and the sockets' lifecycle, and count exactly what it let go so the panel
 * can say how much is missing.
 */
import { describe, expect, it } from 'vitest';
import { SharedHistory, type HistoryCaps } from '../../src/worker/shared-history';
import type { HookEvent } from '../../src/protocol/capture-events';

const big: HistoryCaps = { frames: 1_000_000, bytes: 1_000_000, lifecycle: 1_000_000, lifecycleBytes: 1_000_000 };

const create = (sock: number, at = 0): HookEvent => ({ k: 'create', sock, at, url: `wss://a.test/${sock}`, protocols: [] });
const open = (sock: number, at = 0): HookEvent => ({ k: 'open', sock, at, protocol: '', extensions: '' });
const close = (sock: number, at = 0): HookEvent => ({ k: 'close', sock, at, code: 1000, reason: '', wasClean: true });
const frame = (sock: number, text: string, at = 0): HookEvent => ({ k: 'frame', sock, at, dir: 'sent', data: text });

/** Frames' payloads and lifecycle kinds, in the order kept: short to compare. */
const label = (e: HookEvent) => (e.k === 'frame' ? e.data as string : `${e.k}:${e.sock}`);
const labels = (h: SharedHistory) => h.events().map(label);

describe('SharedHistory', () => {
  it('keeps every event in the order added, with nothing missed, under its caps', () => {
    const h = new SharedHistory(big);
    const evs = [create(1), open(1), frame(1, 'a'), frame(1, 'b'), create(2), frame(2, 'c'), close(1)];
    for (const e of evs) h.add(e, e.k === 'frame' ? 1 : 0);
    expect(h.events()).toEqual(evs);
    expect(h.missed).toEqual({ frames: 0, bytes: 0 });
  });

  it('past the lifecycle bytes cap lets the oldest payload-carrying events go; frames and each socket\'s create stay', () => {
    const h = new SharedHistory({ ...big, lifecycleBytes: 10 });
    const dispatched = (sock: number, data: string): HookEvent => ({ k: 'dispatched', sock, at: 0, event: 'message', data, size: data.length });
    h.add(create(1), 0);
    h.add(dispatched(1, 'aaaaaa'), 6);
    h.add(frame(1, 'kept'), 4);
    h.add(dispatched(1, 'bbbbbb'), 6);
    // 12 bytes of payload over a 10-byte cap: the oldest payload goes; the socket's create stays.
    expect(labels(h)).toEqual(['create:1', 'kept', 'dispatched:1']);
    expect((h.events()[2] as { data: string }).data).toBe('bbbbbb');
    expect(h.missed).toEqual({ frames: 0, bytes: 0 });
  });

  it('returns the events themselves, not a live view: a later add does not change an earlier result', () => {
    const h = new SharedHistory(big);
    h.add(frame(1, 'a'), 1);
    const before = h.events();
    h.add(frame(1, 'b'), 1);
    expect(before.map(label)).toEqual(['a']);
    expect(labels(h)).toEqual(['a', 'b']);
  });

  it('past the frame cap evicts the oldest frames only, keeping create/open, and counts them with their bytes', () => {
    const h = new SharedHistory({ ...big, frames: 2 });
    h.add(create(1), 0);
    h.add(open(1), 0);
    h.add(frame(1, 'a'), 3);
    h.add(frame(1, 'b'), 5);
    h.add(create(2), 0);
    h.add(frame(2, 'c'), 7);
    h.add(frame(1, 'd'), 11);
    expect(labels(h)).toEqual(['create:1', 'open:1', 'create:2', 'c', 'd']);
    expect(h.missed).toEqual({ frames: 2, bytes: 8 });
  });

  it('past the byte cap evicts the oldest frames until the total is at or under it', () => {
    const h = new SharedHistory({ ...big, bytes: 10 });
    h.add(create(1), 0);
    h.add(frame(1, 'a'), 4);
    h.add(frame(1, 'b'), 4);
    expect(labels(h)).toEqual(['create:1', 'a', 'b']);
    h.add(frame(1, 'c'), 2); // 10: at the cap, nothing goes
    expect(labels(h)).toEqual(['create:1', 'a', 'b', 'c']);
    expect(h.missed).toEqual({ frames: 0, bytes: 0 });
    h.add(frame(1, 'd'), 7); // 17: 'a' (13) and 'b' (9) must go
    expect(labels(h)).toEqual(['create:1', 'c', 'd']);
    expect(h.missed).toEqual({ frames: 2, bytes: 8 });
  });

  it('a frame larger than the byte cap on its own is not kept, and is counted', () => {
    const h = new SharedHistory({ ...big, bytes: 10 });
    h.add(frame(1, 'a'), 3);
    h.add(frame(1, 'huge'), 50);
    expect(labels(h)).toEqual([]);
    expect(h.missed).toEqual({ frames: 2, bytes: 53 });
  });

  it('past the lifecycle cap evicts the oldest events of any kind, counting the frames among them', () => {
    const h = new SharedHistory({ ...big, lifecycle: 2 });
    h.add(frame(0, 'x'), 6);
    h.add(create(1), 0);
    h.add(frame(1, 'a'), 5);
    h.add(open(1), 0);
    h.add(frame(1, 'b'), 9);
    expect(labels(h)).toEqual(['x', 'create:1', 'a', 'open:1', 'b']);
    h.add(close(1), 0); // a third lifecycle event: everything up to and including create:1 goes
    expect(labels(h)).toEqual(['a', 'open:1', 'b', 'close:1']);
    expect(h.missed).toEqual({ frames: 1, bytes: 6 });
    h.add(create(2), 0); // again: 'a' and open:1 go
    expect(labels(h)).toEqual(['b', 'close:1', 'create:2']);
    expect(h.missed).toEqual({ frames: 2, bytes: 11 });
  });

  it('frames under the frame cap are not evicted by lifecycle events alone', () => {
    const h = new SharedHistory({ ...big, frames: 2, lifecycle: 100 });
    h.add(frame(1, 'a'), 1);
    h.add(frame(1, 'b'), 1);
    for (let i = 0; i < 50; i++) h.add(create(i + 2), 0);
    expect(h.events().filter((e) => e.k === 'frame').map(label)).toEqual(['a', 'b']);
    expect(h.missed).toEqual({ frames: 0, bytes: 0 });
  });

  it('lost() accumulates frames lost before the history, on top of evictions', () => {
    const h = new SharedHistory({ ...big, frames: 1 });
    h.lost({ frames: 3, bytes: 30 });
    h.lost({ frames: 2, bytes: 7 });
    expect(h.missed).toEqual({ frames: 5, bytes: 37 });
    h.add(frame(1, 'a'), 4);
    h.add(frame(1, 'b'), 1);
    expect(h.missed).toEqual({ frames: 6, bytes: 41 });
    expect(labels(h)).toEqual(['b']);
  });

  it('stays exact across internal compaction: the last N frames in order, all lifecycle events, exact missed counts', () => {
    const cap = 10;
    const h = new SharedHistory({ frames: cap, bytes: 1_000_000, lifecycle: 1_000_000, lifecycleBytes: 1_000_000 });
    const total = 5000;
    const lifecycle: string[] = [];
    let totalBytes = 0;
    const sizeOf = (i: number) => (i % 7) + 1;
    for (let i = 0; i < total; i++) {
      if (i % 500 === 0) { h.add(create(i), 0); lifecycle.push(`create:${i}`); }
      h.add(frame(1, `f${i}`, i), sizeOf(i));
      totalBytes += sizeOf(i);
    }
    const kept = h.events();
    const frames = kept.filter((e) => e.k === 'frame').map(label);
    const expectedFrames = Array.from({ length: cap }, (_, j) => `f${total - cap + j}`);
    expect(frames).toEqual(expectedFrames);
    expect(kept.filter((e) => e.k !== 'frame').map(label)).toEqual(lifecycle);
    // Lifecycle events and kept frames remain in the order they were added.
    const order = kept.map((e) => (e.k === 'frame' ? e.at : e.sock));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    let keptBytes = 0;
    for (let i = total - cap; i < total; i++) keptBytes += sizeOf(i);
    expect(h.missed).toEqual({ frames: total - cap, bytes: totalBytes - keptBytes });
  });

  it('stays exact across compaction under the byte cap too, with lifecycle evictions mixed in', () => {
    const h = new SharedHistory({ frames: 1_000_000, bytes: 20, lifecycle: 3, lifecycleBytes: 1_000_000 });
    let addedFrames = 0;
    let addedBytes = 0;
    for (let i = 0; i < 4000; i++) {
      if (i % 100 === 0) h.add(create(i), 0);
      h.add(frame(1, `f${i}`, i), 4);
      addedFrames++;
      addedBytes += 4;
    }
    const kept = h.events();
    const keptFrames = kept.filter((e) => e.k === 'frame');
    expect(keptFrames.map(label)).toEqual(['f3995', 'f3996', 'f3997', 'f3998', 'f3999']);
    expect(kept.filter((e) => e.k !== 'frame').map(label)).toEqual(['create:3700', 'create:3800', 'create:3900']);
    expect(h.missed).toEqual({ frames: addedFrames - 5, bytes: addedBytes - 20 });
  });
});
