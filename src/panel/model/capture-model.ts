/**
 * The panel's data: connections and table rows (frames, lifecycle events, navigations) of the
 * inspected tab, built from router batches. Pure (no DOM, no extension API) so it is unit-tested
 * directly. Replays overlap what the panel already holds (a reconnect after the service worker
 * stopped, a second panel): events at or below the last seq seen from a document are skipped, so
 * nothing shows twice.
 */
import type { DocInfo, DropCounts, EvictionCounts, WireEvent, WireFrame } from '../../protocol/capture-events';
import type { RelayBatch } from '../../protocol/messages';
import { PartAssembler, type WholeFrame } from '../../protocol/transport-packing';
import { fromWireBinary, type WireBinary } from '../../protocol/wire-payload';
import { closeCodeName } from '../format';
import { ByteSlab } from './byte-slab';
import { ReceivedSeqs } from './received-seqs';
import { RowLog } from './row-log';
import type { Connection, FrameRecord, HeldFrame, Initiator, LifecycleRecord, PageDispatch, PageInfo, Payload, WorkerNotice } from './types';
import { HeldList } from './held-list';
import { formatBytes, framePreview } from '../format';
import { DECODE_MAX_BYTES } from '../../decoders/budget';
import { ConnectionDecoding, type DecodeMode } from '../../decoders/connection-decoding';
import type { DecodeInput } from '../../decoders/types';
import { Pairing } from './pairing';
import { SharedStacks } from './shared-stacks';

interface DocState {
  info: DocInfo;
  frameId: number;
  lastSeq: number;
  received: ReceivedSeqs;
  lost: DropCounts;
  evicted: EvictionCounts;
}

export interface ModelCaps {
  maxFrames: number;
  maxBytes: number;
}

const zero = (): DropCounts => ({ frames: 0, bytes: 0 });

export class CaptureModel {
  connections: Connection[] = [];
  /** Workers whose sockets are not captured, and why: shown above the connections, exported. */
  notices: WorkerNotice[] = [];
  readonly rows = new RowLog();
  /** Requests paired with their responses, and the Calls view's statistics. */
  readonly pairing = new Pairing();
  private connById = new Map<string, Connection>();
  private docs = new Map<string, DocState>();
  /** Documents of pages navigated away from while "Preserve log" was off: their late batches are ignored. */
  private retired = new Set<string>();
  private topDocId: string | null = null;
  private heldFrames = 0;
  /** Payload held: characters of text plus bytes of binary (what PANEL_MAX_BYTES caps). */
  private heldUnits = 0;
  private parts = new PartAssembler();
  /** Send stacks, one object per distinct stack (a page sends from a few places, a million times). */
  private stacks = new SharedStacks();
  private slab = new ByteSlab();
  /**
   * How binary payloads reached the panel: as buffers (structured-clone messaging) or as base64
   * (a channel that is JSON-only, see channel-probe), by the form of each frame's first part.
   * Shown in the summary's tooltip.
   */
  readonly binaryArrivals = { buffers: 0, base64: 0 };
  /** Frames this panel itself let go of to stay under its caps. */
  readonly panelDropped: DropCounts = zero();
  /** Frames that arrived while recording was off (the user's choice, shown, not counted as dropped). */
  notRecorded: DropCounts = zero();
  /** What an imported session says its capture dropped before it was exported. */
  importedDropped: DropCounts = zero();
  /** dropped() at the last Clear, so the notice counts from there. */
  private droppedAtClear: DropCounts = zero();
  page: PageInfo = { url: '', title: '' };
  /** Respond rules that matched but could not answer, by rule id: how often, and the last reason (shown on the rule's row). */
  readonly ruleFailures = new Map<string, { count: number; last: string }>();
  /** Frames waiting in the page right now (held by a rule, or queued behind one), oldest first. */
  readonly held = new HeldList();
  recording = true;
  preserveLog = false;

  constructor(private readonly caps: ModelCaps) {}

  get frameCount(): number { return this.heldFrames; }

