/**
 * The Calls view's numbers, per call (a method, event or operation of a protocol): how many,
 * how many failed or went unanswered, first-reply latency percentiles, and bytes each way. Kept
 * up to date as exchanges change, so the view reads it in O(calls) whatever the frame count.
 * At most CALLS_MAX calls are kept apart; the rest are counted together under OTHER_CALLS.
 */
import { CALLS_MAX } from '../../protocol/limits';
import { LatencyHistogram } from './latency-histogram';
import type { Exchange } from './types';

export const OTHER_CALLS = '(other calls)';

export interface CallStat {
  call: string;
  protocol: string;
  count: number;
  /** Requests that got at least one reply. */
  answered: number;
  errors: number;
  noResponse: number;
  /** Requests the pending table let go of before any reply or timeout: neither waiting nor unanswered. */
  untracked: number;
  latency: LatencyHistogram;
  bytesOut: number;
  bytesIn: number;
}

export class CallStats {
  private byKey = new Map<string, CallStat>();
  /** Requests counted under OTHER_CALLS because CALLS_MAX calls were already kept. */
  merged = 0;

  list(): CallStat[] { return [...this.byKey.values()]; }

  get size(): number { return this.byKey.size; }

  /** The statistic an exchange counts in (found again by its call and protocol). */
  private of(x: Exchange): CallStat {
    const key = `${x.protocol}\u0000${x.call}`;
    let s = this.byKey.get(key);
    if (s) return s;
    if (this.byKey.size >= CALLS_MAX) {
      const other = `\u0000${OTHER_CALLS}`;
      s = this.byKey.get(other);
      if (!s) { s = blank(OTHER_CALLS, ''); this.byKey.set(other, s); }
      return s;
    }
    s = blank(x.call, x.protocol);
    this.byKey.set(key, s);
    return s;
  }

  request(x: Exchange, size: number): void {
    const s = this.of(x);
    if (s.call === OTHER_CALLS && x.call !== OTHER_CALLS) this.merged++;
    s.count++;
    this.bytes(x, x.dir, size);
  }

  bytes(x: Exchange, dir: 'sent' | 'received', size: number): void {
    const s = this.of(x);
    if (dir === 'sent') s.bytesOut += size; else s.bytesIn += size;
  }

  answered(x: Exchange, latencyMs: number): void {
    const s = this.of(x);
    s.answered++;
    s.latency.add(latencyMs);
  }

  failed(x: Exchange): void { this.of(x).errors++; }
  unanswered(x: Exchange): void { this.of(x).noResponse++; }
  /** Dropped from a full pending table; one already marked no response stays counted there only. */
  untracked(x: Exchange): void { if (!x.noResponse && x.replies === 0) this.of(x).untracked++; }
  /** A reply came after the request was marked unanswered: it is answered after all. */
  lateReply(x: Exchange): void { this.of(x).noResponse--; }

  clear(): void {
    this.byKey.clear();
    this.merged = 0;
  }
}

const blank = (call: string, protocol: string): CallStat => ({
  call, protocol, count: 0, answered: 0, errors: 0, noResponse: 0, untracked: 0, latency: new LatencyHistogram(), bytesOut: 0, bytesIn: 0,
});
