/** One connection in the list: the cells of the columns shown (the others are hidden, not left out, so their text stays in the DOM). */
import type { DecodeMode } from '../../../decoders/connection-decoding';
import { closeCodeName, formatBytes, formatClock, formatDuration } from '../../format';
import type { ConnColumn } from '../../layout/conn-columns';
import { closedAt, openedAt, stateOf, type Connection } from '../../model/types';
import { workerShort, workerTitle } from '../worker-label';
import { DecoderBadge } from './DecoderBadge';
import { InitiatorCell } from '../stack/StackTrace';

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

export const hostOf = (url: string) => urlParts(url)[1];

function frameOrigin(frameUrl: string): string {
  try {
    const o = new URL(frameUrl).origin;
    return o === 'null' ? frameUrl : o;
  } catch {
    return frameUrl;
  }
}

interface Props {
  c: Connection;
  selected: boolean;
  shown: ReadonlySet<ConnColumn>;
  onSelect: (additive: boolean) => void;
  onChoose: (mode: DecodeMode) => void;
}

export function ConnectionRow({ c, selected, shown, onSelect, onChoose }: Props) {
  const state = stateOf(c);
  const [scheme, host, rest] = urlParts(c.url);
  const opened = openedAt(c);
  const end = closedAt(c) ?? Date.now();
  const hide = (col: ConnColumn) => (shown.has(col) ? '' : 'hidden-col');
  const closeText = c.close ? `${c.close.code} ${closeCodeName(c.close.code)}${c.close.reason ? `: ${c.close.reason}` : ''}` : '';
  return (
    <tr class={`conn ${state === 'CLOSED' ? 'closed' : ''} ${selected ? 'selected' : ''}`} aria-selected={selected} tabIndex={0}
      onClick={(e) => onSelect(e.ctrlKey || e.metaKey || e.shiftKey)}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(e.ctrlKey || e.metaKey || e.shiftKey); } }}
      data-conn-id={c.id}>
      <td class="url" title={c.url}>
        {/* A worker's socket says so even when the "Opened by" column is left out. */}
        {c.worker && !shown.has('origin') && <span class="worker-tag" title={workerTitle(c.worker)}>{workerShort(c.worker)}</span>}
        <span class="scheme">{scheme}</span><strong class="host">{host}</strong>{rest}
      </td>
      {/* The state's tooltip says how it closed, for when the Close column is left out. */}
      <td class={hide('state')}><span class={`badge ${state.toLowerCase()}`} title={closeText || undefined}>{state.toLowerCase()}</span></td>
      <td class={hide('protocol')}>{c.protocol}</td>
      <td class={`decoder ${hide('decoder')}`}><DecoderBadge c={c} onChoose={onChoose} /></td>
      <td class={`num ${hide('frames')}`}>↑{c.framesOut} ↓{c.framesIn}</td>
      <td class={`num ${hide('bytes')}`}>↑{formatBytes(c.bytesOut)} ↓{formatBytes(c.bytesIn)}</td>
      <td class={hide('opened')}>{c.states[0]?.at ? formatClock(c.states[0].at) : ''}</td>
      <td class={`num ${hide('duration')}`}>{opened !== undefined ? formatDuration(end - opened) : ''}</td>
      <td class={`close ${hide('close')}`} title={c.close ? `${c.close.wasClean ? 'clean' : 'not clean'}, closed by ${c.close.initiator}` : ''}>
        {closeText}
      </td>
      {c.worker
        ? <td class={`origin worker ${hide('origin')}`} title={`${workerTitle(c.worker)}, started by ${c.frameUrl}`}>{workerShort(c.worker)}</td>
        : <td class={`origin ${hide('origin')}`} title={c.frameUrl}>{frameOrigin(c.frameUrl)}</td>}
      <InitiatorCell stack={c.initiator?.stack} note={c.initiator?.note} cls={hide('initiator')} />
    </tr>
  );
}
