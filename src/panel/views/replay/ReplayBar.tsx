/**
 * The replay in progress, under the toolbar in every session tab: what plays into which socket,
 * "38 of 120 frames, 0:04 of 0:17", the speed, and Pause / Resume, Step and Stop. When it ends
 * (done, stopped, or the socket closed) it says so until dismissed.
 */
import type { Workspace } from '../../workspace';
import { progressText, REPLAY_SPEEDS, type ReplaySpeed } from '../../replay/replay';
import { socketLabel } from './ReplayDialog';

export function ReplayBar({ ws }: { ws: Workspace }) {
  const session = ws.replay.value;
  if (!session) return null;
  session.rev.value;
  const r = session.replay;
  const ended = r.finished;
  return (
    <div class={`replay-bar ${r.state}`} role="status" aria-label="Replay" data-state={r.state} data-done={r.done} data-total={r.total}>
      <span class="replay-what shrink" title={`${session.source} → ${socketLabel(session.target)}`}>
        Replay {session.source} → {socketLabel(session.target)}
      </span>
      <span class="replay-progress">{progressText(r)}</span>
      {ended ? (
        <>
          <span class={`replay-message ${r.state === 'failed' ? 'error' : ''}`}>{r.message}</span>
          <button type="button" aria-label="Dismiss replay" onClick={() => { ws.replay.value = null; }}>✕</button>
        </>
      ) : (
        <>
          <select aria-label="Replay speed" value={String(r.speed)} onChange={(e) => { const v = e.currentTarget.value; r.setSpeed(v === 'max' ? 'max' : Number(v) as ReplaySpeed); }}>
            {REPLAY_SPEEDS.map((s) => <option key={String(s)} value={String(s)}>{s === 'max' ? 'max' : `${s}×`}</option>)}
          </select>
          {r.state === 'playing'
            ? <button type="button" onClick={() => r.pause()}>Pause</button>
            : <button type="button" onClick={() => r.play()}>{r.done === 0 ? 'Play' : 'Resume'}</button>}
          <button type="button" disabled={r.state === 'playing'} title="Deliver the next frame now" onClick={() => void r.step()}>Step</button>
          <button type="button" onClick={() => r.stop()}>Stop</button>
        </>
      )}
    </div>
  );
}
