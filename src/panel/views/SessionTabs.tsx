/**
 * The sessions: the live capture and every file opened beside it, as tabs in the toolbar's row;
 * under the toolbar, the progress of a file still loading and why the last file could not be opened.
 */
import { formatBytes } from '../format';
import type { ImportProgress } from '../import/import-messages';
import { LIVE, type ImportedSession, type Workspace } from '../workspace';

function progressText(p: ImportProgress): string {
  switch (p.phase) {
    case 'reading': return `Reading ${formatBytes(p.done)} of ${formatBytes(p.total)}`;
    case 'parsing': return 'Parsing JSON…';
    case 'checking': return 'Checking every field…';
    case 'loading': return `Loading frames: ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}`;
  }
}

/** 0–100 over the whole import: reading is the first half, loading the second. */
export function progressPercent(p: ImportProgress): number {
  const part = p.total > 0 ? p.done / p.total : 1;
  const pct = p.phase === 'reading' ? part * 50 : p.phase === 'loading' ? 50 + part * 50 : 50;
  return Math.floor(pct);
}

function Progress({ s, ws }: { s: ImportedSession; ws: Workspace }) {
  const p = s.progress.value;
  if (!p) return null;
  const pct = progressPercent(p);
  return (
    <div class="import-progress" role="progressbar" aria-label={`Importing ${s.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={progressText(p)}>
      <span class="bar" style={{ width: `${pct}%` }} />
      <span class="label">{s.name}: {progressText(p)} ({pct}%)</span>
      <button type="button" title="Stop reading the file and close its tab" onClick={() => ws.close(s.id)}>Cancel</button>
    </div>
  );
}

/** The label of the active session's tab, for the toolbar's room. */
export function activeTabLabel(ws: Workspace): string {
  const s = ws.imported.value.find((x) => x.id === ws.active.value);
  return s ? `${s.name}${s.kind.value === 'har' ? ' (HAR)' : ''}` : '● Live';
}

export function SessionTabs({ ws }: { ws: Workspace }) {
  const active = ws.active.value;
  return (
    <div class="session-tabs" role="tablist" aria-label="Sessions">
      <button type="button" role="tab" aria-selected={active === LIVE} onClick={() => { ws.active.value = LIVE; }}>● Live</button>
      {ws.imported.value.map((s) => (
        <span class={`session-tab ${s.id === active ? 'active' : ''}`} key={s.id}>
          <button type="button" role="tab" aria-selected={s.id === active} title={`${s.name} (read-only)`} onClick={() => { ws.active.value = s.id; }}>
            {s.name}{s.kind.value === 'har' ? ' (HAR)' : ''}
          </button>
          <button type="button" class="close-tab" aria-label={`Close ${s.name}`} onClick={() => ws.close(s.id)}>×</button>
        </span>
      ))}
    </div>
  );
}

/** The active file's loading progress, and the last import's error. */
export function ImportStatus({ ws }: { ws: Workspace }) {
  const error = ws.importError.value;
  const current = ws.imported.value.find((s) => s.id === ws.active.value);
  return (
    <>
      {error && (
        <div class="import-error" role="alert">
          <span>Could not open {error.file}: {error.error}</span>
          <button type="button" aria-label="Dismiss" onClick={() => { ws.importError.value = null; }}>×</button>
        </div>
      )}
      {current && <Progress s={current} ws={ws} />}
    </>
  );
}
