/**
 * The panel's one-line summary at the bottom: the connection list's and the chart's fold buttons
 * with what they would show when folded (the selected connection, the peak rate), what a capped
 * buffer dropped (always in view: docs/limits.md), then the totals, which give way first.
 */
import type { Store } from '../store';
import type { LayoutStore } from '../layout/layout-store';
import type { PanelLayout } from '../layout/panel-layout';
import { formatBytes, formatDuration, formatRate } from '../format';
import { totalsOf } from '../model/stats';
import { closedAt, openedAt, type Connection } from '../model/types';
import { formatPeak, peakOf, throughputNow } from './throughput-now';

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

function selectedText(conns: readonly Connection[], ids: ReadonlySet<string>): { text: string; title: string } {
  if (ids.size === 0) return { text: 'all', title: 'Frames of every connection' };
  const chosen = conns.filter((c) => ids.has(c.id));
  if (chosen.length === 1) return { text: pathOf(chosen[0]!.url), title: chosen[0]!.url };
  return { text: `${chosen.length} selected`, title: chosen.map((c) => c.url).join('\n') };
}

/**
 * How binary payloads reached the panel: a user who wonders why binary traffic is slow in an older
 * Chrome (whose messaging is JSON-only, so it goes as base64) can see it here.
 */
function binaryPathText(a: { buffers: number; base64: number }): string | undefined {
  if (a.buffers === 0 && a.base64 === 0) return undefined;
  const parts = [];
  if (a.buffers) parts.push(`${a.buffers} as bytes (structured-clone messaging)`);
  if (a.base64) parts.push(`${a.base64} as base64 (this browser's extension messaging is JSON-only)`);
  return `Binary payloads reached the panel: ${parts.join('; ')}`;
}

export function SummaryBar({ store, layout, lay }: { store: Store; layout: LayoutStore; lay: PanelLayout }) {
  store.revision.value;
  const m = store.model;
  const ids = store.selectedConnections.value;
  const t = totalsOf(m.connections, ids);
  const dropped = m.dropped();
  const one = ids.size === 1 ? m.connections.find((c) => ids.has(c.id)) : undefined;
  const opened = one && openedAt(one);
  const lasted = opened !== undefined && one ? (closedAt(one) ?? Date.now()) - opened : undefined;
  const unit = layout.settings.value.chartUnit;
  const buckets = throughputNow(store);
  const sel = selectedText(m.connections, ids);
  const n = m.connections.length;
  return (
    <footer class="summary" aria-label="Summary" title={binaryPathText(m.binaryArrivals)}
      data-binary-buffers={m.binaryArrivals.buffers} data-binary-base64={m.binaryArrivals.base64}>
      <button type="button" class="fold" aria-expanded={lay.showConnections} aria-controls="connections"
        title={lay.showConnections ? 'Hide the connection list' : 'Show the connection list'}
        onClick={() => layout.set({ showConnections: !lay.showConnections })}>
        <span class="twisty" aria-hidden="true">{lay.showConnections ? '▾' : '▸'}</span>
        <span data-testid="connection-count">{n} connection{n === 1 ? '' : 's'}</span>
      </button>
      <span class="selected-conn" title={sel.title}>{sel.text}</span>
      <button type="button" class="fold" aria-expanded={lay.showChart} aria-controls="throughput-chart"
        title={lay.showChart ? 'Hide the throughput chart' : 'Show the throughput chart'}
        onClick={() => layout.set({ showChart: !lay.showChart })}>
        <span class="twisty" aria-hidden="true">{lay.showChart ? '▾' : '▸'}</span>Chart
      </button>
      <span class="peak">{buckets.length ? `peak ${formatPeak(peakOf(buckets, unit), unit)}` : 'no traffic'}</span>
      {dropped.frames > 0 && (
        <span class="dropped" data-testid="dropped" role="status" title="Frames a capped buffer had to drop (docs/limits.md)">
          {dropped.frames} frames dropped ({formatBytes(dropped.bytes)})
        </span>
      )}
      <span class="totals">
        <span>↑ {t.framesOut} frames · {formatBytes(t.bytesOut)}</span>
        <span>↓ {t.framesIn} frames · {formatBytes(t.bytesIn)}</span>
        {lasted !== undefined && <span>Connection: {formatDuration(lasted)} · {formatRate(one!.framesIn + one!.framesOut, lasted)}</span>}
      </span>
    </footer>
  );
}
