/**
 * The shapes of captured data as the panel holds it (connections, rows, payloads). Kept below the
 * panel so that session/ can write files from them without importing the panel.
 */
import type { CloseInitiator, Direction, DispatchedType, FrameOrigin, FrameType, ReadyStateName, WorkerLabel } from '../protocol/capture-events';
import type { ConnectionDecoding } from '../decoders/connection-decoding';
import type { DecodedMessage } from '../decoders/types';
import type { Initiator } from '../protocol/stack-frames';

export type { Initiator };

/**
 * A payload as the panel keeps it: text as a string, binary as its bytes (never base64: that
 * exists only in a file or a view that shows it). The `type` beside it says which.
 */
export type Payload = string | Uint8Array;

export interface StateChange {
  state: ReadyStateName;
  at: number;
}

export interface Connection {
  /** `${docId}:${sock}`: unique across frames and reloads. */
  id: string;
  docId: string;
  /** The socket's number in its document: what commands name. */
  sock: number;
  frameId: number;
  frameUrl: string;
  url: string;
  requestedProtocols: string[];
  protocol: string;
  extensions: string;
  states: StateChange[];
  close: { code: number; reason: string; wasClean: boolean; initiator: CloseInitiator } | null;
  closingInitiator: 'page' | 'server' | null;
  /** When error events fired. */
  errors: number[];
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** The worker that opened it; absent for the document's own sockets. */
  worker?: WorkerLabel;
  /** The code that opened it; absent when nothing was recorded (an older capture or file). */
  initiator?: Initiator;
  /** Which protocol it speaks and its decoder state (set by the model). */
  decoding?: ConnectionDecoding;
}

/** A worker whose sockets are not captured (from a relay, or from an imported session). */
export interface WorkerNotice {
  /** Unique in the panel: `${docId}:${seq}`, or `imported:N`. */
  key: string;
  at: number;
  frameUrl: string;
  worker: WorkerLabel;
  reason: string;
}

export interface FrameRecord {
  kind: 'frame';
  conn: Connection;
  /** conn.id, held directly so rows can be filtered as they are (see filter-engine FilterRow). */
  connId: string;
  seq: number;
  dir: Direction;
  type: FrameType;
  at: number;
  size: number;
  /** The text, or the bytes of a binary frame. */
  data: Payload;
  /** Absent: the page's own frame. Otherwise what the panel did: resent, composed or injected. */
  origin?: FrameOrigin;
  /** A sent frame's `send()` stack, recorded while *Record send stacks* was on. */
  initiator?: Initiator;
  /** What the connection's protocol decoder made of it; absent or null when nothing. */
  msg?: DecodedMessage | null;
  /** The request/response exchange this frame opens or answers (the first, for a batch). */
  pair?: Exchange;
  /** A batch's further exchanges (a JSON-RPC batch of several calls). */
  pairsMore?: Exchange[];
  /** A reply whose request was never seen (or no longer tracked). */
  unpaired?: true;
}

/** Why a request is marked *no response*. */
export type NoResponseReason = 'timeout' | 'closed' | 'reused';

/**
 * One request and what answered it: a call and its result, a subscription and its stream of
 * items. Times are the frames' own; latency is the first reply's time minus the request's.
 */
export interface Exchange {
  conn: Connection;
  /** The decoder's protocol, or 'json' when paired by the user's key. */
  protocol: string;
  /** The id, typed (see pair-tags keyOf). */
  key: string;
  /** Method, event or operation. */
  call: string;
  /** The request's direction: replies come the other way. */
  dir: Direction;
  request: FrameRecord;
  /** The request row's absolute index in the row log. */
  requestAbs: number;
  at: number;
  stream: boolean;
  /** Replies so far (a stream's items, an MQTT PUBREC…). */
  replies: number;
  firstAt: number | null;
  firstAbs: number;
  /** When it ended: the final reply, an error or a cancel. */
  endAt: number | null;
  endAbs: number;
  error: boolean;
  cancelled: boolean;
  /** Set when no reply came: within the timeout, before the socket closed, or before its id was used again. */
  noResponse: NoResponseReason | null;
  /** The pending table was full: this request is no longer waited for (counted). */
  untracked: boolean;
}

/** A socket's lifecycle event, shown inline in the frame table. */
export interface LifecycleRecord {
  kind: 'lifecycle';
  conn: Connection;
  connId: string;
  event: 'connecting' | 'open' | 'close' | 'error' | 'intercept' | 'dispatched';
  at: number;
  /** What the row says, e.g. "close 1000 Normal Closure: bye". Also what the filter matches. */
  text: string;
  /** For `dispatched` rows: the event the page dispatched itself (no frame: nothing crossed the wire). */
  dispatch?: PageDispatch;
  /** An intercept row of a sent frame (held, dropped, answered…): its `send()` stack, while send stacks are recorded. */
  initiator?: Initiator;
}

/**
 * An event the page dispatched on its socket itself. A message's data (text, or bytes)
 * is kept up to DISPATCHED_KEEP_BYTES: `size` is the whole, `truncated` says it was cut. `note`
 * describes data that is neither text nor binary, or a close event's code and reason.
 */
export interface PageDispatch {
  event: DispatchedType;
  type?: FrameType;
  size?: number;
  data?: Payload;
  truncated?: true;
  note?: string;
}

/** The inspected tab navigated (only with "Preserve log" on; otherwise the log starts afresh). */
export interface NavigationRecord {
  kind: 'navigation';
  url: string;
  at: number;
}

export type Row = FrameRecord | LifecycleRecord | NavigationRecord;

/**
 * A frame that waits in the page: `held` by a pause rule until the panel forwards or drops it, or
 * `queued` behind an earlier frame of its socket and direction that a rule holds or delays.
 */
export interface HeldFrame {
  /** `${connection id}:${holdId}` (a worker's hook numbers its holds itself). */
  key: string;
  holdId: number;
  state: 'held' | 'queued';
  conn: Connection;
  dir: Direction;
  type: FrameType;
  /** The text, or the bytes. */
  data: Payload;
  at: number;
}

export interface PageInfo {
  url: string;
  title: string;
}

export const stateOf = (c: Connection): ReadyStateName => c.states[c.states.length - 1]?.state ?? 'CONNECTING';
export const openedAt = (c: Connection): number | undefined => c.states.find((s) => s.state === 'OPEN')?.at;
export const closedAt = (c: Connection): number | undefined => c.states.find((s) => s.state === 'CLOSED')?.at;
