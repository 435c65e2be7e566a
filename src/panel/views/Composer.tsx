/**
 * Compose a message for an open socket: send it to the server, or inject it as if the server had
 * sent it. Text, JSON (validated as you type, with Pretty), hex or base64. Also closes a socket
 * with a chosen code and reason. Every failure is said in words, never a silent no-op. Below, the
 * saved messages (views/saved).
 */
import type { Store } from '../store';
import type { LibraryStore } from '../library/library-store';
import { SavedMessages } from './saved/SavedMessages';
import { buildPayload, prettyJson, type ComposeMode } from '../compose/compose-payload';
import { socketLabels } from '../compose/socket-label';
import { formatBytes } from '../format';
import { stateOf } from '../model/types';
import { useState } from 'preact/hooks';

const MODES: { id: ComposeMode; label: string }[] = [
  { id: 'text', label: 'Text' }, { id: 'json', label: 'JSON' }, { id: 'hex', label: 'Hex' }, { id: 'base64', label: 'Base64' },
];

export function Composer({ store, library }: { store: Store; library: LibraryStore }) {
  store.revision.value;
  const state = store.composer.value!;
  const conns = store.model.connections;
  const target = conns.find((c) => c.id === state.connId) ?? conns.find((c) => stateOf(c) === 'OPEN') ?? null;
  const labels = socketLabels(conns);
  const built = buildPayload(state.mode, state.text);
  const result = store.lastCommand.value;
  const [code, setCode] = useState('1000');
  const [reason, setReason] = useState('');
  const set = (patch: Partial<typeof state>) => { store.composer.value = { ...state, ...patch }; };
  const canAct = built.ok && target !== null;

  return (
    <section class="composer" aria-label="Compose">
      <div class="composer-head">
        <label>Socket
          <select aria-label="Socket" value={target?.id ?? ''} title={target ? labels[conns.indexOf(target)] : undefined} onChange={(e) => set({ connId: e.currentTarget.value })}>
            {conns.length === 0 && <option value="">No socket</option>}
            {conns.map((c, i) => <option key={c.id} value={c.id}>{labels[i]}</option>)}
          </select>
        </label>
        <span class="spacer" />
        <button type="button" aria-label="Close composer" onClick={() => { store.composer.value = null; }}>✕</button>
      </div>
      <div class="segmented" role="group" aria-label="Payload format">
        {MODES.map((m) => <button type="button" key={m.id} aria-pressed={state.mode === m.id} onClick={() => set({ mode: m.id })}>{m.label}</button>)}
        {state.mode === 'json' && <button type="button" onClick={() => set({ text: prettyJson(state.text) })}>Pretty</button>}
      </div>
      <textarea aria-label="Message" class={`composer-text ${built.ok ? '' : 'invalid'}`} spellcheck={false} value={state.text}
        aria-invalid={!built.ok} onInput={(e) => set({ text: e.currentTarget.value })}
        placeholder={state.mode === 'hex' ? 'de ad be ef' : state.mode === 'base64' ? '3q2+7w==' : state.mode === 'json' ? '{"type": "ping"}' : 'Message'} />
      <div class="composer-status">
        {built.ok ? <span class="muted">{formatBytes(built.size)} · {built.payload.type}</span> : <span class="error" role="alert">{built.error}</span>}
      </div>
      <div class="composer-actions">
        <button type="button" disabled={!canAct} onClick={() => built.ok && target && void store.command(target, { op: 'send', payload: built.payload, origin: 'composed' }, 'Sent to the server.')}>Send to server</button>
        <button type="button" disabled={!canAct} onClick={() => built.ok && target && void store.command(target, { op: 'inject', payload: built.payload }, 'Delivered to the page as an incoming message.')}>Inject as incoming</button>
      </div>
      <div class="composer-close">
        <label>Code <input type="number" aria-label="Close code" value={code} min={1000} max={4999} onInput={(e) => setCode(e.currentTarget.value)} /></label>
        <label>Reason <input type="text" aria-label="Close reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
        <button type="button" disabled={!target} onClick={() => {
          const n = Number(code);
          if (!Number.isInteger(n) || !(n === 1000 || (n >= 3000 && n <= 4999))) {
            store.lastCommand.value = { ok: false, text: 'A close code must be 1000 or between 3000 and 4999.' };
            return;
          }
          if (target) void store.command(target, { op: 'close', code: n, reason }, `Closed with ${n}.`);
        }}>Close socket</button>
      </div>
      {result && <div class={`command-result ${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'}>{result.text}</div>}
      <SavedMessages store={store} library={library} target={target} draft={state} built={built} onLoad={(m) => set({ mode: m.mode, text: m.text })} />
    </section>
  );
}
