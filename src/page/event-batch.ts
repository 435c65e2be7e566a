/**
 * What a hook has captured and not yet handed on: the events, the ArrayBuffers to transfer with
 * them (always the hook's own copies), and the frames lost on the way. The page hook's channel to
 * the relay keeps frames as columns (ColumnBatch, see hook-columns); the worker hook's channel to
 * the page hook posts each event as it happens, as objects (EventBatch).
 */
import type { Direction, DropCounts, FrameOrigin, HookEvent } from '../protocol/capture-events';
import { ColumnWriter, frameFlags, framesIn, type HookEventsBatch } from '../protocol/hook-columns';
import { HOOK_PENDING_MAX_BYTES, HOOK_PENDING_MAX_FRAMES } from '../protocol/limits';
import { PROTOCOL_VERSION } from '../protocol/version';
import { binaryKind } from './binary-kind';
import { natives } from './natives';

/** `n` numbers the page hook's batches to its relay, so a batch handed over twice is taken once. */
export interface EventsMessage { v: number; t: 'events'; events: HookEvent[]; dropped: DropCounts; n?: number }

/**
 * What both batches share: the pending caps, the ArrayBuffers to transfer, and the drop counts.
 * While `capped` (nobody has taken the port yet) frames past the pending caps are counted as
 * dropped instead; lifecycle events always stay (they are small, and every frame needs its
 * socket's create event to make sense).
 */
abstract class Pending {
  protected transfers: ArrayBuffer[] = [];
  private frames = 0;
  private bytes = 0;
  protected dropped: DropCounts = { frames: 0, bytes: 0 };

  /** Whether a frame of `bytes` with payload `data` goes into the batch; if not, it is counted as dropped. */
  protected admit(data: string | ArrayBuffer | Blob, bytes: number, capped: boolean): boolean {
    if (capped && (this.frames >= HOOK_PENDING_MAX_FRAMES || this.bytes + bytes > HOOK_PENDING_MAX_BYTES)) {
      this.dropped.frames++;
      this.dropped.bytes += bytes;
      return false;
    }
    this.frames++;
    this.bytes += bytes;
    if (typeof data !== 'string' && binaryKind(data) === 'arraybuffer') this.transfers[this.transfers.length] = data as ArrayBuffer;
    return true;
  }

  lost(d: DropCounts): void {
    this.dropped.frames += d.frames;
    this.dropped.bytes += d.bytes;
  }

  /** Hands over the transfer list and the drop counts; the counts start again. */
  protected reset(): { transfer: ArrayBuffer[]; dropped: DropCounts } {
    const taken = { transfer: this.transfers, dropped: this.dropped };
    this.transfers = [];
    this.frames = 0;
    this.bytes = 0;
    this.dropped = { frames: 0, bytes: 0 };
    return taken;
  }
}

/** Events as objects: the worker hook's batch to the page hook. */
export class EventBatch extends Pending {
  private events: HookEvent[] = [];

  get size(): number { return this.events.length; }
  get empty(): boolean { return this.events.length === 0 && this.dropped.frames === 0; }

  add(ev: HookEvent, bytes: number, capped: boolean): void {
    if (ev.k === 'frame' && !this.admit(ev.data, bytes, capped)) return;
    this.events[this.events.length] = ev;
  }

  /** Everything, as one message and its transfer list; the batch starts empty again. */
  take(): { msg: EventsMessage; transfer: ArrayBuffer[] } {
    const events = this.events;
    this.events = [];
    const { transfer, dropped } = this.reset();
    return { msg: { v: PROTOCOL_VERSION, t: 'events', events, dropped }, transfer };
  }

  /** A message that could not be handed over: its frames are counted as lost, never dropped silently. */
  countLost(msg: EventsMessage): void {
    for (let i = 0; i < msg.events.length; i++) if (msg.events[i]!.k === 'frame') this.dropped.frames++;
  }

  clear(): void {
    this.events = [];
    this.reset();
  }
}

/** The page hook's batch to the relay (HookToRelayMessage `events`). */
export type ColumnsMessage = HookEventsBatch & { v: number };

/** As EventBatch, with frames kept as columns: what crosses to the relay is cheap to clone (see hook-columns). */
export class ColumnBatch extends Pending {
  private readonly w = new ColumnWriter();

  get size(): number { return this.w.size; }
  get empty(): boolean { return this.w.size === 0 && this.dropped.frames === 0; }

  /** A frame, without making its event object. */
  frame(sock: number, at: number, dir: Direction, data: string | ArrayBuffer | Blob, origin: FrameOrigin | undefined, bytes: number, capped: boolean): void {
    if (this.admit(data, bytes, capped)) this.w.frame(sock, at, frameFlags(dir, origin), data);
  }

  add(ev: HookEvent, bytes: number, capped: boolean): void {
    if (ev.k === 'frame') this.frame(ev.sock, ev.at, ev.dir, ev.data, ev.origin, bytes, capped);
    else this.w.event(ev);
  }

  take(): { msg: ColumnsMessage; transfer: ArrayBuffer[] } {
    const { transfer, dropped } = this.reset();
    return { msg: this.w.take(dropped), transfer };
  }

  /** A message that could not be handed over: its frames are counted as lost, never dropped silently. */
  countLost(msg: ColumnsMessage): void {
    this.dropped.frames += framesIn(msg);
  }

  clear(): void {
    this.w.clear();
    this.reset();
  }
}

interface Batch<M> { take(): { msg: M; transfer: ArrayBuffer[] }; countLost(msg: M): void }

/**
 * Posts all of `batch` on `port`, numbered `n` when given: transferred, else copied, else counted
 * as lost (never thrown into the page). Returns what was posted and the buffers transferred with
 * it (none when it was copied), or null when nothing went.
 */
export function postBatch<M extends { n?: number }>(port: MessagePort, batch: Batch<M>, n?: number): { msg: M; transfer: ArrayBuffer[] } | null {
  const { msg, transfer } = batch.take();
  if (n !== undefined) msg.n = n;
  try {
    natives.apply(natives.postMessage, port, [msg, transfer]);
    return { msg, transfer };
  } catch {
    try {
      // Not transferable after all (a buffer listed twice, say): copied instead.
      natives.apply(natives.postMessage, port, [msg]);
      return { msg, transfer: [] };
    } catch {
      // A payload that cannot be cloned must not break the page; the batch is counted as lost.
      batch.countLost(msg);
      return null;
    }
  }
}
