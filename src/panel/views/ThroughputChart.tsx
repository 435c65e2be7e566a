/**
 * Messages (or bytes) per second, sent above the axis and received below, for the selected
 * connections. Clicking a bar jumps the table to that second. The buckets are shared with the
 * summary's peak rate (throughput-now.ts). The unit is a layout choice, remembered.
 */
import type { Store } from '../store';
import type { LayoutStore } from '../layout/layout-store';
import { formatBytes, formatClock } from '../format';
import { BUCKETS, bucketValue, formatPeak, peakOf, throughputNow } from './throughput-now';

const HEIGHT = 48;

export function ThroughputChart({ store, layout, onJump }: { store: Store; layout: LayoutStore; onJump: (at: number) => void }) {
  const buckets = throughputNow(store);
  const unit = layout.settings.value.chartUnit;
  const max = peakOf(buckets, unit);
  const w = 100 / Math.max(buckets.length, 10);
  const half = HEIGHT / 2;
  return (
    <div class="chart" id="throughput-chart">
      <svg viewBox={`0 0 100 ${HEIGHT}`} preserveAspectRatio="none" role="img"
        aria-label={`Throughput per second over the last ${buckets.length} seconds (at most ${BUCKETS}), sent above and received below`}>
        <line x1="0" x2="100" y1={half} y2={half} class="axis" />
        {buckets.map((b, i) => {
          const s = (bucketValue(b, 'sent', unit) / max) * (half - 1);
          const r = (bucketValue(b, 'received', unit) / max) * (half - 1);
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
        <span>peak {formatPeak(max, unit)}</span>
        <div class="segmented" role="group" aria-label="Chart unit">
          <button type="button" aria-pressed={unit === 'msgs'} onClick={() => layout.set({ chartUnit: 'msgs' })}>msg/s</button>
          <button type="button" aria-pressed={unit === 'bytes'} onClick={() => layout.set({ chartUnit: 'bytes' })}>bytes/s</button>
        </div>
      </div>
    </div>
  );
}
