/**
 * Frames waiting in the page, in each direction, oldest first. A frame a pause rule holds can be
 * edited and forwarded, or dropped; a frame queued behind it (held by no rule of its own) is
 * shown and counted too, and goes when its turn comes.
 */
import { useState } from 'preact/hooks';
import type { Store } from '../store';
import { buildPayload, composeFromFrame, type ComposeMode } from '../compose/compose-payload';
import { formatClock, framePreview } from '../format';
import { heldTitle } from '../model/held-list';
import type { HeldFrame } from '../model/types';

/** Queued frames listed at most (all are counted): a flood behind one held frame must not become thousands of rows. */
export const QUEUED_LISTED = 50;

const where = (h: HeldFrame) => (h.dir === 'sent' ? '↑ to the server' : '↓ to the page');

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
      <div class="held-head">{where(h)} · {formatClock(h.at)} · <span class="muted">{h.conn.url}</span></div>
      <textarea aria-label="Held payload" class={`composer-text ${built.ok ? '' : 'invalid'}`} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      {!built.ok && <div class="error" role="alert">{built.error}</div>}
      <div class="composer-actions">
        <button type="button" disabled={!built.ok} onClick={() => release(true)}>Forward</button>
        <button type="button" onClick={() => release(false)}>Drop</button>
      </div>
    </li>
  );
}

function Queued({ h }: { h: HeldFrame }) {
  return (
    <li class="queued" aria-label={`Queued ${h.dir} frame`}>
      <div class="held-head">{where(h)} · queued behind an earlier frame · {formatClock(h.at)} · <span class="muted">{h.conn.url}</span></div>
      <code class="queued-payload">{framePreview(h)}</code>
    </li>
  );
}

export function HeldFrames({ store }: { store: Store }) {
  store.revision.value;
  const held = store.model.held;
  if (held.length === 0) return null;
  const c = held.counts;
  const items = [];
  let listed = 0;
  for (const h of held) {
    if (h.state === 'held') items.push(<Held key={h.key} store={store} h={h} />);
    else if (listed++ < QUEUED_LISTED) items.push(<Queued key={h.key} h={h} />);
  }
  const unlisted = c.queued.sent + c.queued.received - QUEUED_LISTED;
  return (
    <section class="held-frames" aria-label="Held frames">
      <div class="held-title" role="status">{heldTitle(c)}</div>
      <ol>{items}</ol>
      {unlisted > 0 && <div class="muted">{unlisted} more queued frame{unlisted === 1 ? '' : 's'}, counted above, not listed.</div>}
    </section>
  );
}
