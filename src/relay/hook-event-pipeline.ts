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
import { initiatorOf, type Initiator } from '../protocol/stack-frames';

export interface PipelineSink {
  onEvent(ev: CapturedEvent): void;
  onLost(d: DropCounts): void;
}

/** A batch and how far into it the pipeline has gone: `f` frames of its columns, `e` of its other events. */
interface Cursor { msg: HookEventsMessage; f: number; e: number }

type HookFrame = Extract<HookEvent, { k: 'frame' }>;

/**
 * Send stacks parsed, by their text: a page sends from a few places, and the relay runs on the
 * page's thread, so each distinct stack is parsed once. Cleared when full.
 */
const PARSED_STACKS_MAX = 256;

export class HookEventPipeline {
  private queue: Cursor[] = [];
  private head = 0;
  private waiting = false;
  private seq = 0;
  /** A send() stack the hook posted, waiting for the event right after it (see SendStackFields). */
  private sendStack: { sock: number; initiator: Initiator } | null = null;
  private parsed = new Map<string, Initiator>();

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
      () => {
        if (ev.k === 'dispatched') { this.emit({ ...ev, data: undefined, note: 'its Blob could not be read' }); return; }
        // A lost frame takes its send stack with it: the next event is not what it was posted for.
        this.sendStack = null;
        this.sink.onLost({ frames: 1, bytes: blob.size });
      },
    ).finally(() => {
      next();
      this.waiting = false;
      this.drain();
    });
  }

  /** The event object is the relay's own (a structured clone, or made here), so it is numbered in place. */
  private emit(ev: HookEvent): void {
    if (ev.k === 'sendStack') { this.sendStack = { sock: ev.sock, initiator: this.initiatorOf(ev) }; return; }
    if (this.sendStack) ev = this.withSendStack(ev);
    if (ev.k === 'create' && ev.rawStack !== undefined) ev = withStack(ev);
    const captured = ev as CapturedEvent;
    captured.seq = ++this.seq;
    this.sink.onEvent(captured);
  }

  /**
   * The waiting send stack goes to this event if it is what the stack was posted for: the next
   * event, a sent frame (or a rule's event about one) of the same socket. Anything else (its frame
   * was lost to a cap) drops it. A new object: the hook's may be an Xray wrapper (see withStack).
   */
  private withSendStack(ev: HookEvent): HookEvent {
    const s = this.sendStack!;
    this.sendStack = null;
    if ((ev.k !== 'frame' && ev.k !== 'intercept') || ev.dir !== 'sent' || ev.sock !== s.sock) return ev;
    // A CapturedEvent's field (the hook never sets it), so not in HookEvent's type.
    return { ...ev, initiator: s.initiator } as unknown as HookEvent;
  }

  private initiatorOf(ev: { rawStack?: string; stackNote?: string }): Initiator {
    if (ev.rawStack === undefined) return initiatorOf(ev);
    let i = this.parsed.get(ev.rawStack);
    if (!i) {
      if (this.parsed.size >= PARSED_STACKS_MAX) this.parsed.clear();
      this.parsed.set(ev.rawStack, (i = initiatorOf(ev)));
    }
    return i;
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
  const i = initiatorOf({ rawStack: rawStack ?? '' }, 'no page script on the stack (opened by the extension, or by native code)');
  return i.stack.length > 0 ? { ...rest, stack: i.stack } : { ...rest, stackNote: i.note! };
}
