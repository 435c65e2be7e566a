/**
 * "Replay into…": plays the selected connection (of this session tab: the live capture, an
 * opened session file or HAR) into a live socket of the inspected page. Choose the socket, the
 * speed, and whether the recording's sent frames go to the server too; start playing, or start
 * paused to go one frame at a time with Step.
 */
import { useState } from 'preact/hooks';
import { Popover } from '../common/Popover';
import type { Connection } from '../../model/types';
import { stateOf } from '../../model/types';
import type { Store } from '../../store';
import type { Workspace } from '../../workspace';
import { REPLAY_SPEEDS, type ReplaySpeed } from '../../replay/replay';
import { startReplay } from '../../replay/replay-session';

const speedLabel = (s: ReplaySpeed) => (s === 'max' ? 'as fast as possible' : `${s}×`);

/** What tells live sockets apart in a short line: their number, the end of the URL, the worker. */
export function socketLabel(c: Connection): string {
  let tail = c.url;
  try { const u = new URL(c.url); tail = `${u.host}${u.pathname}${u.search}`; } catch { /* keep the URL as it is */ }
  return `#${c.sock} ${tail}${c.worker ? ` (worker)` : ''}`;
}

export function ReplayDialog({ ws, store, source, anchor, onClose }: { ws: Workspace; store: Store; source: Connection; anchor: HTMLElement | null; onClose: () => void }) {
  const live = ws.live;
  const open = live.model.connections.filter((c) => stateOf(c) === 'OPEN');
  const [target, setTarget] = useState(open.find((c) => c.id === source.id)?.id ?? open[0]?.id ?? '');
  const [speed, setSpeed] = useState<ReplaySpeed>(1);
  const [withSent, setWithSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const received = store.model.allFrames().filter((f) => f.connId === source.id && f.dir === 'received').length;
  const start = (playNow: boolean) => {
    const t = live.model.connections.find((c) => c.id === target);
    if (!t) { setError('Choose an open socket of the inspected page.'); return; }
    const sourceLabel = `${socketLabel(source)}${store === live ? '' : ' (opened file)'}`;
    const r = startReplay(ws.replay, live, { from: store, sourceConnId: source.id, sourceLabel, target: t, speed, withSent }, playNow);
    if (typeof r === 'string') { setError(r); return; }
    onClose();
  };
  return (
    <Popover anchor={anchor} align="end" role="dialog" label="Replay into a live socket" class="replay-dialog" onClose={onClose}>
      <p>Plays the {received} received frame{received === 1 ? '' : 's'} of {socketLabel(source)} into a socket of the inspected page, as if its server sent them.</p>
      <label>Into
        <select aria-label="Replay into socket" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          {open.length === 0 && <option value="">No open socket in the inspected page</option>}
          {open.map((c) => <option key={c.id} value={c.id}>{socketLabel(c)}</option>)}
        </select>
      </label>
      <label>Speed
        <select aria-label="Replay speed" value={String(speed)} onChange={(e) => { const v = e.currentTarget.value; setSpeed(v === 'max' ? 'max' : Number(v)); }}>
          {REPLAY_SPEEDS.map((s) => <option key={String(s)} value={String(s)}>{speedLabel(s)}</option>)}
        </select>
      </label>
      <label><input type="checkbox" checked={withSent} onChange={(e) => setWithSent(e.currentTarget.checked)} /> Also send its sent frames to the server, at their places</label>
      {error && <div class="error" role="alert">{error}</div>}
      <div class="dialog-buttons">
        <button type="button" disabled={open.length === 0} onClick={() => start(true)}>Start replay</button>
        <button type="button" disabled={open.length === 0} onClick={() => start(false)}>Start paused</button>
        <button type="button" onClick={onClose}>Cancel</button>
      </div>
    </Popover>
  );
}
