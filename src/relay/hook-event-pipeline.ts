/**
 * Orders and numbers what the hook posts. Blob payloads must be read asynchronously; everything
 * behind a Blob waits for it, so the history stays in capture order. Nothing is encoded here:
 * the history keeps binary as the bytes the hook transferred.
 *
 * The hook posts frames as columns (see hook-columns): each frame's CapturedEvent is made here, as
 * it goes into the history. What waits behind a Blob is the rest of its batch, held as the batch
 * and a place in it, not event by event.
 */
import type { CapturedEvent, DropCounts, HookEvent } from '../protocol/capture-events';
import { flagsDir, ORIGINS } from '../protocol/hook-columns';
import type { HookEventsMessage } from './hook-link';
import { isBlobLike } from '../protocol/guards';
import { parseStack } from '../protocol/stack-frames';

export interface PipelineSink {
  onEvent(ev: CapturedEvent): void;
  onLost(d: DropCounts): void;
}

/** A batch and how far into it the pipeline has gone: `f` frames of its columns, `e` of its other events. */
interface Cursor { msg: HookEventsMessage; f: number; e: number }

type HookFrame = Extract<HookEvent, { k: 'frame' }>;

export class HookEventPipeline {
  private queue: Cursor[] = [];
  private head = 0;
  private waiting = false;
  private seq = 0;

  constructor(private readonly sink: PipelineSink) {}

  accept(msg: HookEventsMessage): void {
    if (msg.dropped.frames > 0) this.sink.onLost(msg.dropped);
    this.queue.push({ msg, f: 0, e: 0 });
    this.drain();
  }

  private drain(): void {
    while (!this.waiting && this.head < this.queue.length) {
      const c = this.queue[this.head]!;
      const { frames, events, after } = c.msg;
      const { n, sock, at, flags, data } = frames;
      while (c.f < n || c.e < events.length) {
        if (c.e < events.length && after[c.e]! <= c.f) {
          const ev = events[c.e]!;
          if ((ev.k === 'frame' || ev.k === 'intercept' || ev.k === 'dispatched') && isBlobLike(ev.data)) {
            this.read(ev, ev.data, () => c.e++);
            return;
          }
          c.e++;
          this.emit(ev);
          continue;
        }
        const i = c.f;
        const d = data[i]!;
        const fl = flags[i]!;
        // Made with its seq (set in emit), so every frame has one shape.
        const frame: HookFrame & { seq: number } = { k: 'frame', sock: sock[i]!, at: at[i]!, dir: flagsDir(fl), data: d, seq: 0 };
        if (fl > 1) frame.origin = ORIGINS[fl >> 1];
        if (typeof d !== 'string' && isBlobLike(d)) {
          this.read(frame, d, () => c.f++);
          return;
        }
        c.f++;
        this.emit(frame);
      }
      this.head++;
    }
    if (this.head === this.queue.length) { this.queue = []; this.head = 0; }
  }

  /** Reads `ev`'s Blob; then `next` moves past it, and the rest follows. */
  private read(ev: HookEvent, blob: Blob, next: () => void): void {
    this.waiting = true;
    blob.arrayBuffer().then(
      (buf) => this.emit({ ...ev, data: buf } as HookEvent),
      // A page-dispatched event is no frame: unread, it is still shown, without its data.
      () => (ev.k === 'dispatched' ? this.emit({ ...ev, data: undefined, note: 'its Blob could not be read' }) : this.sink.onLost({ frames: 1, bytes: blob.size })),
    ).finally(() => {
      next();
      this.waiting = false;
      this.drain();
    });
  }

  /** The event object is the relay's own (a structured clone, or made here), so it is numbered in place. */
  private emit(ev: HookEvent): void {
    if (ev.k === 'create' && ev.rawStack !== undefined) ev = withStack(ev);
    const captured = ev as CapturedEvent;
    captured.seq = ++this.seq;
    this.sink.onEvent(captured);
  }
}

type HookCreate = Extract<HookEvent, { k: 'create' }>;

/**
 * The create event with its stack parsed (here, in the relay's own world: the hook passes the
 * engine's text as it is). A new object, never the hook's one changed: in Firefox that one is the
 * page compartment's, seen through an Xray wrapper, which refuses a property holding the relay's
 * own array ("Not allowed to define cross-origin object as property on [Object] … XrayWrapper"),
 * and that throw used to lose the create event. Never throws: at worst the event says why it has
 * no stack.
 */
export function withStack(ev: HookCreate): HookCreate {
  const { rawStack, ...rest } = ev;
  try {
    const stack = parseStack(rawStack ?? '');
    if (stack.length > 0) return { ...rest, stack };
    return { ...rest, stackNote: 'no page script on the stack (opened by the extension, or by native code)' };
  } catch {
    return { ...rest, stackNote: 'stack not recorded: its text could not be read' };
  }
}
