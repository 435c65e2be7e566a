import type { Store } from '../store';
import { exportSession } from '../export-session';

export function Toolbar({ store }: { store: Store }) {
  store.revision.value;
  const recording = store.recording.value;
  const status = store.status.value;
  const activeRules = store.rules.value.filter((r) => r.enabled).length;
  return (
    <header class="toolbar" aria-label="Capture controls">
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
      <div class="segmented" role="group" aria-label="Time">
        <button type="button" aria-pressed={store.timeMode.value === 'absolute'} onClick={() => store.setTimeMode('absolute')}>Clock</button>
        <button type="button" aria-pressed={store.timeMode.value === 'relative'} onClick={() => store.setTimeMode('relative')}>Since open</button>
      </div>
      <span class="spacer" />
      {!recording && <span class="paused" role="status">Recording paused{store.model.notRecorded.frames ? ` · ${store.model.notRecorded.frames} frames not recorded` : ''}</span>}
      {status !== 'live' && <span class="status" role="status">{status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>}
      {activeRules > 0 && (
        <button type="button" class="rules-on" aria-live="polite" aria-label={`${activeRules} intercept rule${activeRules === 1 ? '' : 's'} on`} onClick={() => { store.rulesOpen.value = true; }}>
          {activeRules} rule{activeRules === 1 ? '' : 's'} on
        </button>
      )}
      <button type="button" aria-pressed={store.rulesOpen.value} onClick={() => { store.rulesOpen.value = !store.rulesOpen.value; if (store.rulesOpen.value) store.composer.value = null; }}>Rules</button>
      <button type="button" aria-pressed={store.composer.value !== null}
        onClick={() => { store.lastCommand.value = null; store.rulesOpen.value = false; store.composer.value = store.composer.value ? null : { connId: store.selectedConnections.value.values().next().value ?? null, mode: 'text', text: '' }; }}>Compose</button>
      <button type="button" onClick={() => exportSession(store)}>Export session</button>
    </header>
  );
}
