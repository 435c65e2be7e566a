/**
 * The page's capture history since load, kept by the relay so that DevTools opened later still
 * sees every socket. Frames are capped by count and by stored payload size; when a cap is hit the
 * oldest frames go first, and are counted. Lifecycle events (create/open/close/error) live in
 * their own, separately capped list: they are tiny, and every frame needs its socket's create.
 */
import type { CapturedEvent, EvictionCounts } from '../protocol/capture-events';
import { utf8ByteLength } from '../protocol/bytes';
import { initiatorUnits } from '../protocol/stack-frames';

type CapturedFrame = Extract<CapturedEvent, { k: 'frame' }>;
type CapturedLifecycle = Exclude<CapturedEvent, { k: 'frame' }>;

export interface HistoryCaps {
  /** Stored payload: characters of text plus bytes of binary. */
  maxBytes: number;
  maxFrames: number;
  maxLifecycle: number;
  /** Payload characters held by lifecycle events (intercept events carry the frame they caught; page-dispatched ones their data). */
  maxLifecycleBytes: number;
}

/** A FIFO that pops from the front without shifting the whole array each time. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length() { return this.items.length - this.head; }
  push(x: T) { this.items.push(x); }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    return x;
  }
  toArray(): T[] { return this.items.slice(this.head); }
}

export class HistoryBuffer {
  private frames = new Fifo<CapturedFrame>();
  private lifecycle = new Fifo<CapturedLifecycle>();
  private storedChars = 0;
  private lifecycleChars = 0;
  readonly evicted: EvictionCounts = { frames: 0, bytes: 0, throughSeq: 0, lifecycle: 0 };

  constructor(private readonly caps: HistoryCaps) {}

  push(ev: CapturedEvent): void {
    if (ev.k === 'frame') {
      this.frames.push(ev);
      this.storedChars += frameUnits(ev);
      while (this.frames.length > this.caps.maxFrames || (this.storedChars > this.caps.maxBytes && this.frames.length > 0)) {
        const old = this.frames.shift()!;
        this.storedChars -= frameUnits(old);
        this.evicted.frames++;
        // UTF-8 size only for what is evicted: kept text is sized when it is sent to a panel.
        this.evicted.bytes += typeof old.data === 'string' ? utf8ByteLength(old.data) : old.data.byteLength;
        this.evicted.throughSeq = Math.max(this.evicted.throughSeq, old.seq);
      }
    } else {
      this.lifecycle.push(ev);
      this.lifecycleChars += payloadChars(ev);
      while (this.lifecycle.length > this.caps.maxLifecycle || (this.lifecycleChars > this.caps.maxLifecycleBytes && this.lifecycle.length > 0)) {
        this.lifecycleChars -= payloadChars(this.lifecycle.shift()!);
        this.evicted.lifecycle++;
      }
    }
  }

  /** Everything kept, in capture (seq) order. */
  snapshot(): CapturedEvent[] {
    const f = this.frames.toArray();
    const l = this.lifecycle.toArray();
    const out: CapturedEvent[] = new Array(f.length + l.length);
    let i = 0, j = 0, k = 0;
    while (i < f.length && j < l.length) out[k++] = f[i]!.seq < l[j]!.seq ? f[i++]! : l[j++]!;
    while (i < f.length) out[k++] = f[i++]!;
    while (j < l.length) out[k++] = l[j++]!;
    return out;
  }

  get frameCount(): number { return this.frames.length; }
  get lifecycleBytes(): number { return this.lifecycleChars; }
  get storedBytes(): number { return this.storedChars; }
}

function payloadUnits(data: string | ArrayBuffer): number {
  return typeof data === 'string' ? data.length : data.byteLength;
}

/** A frame's weight against maxBytes: its payload, and its send() stack when one was recorded (one stack per frame, though frames may share it). */
function frameUnits(ev: CapturedFrame): number {
  return payloadUnits(ev.data) + (ev.initiator ? initiatorUnits(ev.initiator) : 0);
}

function payloadChars(ev: CapturedLifecycle): number {
  if (ev.k === 'intercept') return payloadUnits(ev.data) + (ev.initiator ? initiatorUnits(ev.initiator) : 0);
  return ev.k === 'dispatched' && ev.data !== undefined ? payloadUnits(ev.data) : 0;
}
