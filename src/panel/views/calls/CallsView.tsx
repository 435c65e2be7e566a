/**
 * The Calls view: every method, event or operation the page's sockets called, with its count,
 * failures, requests left without a reply, first-reply latency (p50, p95, max) and bytes each
 * way. Sortable by any column; a row's name filters the frame table to that call; the table
 * copies as CSV. Above it: the *no response* timeout and the key that pairs plain JSON, with the
 * keys the traffic suggests. Below: what the pairing's caps dropped, counted.
 */
import { useState } from 'preact/hooks';
import { PAIR_PENDING_MAX, CALLS_MAX } from '../../../protocol/limits';
import { copyText } from '../../clipboard';
import { callTerm } from '../../filter/pair-terms';
import { formatBytes } from '../../format';
import { CALL_COLUMNS, callRows, callsCsv, sortCalls, type CallRow, type CallSortKey } from '../../model/call-rows';
import { OTHER_CALLS } from '../../model/call-stats';
import { PAIR_TIMEOUT_MAX_MS, PAIR_TIMEOUT_MIN_MS, type Store } from '../../store';
import { formatLatency } from '../frames/latency-cell';

function PairKey({ store }: { store: Store }) {
  const current = store.pairKey.value;
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const apply = (path: string) => {
    const e = store.setPairKey(path);
    setError(e);
    if (!e) setText(path);
  };
  const suggestions = current ? [] : store.model.pairing.suggestions.suggest();
  return (
    <div class="pair-key" role="group" aria-label="Pair plain JSON">
      <label title="For JSON that no decoder knows: the key that holds the request id, in both directions (e.g. id, requestId, meta.correlationId)">
        Pair JSON by
        <input type="text" aria-label="Pair JSON by key" placeholder="key, e.g. rid" value={text} spellcheck={false}
          aria-invalid={error !== null} onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') apply(e.currentTarget.value); }} />
      </label>
      <button type="button" onClick={() => apply(text)}>Pair</button>
      {current && <button type="button" title="Stop pairing plain JSON" onClick={() => apply('')}>Clear key</button>}
      {suggestions.map((s) => (
        <button type="button" class="suggestion" key={s.path} data-suggestion={s.path}
          title={`${s.shared} value${s.shared === 1 ? '' : 's'} seen both ways, in ${s.seen} messages`} onClick={() => apply(s.path)}>
          {s.path}
        </button>
      ))}
      {error && <span class="pair-key-error" role="alert" data-testid="pair-key-error">{error}</span>}
    </div>
  );
}

function Timeout({ store }: { store: Store }) {
  const seconds = store.pairTimeoutMs.value / 1000;
  return (
    <label title="A request with no reply after this long is marked no response">
      No response after
      <input type="number" aria-label="No response after (s)" min={PAIR_TIMEOUT_MIN_MS / 1000} max={PAIR_TIMEOUT_MAX_MS / 1000} step={0.1} value={seconds}
        onChange={(e) => { const v = Number(e.currentTarget.value); if (Number.isFinite(v)) store.setPairTimeout(Math.round(v * 1000)); }} /> s
    </label>
  );
}

/**
 * Rows rendered at once: the view re-renders with every batch, and a page with a thousand
 * distinct calls would otherwise rebuild a thousand rows each time. The rest are a sort away, and
 * in the CSV.
 */
const ROWS_SHOWN = 300;

const ms = (v: number | null) => (v === null ? '—' : formatLatency(v));

/** "3", "3 (+2 waiting)", "3 (+2 waiting, 5 untracked)". */
function noResponseText(r: CallRow): string {
  const more = [r.pending > 0 && `+${r.pending} waiting`, r.untracked > 0 && `${r.untracked} untracked`].filter(Boolean);
  return more.length ? `${r.noResponse} (${more.join(', ')})` : String(r.noResponse);
}

function cellText(r: CallRow, key: CallSortKey): string {
  switch (key) {
    case 'p50': case 'p95': case 'max': return ms(r[key]);
    case 'bytesOut': case 'bytesIn': return formatBytes(r[key]);
    default: return String(r[key]);
  }
}

