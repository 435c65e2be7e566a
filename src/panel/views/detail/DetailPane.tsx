/**
 * The selected row in detail. Text frames: JSON tree when the payload parses, else wrapped text.
 * Binary frames: hex dump, base64 and UTF-8. A payload of LARGE_PAYLOAD_BYTES or more opens
 * truncated, with "Show all" and "Save to file", so selecting it never freezes the panel.
 */
import { useMemo, useState } from 'preact/hooks';
import { bytesToBase64 } from '../../../protocol/bytes';
import { copyText, saveFile } from '../../clipboard';
import { tryParseJson } from '../../detail/json-view-model';
import { hexDumpLineCount, hexDumpLines, utf8Text } from '../../detail/hex-dump';
import { formatBytes, formatClock } from '../../format';
import type { FrameRecord, Row } from '../../model/types';
import type { Store } from '../../store';
import type { LibraryStore } from '../../library/library-store';
import { HexView } from './HexView';
import { composeFromFrame } from '../../compose/compose-payload';
import { Composer } from '../Composer';
import { HeldFrames } from '../HeldFrames';
import { RulesEditor } from '../RulesEditor';
import { JsonTree } from './JsonTree';
import { CopyAsCode } from './CopyAsCode';
import { DecodedView } from './DecodedView';
import { DispatchedDetail } from './DispatchedDetail';
import { CloseDetail } from './CloseDetail';
import { PairDetail } from './PairDetail';
import { HandshakeView, handshakeText } from './HandshakeView';
import type { SessionHandshake } from '../../../session/session-format';

function foundHandshake(store: Store, frame: FrameRecord): SessionHandshake | undefined {
  const l = store.handshakes.lookup(store.model.connections).get(frame.conn.id);
  return l?.kind === 'found' ? l.handshake : undefined;
}
import { SentBy, StackTrace, stackText } from '../stack/StackTrace';

export const LARGE_PAYLOAD_BYTES = 1024 * 1024;
const TRUNCATED_CHARS = 64 * 1024;

type Tab = 'decoded' | 'json' | 'text' | 'hex' | 'base64' | 'utf8' | 'stack' | 'handshake';

/** What "Copy" puts on the clipboard: the whole payload in the form the tab shows. */
function copyable(tab: Tab, frame: FrameRecord, bytes: Uint8Array | null, shown: string, handshake?: SessionHandshake): string {
  if (tab === 'hex' && bytes) return hexDumpLines(bytes, 0, hexDumpLineCount(bytes.length)).map((l) => `${l.offset}  ${l.hex}  ${l.ascii}`).join('\n');
  if (tab === 'json') return typeof frame.data === 'string' ? frame.data : shown;
  if (tab === 'decoded') return JSON.stringify(frame.msg ?? null, null, 2);
  if (tab === 'handshake') return handshake ? handshakeText(handshake) : '';
  if (tab === 'stack') return frame.initiator ? stackText(frame.initiator.stack) || (frame.initiator.note ?? '') : '';
  return shown;
}

