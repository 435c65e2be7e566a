/**
 * Messages (or bytes) per second, sent above the axis and received below, for the selected
 * connections. Clicking a bar jumps the table to that second. Recomputed at most once a second:
 * it walks every row, which is cheap once a second and wasteful on every batch.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Store } from '../store';
import { throughput, type Bucket } from '../model/stats';
import { formatBytes, formatClock } from '../format';

const BUCKET_MS = 1000;
const BUCKETS = 60;
const HEIGHT = 48;

export function ThroughputChart({ store, onJump }: { store: Store; onJump: (at: number) => void }) {
  const revision = store.revision.value;
  const ids = store.selectedConnections.value;
  const [unit, setUnit] = useState<'msgs' | 'bytes'>('msgs');
  const second = Math.floor(Date.now() / 1000);
  const buckets = useMemo(() => throughput(store.model.rows, ids, BUCKET_MS, BUCKETS), [second, ids, revision === 0]);
  const val = (b: Bucket, dir: 'sent' | 'received') => (unit === 'msgs' ? b[dir] : b[dir === 'sent' ? 'sentBytes' : 'receivedBytes']);
  const max = Math.max(1, ...buckets.map((b) => Math.max(val(b, 'sent'), val(b, 'received'))));
  const w = 100 / Math.max(buckets.length, 10);
  const half = HEIGHT / 2;
  return (
    <div class="chart">
      <svg viewBox={`0 0 100 ${HEIGHT}`} preserveAspectRatio="none" role="img"
        aria-label={`Throughput per second over the last ${buckets.length} seconds (at most ${BUCKETS}), sent above and received below`}>
        <line x1="0" x2="100" y1={half} y2={half} class="axis" />
        {buckets.map((b, i) => {
          const s = (val(b, 'sent') / max) * (half - 1);
          const r = (val(b, 'received') / max) * (half - 1);
          const label = `${formatClock(b.at)}: ↑${unit === 'msgs' ? b.sent : formatBytes(b.sentBytes)} ↓${unit === 'msgs' ? b.received : formatBytes(b.receivedBytes)}`;
          return (
            <g key={b.at} class="bucket" onClick={() => onJump(b.at)}>
              <title>{label}</title>
              <rect x={i * w} y={0} width={w} height={HEIGHT} class="hit" />
              <rect x={i * w + w * 0.1} y={half - s} width={w * 0.8} height={s} class="sent" />
              <rect x={i * w + w * 0.1} y={half} width={w * 0.8} height={r} class="received" />
            </g>
          );
        })}
      </svg>
      <div class="chart-legend">
        <span>peak {unit === 'msgs' ? `${max} msg/s` : `${formatBytes(max)}/s`}</span>
        <div class="segmented" role="group" aria-label="Chart unit">
          <button type="button" aria-pressed={unit === 'msgs'} onClick={() => setUnit('msgs')}>msg/s</button>
          <button type="button" aria-pressed={unit === 'bytes'} onClick={() => setUnit('bytes')}>bytes/s</button>
        </div>
      </div>
    </div>
  );
}
