/**
 * Request/response pairing over the frames of one session, incrementally: each frame is fed once
 * as it is added, tagged by its decoder (pair-tags) or by the user's JSON key (json-key), and
 * linked to its exchange. Pending requests wait per connection and direction in a table capped at
 * PAIR_PENDING_MAX; a request still without a reply after the timeout, or when its socket closed,
 * is marked *no response*. Per-call statistics (the Calls view) are kept as the frames come.
 * Pure: the model calls it, the tests drive it directly.
 */
import { PAIR_PENDING_MAX, PAIR_TIMEOUT_DEFAULT_MS } from '../../protocol/limits';
import { pairTag, type PairTag } from '../../decoders/pairing/pair-tags';
import { jsonPairKey, KeySuggestions, parseJsonObject } from '../../decoders/pairing/json-key';
import { DECODE_MAX_BYTES } from '../../decoders/budget';
import { CallStats } from './call-stats';
import type { Connection, Exchange, FrameRecord, NoResponseReason } from './types';

/** Protocols whose decoder gives no request/response ids: the user's JSON key pairs them. */
const KEYLESS = new Set(['msgpack', 'cbor', 'sockjs']);

/** Plain JSON messages looked at for key suggestions, before the user picks a key. */
const SUGGEST_SAMPLE = 5_000;

interface ConnState {
  /** Requests waiting for a reply (or for more: a stream), by `${dir}|${key}`, oldest first. */
  pending: Map<string, Exchange>;
}

export interface PairingCounts {
  /** Requests no longer waited for because their connection's pending table was full. */
  untracked: number;
  /** Replies that matched no request. */
  orphans: number;
  /** Requests whose id was used again before any reply came. */
  reused: number;
}

export class Pairing {
  timeoutMs = PAIR_TIMEOUT_DEFAULT_MS;
  /** The user's key for plain JSON (`['rid']`), or null. */
  jsonKey: readonly string[] | null = null;
  readonly counts: PairingCounts = { untracked: 0, orphans: 0, reused: 0 };
  readonly calls = new CallStats();
  /** Keys seen in plain JSON, for the key picker, from the first SUGGEST_SAMPLE messages. */
  suggestions = new KeySuggestions();
  private sampleLeft = SUGGEST_SAMPLE;
  /** Exchanges there are in all (since the last clear). */
  exchanges = 0;
  private conns = new Map<Connection, ConnState>();
  /** Requests in arrival order, for the timeout; answered ones are skipped when reached. */
  private queue: Exchange[] = [];
  private queueHead = 0;
  /** Absolute row indices of requests whose exchange changed (a reply, an end, no response). */
  private changed: number[] = [];
  /** Bumped by every change, so views know to read the statistics again. */
  epoch = 0;

  /** Pairs one frame; `abs` is its index in the row log. */
  feed(row: FrameRecord, abs: number): void {
    const msg = row.msg;
    const decoder = row.conn.decoding?.decoder;
    if (msg && !msg.partial && !KEYLESS.has(msg.protocol)) {
      const list = msg.messages;
      if (list === undefined) {
        const tag = pairTag(msg.protocol, row.dir, msg.fields, msg.body);
        if (tag) this.apply(row, abs, tag, msg.protocol, row.size);
        return;
      }
      const share = Math.round(row.size / list.length);
      for (const m of list) {
        const tag = pairTag(msg.protocol, row.dir, m.fields);
        if (tag) this.apply(row, abs, tag, msg.protocol, share);
      }
      return;
    }
    if (decoder && !KEYLESS.has(decoder.id)) return;
    this.feedJson(row, abs);
  }

  private feedJson(row: FrameRecord, abs: number): void {
    const path = this.jsonKey;
    // Without a key, only the first SUGGEST_SAMPLE frames are parsed (for suggestions); with one,
    // only frames that name the key's last part.
    if (!path && this.sampleLeft <= 0) return;
    let value: unknown;
    if (row.msg && KEYLESS.has(row.msg.protocol)) value = row.msg.body;
    else if (typeof row.data === 'string' && row.size <= DECODE_MAX_BYTES && (!path || row.data.includes(`"${path[path.length - 1]}"`))) value = parseJsonObject(row.data);
    if (value === undefined) return;
    if (!path) { this.sampleLeft--; this.suggestions.observe(row.dir, value); return; }
    const k = jsonPairKey(value, path);
    if (!k) return;
    const st = this.state(row.conn);
    const other = st.pending.get(`${opposite(row.dir)}|${k.key}`);
    // Plain JSON has no "end": the same id coming back is one more reply to the same request.
    if (other) this.reply(row, abs, other, { role: 'reply', key: k.key, end: false }, row.size, st);
    else this.request(row, abs, { role: 'request', key: k.key, call: k.call }, 'json', row.size, st);
  }

  private apply(row: FrameRecord, abs: number, tag: PairTag, protocol: string, size: number): void {
    const st = this.state(row.conn);
    if (tag.role === 'request') { this.request(row, abs, tag, protocol, size, st); return; }
    const peer = `${opposite(row.dir)}|${tag.key}`, self = `${row.dir}|${tag.key}`;
    const fromPeer = tag.from === 'self' ? undefined : st.pending.get(peer);
    const x = fromPeer ?? (tag.from === 'self' || tag.from === 'either' ? st.pending.get(self) : undefined);
    if (!x) {
      row.unpaired = true;
      this.counts.orphans++;
      this.epoch++;
      return;
    }
    // The request's own side ending it (graphql-ws's client `complete`) gives up on it: a cancel, not a reply.
    const own = tag.from === 'either' && !fromPeer ? { ...tag, cancel: true as const } : tag;
    this.reply(row, abs, x, own, size, st);
  }

