/**
 * What "Export" writes, decided without the DOM: a session JSON or a HAR 1.2 file, of every frame
 * or of only those the filter shows, with secrets masked when asked. The file says what was left
 * out: `filtered` names the filter and how many frames there were; `redacted` the keys masked.
 */
import type { DropCounts } from '../../protocol/capture-events';
import { encodeSession, sessionFileName } from '../../session/encode-session';
import { sessionToHar } from '../../session/har';
import { redactSession } from '../../session/redact';
import type { SessionFileV1, SessionFilterNote, SessionHandshake, SessionRedaction } from '../../session/session-format';
import type { Connection, FrameRecord, LifecycleRecord, PageInfo, WorkerNotice } from '../model/types';

export type ExportFormat = 'session' | 'har';

export interface ExportOptions {
  format: ExportFormat;
  /** Only the frames the current filter shows. */
  onlyFiltered: boolean;
  redact: boolean;
  /** Query parameter and JSON key names to mask (case-insensitive). */
  redactKeys: readonly string[];
}

export interface ExportSource {
  page: PageInfo;
  connections: readonly Connection[];
  /** Every frame held, in arrival order. */
  frames: readonly FrameRecord[];
  /** Rows of events the page dispatched on its sockets itself (never frames). */
  dispatched?: readonly LifecycleRecord[];
  /** The frames (and page-dispatched events) the filter shows, and the filter as the user wrote it. */
  filtered: { frames: readonly FrameRecord[]; dispatched?: readonly LifecycleRecord[]; query: string; connectionIds: readonly string[] | null } | null;
  dropped: DropCounts;
  notices: readonly WorkerNotice[];
  /** Notes an imported session already carried, kept so re-exporting does not lose them. */
  notes: { redacted?: SessionRedaction; filtered?: SessionFilterNote };
  /** Handshakes from DevTools' network log (or an opened file), by connection id. */
  handshakes?: ReadonlyMap<string, SessionHandshake>;
}

export interface ExportFile { name: string; text: string; mime: string; frames: number; redactedValues: number }

export function buildExport(src: ExportSource, opts: ExportOptions, now: Date, version: string): ExportFile {
  const subset = opts.onlyFiltered && src.filtered ? src.filtered : null;
  const frames = subset ? subset.frames : src.frames;
  const dispatched = (subset ? subset.dispatched : src.dispatched) ?? [];
  const connections = subset ? connectionsOf(src.connections, [...subset.frames, ...dispatched], subset.connectionIds) : src.connections;
  let session: SessionFileV1 = encodeSession({ page: src.page, connections, frames, dispatched, dropped: src.dropped, notices: src.notices.map(({ key: _key, ...n }) => n), handshakes: src.handshakes }, now);
  const filtered = subset ? { query: subset.query, ofFrames: src.frames.length } : src.notes.filtered;
  if (filtered) session.filtered = { ...filtered };
  if (src.notes.redacted) session.redacted = { keys: [...src.notes.redacted.keys], count: src.notes.redacted.count };
  let redactedValues = 0;
  if (opts.redact) {
    const r = redactSession(session, opts.redactKeys);
    redactedValues = r.redacted.count;
    // Masking twice keeps one record: every key masked so far, and every value.
    const before = session.redacted;
    session = before ? { ...r, redacted: { keys: [...new Set([...before.keys, ...r.redacted.keys])], count: before.count + r.redacted.count } } : r;
  }
  const name = sessionFileName(src.page.url, now, opts.format === 'har' ? 'har' : 'json');
  const text = opts.format === 'har' ? JSON.stringify(sessionToHar(session, version), null, 1) : JSON.stringify(session, null, 1);
  return { name, text, mime: 'application/json', frames: session.frames.length, redactedValues };
}

/** The connections a filtered export needs: those with a row in it, and those the user selected. */
function connectionsOf(all: readonly Connection[], rows: readonly { connId: string }[], selected: readonly string[] | null): Connection[] {
  const keep = new Set<string>(selected ?? []);
  for (const f of rows) keep.add(f.connId);
  return all.filter((c) => keep.has(c.id));
}
