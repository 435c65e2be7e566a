/**
 * How the page hook hands its events to the relay: frames as columns, not one object each.
 *
 * The structured clone of a batch runs on the page's main thread twice (serialized in the hook,
 * deserialized in the relay, which shares that thread), and an object per frame costs a tag, five
 * key strings and five values each way. As columns, a batch's socket numbers, times and
 * direction/origin flags are three typed arrays (one copy each), and only the payloads are
 * cloned one by one. Every other event (create, open, close, intercept, …: rare) stays an object in
 * `events`, with `after[i]`, the number of frames captured before it, so the relay can put the
 * two back in capture order.
 *
 * Pure: the hook captures the typed-array constructors here when its bundle first runs, before any
 * page script (as safe-collections.ts does), and never reads a typed array's length (a prototype
 * getter the page could replace): it keeps its own counts.
 */
import type { Direction, DropCounts, FrameOrigin, HookEvent } from './capture-events';
import { PROTOCOL_VERSION } from './version';

type Payload = string | ArrayBuffer | Blob;

/** One entry per frame, in capture order; the typed arrays may be longer than `n` (their spare room). */
export interface FrameColumns {
  n: number;
  sock: Uint32Array;
  at: Float64Array;
  /** Bit 0: received (else sent); bits 1–3: the origin (see ORIGINS), 0 for the page's own. */
  flags: Uint8Array;
  /** Exactly `n` payloads. */
  data: Payload[];
}

/** The hook's batch as it crosses the private port (HookToRelayMessage `events`). */
export interface HookEventsBatch {
  t: 'events';
  frames: FrameColumns;
  /** Every event that is not a frame of `frames`, in capture order. */
  events: HookEvent[];
  /** For each of `events`: how many of `frames` were captured before it (never decreasing). */
  after: number[];
  dropped: DropCounts;
  /** Numbers the page hook's batches (see InFlight). */
  n?: number;
}

/** Index = the origin's code in `flags` (bits 1–3); 0 is the page's own frame. */
export const ORIGINS: readonly (FrameOrigin | undefined)[] = [undefined, 'resent', 'composed', 'injected', 'modified', 'mocked', 'replayed'];
const ORIGIN_CODE: Readonly<Record<FrameOrigin, number>> = { resent: 1, composed: 2, injected: 3, modified: 4, mocked: 5, replayed: 6 };
const RECEIVED = 1;

export const frameFlags = (dir: Direction, origin: FrameOrigin | undefined): number =>
  (dir === 'received' ? RECEIVED : 0) | (origin === undefined ? 0 : ORIGIN_CODE[origin] << 1);
export const flagsDir = (f: number): Direction => (f & RECEIVED ? 'received' : 'sent');
export const flagsOrigin = (f: number): FrameOrigin | undefined => ORIGINS[f >> 1];
/** The largest valid flags value. */
export const MAX_FRAME_FLAGS = ((ORIGINS.length - 1) << 1) | RECEIVED;

const U32 = Uint32Array;
const F64 = Float64Array;
const U8 = Uint8Array;
const FIRST_ROOM = 64;

/** A frame as an event object (for a channel that posts objects: a worker hook's). */
export function frameEvent(sock: number, at: number, dir: Direction, data: Payload, origin: FrameOrigin | undefined): HookEvent {
  const ev: Extract<HookEvent, { k: 'frame' }> = { k: 'frame', sock, at, dir, data };
  if (origin !== undefined) ev.origin = origin;
  return ev;
}

/** Fills a batch column by column; `take` hands it over and starts an empty one. */
export class ColumnWriter {
  private room = 0;
  private nf = 0;
  private sock = new U32(0);
  private at = new F64(0);
  private flags = new U8(0);
  private data: Payload[] = [];
  private events: HookEvent[] = [];
  private after: number[] = [];

  get frames(): number { return this.nf; }
  /** Frames and other events. */
  get size(): number { return this.nf + this.events.length; }

  frame(sock: number, at: number, flags: number, data: Payload): void {
    const i = this.nf;
    if (i === this.room) this.grow();
    this.sock[i] = sock;
    this.at[i] = at;
    this.flags[i] = flags;
    this.data[i] = data;
    this.nf = i + 1;
  }

  event(ev: HookEvent): void {
    const j = this.events.length;
    this.events[j] = ev;
    this.after[j] = this.nf;
  }

  take(dropped: DropCounts): HookEventsBatch & { v: number } {
    const msg = {
      v: PROTOCOL_VERSION, t: 'events' as const,
      frames: { n: this.nf, sock: this.sock, at: this.at, flags: this.flags, data: this.data },
      events: this.events, after: this.after, dropped,
    };
    this.clear();
    return msg;
  }

  clear(): void {
    this.room = 0;
    this.nf = 0;
    this.sock = new U32(0);
    this.at = new F64(0);
    this.flags = new U8(0);
    this.data = [];
    this.events = [];
    this.after = [];
  }

  /** By index, not TypedArray.prototype.set: the page may have replaced it. */
  private grow(): void {
    const room = this.room === 0 ? FIRST_ROOM : this.room * 2;
    const sock = new U32(room), at = new F64(room), flags = new U8(room);
    for (let i = 0; i < this.nf; i++) { sock[i] = this.sock[i]!; at[i] = this.at[i]!; flags[i] = this.flags[i]!; }
    this.sock = sock; this.at = at; this.flags = flags;
    this.room = room;
  }
}

/** Frames in a batch, columns and events together. */
export function framesIn(msg: Pick<HookEventsBatch, 'frames' | 'events'>): number {
  let n = msg.frames.n;
  for (let i = 0; i < msg.events.length; i++) if (msg.events[i]!.k === 'frame') n++;
  return n;
}

/**
 * The same batch without the frames of `frames` at the indices `gone` (ascending), with `dropped`
 * added to its own drop counts; `after` is adjusted so the other events keep their places.
 */
export function withoutFrames<M extends HookEventsBatch>(msg: M, gone: readonly number[], dropped: DropCounts): M {
  const f = msg.frames;
  const n = f.n - gone.length;
  const cols: FrameColumns = { n, sock: new U32(n), at: new F64(n), flags: new U8(n), data: [] };
  for (let i = 0, g = 0, k = 0; i < f.n; i++) {
    if (g < gone.length && gone[g] === i) { g++; continue; }
    cols.sock[k] = f.sock[i]!; cols.at[k] = f.at[i]!; cols.flags[k] = f.flags[i]!; cols.data[k] = f.data[i]!;
    k++;
  }
  const after: number[] = [];
  for (let j = 0, g = 0; j < msg.after.length; j++) {
    while (g < gone.length && gone[g]! < msg.after[j]!) g++;
    after[j] = msg.after[j]! - g;
  }
  return { ...msg, frames: cols, after, dropped: { frames: msg.dropped.frames + dropped.frames, bytes: msg.dropped.bytes + dropped.bytes } };
}