function Frame({ store, frame, onClose }: { store: Store; frame: FrameRecord; onClose: () => void }) {
  const large = frame.size >= LARGE_PAYLOAD_BYTES;
  const [showAll, setShowAll] = useState(false);
  const text = typeof frame.data === 'string' ? frame.data : null;
  const bytes = typeof frame.data === 'string' ? null : frame.data;
  const json = useMemo(() => (text !== null && !large ? tryParseJson(text) : { ok: false as const }), [frame]);
  const raw: Tab[] = frame.type === 'text' ? (json.ok ? ['json', 'text'] : ['text']) : ['hex', 'base64', 'utf8'];
  // The socket's, not the frame's: last, so a frame still opens on its payload.
  const tabs: Tab[] = [...(frame.msg ? ['decoded' as const] : []), ...raw, ...(frame.initiator ? ['stack' as const] : []), 'handshake'];
  const [chosen, setTab] = useState<Tab | null>(null);
  const tab = chosen && tabs.includes(chosen) ? chosen : tabs[0]!;
  // Base64 is made only for its tab (and for Copy there): the model keeps bytes.
  const fullText = useMemo(() => (tab === 'text' ? text ?? '' : tab === 'base64' && bytes ? bytesToBase64(bytes) : tab === 'utf8' && bytes ? utf8Text(bytes) : ''), [frame, tab]);
  const cut = large && !showAll && fullText.length > TRUNCATED_CHARS;
  const name = `frame-${frame.conn.id.replace(/[^a-z0-9]/gi, '_')}-${frame.seq}.${frame.type === 'text' ? (json.ok ? 'json' : 'txt') : 'bin'}`;

  return (
    <div class="detail-frame">
      <div class="detail-head">
        <span>{frame.dir === 'sent' ? '↑ sent' : '↓ received'} · {frame.type} · {formatBytes(frame.size)} · {formatClock(frame.at)}{frame.origin ? ` · ${frame.origin}` : ''}</span>
        <span class="detail-url" title={frame.conn.url}>{frame.conn.url}</span>
      </div>
      {frame.initiator && <SentBy initiator={frame.initiator} onMore={() => setTab('stack')} />}
      <PairDetail store={store} frame={frame} />
      <div class="tabs" role="tablist" aria-label="Payload view">
        <CloseDetail onClose={onClose} />
        {tabs.map((t) => (
          <button type="button" role="tab" key={t} aria-selected={t === tab} onClick={() => setTab(t)}>
            {{ decoded: 'Decoded', json: 'JSON', text: 'Text', hex: 'Hex', base64: 'Base64', utf8: 'UTF-8', stack: 'Stack', handshake: 'Handshake' }[t]}
          </button>
        ))}
        <span class="spacer" />
        {!store.readOnly && (
          <>
            <button type="button" title="Send this frame again on its socket, unchanged"
              onClick={() => void store.command(frame.conn, { op: 'send', payload: text !== null ? { type: 'text', text } : { type: 'binary', base64: bytesToBase64(bytes!) }, origin: 'resent' }, 'Resent to the server.')}>Resend</button>
            <button type="button" onClick={() => { store.composer.value = { connId: frame.conn.id, ...composeFromFrame(frame) }; }}>Edit and resend</button>
          </>
        )}
        <CopyAsCode frame={frame} />
        <button type="button" onClick={() => void copyText(copyable(tab, frame, bytes, fullText, foundHandshake(store, frame))).catch((e: Error) => { store.lastCommand.value = { ok: false, text: e.message }; })}>Copy</button>
        <button type="button" onClick={() => saveFile(name, bytes ? (bytes as Uint8Array<ArrayBuffer>) : text ?? '', frame.type === 'binary' ? 'application/octet-stream' : 'text/plain')}>Save to file</button>
      </div>
      <div class="tab-body" role="tabpanel">
        {tab === 'decoded' && <DecodedView frame={frame} />}
        {tab === 'handshake' && <HandshakeView store={store} conn={frame.conn} />}
        {tab === 'stack' && frame.initiator && <StackTrace title="Sent by" stack={frame.initiator.stack} note={frame.initiator.note} />}
        {tab === 'json' && json.ok && <JsonTree value={json.value} />}
        {tab === 'hex' && bytes && <HexView bytes={bytes} />}
        {(tab === 'text' || tab === 'base64' || tab === 'utf8') && (
          <pre class="payload-text">{cut ? fullText.slice(0, TRUNCATED_CHARS) : fullText}</pre>
        )}
        {cut && (
          <div class="truncated" role="status">
            Showing the first {formatBytes(TRUNCATED_CHARS)} of {formatBytes(frame.size)}.
            <button type="button" onClick={() => setShowAll(true)}>Show all</button>
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * Held frames first (they hold up a socket), then the rules editor, the composer or the selected
 * row. With held frames or an editor the whole pane scrolls, so that every field and button
 * (Forward, Drop, a rule's fields, the close code) can be reached however short the pane is.
 */
export function DetailPane({ store, library, showFrame, onCloseFrame, id }: { store: Store; library: LibraryStore; showFrame: boolean; onCloseFrame: () => void; id: string }) {
  store.revision.value;
  const abs = store.selectedRow.value;
  const row: Row | undefined = abs === null || !showFrame ? undefined : store.rowAt(abs);
  const result = store.lastCommand.value;
  const held = store.model.held.length > 0;
  const side = store.rulesOpen.value ? <RulesEditor store={store} /> : store.composer.value ? <Composer store={store} library={library} /> : null;
  if (side) return <aside id={id} class="detail scroll" aria-label={store.rulesOpen.value ? 'Intercept rules' : 'Compose'}><HeldFrames store={store} />{side}</aside>;
  return (
    <aside id={id} class={`detail ${held ? 'scroll' : ''}`} aria-label="Selected frame">
      <HeldFrames store={store} />
      {result && <div class={`command-result ${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'}>{result.text}</div>}
      {row?.kind === 'frame' && <Frame key={`${row.connId}:${row.seq}`} store={store} frame={row} onClose={onCloseFrame} />}
      {row?.kind === 'lifecycle' && row.dispatch && <DispatchedDetail row={row} dispatch={row.dispatch} onClose={onCloseFrame} />}
      {row?.kind === 'lifecycle' && !row.dispatch && <div class="detail-frame"><div class="detail-head row-head"><CloseDetail onClose={onCloseFrame} />{formatClock(row.at)} · {row.conn.url}</div><pre class="payload-text">{row.text}</pre>
        {/* The socket's "connecting" row is where its initiator's whole stack shows. */}
        {row.event === 'connecting' && row.conn.initiator && <StackTrace title="Initiator" stack={row.conn.initiator.stack} note={row.conn.initiator.note} />}
        {/* A rule's row about a sent frame (held, dropped, answered…): the send() behind it. */}
        {row.initiator && <StackTrace title="Sent by" stack={row.initiator.stack} note={row.initiator.note} />}</div>}
      {row?.kind === 'navigation' && <div class="detail-frame"><div class="detail-head row-head"><CloseDetail onClose={onCloseFrame} /></div><pre class="payload-text">Navigated to {row.url} at {formatClock(row.at)}</pre></div>}
    </aside>
  );
}
