/**
 * The panel's data: connections and frames of the inspected tab, built from router batches.
 * Pure (no DOM, no extension API) so it is unit-tested directly. Replays overlap what the panel
 * already holds (a reconnect after the service worker stopped, a second panel): events at or
 * below the last seq seen from a document are skipped, so nothing shows twice.
 */
import type { DocInfo, DropCounts, EvictionCounts, WireEvent, WireFrame } from '../../protocol/capture-events';
import type { RelayBatch } from '../../protocol/messages';
import { PartAssembler } from '../../protocol/transport-packing';
import { ReceivedSeqs } from './received-seqs';
import type { Connection, FrameRecord, PageInfo } from './types';

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

export class CaptureModel {
  readonly connections: Connection[] = [];
  private connById = new Map<string, Connection>();
  private docs = new Map<string, DocState>();
  private frames: FrameRecord[] = [];
  private head = 0;
  private heldChars = 0;
  private parts = new PartAssembler();
  /** Frames this panel itself let go of to stay under its caps. */
  readonly panelDropped: DropCounts = { frames: 0, bytes: 0 };
  page: PageInfo = { url: '', title: '' };

  constructor(private readonly caps: ModelCaps) {}

  get frameCount(): number { return this.frames.length - this.head; }
  frameAt(i: number): FrameRecord | undefined { return this.frames[this.head + i]; }
  allFrames(): FrameRecord[] { return this.frames.slice(this.head); }

  /** Applies one batch; returns true when anything visible changed. */
  ingest(batch: RelayBatch & { frameId: number }): boolean {
    const doc = this.docFor(batch.doc, batch.frameId);
    doc.lost = maxCounts(doc.lost, batch.lost);
    if (batch.evicted.frames >= doc.evicted.frames) doc.evicted = batch.evicted;
    if (batch.doc.top) this.page = { url: batch.doc.url, title: batch.doc.title };
    let changed = batch.snapshot;
    for (const ev of batch.events) {
      if (ev.seq <= doc.lastSeq) continue;
      if (ev.k === 'frame') {
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

  /** Every frame not in the panel, whoever dropped it (hook before the relay, relay history cap, panel cap). */
  dropped(): DropCounts {
    let frames = this.panelDropped.frames, bytes = this.panelDropped.bytes;
    for (const d of this.docs.values()) {
      const seen = d.received.countThrough(d.evicted.throughSeq);
      frames += d.lost.frames + Math.max(0, d.evicted.frames - seen.frames);
      bytes += d.lost.bytes + Math.max(0, d.evicted.bytes - seen.bytes);
    }
    return { frames, bytes };
  }

  private docFor(info: DocInfo, frameId: number): DocState {
    let d = this.docs.get(info.docId);
    if (!d) {
      d = { info, frameId, lastSeq: 0, received: new ReceivedSeqs(), lost: { frames: 0, bytes: 0 }, evicted: { frames: 0, bytes: 0, throughSeq: 0, lifecycle: 0 } };
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
      c = newConnection(id, doc, '(opened before the capture history starts)', [], 0);
      this.connById.set(id, c);
      this.connections.push(c);
    }
    return c;
  }

  private applyLifecycle(doc: DocState, ev: Exclude<WireEvent, WireFrame>): void {
    if (ev.k === 'create') {
      const id = `${doc.info.docId}:${ev.sock}`;
      if (this.connById.has(id)) return;
      const c = newConnection(id, doc, ev.url, ev.protocols, ev.at);
      this.connById.set(id, c);
      this.connections.push(c);
      return;
    }
    const c = this.connFor(doc, ev.sock);
    switch (ev.k) {
      case 'open':
        c.protocol = ev.protocol;
        c.extensions = ev.extensions;
        c.states.push({ state: 'OPEN', at: ev.at });
        break;
      case 'closing':
        c.closingInitiator = ev.initiator;
        c.states.push({ state: 'CLOSING', at: ev.at });
        break;
      case 'close':
        c.states.push({ state: 'CLOSED', at: ev.at });
        c.close = { code: ev.code, reason: ev.reason, wasClean: ev.wasClean, initiator: c.closingInitiator ?? 'unknown' };
        break;
      case 'error':
        c.errors.push(ev.at);
        break;
    }
  }

  private addFrame(doc: DocState, ev: WireFrame): void {
    const conn = this.connFor(doc, ev.sock);
    if (ev.dir === 'sent') { conn.framesOut++; conn.bytesOut += ev.size; } else { conn.framesIn++; conn.bytesIn += ev.size; }
    doc.received.add(ev.seq, ev.size);
    this.frames.push({ conn, seq: ev.seq, dir: ev.dir, type: ev.type, at: ev.at, size: ev.size, data: ev.data });
    this.heldChars += ev.data.length;
    this.enforceCaps();
  }

  private enforceCaps(): void {
    while (this.frameCount > this.caps.maxFrames || (this.heldChars > this.caps.maxBytes && this.frameCount > 1)) {
      const old = this.frames[this.head++]!;
      this.heldChars -= old.data.length;
      this.panelDropped.frames++;
      this.panelDropped.bytes += old.size;
    }
    if (this.head > 65_536 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }
}

function newConnection(id: string, doc: DocState, url: string, protocols: string[], at: number): Connection {
  return {
    id, docId: doc.info.docId, frameId: doc.frameId, frameUrl: doc.info.url, url, requestedProtocols: protocols,
    protocol: '', extensions: '', states: [{ state: 'CONNECTING', at }], close: null, closingInitiator: null,
    errors: [], framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0,
  };
}

function maxCounts(a: DropCounts, b: DropCounts): DropCounts {
  return { frames: Math.max(a.frames, b.frames), bytes: Math.max(a.bytes, b.bytes) };
}
