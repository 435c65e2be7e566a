/** Builds a version-1 session file from the panel's model. */
import { bytesToBase64 } from '../protocol/bytes';
import type { DropCounts } from '../protocol/capture-events';
import type { Connection, FrameRecord, Initiator, LifecycleRecord, PageDispatch, PageInfo } from './capture-model-types';
import { SESSION_FORMAT, SESSION_VERSION, type SessionConnection, type SessionHandshake, type SessionDispatched, type SessionFileV1, type SessionFrame, type SessionNotice } from './session-format';

export interface SessionSource {
  page: PageInfo;
  connections: readonly Connection[];
  frames: readonly FrameRecord[];
  dropped: DropCounts;
  notices?: readonly SessionNotice[];
  /** Rows of events the page dispatched itself (each with its `dispatch`). */
  dispatched?: readonly LifecycleRecord[];
  /** Handshakes from DevTools' network log, by connection id (only those matched). */
  handshakes?: ReadonlyMap<string, SessionHandshake>;
}

export function encodeSession(src: SessionSource, exportedAt: Date): SessionFileV1 {
  // Capture order: frames of one document are already in order and their timestamps rise; a stable
  // sort by time interleaves documents (iframes) without reordering frames inside one.
  const frames = [...src.frames].sort((a, b) => a.at - b.at).map(toSessionFrame);
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    exportedAt: exportedAt.toISOString(),
    page: { url: src.page.url, title: src.page.title },
    connections: src.connections.map((c) => toSessionConnection(c, src.handshakes?.get(c.id))),
    frames,
    dropped: { frames: src.dropped.frames, bytes: src.dropped.bytes },
    ...(src.notices?.length && { notices: src.notices.map((n) => ({ ...n, worker: { ...n.worker } })) }),
    ...(src.dispatched?.length && { dispatched: [...src.dispatched].sort((a, b) => a.at - b.at).flatMap(toSessionDispatched) }),
  };
}

function toSessionDispatched(r: LifecycleRecord): SessionDispatched[] {
  const d: PageDispatch | undefined = r.dispatch;
  if (!d) return [];
  const out: SessionDispatched = { connectionId: r.connId, at: r.at, event: d.event };
  if (d.type !== undefined && d.data !== undefined) {
    out.type = d.type;
    out.size = d.size ?? 0;
    if (typeof d.data === 'string') out.text = d.data; else out.base64 = bytesToBase64(d.data);
    if (d.truncated) out.truncated = true;
  }
  if (d.note !== undefined) out.note = d.note;
  return [out];
}

export function toSessionConnection(c: Connection, handshake?: SessionHandshake): SessionConnection {
  return {
    id: c.id,
    url: c.url,
    frameUrl: c.frameUrl,
    requestedProtocols: [...c.requestedProtocols],
    protocol: c.protocol,
    extensions: c.extensions,
    states: c.states.map((s) => ({ ...s })),
    close: c.close ? { ...c.close } : null,
    errors: [...c.errors],
    ...(c.worker && { worker: { ...c.worker } }),
    ...(handshake && { handshake: structuredClone(handshake) }),
    ...(c.initiator && { initiator: copyInitiator(c.initiator) }),
  };
}

const copyInitiator = (i: Initiator): Initiator => ({ stack: i.stack.map((f) => ({ ...f })), ...(i.note !== undefined && { note: i.note }) });

export function toSessionFrame(f: FrameRecord): SessionFrame {
  const base = { connectionId: f.conn.id, direction: f.dir, type: f.type, at: f.at, size: f.size, ...(f.origin && { origin: f.origin }), ...(f.initiator && { initiator: copyInitiator(f.initiator) }) };
  // Base64 only here, where the file format needs it: the panel keeps bytes.
  return typeof f.data === 'string' ? { ...base, text: f.data } : { ...base, base64: bytesToBase64(f.data) };
}

/** `sockscope-<host>-<yyyymmdd-hhmmss>.json` (or `.har`), from the page's host and the local time. */
export function sessionFileName(pageUrl: string, when: Date, ext: 'json' | 'har' = 'json'): string {
  let host = 'page';
  try { host = new URL(pageUrl).host || 'page'; } catch { /* about:blank and the like */ }
  return `sockscope-${host.replace(/[^a-zA-Z0-9.-]/g, '_')}-${fileStamp(when)}.${ext}`;
}

/** `yyyymmdd-hhmmss` in local time, for the names of the files the panel saves. */
export function fileStamp(when: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${when.getFullYear()}${p(when.getMonth() + 1)}${p(when.getDate())}-${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
}
