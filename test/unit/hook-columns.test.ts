/**
 * The hook's batches to the relay: frames as columns, other events as objects in their places.
 * What the hook writes, the relay's pipeline reads back as the same events in the same order,
 * through a real structured clone; a batch without some frames (transferred, then gone at
 * pagehide) keeps every other event in its place.
 */
import { describe, expect, it } from 'vitest';
import type { CapturedEvent, HookEvent } from '../../src/protocol/capture-events';
import { ColumnWriter, flagsDir, flagsOrigin, frameFlags, framesIn, MAX_FRAME_FLAGS, ORIGINS, withoutFrames } from '../../src/protocol/hook-columns';
import { isHookToRelayMessage } from '../../src/protocol/guards';
import { HookEventPipeline } from '../../src/relay/hook-event-pipeline';

const create: HookEvent = { k: 'create', sock: 1, at: 1, url: 'wss://a.test/', protocols: [] };
const close: HookEvent = { k: 'close', sock: 1, at: 9, code: 1000, reason: '', wasClean: true };
const frame = (at: number, data: string | ArrayBuffer, dir: 'sent' | 'received' = 'sent', origin?: 'resent' | 'composed' | 'injected' | 'modified'): HookEvent =>
  origin ? { k: 'frame', sock: 1, at, dir, data, origin } : { k: 'frame', sock: 1, at, dir, data };

function write(w: ColumnWriter, events: HookEvent[]): void {
  for (const ev of events) {
    if (ev.k === 'frame') w.frame(ev.sock, ev.at, frameFlags(ev.dir, ev.origin), ev.data);
    else w.event(ev);
  }
}

/** As the relay gets it: a structured clone (which the pipeline numbers in place). */
function readBack(sent: unknown): CapturedEvent[] {
  const msg: unknown = structuredClone(sent);
  expect(isHookToRelayMessage(msg)).toBe(true);
  const out: CapturedEvent[] = [];
  new HookEventPipeline({ onEvent: (e) => out.push(e), onLost: () => {} }).accept(msg as Parameters<HookEventPipeline['accept']>[0]);
  return out;
}

/** What the relay keeps: the hook's event, numbered. */
const strip = (e: CapturedEvent) => { const { seq: _seq, ...rest } = e; return rest; };

describe('frame flags', () => {
  it('round-trip every direction and origin, and stay within MAX_FRAME_FLAGS', () => {
    for (const dir of ['sent', 'received'] as const) {
      for (const origin of ORIGINS) {
        const f = frameFlags(dir, origin);
        expect(f).toBeLessThanOrEqual(MAX_FRAME_FLAGS);
        expect([flagsDir(f), flagsOrigin(f)]).toEqual([dir, origin]);
      }
    }
  });
});

describe('ColumnWriter → structured clone → HookEventPipeline', () => {
  it('gives back every event, in capture order, with frames between and around the others', () => {
    const bin = new Uint8Array([1, 2, 3]).buffer;
    const events = [create, frame(2, 'a'), frame(3, bin, 'received'), frame(4, 'b', 'sent', 'composed'), close, frame(10, 'late', 'received', 'injected')];
    const w = new ColumnWriter();
    write(w, events);
    expect(w.size).toBe(6);
    expect(w.frames).toBe(4);
    const msg = w.take({ frames: 0, bytes: 0 });
    const got = readBack(msg);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(got.map(strip)).toEqual(events);
    expect(framesIn(msg)).toBe(4);
  });

  it('grows past its first room, and starts empty after take', () => {
    const w = new ColumnWriter();
    const events: HookEvent[] = [create];
    for (let i = 0; i < 1000; i++) events.push(frame(i + 2, `f${i}`, i % 2 ? 'received' : 'sent'));
    write(w, events);
    const got = readBack(w.take({ frames: 0, bytes: 0 }));
    expect(got.map(strip)).toEqual(events);
    expect(w.size).toBe(0);
    expect(readBack(w.take({ frames: 2, bytes: 5 }))).toEqual([]);
  });

  it('an event before any frame, and several events in one place, keep their order', () => {
    const w = new ColumnWriter();
    const open: HookEvent = { k: 'open', sock: 1, at: 2, protocol: '', extensions: '' };
    const events = [create, open, frame(3, 'x'), close, { k: 'error', sock: 1, at: 9 } as HookEvent];
    write(w, events);
    expect(readBack(w.take({ frames: 0, bytes: 0 })).map(strip)).toEqual(events);
  });
});

describe('withoutFrames', () => {
  it('drops the frames named, keeps every other event in its place, and adds to the drop counts', () => {
    const w = new ColumnWriter();
    const events = [create, frame(2, 'a'), frame(3, 'gone1'), frame(4, 'b'), close, frame(10, 'gone2'), frame(11, 'c')];
    write(w, events);
    const msg = w.take({ frames: 1, bytes: 1 });
    const cut = withoutFrames(msg, [1, 3], { frames: 2, bytes: 10 });
    expect(cut.dropped).toEqual({ frames: 3, bytes: 11 });
    expect(cut.frames.n).toBe(3);
    expect(readBack(cut).map(strip)).toEqual(events.filter((e) => !(e.k === 'frame' && String(e.data).startsWith('gone'))));
    // The original is untouched.
    expect(readBack(msg).map(strip)).toEqual(events);
  });
});