  /** Every frame held, in arrival order (for export). */
  allFrames(): FrameRecord[] {
    const out: FrameRecord[] = [];
    for (const r of this.rows) if (r.kind === 'frame') out.push(r);
    return out;
  }

  /** Applies one batch; returns true when anything visible changed. */
  ingest(batch: RelayBatch & { frameId: number }): boolean {
    if (this.retired.has(batch.doc.docId)) {
      // Late batches of a page navigated away from are ignored; but a full replay (snapshot) of it
      // means the page is back from the back-forward cache and live again.
      if (!batch.snapshot) return false;
      this.retired.delete(batch.doc.docId);
    }
    let changed = batch.snapshot;
    if (batch.doc.top && batch.doc.docId !== this.topDocId) {
      if (this.topDocId !== null) this.navigated(batch);
      this.topDocId = batch.doc.docId;
      changed = true;
    }
    const doc = this.docFor(batch.doc, batch.frameId);
    doc.lost = maxCounts(doc.lost, batch.lost);
    if (batch.evicted.frames >= doc.evicted.frames) doc.evicted = batch.evicted;
    if (batch.doc.top) this.page = { url: batch.doc.url, title: batch.doc.title };
    for (const ev of batch.events) {
      if (ev.seq <= doc.lastSeq) continue;
      if (ev.k === 'frame') {
        if (ev.type === 'binary' && (ev.part?.i ?? 0) === 0) this.countArrival(ev.data);
        const whole = this.parts.accept(doc.info.docId, ev);
        if (!whole) continue;
        this.addFrame(doc, whole);
      } else {
        this.applyLifecycle(doc, ev);
      }
      doc.lastSeq = ev.seq;
      changed = true;
    }
    return changed;
  }

  /** Every frame not in the panel since the last Clear, whoever dropped it (hook, relay history cap, panel cap). */
  dropped(): DropCounts {
    let frames = this.panelDropped.frames + this.importedDropped.frames, bytes = this.panelDropped.bytes + this.importedDropped.bytes;
    for (const d of this.docs.values()) {
      const seen = d.received.countThrough(d.evicted.throughSeq);
      frames += d.lost.frames + Math.max(0, d.evicted.frames - seen.frames);
      bytes += d.lost.bytes + Math.max(0, d.evicted.bytes - seen.bytes);
    }
    return { frames: frames - this.droppedAtClear.frames, bytes: bytes - this.droppedAtClear.bytes };
  }

  /** Like DevTools' Clear: empties the table and forgets closed connections; open ones stay. */
  clear(): void {
    this.rows.clear();
    this.stacks = new SharedStacks();
    this.ruleFailures.clear();
    this.sniffedRows.clear();
    this.pairing.clear();
    this.heldFrames = 0;
    this.heldUnits = 0;
    this.connections = this.connections.filter((c) => c.close === null);
    this.connById = new Map(this.connections.map((c) => [c.id, c]));
    const d = this.dropped();
    this.droppedAtClear = { frames: this.droppedAtClear.frames + d.frames, bytes: this.droppedAtClear.bytes + d.bytes };
    this.notRecorded = zero();
  }

  private navigated(batch: RelayBatch): void {
    if (this.preserveLog) {
      const at = batch.events[0]?.at ?? Date.now();
      // Unloading a page closes its sockets (1001 Going Away) without a close event the hook could
      // report: end them here, or they would stay "open" for ever and survive Clear.
      for (const c of this.connections) {
        if (c.close !== null || c.docId === batch.doc.docId) continue;
        c.states.push({ state: 'CLOSED', at });
        c.close = { code: 1001, reason: '', wasClean: false, initiator: 'page' };
        this.addLifecycleRow(c, 'close', at, `${closeText(c.close)}: the page was unloaded`);
        this.pairing.closed(c);
      }
      this.held.clear();
      this.rows.push({ kind: 'navigation', url: batch.doc.url, at });
      return;
    }
    for (const id of this.docs.keys()) this.retired.add(id);
    this.docs.clear();
    this.stacks = new SharedStacks();
    this.held.clear();
    this.connections = [];
    this.notices = [];
    this.connById.clear();
    this.rows.clear();
    this.sniffedRows.clear();
    this.pairing.clear();
    this.heldFrames = 0;
    this.heldUnits = 0;
    this.panelDropped.frames = this.panelDropped.bytes = 0;
    this.droppedAtClear = zero();
    this.notRecorded = zero();
  }

