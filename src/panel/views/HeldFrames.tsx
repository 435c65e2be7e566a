/**
 * Frames a pause rule holds in the page, in each direction, oldest first. Each can be edited and
 * forwarded, or dropped; frames behind it on the same socket wait for it.
 */
import { useState } from 'preact/hooks';
import type { Store } from '../store';
import { buildPayload, composeFromFrame, type ComposeMode } from '../compose/compose-payload';
import { formatClock } from '../format';
import type { HeldFrame } from '../model/types';

function Held({ store, h }: { store: Store; h: HeldFrame }) {
  const initial = composeFromFrame(h);
  const [text, setText] = useState(initial.text);
  const mode: ComposeMode = initial.mode === 'json' ? 'text' : initial.mode;
  const built = buildPayload(mode, text);
  const edited = text !== initial.text;
  const release = (forward: boolean) =>
    void store.command(h.conn, { op: 'release', holdId: h.holdId, forward, ...(forward && edited && built.ok ? { payload: built.payload } : {}) },
      forward ? (edited ? 'Forwarded, edited.' : 'Forwarded.') : 'Dropped.');
  return (
    <li class="held" aria-label={`Held ${h.dir} frame`}>
      <div class="held-head">{h.dir === 'sent' ? '↑ to the server' : '↓ to the page'} · {formatClock(h.at)} · <span class="muted">{h.conn.url}</span></div>
      <textarea aria-label="Held payload" class={`composer-text ${built.ok ? '' : 'invalid'}`} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      {!built.ok && <div class="error" role="alert">{built.error}</div>}
      <div class="composer-actions">
        <button type="button" disabled={!built.ok} onClick={() => release(true)}>Forward</button>
        <button type="button" onClick={() => release(false)}>Drop</button>
      </div>
    </li>
  );
}

export function HeldFrames({ store }: { store: Store }) {
  store.revision.value;
  const held = store.model.held;
  if (held.length === 0) return null;
  const out = held.filter((h) => h.dir === 'sent').length;
  return (
    <section class="held-frames" aria-label="Held frames">
      <div class="held-title" role="status">Held: {out} outgoing, {held.length - out} incoming</div>
      <ol>{held.map((h) => <Held key={h.key} store={store} h={h} />)}</ol>
    </section>
  );
}
