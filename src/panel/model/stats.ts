/**
 * Totals and per-second throughput for the status bar and the chart. Pure: computed from the rows
 * and connections the panel holds.
 */
import type { Connection, Row } from './types';

export interface Totals { framesOut: number; framesIn: number; bytesOut: number; bytesIn: number }

/** Totals of the given connections (all when `ids` is empty), from their own counters. */
export function totalsOf(conns: readonly Connection[], ids: ReadonlySet<string>): Totals {
  const t: Totals = { framesOut: 0, framesIn: 0, bytesOut: 0, bytesIn: 0 };
  for (const c of conns) {
    if (ids.size && !ids.has(c.id)) continue;
    t.framesOut += c.framesOut; t.framesIn += c.framesIn; t.bytesOut += c.bytesOut; t.bytesIn += c.bytesIn;
  }
  return t;
}

export interface Bucket { at: number; sent: number; received: number; sentBytes: number; receivedBytes: number }

/**
 * Frames (and bytes) per bucket, sent and received: from the first bucket with traffic, or the
 * last `maxBuckets` buckets when there are more, up to the newest. Empty buckets in between count 0.
 */
export function throughput(rows: Iterable<Row>, ids: ReadonlySet<string>, bucketMs: number, maxBuckets: number): Bucket[] {
  const byTime = new Map<number, Bucket>();
  let newest = -Infinity;
  let oldest = Infinity;
  for (const r of rows) {
    if (r.kind !== 'frame' || (ids.size && !ids.has(r.connId))) continue;
    const at = Math.floor(r.at / bucketMs) * bucketMs;
    let b = byTime.get(at);
    if (!b) byTime.set(at, (b = { at, sent: 0, received: 0, sentBytes: 0, receivedBytes: 0 }));
    if (r.dir === 'sent') { b.sent++; b.sentBytes += r.size; } else { b.received++; b.receivedBytes += r.size; }
    if (at > newest) newest = at;
    if (at < oldest) oldest = at;
  }
  if (byTime.size === 0) return [];
  const out: Bucket[] = [];
  for (let at = Math.max(oldest, newest - (maxBuckets - 1) * bucketMs); at <= newest; at += bucketMs) {
    out.push(byTime.get(at) ?? { at, sent: 0, received: 0, sentBytes: 0, receivedBytes: 0 });
  }
  return out;
}
