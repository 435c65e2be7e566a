/**
 * The frame sequence numbers the panel received from one document, with running byte totals, so
 * it can tell how many of the frames a relay evicted it never saw (those are the dropped ones).
 * Seqs arrive in increasing order per document, so lookups are binary searches.
 */
export class ReceivedSeqs {
  private seqs: number[] = [];
  private cumBytes: number[] = [];

  add(seq: number, bytes: number): void {
    const prev = this.cumBytes.length ? this.cumBytes[this.cumBytes.length - 1]! : 0;
    this.seqs.push(seq);
    this.cumBytes.push(prev + bytes);
  }

  /** Frames (and their bytes) received with seq ≤ through. */
  countThrough(through: number): { frames: number; bytes: number } {
    let lo = 0, hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid]! <= through) lo = mid + 1; else hi = mid;
    }
    return { frames: lo, bytes: lo ? this.cumBytes[lo - 1]! : 0 };
  }
}
