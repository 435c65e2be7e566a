import type { Store } from '../store';
import { closeCodeName, formatBytes, formatClock } from '../format';
import { stateOf, type Connection } from '../model/types';

function hostAndRest(url: string): [string, string, string] {
  try {
    const u = new URL(url);
    return [`${u.protocol}//`, u.host, url.slice(`${u.protocol}//${u.host}`.length)];
  } catch {
    return ['', '', url];
  }
}

function Row({ c, selected, onSelect }: { c: Connection; selected: boolean; onSelect: () => void }) {
  const state = stateOf(c);
  const [scheme, host, rest] = hostAndRest(c.url);
  return (
    <tr class={`conn ${state === 'CLOSED' ? 'closed' : ''} ${selected ? 'selected' : ''}`} aria-selected={selected} onClick={onSelect} data-conn-id={c.id}>
      <td class="url" title={c.url}>{scheme}<strong>{host}</strong>{rest}</td>
      <td><span class={`badge ${state.toLowerCase()}`}>{state.toLowerCase()}</span></td>
      <td>{c.protocol}</td>
      <td class="num">↑{c.framesOut} ↓{c.framesIn}</td>
      <td class="num">↑{formatBytes(c.bytesOut)} ↓{formatBytes(c.bytesIn)}</td>
      <td>{c.states[0]?.at ? formatClock(c.states[0].at) : ''}</td>
      <td class="close">{c.close ? `${c.close.code} ${closeCodeName(c.close.code)}${c.close.reason ? `: ${c.close.reason}` : ''}` : ''}</td>
      <td class="origin" title={c.frameUrl}>{c.frameUrl}</td>
    </tr>
  );
}

export function ConnectionTable({ store }: { store: Store }) {
  store.revision.value;
  const selected = store.selectedConnection.value;
  const conns = store.model.connections;
  return (
    <section class="connections" aria-label="Connections">
      <table>
        <thead>
          <tr><th>URL</th><th>State</th><th>Protocol</th><th>Frames</th><th>Bytes</th><th>Opened</th><th>Close</th><th>Frame</th></tr>
        </thead>
        <tbody>
          {conns.length === 0 && <tr><td colSpan={8} class="empty">No WebSocket yet. Sockets opened since this page loaded appear here.</td></tr>}
          {conns.map((c) => (
            <Row key={c.id} c={c} selected={selected === c.id}
              onSelect={() => { store.selectedConnection.value = selected === c.id ? null : c.id; }} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
