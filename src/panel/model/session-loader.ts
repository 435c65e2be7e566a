/**
 * Fills a CaptureModel from an imported session file, a chunk of frames at a time (the import
 * worker streams them, so a 200 MB file never lands on the panel's thread at once). Lifecycle
 * rows (connecting, open, close, error) are rebuilt from each connection's states and merged in by
 * time, so an imported session reads like a live one. The model keeps the file's connection ids,
 * so exporting it again writes the same file.
 */
import type { SessionConnection, SessionDispatched, SessionFileV1, SessionFrame } from '../../session/session-format';
import { closeText, connectingText, dispatchText, openText, type CaptureModel } from './capture-model';
import type { Connection, LifecycleRecord, PageDispatch, Payload } from './types';
import { base64ToBytes } from '../../protocol/bytes';

/** Everything in a session file but its frames. */
export type SessionHeader = Omit<SessionFileV1, 'frames'>;

interface PendingLifecycle { conn: Connection; event: LifecycleRecord['event']; at: number; text: string; dispatch?: PageDispatch }

/** The document id imported connections carry; no relay ever uses it (relay ids are UUIDs). */
export const IMPORTED_DOC = 'imported';

export class SessionLoader {
  private readonly byId = new Map<string, Connection>();
  private readonly lifecycle: PendingLifecycle[] = [];
  private nextLifecycle = 0;
  private seq = 0;

  constructor(private readonly model: CaptureModel, header: SessionHeader) {
    model.page = { ...header.page };
    model.importedDropped = { ...header.dropped };
    for (const n of header.notices ?? []) model.notices.push({ ...n, key: `imported:${model.notices.length}` });
    header.connections.forEach((sc, i) => {
      const c = toConnection(sc, i + 1);
      this.byId.set(c.id, c);
      model.adoptConnection(c);
      this.lifecycle.push(...lifecycleOf(c));
    });
    for (const d of header.dispatched ?? []) {
      const conn = this.byId.get(d.connectionId);
      if (!conn) continue; // the reader refuses such files; this only guards a caller's mistake
      const dispatch = toPageDispatch(d);
      this.lifecycle.push({ conn, event: 'dispatched', at: d.at, text: dispatchText(dispatch), dispatch });
    }
    // Stable: a connection's own events keep their order when times tie.
    this.lifecycle.sort((a, b) => a.at - b.at);
  }

  /** Adds frames in file order. */
  addFrames(frames: readonly SessionFrame[]): void {
    for (const f of frames) {
      const conn = this.byId.get(f.connectionId);
      if (!conn) continue; // the reader refuses such files; this only guards a caller's mistake
      this.flushLifecycle(f.at, false);
      this.model.addFrameRow(conn, {
        seq: ++this.seq, dir: f.direction, type: f.type, at: f.at, size: f.size,
        data: payloadOf(f.type, f.text, f.base64), ...(f.origin && { origin: f.origin }), ...(f.initiator && { initiator: f.initiator }),
      });
    }
  }

  /** Adds the lifecycle rows after the last frame. */
  finish(): void {
    this.flushLifecycle(Infinity, true);
  }

  /** Lifecycle rows due before a frame at `at`; on a tie, connecting/open come first and close/error after. */
  private flushLifecycle(at: number, all: boolean): void {
    while (this.nextLifecycle < this.lifecycle.length) {
      const ev = this.lifecycle[this.nextLifecycle]!;
      const due = all || ev.at < at || (ev.at === at && (ev.event === 'connecting' || ev.event === 'open'));
      if (!due) return;
      if (ev.dispatch) this.model.addDispatchRow(ev.conn, ev.at, ev.dispatch);
      else this.model.addLifecycleRow(ev.conn, ev.event, ev.at, ev.text);
      this.nextLifecycle++;
    }
  }
}

function toConnection(sc: SessionConnection, sock: number): Connection {
  const initiator = sc.close?.initiator;
  return {
    id: sc.id, docId: IMPORTED_DOC, sock, frameId: -1, frameUrl: sc.frameUrl, url: sc.url,
    requestedProtocols: [...sc.requestedProtocols], protocol: sc.protocol, extensions: sc.extensions,
    states: sc.states.map((s) => ({ ...s })), close: sc.close ? { ...sc.close } : null,
    closingInitiator: initiator === 'page' || initiator === 'server' ? initiator : null,
    errors: [...sc.errors], framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
    ...(sc.worker && { worker: { ...sc.worker } }),
    ...(sc.initiator && { initiator: { stack: sc.initiator.stack.map((f) => ({ ...f })), ...(sc.initiator.note !== undefined && { note: sc.initiator.note }) } }),
  };
}

function toPageDispatch(d: SessionDispatched): PageDispatch {
  const out: PageDispatch = { event: d.event };
  if (d.type !== undefined && (d.type === 'text' ? d.text : d.base64) !== undefined) {
    out.type = d.type;
    out.data = payloadOf(d.type, d.text, d.base64);
    out.size = d.size ?? 0;
    if (d.truncated) out.truncated = true;
  }
  if (d.note !== undefined) out.note = d.note;
  return out;
}

function lifecycleOf(c: Connection): PendingLifecycle[] {
  const out: PendingLifecycle[] = [];
  const connecting = c.states.find((s) => s.state === 'CONNECTING');
  if (connecting) out.push({ conn: c, event: 'connecting', at: connecting.at, text: connectingText(c.url, c.requestedProtocols) });
  const open = c.states.find((s) => s.state === 'OPEN');
  if (open) out.push({ conn: c, event: 'open', at: open.at, text: openText(c.protocol, c.extensions) });
  for (const at of c.errors) out.push({ conn: c, event: 'error', at, text: 'error' });
  const closed = c.states.find((s) => s.state === 'CLOSED');
  if (closed && c.close) out.push({ conn: c, event: 'close', at: closed.at, text: closeText(c.close) });
  return out;
}

/** The panel keeps bytes: a file's base64 (checked by the reader) is decoded once, here. */
function payloadOf(type: 'text' | 'binary', text: string | undefined, base64: string | undefined): Payload {
  if (type === 'text') return text ?? '';
  try { return base64ToBytes(base64 ?? ''); } catch { return new Uint8Array(0); }
}
