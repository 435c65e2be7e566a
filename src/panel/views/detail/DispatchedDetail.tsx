/**
 * A row for an event the page dispatched on its socket itself: what it carried, and plainly that
 * it is not a frame, so a user asking "did the server send this?" gets the right answer.
 */
import { formatBytes, formatClock } from '../../format';
import type { LifecycleRecord, PageDispatch } from '../../model/types';
import { HexView } from './HexView';
import { CloseDetail } from './CloseDetail';

export function DispatchedDetail({ row, dispatch, onClose }: { row: LifecycleRecord; dispatch: PageDispatch; onClose: () => void }) {
  const bytes = dispatch.data instanceof Uint8Array ? dispatch.data : null;
  const what = dispatch.type ? `${dispatch.type} · ${formatBytes(dispatch.size ?? 0)}${dispatch.truncated ? ' (the start is kept)' : ''} · ` : '';
  return (
    <div class="detail-frame dispatched">
      <div class="detail-head">
        <span><CloseDetail onClose={onClose} />page-dispatched {dispatch.event} event · {what}{formatClock(row.at)}</span>
        <span class="detail-url" title={row.conn.url}>{row.conn.url}</span>
        <span class="hint" role="note">Not a frame: the page called dispatchEvent on the socket itself. Nothing crossed the wire, and the server sent nothing.</span>
      </div>
      <div class="tab-body">
        {dispatch.note && <p class="payload-text">{dispatch.note}</p>}
        {typeof dispatch.data === 'string' && <pre class="payload-text">{dispatch.data}</pre>}
        {bytes && <HexView bytes={bytes} />}
      </div>
    </div>
  );
}
