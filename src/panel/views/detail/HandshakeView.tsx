/**
 * The *Handshake* tab: the socket's opening HTTP request and response as DevTools' network log
 * had them, or, plainly, why there is none (never a guess: see src/session/handshake.ts).
 */
import { useEffect } from 'preact/hooks';
import { formatClock } from '../../format';
import type { HandshakeLookup } from '../../../session/handshake';
import type { SessionHandshake, SessionHeader } from '../../../session/session-format';
import type { Connection } from '../../model/types';
import type { Store } from '../../store';

/** While the log does not hold it yet, it is read again this often. */
const POLL_MS = 1000;

export function handshakeText(h: SessionHandshake): string {
  const lines = (hs: SessionHeader[]) => hs.map((x) => `${x.name}: ${x.value}`).join('\n');
  return `${h.status} ${h.statusText}\n\nRequest headers\n${lines(h.requestHeaders)}\n\nResponse headers\n${lines(h.responseHeaders)}\n`;
}

function Headers({ title, headers }: { title: string; headers: SessionHeader[] }) {
  return (
    <section class="handshake-headers" aria-label={title}>
      <h3>{title}</h3>
      {headers.length === 0 ? <p class="hint">None in the log.</p> : (
        <dl>{headers.map((x, i) => [<dt key={`n${i}`}>{x.name}</dt>, <dd key={`v${i}`}>{x.value}</dd>])}</dl>
      )}
    </section>
  );
}

function why(l: Exclude<HandshakeLookup, { kind: 'found' }>, conn: Connection): string {
  switch (l.kind) {
    case 'before-devtools':
      return `The handshake happened before DevTools was open (the socket was created at ${formatClock(conn.states[0]!.at)}, DevTools opened at ${formatClock(l.devtoolsOpenedAt)}), so the browser's network log does not have it. Reload the page with DevTools open to see it.`;
    case 'ambiguous':
      return `${l.sockets} sockets to this URL were opened within a second of each other, and DevTools' network log has ${l.handshakes} handshake${l.handshakes === 1 ? '' : 's'} for them that cannot be told apart: no handshake is shown rather than perhaps another socket's.`;
    case 'not-in-log':
      return "DevTools' network log has no handshake for this socket (yet): it may have been cleared, or the page navigated since.";
    case 'unavailable':
      return l.reason;
    case 'not-in-file':
      return 'This file holds no handshake for this socket.';
  }
}

export function HandshakeView({ store, conn }: { store: Store; conn: Connection }) {
  const source = store.handshakes;
  source.version.value;
  store.revision.value;
  const l = source.lookup(store.model.connections).get(conn.id) ?? { kind: 'not-in-log' as const };
  const waiting = l.kind === 'not-in-log' || l.kind === 'ambiguous';
  useEffect(() => {
    if (!waiting) return undefined;
    source.refresh();
    const t = setInterval(() => source.refresh(), POLL_MS);
    return () => clearInterval(t);
  }, [waiting, source]);
  if (l.kind !== 'found') return <p class="handshake-none" role="status">{why(l, conn)}</p>;
  const h = l.handshake;
  return (
    <div class="handshake">
      <p class="handshake-status">
        <strong>{h.status} {h.statusText}</strong>{h.httpVersion ? ` · ${h.httpVersion}` : ''} · sent {formatClock(h.startedAt)}
        {h.time >= 0 ? ` · ${h.time.toFixed(1)} ms` : ''}
      </p>
      <Headers title="Request headers" headers={h.requestHeaders} />
      <Headers title="Response headers" headers={h.responseHeaders} />
    </div>
  );
}
