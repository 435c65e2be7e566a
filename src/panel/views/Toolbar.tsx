import { useState } from 'preact/hooks';
import type { Store } from '../store';
import type { Workspace } from '../workspace';
import { ExportDialog } from './ExportDialog';

/** What an imported file says of itself: read-only, and whether it was redacted or filtered. */
function ImportedNotes({ store }: { store: Store }) {
  const { redacted, filtered } = store.notes;
  return (
    <span class="imported-notes" role="note">
      Imported · read-only
      {redacted && <span title={`Keys: ${redacted.keys.join(', ')}`}> · {redacted.count} value{redacted.count === 1 ? '' : 's'} redacted</span>}
      {filtered && <span> · filtered export ({filtered.query}) of {filtered.ofFrames} frames</span>}
    </span>
  );
}

function LiveControls({ store }: { store: Store }) {
  const recording = store.recording.value;
  return (
    <>
      <button type="button" class={`record ${recording ? 'on' : ''}`} aria-pressed={recording}
        title={recording ? 'Stop recording' : 'Record'} aria-label={recording ? 'Stop recording' : 'Record'}
        onClick={() => store.setRecording(!recording)}>●</button>
      <button type="button" title="Clear" aria-label="Clear" onClick={() => store.clear()}>⊘</button>
      <span class="sep" />
      <label title="Keep the log across reloads and navigations">
        <input type="checkbox" checked={store.preserveLog.value} onChange={(e) => store.setPreserveLog(e.currentTarget.checked)} />
        Preserve log
      </label>
      <span class="sep" />
    </>
  );
}

export function Toolbar({ store, ws }: { store: Store; ws: Workspace }) {
  store.revision.value;
  const [exporting, setExporting] = useState(false);
  const [saved, setSaved] = useState('');
  const recording = store.recording.value;
  const status = store.status.value;
  const activeRules = store.rules.value.filter((r) => r.enabled).length;
  return (
    <header class="toolbar" aria-label="Capture controls">
      {store.readOnly ? <ImportedNotes store={store} /> : <LiveControls store={store} />}
      <div class="segmented" role="group" aria-label="Time">
        <button type="button" aria-pressed={store.timeMode.value === 'absolute'} onClick={() => store.setTimeMode('absolute')}>Clock</button>
        <button type="button" aria-pressed={store.timeMode.value === 'relative'} onClick={() => store.setTimeMode('relative')}>Since open</button>
      </div>
      <span class="spacer" />
      {saved && <span class="export-saved" role="status">{saved}</span>}
      {!store.readOnly && !recording && <span class="paused" role="status">Recording paused{store.model.notRecorded.frames ? ` · ${store.model.notRecorded.frames} frames not recorded` : ''}</span>}
      {!store.readOnly && status !== 'live' && <span class="status" role="status">{status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>}
      {!store.readOnly && activeRules > 0 && (
        <button type="button" class="rules-on" aria-live="polite" aria-label={`${activeRules} intercept rule${activeRules === 1 ? '' : 's'} on`} onClick={() => { store.rulesOpen.value = true; }}>
          {activeRules} rule{activeRules === 1 ? '' : 's'} on
        </button>
      )}
      {!store.readOnly && (
        <>
          <button type="button" aria-pressed={store.rulesOpen.value} onClick={() => { store.rulesOpen.value = !store.rulesOpen.value; if (store.rulesOpen.value) store.composer.value = null; }}>Rules</button>
          <button type="button" aria-pressed={store.composer.value !== null}
            onClick={() => { store.lastCommand.value = null; store.rulesOpen.value = false; store.composer.value = store.composer.value ? null : { connId: store.selectedConnections.value.values().next().value ?? null, mode: 'text', text: '' }; }}>Compose</button>
        </>
      )}
      <span class="export-anchor">
        <button type="button" aria-expanded={exporting} aria-haspopup="dialog" onClick={() => { setSaved(''); setExporting(!exporting); }}>Export…</button>
        {exporting && <ExportDialog ws={ws} store={store} onDone={(msg) => { setExporting(false); setSaved(msg); }} />}
      </span>
    </header>
  );
}
