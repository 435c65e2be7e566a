import type { Store } from '../store';
import { formatBytes } from '../format';
import { exportSession } from '../export-session';

export function Toolbar({ store }: { store: Store }) {
  store.revision.value;
  const m = store.model;
  const dropped = m.dropped();
  const status = store.status.value;
  return (
    <header class="toolbar" aria-label="Capture">
      <span class="title">WebSockets</span>
      <span class="counts" data-testid="counts">
        {m.connections.length} connection{m.connections.length === 1 ? '' : 's'} · {m.frameCount} frame{m.frameCount === 1 ? '' : 's'}
      </span>
      {dropped.frames > 0 && (
        <span class="dropped" role="status" title="Frames dropped by a capped buffer (see README, Limits)">
          {dropped.frames} frames dropped ({formatBytes(dropped.bytes)})
        </span>
      )}
      {status !== 'live' && <span class="status" role="status">{status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>}
      <span class="spacer" />
      <button type="button" onClick={() => exportSession(store)}>Export session</button>
    </header>
  );
}
