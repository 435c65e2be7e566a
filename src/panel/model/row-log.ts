/**
 * The table's rows in arrival order, addressed by absolute index: index i stays the same row
 * while rows are appended, evicted from the front or cleared, so a filtered view can be kept up
 * to date incrementally instead of re-filtering everything on every batch.
 */
import type { Row } from './types';

export class RowLog {
  private rows: Row[] = [];
  private head = 0;
  /** Absolute index of rows[0]. */
  private base = 0;

  get start(): number { return this.base + this.head; }
  get end(): number { return this.base + this.rows.length; }
  get length(): number { return this.rows.length - this.head; }

  push(r: Row): void { this.rows.push(r); }

  at(abs: number): Row | undefined {
    return abs >= this.start && abs < this.end ? this.rows[abs - this.base] : undefined;
  }

  /** Drops the oldest row; the caller accounts for what it held. */
  shift(): Row | undefined {
    if (this.head >= this.rows.length) return undefined;
    const r = this.rows[this.head++];
    if (this.head > 65_536 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    return r;
  }

  clear(): void {
    this.base = this.end;
    this.rows = [];
    this.head = 0;
  }

  *[Symbol.iterator](): IterableIterator<Row> {
    for (let i = this.head; i < this.rows.length; i++) yield this.rows[i]!;
  }
}