  private docFor(info: DocInfo, frameId: number): DocState {
    let d = this.docs.get(info.docId);
    if (!d) {
      d = { info, frameId, lastSeq: 0, received: new ReceivedSeqs(), lost: zero(), evicted: { frames: 0, bytes: 0, throughSeq: 0, lifecycle: 0 } };
      this.docs.set(info.docId, d);
    }
    d.info = info;
    return d;
  }

  private connFor(doc: DocState, sock: number): Connection {
    const id = `${doc.info.docId}:${sock}`;
    let c = this.connById.get(id);
    if (!c) {
      // Only reached when the create event itself was evicted: keep the frames, say what is unknown.
      c = newConnection(id, doc, sock, '(opened before the capture history starts)', [], 0);
      this.connById.set(id, c);
      this.connections.push(c);
    }
    return c;
  }

  private applyLifecycle(doc: DocState, ev: Exclude<WireEvent, WireFrame>): void {
    if (ev.k === 'notice') {
      // A history replay (a new panel, a reattach) brings it again: one per document and seq.
      const key = `${doc.info.docId}:${ev.seq}`;
      if (!this.notices.some((n) => n.key === key)) this.notices.push({ key, at: ev.at, frameUrl: doc.info.url, worker: ev.worker, reason: ev.reason });
      return;
    }
    if (ev.k === 'create') {
      const id = `${doc.info.docId}:${ev.sock}`;
      if (this.connById.has(id)) return;
      const c = newConnection(id, doc, ev.sock, ev.url, ev.protocols, ev.at);
      if (ev.worker) c.worker = ev.worker;
      if (ev.stack || ev.stackNote) c.initiator = { stack: ev.stack ?? [], ...(ev.stackNote && { note: ev.stackNote }) };
      this.connById.set(id, c);
      this.connections.push(c);
      this.addLifecycleRow(c, 'connecting', ev.at, connectingText(ev.url, ev.protocols));
      return;
    }
    const c = this.connFor(doc, ev.sock);
    switch (ev.k) {
      case 'open':
        c.protocol = ev.protocol;
        c.decoding?.negotiated(ev.protocol);
        c.extensions = ev.extensions;
        c.states.push({ state: 'OPEN', at: ev.at });
        this.addLifecycleRow(c, 'open', ev.at, openText(ev.protocol, ev.extensions));
        break;
      case 'closing':
        c.closingInitiator = ev.initiator;
        c.states.push({ state: 'CLOSING', at: ev.at });
        break;
      case 'close': {
        c.states.push({ state: 'CLOSED', at: ev.at });
        c.close = { code: ev.code, reason: ev.reason, wasClean: ev.wasClean, initiator: c.closingInitiator ?? 'unknown' };
        this.addLifecycleRow(c, 'close', ev.at, closeText(c.close));
        this.pairing.closed(c);
        break;
      }
      case 'error':
        c.errors.push(ev.at);
        this.addLifecycleRow(c, 'error', ev.at, 'error');
        break;
      case 'intercept': {
        const data = this.payloadOf(ev.type, ev.data);
        this.addLifecycleRow(c, 'intercept', ev.at, interceptText(ev.what, ev.ms, ev.dir, framePreview({ type: ev.type, data })), ev.initiator && this.stacks.share(ev.initiator));
        if ((ev.what === 'held' || ev.what === 'queued') && ev.holdId !== undefined) {
          this.held.add({ key: `${c.id}:${ev.holdId}`, holdId: ev.holdId, state: ev.what, conn: c, dir: ev.dir, type: ev.type, data, at: ev.at });
        }
        break;
      }
      case 'ruleFailed': {
        const f = this.ruleFailures.get(ev.ruleId);
        this.ruleFailures.set(ev.ruleId, { count: (f?.count ?? 0) + 1, last: ev.error });
        this.addLifecycleRow(c, 'intercept', ev.at, `rule could not answer: ${ev.error}; the frame went on as if no rule matched`);
        break;
      }
      case 'released': {
        const text = releasedText(this.held.take(`${c.id}:${ev.holdId}`), ev.holdId, ev.forwarded);
        if (text) this.addLifecycleRow(c, 'intercept', ev.at, text);
        break;
      }
      case 'dispatched': {
        const { k: _k, seq: _seq, sock: _sock, at, data, ...rest } = ev;
        this.addDispatchRow(c, at, data === undefined || rest.type === undefined ? rest : { ...rest, data: this.payloadOf(rest.type, data) });
        break;
      }
    }
  }

