/**
 * Latencies of one call, for its p50, p95 and max: log-spaced buckets 2 % wide, so memory is
 * fixed (about 4 KB a call) and adding a sample is O(1) however many calls stream in. A
 * percentile is read as its bucket's upper bound, clamped to the exact min and max: it is never
 * lower than the true value, and at most 2 % above it.
 */
const RATIO = 1.02;
const LN_RATIO = Math.log(RATIO);
/** Bucket 0 holds latencies under 1 ms; the last one everything past ~24 hours. */
const BUCKETS = 1 + Math.ceil(Math.log(24 * 3600_000) / LN_RATIO);

export class LatencyHistogram {
  private counts = new Uint32Array(BUCKETS);
  count = 0;
  min = Infinity;
  max = -Infinity;

  add(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.counts[bucketOf(v)]!++;
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** The p-th percentile (0 < p ≤ 1), or null without samples. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, upperOf(i)));
    }
    return this.max;
  }
}

function bucketOf(v: number): number {
  if (v < 1) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(v) / LN_RATIO));
}

const upperOf = (i: number): number => (i === 0 ? 1 : RATIO ** i);
