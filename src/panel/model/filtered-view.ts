/**
 * The rows the filter lets through, as absolute indices into the RowLog. New rows are tested as
 * they arrive; evicted and cleared rows fall off the front by moving a head offset (no copy), so
 * at the panel's cap, with a row evicted for every row added, a batch still costs only what it
 * holds. Only a filter change re-tests everything.
 */
import type { RowLog } from './row-log';
import type { Row } from './types';

/** true: shown; false: filtered out; 'heartbeat': would show, but "Hide heartbeats" hides it. */
export type RowMatcher = (row: Exclude<Row, { kind: 'navigation' }>) => boolean | 'heartbeat';

export class FilteredView {
  private abs: number[] = [];
  /** Parallel to `abs`: whether that row is a frame, to keep frameMatches without looking rows up. */
  private isFrame: boolean[] = [];
  private head = 0;
  /** How many visible rows are frames (the "x" of "x of y frames"). */
  frameMatches = 0;
  /** Absolute indices of rows "Hide heartbeats" hides, from hbHead on (so evicted ones fall off). */
  private hbAbs: number[] = [];
  private hbHead = 0;
  private scannedTo = 0;

  constructor(private matcher: RowMatcher) {}

  get count(): number { return this.abs.length - this.head; }

  /** Heartbeat frames hidden by "Hide heartbeats" that the rest of the filter would show. */
  get heartbeatsHidden(): number { return this.hbAbs.length - this.hbHead; }

  /** Absolute row index of the i-th visible row. */
  index(i: number): number | undefined { return this.abs[this.head + i]; }

  /** Position among the visible rows of absolute row `abs`, or -1 (a binary search: indices ascend). */
  positionOf(abs: number): number {
    let lo = this.head, hi = this.abs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.abs[mid]! < abs) lo = mid + 1; else hi = mid; }
    return this.abs[lo] === abs ? lo - this.head : -1;
  }

  /** Position of the first visible row at or after time `at`. */
  positionAtTime(at: number, rows: RowLog): number {
    let lo = this.head, hi = this.abs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if ((rows.at(this.abs[mid]!)?.at ?? 0) < at) lo = mid + 1; else hi = mid; }
    return lo - this.head;
  }

  setMatcher(matcher: RowMatcher, rows: RowLog): void {
    this.matcher = matcher;
    this.abs = [];
    this.isFrame = [];
    this.head = 0;
    this.frameMatches = 0;
    this.hbAbs = [];
    this.hbHead = 0;
    this.scannedTo = rows.start;
    this.sync(rows);
  }

  /** Brings the view up to date with `rows`; returns true when it changed. */
  sync(rows: RowLog): boolean {
    let changed = false;
    while (this.head < this.abs.length && this.abs[this.head]! < rows.start) {
      if (this.isFrame[this.head]) this.frameMatches--;
      this.head++;
      changed = true;
    }
    while (this.hbHead < this.hbAbs.length && this.hbAbs[this.hbHead]! < rows.start) { this.hbHead++; changed = true; }
    if (this.hbHead > 65_536 && this.hbHead * 2 > this.hbAbs.length) { this.hbAbs = this.hbAbs.slice(this.hbHead); this.hbHead = 0; }
    if (this.head > 65_536 && this.head * 2 > this.abs.length) {
      this.abs = this.abs.slice(this.head);
      this.isFrame = this.isFrame.slice(this.head);
      this.head = 0;
    }
    if (this.scannedTo < rows.start) this.scannedTo = rows.start;
    for (let abs = this.scannedTo; abs < rows.end; abs++) {
      const row = rows.at(abs)!;
      // Navigation separators always show: they say where the log changed page.
      const verdict = row.kind === 'navigation' ? true : this.matcher(row);
      if (verdict === 'heartbeat') { this.hbAbs.push(abs); changed = true; continue; }
      if (verdict) {
        this.abs.push(abs);
        this.isFrame.push(row.kind === 'frame');
        if (row.kind === 'frame') this.frameMatches++;
        changed = true;
      }
    }
    this.scannedTo = rows.end;
    return changed;
  }
}
