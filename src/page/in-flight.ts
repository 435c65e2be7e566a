/**
 * Batches the hook has posted to the relay that the relay has not yet acknowledged. A port
 * message still queued when the page unloads is never delivered (the document is torn down in the
 * task that fires pagehide), so at pagehide the hook hands these over again, synchronously, with
 * its last batch; the relay takes each batch number once. An ArrayBuffer the hook transferred is
 * no longer its own to hand over: such a frame is counted as lost there, never dropped silently.
 */
import { withoutFrames } from '../protocol/hook-columns';
import type { ColumnsMessage } from './event-batch';
import { natives } from './natives';

interface Posted {
  msg: ColumnsMessage;
  /** [frame index, byte size] of each frame whose ArrayBuffer went in the transfer list. */
  transferred: [number, number][];
}

export class InFlight {
  private posted: Posted[] = [];

  add(msg: ColumnsMessage, transfer: readonly ArrayBuffer[]): void {
    const transferred: [number, number][] = [];
    if (transfer.length > 0) {
      const f = msg.frames;
      for (let i = 0; i < f.n; i++) {
        const data = f.data[i]!;
        if (typeof data === 'string') continue;
        for (let j = 0; j < transfer.length; j++) {
          if (transfer[j] === data) { transferred[transferred.length] = [i, natives.apply(natives.arrayBufferByteLength, data, []) as number]; break; }
        }
      }
    }
    this.posted[this.posted.length] = { msg, transferred };
  }

  /** The relay has taken every batch up to `n`. */
  ackThrough(n: number): void {
    let first = 0;
    while (first < this.posted.length && this.posted[first]!.msg.n! <= n) first++;
    if (first === 0) return;
    // Index loops only: the page may have replaced Array's methods.
    const rest: Posted[] = [];
    for (let i = first; i < this.posted.length; i++) rest[rest.length] = this.posted[i]!;
    this.posted = rest;
  }

  /** Every batch not acknowledged, oldest first, as it can be handed over now; the list empties. */
  takeAll(): ColumnsMessage[] {
    const out: ColumnsMessage[] = [];
    for (let p = 0; p < this.posted.length; p++) {
      const { msg, transferred } = this.posted[p]!;
      const gone: number[] = [];
      let lostFrames = 0, lostBytes = 0;
      for (let t = 0; t < transferred.length; t++) {
        const [i, size] = transferred[t]!;
        // Transferred and delivered nowhere yet: the bytes are gone with the detached buffer.
        if (size > 0 && natives.apply(natives.arrayBufferByteLength, msg.frames.data[i], []) === 0) {
          gone[gone.length] = i;
          lostFrames++;
          lostBytes += size;
        }
      }
      out[out.length] = gone.length === 0 ? msg : withoutFrames(msg, gone, { frames: lostFrames, bytes: lostBytes });
    }
    this.posted = [];
    return out;
  }
}