  addLifecycleRow(conn: Connection, event: LifecycleRecord['event'], at: number, text: string, initiator?: Initiator): void {
    if (this.recording) this.rows.push({ kind: 'lifecycle', conn, connId: conn.id, event, at, text, ...(initiator && { initiator }) });
  }

  /** A page-dispatched event: a row of its own, never a frame (no counts, no chart, no `received` in the export). */
  addDispatchRow(conn: Connection, at: number, dispatch: PageDispatch): void {
    if (this.recording) this.rows.push({ kind: 'lifecycle', conn, connId: conn.id, event: 'dispatched', at, text: dispatchText(dispatch), dispatch });
  }

  /** Every page-dispatched event held, in arrival order (for export). */
  allDispatches(): LifecycleRecord[] {
    const out: LifecycleRecord[] = [];
    for (const r of this.rows) if (r.kind === 'lifecycle' && r.dispatch) out.push(r);
    return out;
  }

  /** Adds a connection that did not come from a relay (an imported session). */
  adoptConnection(c: Connection): void {
    if (this.connById.has(c.id)) return;
    c.decoding ??= new ConnectionDecoding(c.protocol);
    this.connById.set(c.id, c);
    this.connections.push(c);
  }

  private countArrival(data: string | WireBinary): void {
    if (typeof data === 'string') this.binaryArrivals.base64++; else this.binaryArrivals.buffers++;
  }

  /** Text as it is; binary as bytes, whichever form it travelled in (base64 that is not valid: no bytes). */
  private payloadOf(type: 'text' | 'binary', data: string | WireBinary): Payload {
    if (type === 'text') return data as string;
    this.countArrival(data);
    try { return fromWireBinary(data); } catch { return new Uint8Array(0); }
  }

  private addFrame(doc: DocState, ev: WholeFrame): void {
    doc.received.add(ev.seq, ev.size);
    this.addFrameRow(this.connFor(doc, ev.sock), ev);
  }

  /** Counts a frame on its connection and, while recording, adds its row (within the caps). */
  addFrameRow(conn: Connection, f: Omit<FrameRecord, 'kind' | 'conn' | 'connId'>): void {
    if (f.dir === 'sent') { conn.framesOut++; conn.bytesOut += f.size; } else { conn.framesIn++; conn.bytesIn += f.size; }
    if (!this.recording) {
      this.notRecorded.frames++;
      this.notRecorded.bytes += f.size;
      return;
    }
    const data = typeof f.data === 'string' ? f.data : this.slab.keep(f.data);
    // `dir` and `type` as this code's own (internalized) strings: a structured clone brings a new
    // copy of "received" and "text" with every frame, which a million rows would each keep.
    const dir = f.dir === 'sent' ? 'sent' : 'received';
    const type = f.type === 'text' ? 'text' : 'binary';
    const row: FrameRecord = { kind: 'frame', conn, connId: conn.id, seq: f.seq, dir, type, at: f.at, size: f.size, data, ...(f.origin && { origin: f.origin }) };
    if (f.initiator) row.initiator = this.stacks.share(f.initiator);
    this.rows.push(row);
    this.decodeRow(row, this.rows.end - 1);
    if (this.repairAfter) { this.repairAfter = false; this.repair(); }
    this.heldFrames++;
    this.heldUnits += f.data.length;
    this.enforceCaps();
  }

