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

  /**
   * Tests again rows already looked at whose verdict may have changed (a request that got its
   * reply matches `latency:>…` now). One pass over the view merges them in: O(view) per call, so
   * the caller gathers changes and calls this once per render.
   */
  retest(absList: readonly number[], rows: RowLog): boolean {
    const list = [...new Set(absList.filter((a) => a >= rows.start && a < this.scannedTo))].sort((a, b) => a - b);
    if (list.length === 0) return false;
    const add: number[] = [], addHb: number[] = [];
    for (const a of list) {
      const row = rows.at(a);
      if (!row || row.kind === 'navigation') continue;
      const v = this.matcher(row);
      if (v === 'heartbeat') addHb.push(a); else if (v) add.push(a);
    }
    const again = new Set(list);
    const shown = mergeSorted(this.abs, this.head, again, add);
    const hb = mergeSorted(this.hbAbs, this.hbHead, again, addHb);
    const changed = shown.length !== this.count || hb.length !== this.heartbeatsHidden || shown.some((a, i) => a !== this.abs[this.head + i]);
    this.abs = shown;
    this.isFrame = shown.map((a) => rows.at(a)?.kind === 'frame');
    this.frameMatches = this.isFrame.reduce((n, f) => n + (f ? 1 : 0), 0);
    this.head = 0;
    this.hbAbs = hb;
    this.hbHead = 0;
    return changed;
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

/** `old` from `head` on, without the indices in `drop`, with `add` (sorted) merged in. */
function mergeSorted(old: readonly number[], head: number, drop: ReadonlySet<number>, add: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = head; i < old.length; i++) {
    const a = old[i]!;
    while (j < add.length && add[j]! < a) out.push(add[j++]!);
    if (!drop.has(a)) out.push(a);
  }
  while (j < add.length) out.push(add[j++]!);
  return out;
}
