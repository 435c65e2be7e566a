import { useEffect, useState } from 'preact/hooks';
import { workerShort, workerTitle } from './worker-label';
import { jsSnippet } from '../../session/copy-as-code';
import { toSessionConnection, toSessionFrame } from '../../session/encode-session';
import { copyText } from '../clipboard';
import type { Store } from '../store';
import { DECODERS } from '../../decoders/registry';
import type { DecodeMode } from '../../decoders/connection-decoding';
import { closeCodeName, formatBytes, formatClock, formatDuration } from '../format';
import { closedAt, openedAt, stateOf, type Connection } from '../model/types';

function urlParts(url: string): [string, string, string] {
  try {
    const u = new URL(url);
    const head = `${u.protocol}//${u.host}`;
    // Imported sessions may hold any string; only split what really starts with scheme://host.
    if (!u.host || !url.startsWith(head)) return ['', '', url];
    return [`${u.protocol}//`, u.host, url.slice(head.length)];
  } catch {
    return ['', '', url];
  }
}

function frameOrigin(frameUrl: string): string {
  try {
    const o = new URL(frameUrl).origin;
    return o === 'null' ? frameUrl : o;
  } catch {
    return frameUrl;
  }
}

/** The connection's decoder: detected automatically, or the user's choice. */
function DecoderSelect({ c, onChoose }: { c: Connection; onChoose: (mode: DecodeMode) => void }) {
  const d = c.decoding;
  if (!d) return null;
  const auto = d.mode === 'auto' ? (d.decoder ? `Auto: ${d.decoder.label}` : 'Auto: none found') : 'Auto';
  return (
    <select aria-label={`Protocol decoder for ${c.url}`} value={d.mode} class={d.decoder ? 'decoded' : ''}
      title={d.decoder ? `${d.decoder.label}, ${d.by === 'subprotocol' ? 'from the negotiated subprotocol' : d.by === 'frames' ? 'detected from the first frames' : 'chosen by you'}` : 'No protocol decoder'}
      onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}
      onChange={(e) => onChoose(e.currentTarget.value as DecodeMode)}>
      <option value="auto">{auto}</option>
      <option value="off">None</option>
      {DECODERS.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
    </select>
  );
}

function Row({ c, selected, onSelect, onChoose }: { c: Connection; selected: boolean; onSelect: (additive: boolean) => void; onChoose: (mode: DecodeMode) => void }) {
  const state = stateOf(c);
  const [scheme, host, rest] = urlParts(c.url);
  const opened = openedAt(c);
  const end = closedAt(c) ?? Date.now();
  return (
    <tr class={`conn ${state === 'CLOSED' ? 'closed' : ''} ${selected ? 'selected' : ''}`} aria-selected={selected} tabIndex={0}
      onClick={(e) => onSelect(e.ctrlKey || e.metaKey || e.shiftKey)}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(e.ctrlKey || e.metaKey || e.shiftKey); } }}
      data-conn-id={c.id}>
      <td class="url" title={c.url}>{scheme}<strong>{host}</strong>{rest}</td>
      <td><span class={`badge ${state.toLowerCase()}`}>{state.toLowerCase()}</span></td>
      <td>{c.protocol}</td>
      <td class="decoder"><DecoderSelect c={c} onChoose={onChoose} /></td>
      <td class="num">↑{c.framesOut} ↓{c.framesIn}</td>
      <td class="num">↑{formatBytes(c.bytesOut)} ↓{formatBytes(c.bytesIn)}</td>
      <td>{c.states[0]?.at ? formatClock(c.states[0].at) : ''}</td>
      <td class="num">{opened !== undefined ? formatDuration(end - opened) : ''}</td>
      <td class="close" title={c.close ? `${c.close.wasClean ? 'clean' : 'not clean'}, closed by ${c.close.initiator}` : ''}>
        {c.close ? `${c.close.code} ${closeCodeName(c.close.code)}${c.close.reason ? `: ${c.close.reason}` : ''}` : ''}
      </td>
      {c.worker
        ? <td class="origin worker" title={`${workerTitle(c.worker)}, started by ${c.frameUrl}`}>{workerShort(c.worker)}</td>
        : <td class="origin" title={c.frameUrl}>{frameOrigin(c.frameUrl)}</td>}
    </tr>
  );
}

export function ConnectionTable({ store }: { store: Store }) {
  store.revision.value;
  const selected = store.selectedConnections.value;
  const conns = store.model.connections;
  const one = selected.size === 1 ? conns.find((c) => selected.has(c.id)) : undefined;
  const [copied, setCopied] = useState('');
  useEffect(() => setCopied(''), [one]);
  const select = (id: string, additive: boolean) => {
    const next = new Set(additive ? selected : []);
    if (additive && selected.has(id)) next.delete(id);
    else if (!additive && selected.size === 1 && selected.has(id)) next.clear();
    else next.add(id);
    store.selectConnections(next);
  };
  return (
    <section class="connections" aria-label="Connections">
      <div class="section-head">
        <span data-testid="connection-count">{conns.length} connection{conns.length === 1 ? '' : 's'}</span>
        <button type="button" aria-pressed={selected.size === 0} onClick={() => store.selectConnections(new Set())}>All connections</button>
        <span class="hint">Click to show one connection; Ctrl/⌘-click to add more.</span>
        <span class="spacer" />
        {one && <button type="button" title="A JavaScript snippet that opens this connection's URL with its protocols and sends all its sent frames in order"
          onClick={() => void copyText(jsSnippet(toSessionConnection(one), store.model.allFrames().filter((f) => f.connId === one.id).map(toSessionFrame))).then(() => setCopied('Copied'), (e: Error) => setCopied(e.message))}>
          Copy connection as JS</button>}
        {copied && one && <span class="copied" role="status">{copied}</span>}
      </div>
      <table aria-label="Connections" aria-multiselectable="true">
        <thead>
          <tr><th>URL</th><th>State</th><th>Protocol</th><th>Decoder</th><th>Frames</th><th>Bytes</th><th>Opened</th><th>Duration</th><th>Close</th><th>Opened by</th></tr>
        </thead>
        <tbody>
          {conns.length === 0 && <tr><td colSpan={10} class="empty">No WebSocket yet. Sockets opened since this page loaded appear here.</td></tr>}
          {conns.map((c) => <Row key={c.id} c={c} selected={selected.has(c.id)} onSelect={(add) => select(c.id, add)} onChoose={(mode) => store.setDecodeMode(c.id, mode)} />)}
        </tbody>
      </table>
    </section>
  );
}
