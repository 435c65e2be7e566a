/**
 * Orders and numbers what the hook posts. Blob payloads must be read asynchronously; everything
 * behind a Blob waits for it, so the history stays in capture order. Nothing is encoded here:
 * the history keeps binary as the bytes the hook transferred.
 */
import type { CapturedEvent, DropCounts, HookEvent } from '../protocol/capture-events';
import type { HookEventsMessage } from './hook-link';
import { isBlobLike } from '../protocol/guards';

export interface PipelineSink {
  onEvent(ev: CapturedEvent): void;
  onLost(d: DropCounts): void;
}

export class HookEventPipeline {
  private queue: HookEvent[] = [];
  private head = 0;
  private waiting = false;
  private seq = 0;

  constructor(private readonly sink: PipelineSink) {}

  accept(msg: HookEventsMessage): void {
    if (msg.dropped.frames > 0) this.sink.onLost(msg.dropped);
    for (const ev of msg.events) this.queue.push(ev);
    this.drain();
  }

  private drain(): void {
    while (!this.waiting && this.head < this.queue.length) {
      const ev = this.queue[this.head]!;
      if ((ev.k === 'frame' || ev.k === 'intercept' || ev.k === 'dispatched') && isBlobLike(ev.data)) {
        this.waiting = true;
        const blob = ev.data;
        blob.arrayBuffer().then(
          (buf) => this.emit({ ...ev, data: buf }),
          // A page-dispatched event is no frame: unread, it is still shown, without its data.
          () => (ev.k === 'dispatched' ? this.emit({ ...ev, data: undefined, note: 'its Blob could not be read' }) : this.sink.onLost({ frames: 1, bytes: blob.size })),
        ).finally(() => {
          this.head++;
          this.waiting = false;
          this.drain();
        });
        return;
      }
      this.head++;
      this.emit(ev);
    }
    if (this.head === this.queue.length) { this.queue = []; this.head = 0; }
  }

  /** The event object is the relay's own (a structured clone), so it is numbered in place. */
  private emit(ev: HookEvent): void {
    const captured = ev as CapturedEvent;
    captured.seq = ++this.seq;
    this.sink.onEvent(captured);
  }
}
