/**
 * The toolbar: one row at every width, as DevTools' own. Record, Clear, the session tabs and
 * Export… always stay; the other controls leave the row for the "⋮" menu in the order bars.ts
 * gives, as the panel narrows. Status text (recording paused, reconnecting, the last export)
 * shrinks instead.
 */
import { useRef, useState } from 'preact/hooks';
import { toolbarInline } from '../layout/bars';
import type { LayoutStore } from '../layout/layout-store';
import type { PanelLayout } from '../layout/panel-layout';
import type { Store } from '../store';
import type { Workspace } from '../workspace';
import { activeTabLabel, SessionTabs } from './SessionTabs';
import { ExportDialog } from './toolbar/ExportDialog';
import { MoreMenu } from './toolbar/MoreMenu';
import { SEND_STACKS_TITLE, toolbarActions } from './toolbar/toolbar-actions';

/** What an imported file says of itself: read-only, and whether it was redacted or filtered. */
function ImportedNotes({ store }: { store: Store }) {
  const { redacted, filtered } = store.notes;
  return (
    <span class="imported-notes shrink" role="note">
      Imported · read-only
      {redacted && <span title={`Keys: ${redacted.keys.join(', ')}`}> · {redacted.count} value{redacted.count === 1 ? '' : 's'} redacted</span>}
      {filtered && <span> · filtered export ({filtered.query}) of {filtered.ofFrames} frames</span>}
    </span>
  );
}

function RecordClear({ store }: { store: Store }) {
  const recording = store.recording.value;
  return (
    <>
      <button type="button" class={`record ${recording ? 'on' : ''}`} aria-pressed={recording}
        title={recording ? 'Stop recording' : 'Record'} aria-label={recording ? 'Stop recording' : 'Record'}
        onClick={() => store.setRecording(!recording)}>●</button>
      <button type="button" title="Clear" aria-label="Clear" onClick={() => store.clear()}>⊘</button>
      <span class="sep" />
    </>
  );
}

function TimeMode({ store }: { store: Store }) {
  return (
    <div class="segmented" role="group" aria-label="Time">
      <button type="button" aria-pressed={store.timeMode.value === 'absolute'} onClick={() => store.setTimeMode('absolute')}>Clock</button>
      <button type="button" aria-pressed={store.timeMode.value === 'relative'} onClick={() => store.setTimeMode('relative')}>Since open</button>
    </div>
  );
}

function Status({ store, saved }: { store: Store; saved: string }) {
  const status = store.status.value;
  const paused = !store.readOnly && !store.recording.value
    ? `Recording paused${store.model.notRecorded.frames ? ` · ${store.model.notRecorded.frames} frames not recorded` : ''}` : '';
  return (
    <>
      {saved && <span class="export-saved shrink" role="status" title={saved}>{saved}</span>}
      {paused && <span class="paused shrink" role="status" title={paused}>{paused}</span>}
      {!store.readOnly && status !== 'live' && <span class="status shrink" role="status">{status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>}
    </>
  );
}

export function Toolbar({ store, ws, layout, lay }: { store: Store; ws: Workspace; layout: LayoutStore; lay: PanelLayout }) {
  store.revision.value;
  const [exporting, setExporting] = useState(false);
  const [saved, setSaved] = useState('');
  const exportButton = useRef<HTMLButtonElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const live = !store.readOnly;
  const rulesOn = live ? store.rulesInEffect.value.length : 0;
  const inline = toolbarInline(layout.size.value.width, { readOnly: store.readOnly, rulesOn, activeTab: activeTabLabel(ws) });
  const actions = toolbarActions(store, () => file.current?.click());
  return (
    <header class="toolbar" aria-label="Capture controls">
      {live && <RecordClear store={store} />}
      <SessionTabs ws={ws} />
      {!live && <ImportedNotes store={store} />}
      {live && inline.has('preserveLog') && (
        <label title="Keep the log across reloads and navigations">
          <input type="checkbox" checked={store.preserveLog.value} onChange={(e) => store.setPreserveLog(e.currentTarget.checked)} />
          Preserve log
        </label>
      )}
      {inline.has('timeMode') && <TimeMode store={store} />}
      {live && inline.has('sendStacks') && (
        <label title={SEND_STACKS_TITLE}>
          <input type="checkbox" checked={store.sendStacks.value} onChange={(e) => store.setSendStacks(e.currentTarget.checked)} />
          Record send stacks
        </label>
      )}
      <span class="spacer" />
      <Status store={store} saved={saved} />
      {rulesOn > 0 && (
        <button type="button" class="rules-on" aria-live="polite" aria-label={`${rulesOn} intercept rule${rulesOn === 1 ? '' : 's'} on`} onClick={() => { store.rulesOpen.value = true; }}>
          {rulesOn} rule{rulesOn === 1 ? '' : 's'} on
        </button>
      )}
      {live && inline.has('rules') && <button type="button" aria-pressed={store.rulesOpen.value} onClick={actions.toggleRules}>Rules</button>}
      {live && inline.has('compose') && <button type="button" aria-pressed={store.composer.value !== null} onClick={actions.toggleComposer}>Compose</button>}
      <button type="button" ref={exportButton} aria-expanded={exporting} aria-haspopup="dialog" onClick={() => { setSaved(''); setExporting(!exporting); }}>Export…</button>
      {exporting && <ExportDialog ws={ws} store={store} anchor={exportButton.current} onDone={(msg) => { setExporting(false); setSaved(msg); }} />}
      {inline.has('openSession') && (
        <button type="button" title="Open a Sockscope session (.json) or a HAR file beside the live capture; or drop one on the panel"
          onClick={actions.openFile}>Open session…</button>
      )}
      <input ref={file} type="file" accept=".json,.har,application/json" hidden aria-label="Session file"
        onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) ws.open(f); }} />
      <MoreMenu store={store} layout={layout} lay={lay} inline={inline} actions={actions} />
    </header>
  );
}
