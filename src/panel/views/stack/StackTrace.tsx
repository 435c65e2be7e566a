/**
 * A JavaScript stack, innermost first, each frame a link that opens its script at its line in
 * DevTools' Sources panel (see open-resource.ts). Where no stack was recorded, the reason.
 */
import { useState } from 'preact/hooks';
import { frameLabel, scriptName, type Initiator, type StackFrame } from '../../../protocol/stack-frames';
import { openFrame } from '../../open-resource';

export function stackText(stack: StackFrame[]): string {
  return stack.map((f) => `${f.fn || '(anonymous)'} ${f.url ? `${f.url}:${f.line}:${f.col}` : '(native)'}`).join('\n');
}

export function StackTrace({ title, stack, note }: { title: string; stack: StackFrame[]; note?: string }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section class="stack-trace" aria-label={title}>
      <h3>{title}</h3>
      {note && <p class="stack-note">{note}</p>}
      {stack.length > 0 && (
        <ol class="stack-frames">
          {stack.map((f, i) => (
            <li key={i} class="stack-frame">
              <span class="stack-fn">{f.fn || '(anonymous)'}</span>{' '}
              {f.url
                ? <a href="#" class="stack-loc" data-url={f.url} data-line={f.line} title={`Open ${f.url} at line ${f.line}, column ${f.col} in Sources`}
                  onClick={(e) => { e.preventDefault(); setMessage(openFrame(f)); }}>{scriptName(f.url)}:{f.line}:{f.col}</a>
                : <span class="stack-loc native">(native)</span>}
            </li>
          ))}
        </ol>
      )}
      {message && <p class="stack-message" role="status">{message}</p>}
    </section>
  );
}

/**
 * A sent frame's line in the detail pane: "Sent by sendOrder app.js:12", the innermost frame a
 * link to Sources, and how many callers the Stack tab has; or why no stack was taken.
 */
export function SentBy({ initiator, onMore }: { initiator: Initiator; onMore: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const top = initiator.stack[0];
  return (
    <div class="sent-by" title={top ? stackText(initiator.stack) : initiator.note}>
      Sent by{' '}
      {!top ? <span class="stack-note">{initiator.note ?? 'no stack recorded'}</span>
        : top.url ? <a href="#" class="stack-loc" data-url={top.url} data-line={top.line} onClick={(e) => { e.preventDefault(); setMessage(openFrame(top)); }}>{frameLabel(top)}</a>
        : <span>{frameLabel(top)}</span>}
      {initiator.stack.length > 1 && <>{' '}<button type="button" class="link" title="The whole stack, in the Stack tab" onClick={onMore}>{callers(initiator.stack.length - 1)}</button></>}
      {message && <span class="stack-message" role="status"> {message}</span>}
    </div>
  );
}

const callers = (n: number) => `+${n} caller${n === 1 ? '' : 's'}`;

/** The connection list's cell: the innermost frame, e.g. `connectFeed app.js:42`; a click opens it. */
export function InitiatorCell({ stack, note, cls }: { stack: StackFrame[] | undefined; note: string | undefined; cls: string }) {
  const top = stack?.[0];
  if (!top) return <td class={`initiator ${cls}`} title={note ?? 'not recorded'}>{note ? '—' : ''}</td>;
  return (
    <td class={`initiator ${cls}`} title={stackText(stack)}>
      {top.url
        ? <a href="#" class="stack-loc" onClick={(e) => { e.preventDefault(); e.stopPropagation(); const m = openFrame(top); if (m) (e.currentTarget as HTMLElement).title = m; }}>{frameLabel(top)}</a>
        : frameLabel(top)}
    </td>
  );
}
