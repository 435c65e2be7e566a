/**
 * The relay's queue towards the router, used only while a panel watches. It is where wire events
 * are made (UTF-8 sizes; binary as buffers, or base64 on a JSON-only channel), and it builds one
 * runtime message per task: the content script shares the page's main thread, so a 50 MB frame or
 * a history replay of 128 MB goes out as many short tasks, never as one long one. A frame larger
 * than one message goes in parts (transport-packing).
 */
import type { CapturedEvent, WireEvent } from '../protocol/capture-events';
import { utf8ByteLength } from '../protocol/bytes';
import { toWireBinary, type WireBinary } from '../protocol/wire-payload';
import { base64Chars, partBytes, partCount } from '../protocol/transport-packing';
import { frameHead, toWireEvent } from './encode-event';
import { initiatorUnits } from '../protocol/stack-frames';

export interface OutboxLimits {
  /**
   * Payload per message (and so per task): characters of text, bytes of binary on a channel that
   * clones buffers, base64 characters of binary on a JSON-only one.
   */
  maxChars: number;
  maxEvents: number;
}

export interface OutboxDeps {
  /** Sends one message; false when the router's port is gone (the queue is then dropped). */
  post(events: WireEvent[], snapshot: boolean): boolean;
  /** Runs `fn` in a later task, so the page gets the thread in between. */
  nextTask(fn: () => void): void;
}

/** A rough per-event cost in characters for the fields around the payload. */
const EVENT_OVERHEAD_CHARS = 96;

type CapturedFrame = Extract<CapturedEvent, { k: 'frame' }>;

export class Outbox {
  private queue: CapturedEvent[] = [];
  private head = 0;
  /** The next part of queue[head] when it is being sent in parts, and that frame's size. */
  private part = 0;
  private partSize = 0;
  private snapshotNext = false;
  private scheduled = false;
  /** Binary goes as buffers (the router saw the relay's probe arrive intact), else as base64. */
  private clone = false;
  private cloneNext = false;

  constructor(private readonly deps: OutboxDeps, private readonly limits: OutboxLimits) {}

  get pending(): number { return this.queue.length - this.head; }

  /** What the channel does (see channel-probe). Takes effect between frames, never inside one sent in parts. */
  setClone(clone: boolean): void {
    this.cloneNext = clone;
  }

  add(ev: CapturedEvent): void { this.queue.push(ev); }

  /** Starts a full replay: what was queued is dropped, and the first message says `snapshot`. */
  replay(history: CapturedEvent[]): void {
    this.reset(history);
    this.snapshotNext = true;
    this.flush();
  }

  clear(): void { this.reset([]); }

  /** Sends now, one message per task until the queue is empty. */
  flush(): void {
    if (!this.scheduled) this.step();
  }

  /** Sends everything now, in this task (at pagehide, when there may be no later task). */
  drain(): void {
    while (this.sendOne());
  }

  private reset(events: CapturedEvent[]): void {
    this.queue = events;
    this.head = 0;
    this.part = 0;
    this.snapshotNext = false;
  }

  private step(): void {
    this.scheduled = false;
    if (!this.sendOne() || this.pending === 0) return;
    this.scheduled = true;
    this.deps.nextTask(() => this.step());
  }

  /** Posts the next message; false when there was nothing to post, or the post failed (the queue is then dropped). */
  private sendOne(): boolean {
    if (this.pending === 0 && !this.snapshotNext) return false;
    const events = this.nextMessage();
    const snapshot = this.snapshotNext;
    this.snapshotNext = false;
    if (!this.deps.post(events, snapshot)) { this.clear(); return false; }
    if (this.head > 4096 && this.head * 2 > this.queue.length) { this.queue = this.queue.slice(this.head); this.head = 0; }
    return true;
  }

  private nextMessage(): WireEvent[] {
    const { maxChars, maxEvents } = this.limits;
    if (this.part === 0) this.clone = this.cloneNext;
    const out: WireEvent[] = [];
    let chars = 0;
    while (this.head < this.queue.length && out.length < maxEvents) {
      const ev = this.queue[this.head]!;
      const units = payloadUnits(ev, this.clone);
      if (ev.k === 'frame' && units > maxChars) {
        if (out.length === 0) out.push(this.nextPart(ev));
        break;
      }
      // A send() stack goes with its event and weighs on the message as its payload does.
      const weight = units + stackUnits(ev) + EVENT_OVERHEAD_CHARS;
      if (out.length > 0 && chars + weight > maxChars) break;
      out.push(toWireEvent(ev, this.clone));
      chars += weight;
      this.head++;
    }
    return out;
  }

  private nextPart(ev: CapturedFrame): WireEvent {
    const { maxChars } = this.limits;
    const i = this.part;
    const payload: string | ArrayBuffer = ev.data;
    const n = partCount(payload, maxChars, this.clone);
    let data: string | WireBinary;
    if (typeof payload === 'string') {
      if (i === 0) this.partSize = utf8ByteLength(payload);
      data = payload.slice(i * maxChars, (i + 1) * maxChars);
    } else {
      if (i === 0) this.partSize = payload.byteLength;
      const step = partBytes(maxChars, this.clone);
      // A part is its own buffer: a view would serialize the whole frame's buffer with it.
      data = toWireBinary(payload.slice(i * step, Math.min((i + 1) * step, payload.byteLength)), this.clone);
    }
    if (i + 1 === n) { this.head++; this.part = 0; } else this.part++;
    return { ...frameHead(ev, this.partSize, data), part: { i, n } };
  }
}

/** A sent frame's (or a rule event's) send() stack, in characters (see initiatorUnits). */
function stackUnits(ev: CapturedEvent): number {
  return (ev.k === 'frame' || ev.k === 'intercept') && ev.initiator ? initiatorUnits(ev.initiator) : 0;
}

/** What the payload takes on the wire: characters of text; bytes of binary, or its base64 characters. */
function payloadUnits(ev: CapturedEvent, clone: boolean): number {
  if (ev.k !== 'frame' && ev.k !== 'intercept' && ev.k !== 'dispatched') return 0;
  if (ev.data === undefined) return 0;
  if (typeof ev.data === 'string') return ev.data.length;
  return clone ? ev.data.byteLength : base64Chars(ev.data.byteLength);
}
