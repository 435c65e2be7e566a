/**
 * The chart's per-second buckets for the selected connections, shared by the chart and the
 * summary's peak rate. Walking every row is cheap once a second and wasteful on every batch (or
 * twice a second), so the result is kept per session for the current second and selection.
 */
import type { Store } from '../store';
import { throughput, type Bucket } from '../model/stats';
import { formatBytes } from '../format';

export const BUCKET_MS = 1000;
export const BUCKETS = 60;

const cache = new WeakMap<Store, { second: number; ids: ReadonlySet<string>; empty: boolean; buckets: Bucket[] }>();

/** Call from a render: it subscribes to the session's revision and selection. */
export function throughputNow(store: Store): Bucket[] {
  const empty = store.revision.value === 0;
  const ids = store.selectedConnections.value;
  const second = Math.floor(Date.now() / 1000);
  const hit = cache.get(store);
  if (hit && hit.second === second && hit.ids === ids && hit.empty === empty) return hit.buckets;
  const buckets = throughput(store.model.rows, ids, BUCKET_MS, BUCKETS);
  cache.set(store, { second, ids, empty, buckets });
  return buckets;
}

export type ChartUnit = 'msgs' | 'bytes';

export const bucketValue = (b: Bucket, dir: 'sent' | 'received', unit: ChartUnit) =>
  (unit === 'msgs' ? b[dir] : b[dir === 'sent' ? 'sentBytes' : 'receivedBytes']);

/** The highest rate in either direction (at least 1, the chart's scale). */
export const peakOf = (buckets: readonly Bucket[], unit: ChartUnit) =>
  Math.max(1, ...buckets.map((b) => Math.max(bucketValue(b, 'sent', unit), bucketValue(b, 'received', unit))));

export const formatPeak = (peak: number, unit: ChartUnit) => (unit === 'msgs' ? `${peak} msg/s` : `${formatBytes(peak)}/s`);