  private request(row: FrameRecord, abs: number, tag: Extract<PairTag, { role: 'request' }>, protocol: string, size: number, st: ConnState): void {
    const slot = `${row.dir}|${tag.key}`;
    const old = st.pending.get(slot);
    if (old) {
      st.pending.delete(slot);
      if (old.replies === 0 && !old.noResponse) {
        this.counts.reused++;
        this.noResponse(old, 'reused');
      }
    }
    const x: Exchange = {
      conn: row.conn, protocol, key: tag.key, call: tag.call, dir: row.dir, request: row, requestAbs: abs, at: row.at,
      stream: tag.stream === true, replies: 0, firstAt: null, firstAbs: -1, endAt: null, endAbs: -1,
      error: false, cancelled: false, noResponse: null, untracked: false,
    };
    this.link(row, x);
    st.pending.set(slot, x);
    if (st.pending.size > PAIR_PENDING_MAX) {
      const [oldestSlot, oldest] = st.pending.entries().next().value as [string, Exchange];
      st.pending.delete(oldestSlot);
      oldest.untracked = true;
      this.counts.untracked++;
      this.calls.untracked(oldest);
      this.changed.push(oldest.requestAbs);
    }
    this.queue.push(x);
    this.exchanges++;
    this.calls.request(x, size);
    this.epoch++;
  }

  private reply(row: FrameRecord, abs: number, x: Exchange, tag: Extract<PairTag, { role: 'reply' }>, size: number, st: ConnState): void {
    this.link(row, x);
    this.calls.bytes(x, row.dir, size);
    if (tag.cancel) {
      x.cancelled = true;
    } else if (!tag.marker || x.replies === 0) {
      if (x.replies === 0) {
        x.firstAt = row.at;
        x.firstAbs = abs;
        if (x.noResponse) this.calls.lateReply(x);
        x.noResponse = null;
        this.calls.answered(x, row.at - x.at);
      }
      x.replies++;
    }
    if (tag.error && !x.error) { x.error = true; this.calls.failed(x); }
    if (tag.end) {
      x.endAt = row.at;
      x.endAbs = abs;
      st.pending.delete(`${x.dir}|${x.key}`);
    }
    this.changed.push(x.requestAbs);
    this.epoch++;
  }

  private link(row: FrameRecord, x: Exchange): void {
    if (!row.pair) row.pair = x;
    else if (row.pair !== x) (row.pairsMore ??= []).push(x);
  }

  private noResponse(x: Exchange, why: NoResponseReason): void {
    x.noResponse = why;
    this.calls.unanswered(x);
    this.changed.push(x.requestAbs);
    this.epoch++;
  }

  /** The socket closed: its requests still waiting will never be answered. */
  closed(conn: Connection): void {
    const st = this.conns.get(conn);
    if (!st) return;
    for (const x of st.pending.values()) if (x.replies === 0 && !x.noResponse) this.noResponse(x, 'closed');
    this.conns.delete(conn);
  }

  /** Marks requests older than the timeout that have no reply; true when any was. */
  expire(now: number): boolean {
    const before = this.epoch;
    const q = this.queue;
    while (this.queueHead < q.length) {
      const x = q[this.queueHead]!;
      if (x.at + this.timeoutMs > now) break;
      this.queueHead++;
      if (x.replies === 0 && !x.noResponse && !x.untracked && !x.cancelled) this.noResponse(x, 'timeout');
    }
    if (this.queueHead > 65_536 && this.queueHead * 2 > q.length) { this.queue = q.slice(this.queueHead); this.queueHead = 0; }
    return this.epoch !== before;
  }

  /** When the oldest request still counted by the timeout comes due (ms since the epoch), or null. */
  nextDeadline(): number | null {
    // Requests already answered (or otherwise settled) never come due: skip them, or a quiet
    // panel would wake every render interval until the last of them had passed its timeout.
    const q = this.queue;
    while (this.queueHead < q.length) {
      const x = q[this.queueHead]!;
      if (x.replies === 0 && !x.noResponse && !x.untracked && !x.cancelled) return x.at + this.timeoutMs;
      this.queueHead++;
    }
    return null;
  }

  /** Row indices of requests whose exchange changed since the last call. */
  takeChanged(): number[] {
    const c = this.changed;
    this.changed = [];
    return c;
  }

  /** Forgets everything (Clear, a navigation, before pairing the held frames again). */
  clear(): void {
    this.conns.clear();
    this.queue = [];
    this.queueHead = 0;
    this.changed = [];
    this.counts.untracked = this.counts.orphans = this.counts.reused = 0;
    this.calls.clear();
    this.suggestions = new KeySuggestions();
    this.sampleLeft = SUGGEST_SAMPLE;
    this.exchanges = 0;
    this.epoch++;
  }

  private state(conn: Connection): ConnState {
    let st = this.conns.get(conn);
    if (!st) { st = { pending: new Map() }; this.conns.set(conn, st); }
    return st;
  }
}

const opposite = (d: 'sent' | 'received') => (d === 'sent' ? 'received' : 'sent');

