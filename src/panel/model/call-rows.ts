/**
 * The Calls view's table, from the per-call statistics: one row per call with its percentiles,
 * sorted by any column, and the same rows as CSV for the clipboard. Pure, O(calls).
 */
import type { CallStat } from './call-stats';

export interface CallRow {
  call: string;
  protocol: string;
  count: number;
  errors: number;
  noResponse: number;
  /** Requests still waiting (neither answered, marked no response, nor let go by the pending table). */
  pending: number;
  untracked: number;
  /** First-reply latency in ms; null while nothing answered. */
  p50: number | null;
  p95: number | null;
  max: number | null;
  bytesOut: number;
  bytesIn: number;
}

export type CallSortKey = keyof CallRow;

export const CALL_COLUMNS: readonly { key: CallSortKey; label: string; numeric: boolean }[] = [
  { key: 'call', label: 'Call', numeric: false },
  { key: 'protocol', label: 'Protocol', numeric: false },
  { key: 'count', label: 'Count', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
  { key: 'noResponse', label: 'No response', numeric: true },
  { key: 'p50', label: 'p50', numeric: true },
  { key: 'p95', label: 'p95', numeric: true },
  { key: 'max', label: 'Max', numeric: true },
  { key: 'bytesOut', label: 'Bytes out', numeric: true },
  { key: 'bytesIn', label: 'Bytes in', numeric: true },
];

export function callRows(stats: readonly CallStat[]): CallRow[] {
  return stats.map((s) => ({
    call: s.call,
    protocol: s.protocol,
    count: s.count,
    errors: s.errors,
    noResponse: s.noResponse,
    pending: Math.max(0, s.count - s.answered - s.noResponse - s.untracked),
    untracked: s.untracked,
    p50: s.latency.percentile(0.5),
    p95: s.latency.percentile(0.95),
    max: s.latency.count ? s.latency.max : null,
    bytesOut: s.bytesOut,
    bytesIn: s.bytesIn,
  }));
}

/** Sorted copy; a missing latency sorts below every number, and ties go by call name. */
export function sortCalls(rows: readonly CallRow[], key: CallSortKey, descending: boolean): CallRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key], y = b[key];
    let c: number;
    if (typeof x === 'string' || typeof y === 'string') c = String(x).localeCompare(String(y));
    else c = (x ?? -1) - (y ?? -1);
    return c !== 0 ? sign * c : a.call.localeCompare(b.call);
  });
}

/** RFC 4180 CSV with a header; latencies in whole ms, empty when none. */
export function callsCsv(rows: readonly CallRow[]): string {
  const head = ['call', 'protocol', 'count', 'errors', 'no_response', 'pending', 'p50_ms', 'p95_ms', 'max_ms', 'bytes_out', 'bytes_in'];
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    if (typeof v === 'number') return String(Math.round(v));
    // A leading =, +, - or @ makes spreadsheets run the cell as a formula: page data must stay text.
    const t = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const lines = rows.map((r) => [r.call, r.protocol, r.count, r.errors, r.noResponse, r.pending, r.p50, r.p95, r.max, r.bytesOut, r.bytesIn].map(cell).join(','));
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}