  /** Bumped whenever frames already in the log were decoded again (a filter on decoded fields re-runs). */
  decodeEpoch = 0;

  /** The user's protocol choice for a connection; its frames are decoded again. */
  setDecodeMode(connId: string, mode: DecodeMode): void {
    const c = this.connById.get(connId);
    if (!c?.decoding) return;
    c.decoding.choose(mode);
    c.decoding.negotiated(c.protocol);
    this.redecode(c);
  }

  /**
   * Frames of connections still being sniffed (at most SNIFF_FRAMES each), with their row
   * indices: decoded once the protocol is known.
   */
  private sniffedRows = new Map<Connection, { row: FrameRecord; abs: number }[]>();

  private decodeRow(row: FrameRecord, abs: number): void {
    const d = row.conn.decoding;
    if (d) this.decodeStep(d, row, abs);
    // Paired as plain JSON while sniffing (a socket may never send enough frames to be sure);
    // a protocol found later pairs them again its own way.
    this.pairing.feed(row, abs);
  }

  private decodeStep(d: ConnectionDecoding, row: FrameRecord, abs: number): void {
    const step = d.decode(decodeInput(row));
    const seen = this.sniffedRows.get(row.conn);
    if (step.detected) {
      d.restart();
      const before = seen ?? [];
      for (const r of [...before, { row, abs }]) r.row.msg = d.decode(decodeInput(r.row)).msg;
      this.sniffedRows.delete(row.conn);
      this.decodeEpoch++;
      if (before.some((r) => r.row.pair || r.row.unpaired)) this.repairAfter = true;
      else for (const r of before) this.pairing.feed(r.row, r.abs);
      return;
    }
    if (step.msg) row.msg = step.msg;
    if (d.sniffing) {
      if (seen) seen.push({ row, abs }); else this.sniffedRows.set(row.conn, [{ row, abs }]);
    } else if (seen) {
      this.sniffedRows.delete(row.conn);
    }
  }

  /** Set when frames already paired as plain JSON turned out to be a protocol's: pair everything again. */
  private repairAfter = false;

  /**
   * Pairs every held frame again from the first: the decoding, the JSON key or the timeout
   * changed. Requests of closed sockets that were never answered are marked so again.
   */
  repair(now = Date.now()): void {
    this.pairing.clear();
    let abs = this.rows.start;
    for (const row of this.rows) {
      if (row.kind === 'frame') {
        delete row.pair;
        delete row.pairsMore;
        delete row.unpaired;
        this.pairing.feed(row, abs);
      }
      abs++;
    }
    for (const c of this.connections) if (c.close) this.pairing.closed(c);
    this.pairing.expire(now);
    this.pairing.takeChanged();
  }

  /** The user's key for pairing plain JSON (null: none); the held frames are paired again. */
  setJsonKey(path: readonly string[] | null): void {
    this.pairing.jsonKey = path;
    this.repair();
    this.decodeEpoch++;
  }

  /** How long a request waits before it is marked *no response*; the held frames are paired again. */
  setPairTimeout(ms: number): void {
    this.pairing.timeoutMs = ms;
    this.repair();
    this.decodeEpoch++;
  }

  /** Decodes a connection's held frames again from the first (the user chose its protocol). */
  private redecode(conn: Connection): void {
    const d = conn.decoding!;
    d.restart();
    this.sniffedRows.delete(conn);
    if (d.sniffing) {
      for (const row of this.rows) {
        if (row.kind !== 'frame' || row.conn !== conn) continue;
        if (!d.sniffing || d.decode(decodeInput(row)).detected) break;
      }
      d.restart();
    }
    for (const row of this.rows) {
      if (row.kind !== 'frame' || row.conn !== conn) continue;
      if (d.decoder) row.msg = d.decode(decodeInput(row)).msg;
      else delete row.msg;
    }
    this.repair();
    this.decodeEpoch++;
  }

  private enforceCaps(): void {
    while (this.heldFrames > this.caps.maxFrames || (this.heldUnits > this.caps.maxBytes && this.heldFrames > 1)) {
      const old = this.rows.shift();
      if (!old) break;
      if (old.kind !== 'frame') continue;
      this.heldFrames--;
      this.heldUnits -= old.data.length;
      this.panelDropped.frames++;
      this.panelDropped.bytes += old.size;
    }
  }
}