export function CallsView({ store }: { store: Store }) {
  store.revision.value;
  const [sort, setSort] = useState<{ key: CallSortKey; desc: boolean }>({ key: 'count', desc: true });
  const p = store.model.pairing;
  const rows = sortCalls(callRows(p.calls.list()), sort.key, sort.desc);
  const { untracked, orphans, reused } = p.counts;
  const show = (call: string) => {
    store.setFilter({ text: callTerm(call) });
    store.mainView.value = 'frames';
  };
  const copy = () => copyText(callsCsv(rows)).then(
    () => { store.lastCommand.value = { ok: true, text: `Copied ${rows.length} calls as CSV.` }; },
    (e: Error) => { store.lastCommand.value = { ok: false, text: e.message }; },
  );
  const parts = [`${p.exchanges} request${p.exchanges === 1 ? '' : 's'} paired`];
  if (untracked) parts.push(`${untracked} no longer tracked (pending table full: ${PAIR_PENDING_MAX.toLocaleString('en')} per connection)`);
  if (p.calls.merged) parts.push(`${p.calls.merged} counted under ${OTHER_CALLS} (past ${CALLS_MAX.toLocaleString('en')} calls)`);
  if (reused) parts.push(`${reused} id${reused === 1 ? '' : 's'} reused before a reply`);
  if (orphans) parts.push(`${orphans} repl${orphans === 1 ? 'y' : 'ies'} without a request`);
  return (
    <section class="calls" aria-label="Calls">
      <div class="calls-bar">
        <Timeout store={store} />
        <PairKey store={store} />
        <span class="spacer" />
        <button type="button" disabled={rows.length === 0} onClick={() => void copy()}>Copy CSV</button>
      </div>
      <div class="calls-scroll">
        <table data-testid="calls-table">
          <thead>
            <tr>
              {CALL_COLUMNS.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th key={c.key} class={c.numeric ? 'num' : ''} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.numeric })}>
                      {c.label}{active ? (sort.desc ? ' ▾' : ' ▴') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, ROWS_SHOWN).map((r) => (
              <tr key={`${r.protocol}\u0000${r.call}`} class={r.noResponse || r.errors ? 'has-problems' : ''}
                data-call={r.call} data-protocol={r.protocol} data-count={r.count} data-errors={r.errors} data-no-response={r.noResponse}
                data-pending={r.pending} data-untracked={r.untracked} data-p50={r.p50 ?? ''} data-p95={r.p95 ?? ''} data-max={r.max ?? ''} data-bytes-out={r.bytesOut} data-bytes-in={r.bytesIn}>
                {CALL_COLUMNS.map((c) => (
                  <td key={c.key} class={c.numeric ? 'num' : ''}>
                    {c.key === 'call'
                      ? <button type="button" class="call-link" aria-label={`Show frames of ${r.call}`} title={`Show the frames of ${r.call}`} onClick={() => show(r.call)}>{r.call}</button>
                      : c.key === 'noResponse' ? noResponseText(r) : cellText(r, c.key)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > ROWS_SHOWN && (
          <p class="calls-empty">{rows.length - ROWS_SHOWN} more calls: sort by another column to bring them up, or Copy CSV for all {rows.length}.</p>
        )}
        {rows.length === 0 && (
          <p class="calls-empty">
            No request paired yet. Sockscope pairs JSON-RPC, Socket.IO acks, GraphQL, SignalR, STOMP receipts, MQTT, WAMP,
            Phoenix and Action Cable by their ids. For other JSON, choose the key that holds the request id above.
          </p>
        )}
      </div>
      <div class="calls-counts" data-testid="calls-counts" data-exchanges={p.exchanges} data-untracked={untracked}
        data-orphans={orphans} data-reused={reused} data-merged={p.calls.merged} role="status">
        {parts.join(' · ')}
      </div>
    </section>
  );
}
