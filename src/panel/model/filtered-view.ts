/**
 * The rows the filter lets through, as absolute indices into the RowLog. New rows are tested as
 * they arrive; evicted and cleared rows fall off the front. Only a filter change re-tests
 * everything, so a busy socket costs per batch what the batch holds, not what the log holds.
 */
import type { RowLog } from './row-log';
import type { Row } from './types';

export type RowMatcher = (row: Exclude<Row, { kind: 'navigation' }>) => boolean;

export class FilteredView {
  indices: number[] = [];
  /** How many of `indices` are frames (the "x" of "x of y frames"). */
  frameMatches = 0;
  private scannedTo = 0;

  constructor(private matcher: RowMatcher) {}

  setMatcher(matcher: RowMatcher, rows: RowLog): void {
    this.matcher = matcher;
    this.indices = [];
    this.frameMatches = 0;
    this.scannedTo = rows.start;
    this.sync(rows);
  }

  /** Brings the view up to date with `rows`; returns true when it changed. */
  sync(rows: RowLog): boolean {
    let changed = false;
    if (this.indices.length > 0 && this.indices[0]! < rows.start) {
      let cut = 0;
      while (cut < this.indices.length && this.indices[cut]! < rows.start) cut++;
      this.frameMatches = 0;
      this.indices = this.indices.slice(cut);
      for (const i of this.indices) if (rows.at(i)?.kind === 'frame') this.frameMatches++;
      changed = true;
    }
    if (this.scannedTo < rows.start) this.scannedTo = rows.start;
    for (let abs = this.scannedTo; abs < rows.end; abs++) {
      const row = rows.at(abs)!;
      // Navigation separators always show: they say where the log changed page.
      if (row.kind === 'navigation' || this.matcher(row)) {
        this.indices.push(abs);
        if (row.kind === 'frame') this.frameMatches++;
        changed = true;
      }
    }
    this.scannedTo = rows.end;
    return changed;
  }
}