/**
 * A frame as its decoder sees it. One too large to decode in the list comes without its payload,
 * unless `whole` (the detail pane decoding one frame on request).
 */
export function decodeInput(row: FrameRecord, whole = false): DecodeInput {
  if (!whole && row.size > DECODE_MAX_BYTES) return { dir: row.dir, type: row.type, size: row.size };
  const data = row.data;
  if (typeof data === 'string') return { dir: row.dir, type: 'text', text: data, size: row.size };
  return { dir: row.dir, type: 'binary', bytes: data, size: row.size };
}

function newConnection(id: string, doc: DocState, sock: number, url: string, protocols: string[], at: number): Connection {
  return {
    decoding: new ConnectionDecoding(),
    id, docId: doc.info.docId, sock, frameId: doc.frameId, frameUrl: doc.info.url, url, requestedProtocols: protocols,
    protocol: '', extensions: '', states: [{ state: 'CONNECTING', at }], close: null, closingInitiator: null,
    errors: [], framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
  };
}

/** "page dispatched a message event: {"x":1}", "page dispatched a close event (code 4000: bye)". */
export function dispatchText(d: PageDispatch): string {
  const head = `page dispatched ${d.event === 'error' || d.event === 'open' ? 'an' : 'a'} ${d.event} event`;
  if (d.type !== undefined && d.data !== undefined) {
    const cut = d.truncated ? ` (${formatBytes(d.size ?? 0)} in all; the start is kept)` : '';
    return `${head}: ${framePreview({ type: d.type, data: d.data })}${cut}`;
  }
  return d.note ? `${head} (${d.note})` : head;
}

const arrowOf = (dir: 'sent' | 'received') => (dir === 'sent' ? '↑' : '↓');

/** "rule held ↑ secret: 1", "rule delayed 800 ms ↓ {…}", "queued behind an earlier frame ↑ after". */
export function interceptText(what: 'held' | 'dropped' | 'delayed' | 'queued' | 'answered', ms: number | undefined, dir: 'sent' | 'received', preview: string): string {
  if (what === 'queued') return `queued behind an earlier frame ${arrowOf(dir)} ${preview}`;
  const done = what === 'delayed' ? `delayed ${ms ?? 0} ms` : what === 'answered' ? 'answered (not sent)' : what;
  return `rule ${done} ${arrowOf(dir)} ${preview}`;
}

/**
 * What a release says, naming the frame as its hold did: "held frame forwarded ↑ secret: 1". A
 * queued frame's turn says nothing (its frame row follows), unless its socket closed first.
 */
export function releasedText(h: HeldFrame | undefined, holdId: number, forwarded: boolean): string | null {
  if (!h) return `held frame #${holdId} ${forwarded ? 'forwarded' : 'dropped'}`;
  const preview = framePreview(h);
  if (h.state === 'queued') return forwarded ? null : `queued frame not sent: its socket closed ${arrowOf(h.dir)} ${preview}`;
  return `held frame ${forwarded ? 'forwarded' : 'dropped'} ${arrowOf(h.dir)} ${preview}`;
}

export const connectingText = (url: string, protocols: readonly string[]) => `connecting ${url}${protocols.length ? ` (${protocols.join(', ')})` : ''}`;
export const openText = (protocol: string, extensions: string) => `open${protocol ? ` protocol ${protocol}` : ''}${extensions ? ` · ${extensions}` : ''}`;
export function closeText(close: NonNullable<Connection['close']>): string {
  const by = close.initiator === 'unknown' ? '' : ` (by ${close.initiator})`;
  return `close ${close.code} ${closeCodeName(close.code)}${close.reason ? `: ${close.reason}` : ''}${by}`;
}

function maxCounts(a: DropCounts, b: DropCounts): DropCounts {
  return { frames: Math.max(a.frames, b.frames), bytes: Math.max(a.bytes, b.bytes) };
}
