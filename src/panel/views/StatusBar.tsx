import type { Store } from '../store';
import { formatBytes, formatDuration, formatRate } from '../format';
import { totalsOf } from '../model/stats';
import { closedAt, openedAt } from '../model/types';

export function StatusBar({ store }: { store: Store }) {
  store.revision.value;
  const m = store.model;
  const ids = store.selectedConnections.value;
  const t = totalsOf(m.connections, ids);
  const dropped = m.dropped();
  const one = ids.size === 1 ? m.connections.find((c) => ids.has(c.id)) : undefined;
  const opened = one && openedAt(one);
  const lasted = opened !== undefined ? (one && closedAt(one) ? closedAt(one)! : Date.now()) - opened : undefined;
  return (
    <footer class="statusbar" aria-label="Status">
      <span>↑ {t.framesOut} frames · {formatBytes(t.bytesOut)}</span>
      <span>↓ {t.framesIn} frames · {formatBytes(t.bytesIn)}</span>
      {lasted !== undefined && one && (
        <span>Connection: {formatDuration(lasted)} · {formatRate(one.framesIn + one.framesOut, lasted)}</span>
      )}
      {dropped.frames > 0 && (
        <span class="dropped" role="status" title="Frames a capped buffer had to drop (README, Limits)">
          {dropped.frames} frames dropped ({formatBytes(dropped.bytes)})
        </span>
      )}
    </footer>
  );
}
