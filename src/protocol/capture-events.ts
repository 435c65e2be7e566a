/**
 * What the page hook observes about a socket, in three forms:
 * - HookEvent: inside the page, carried over the private MessagePort (structured clone, with the
 *   hook's own copies of binary payloads transferred, not copied), so nothing is encoded on the
 *   page's hot path;
 * - CapturedEvent: what the relay keeps in its history: numbered, Blobs read, binary still bytes;
 * - WireEvent: from the relay onwards, with sizes in bytes and binary payloads as WireBinary: the
 *   bytes themselves where the extension's messaging clones them (Firefox; Chromium 148+ with
 *   structured-clone messaging), base64 text where it is JSON-only (see channel-probe). The relay
 *   builds them only while a panel watches.
 */
import type { Initiator, StackFrame } from './stack-frames';
import type { WireBinary } from './wire-payload';

export type Direction = 'sent' | 'received';
export type FrameType = 'text' | 'binary';
export type ReadyStateName = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';
export type CloseInitiator = 'page' | 'server' | 'unknown';

/** Timestamps are high-resolution epoch milliseconds (performance.timeOrigin + performance.now()). */
interface Base {
  /** Socket number, unique within one document. */
  sock: number;
  at: number;
}

/**
 * The worker a socket lives in; absent for the document's own sockets. `url` is the worker's
 * script URL as the page gave it, resolved against the document.
 */
export interface WorkerLabel {
  kind: 'dedicated' | 'shared';
  type: 'classic' | 'module';
  url: string;
  /** The `name` option, when the page gave one. */
  name?: string;
}

export interface CreateFields {
  url: string;
  protocols: string[];
  worker?: WorkerLabel;
  /**
   * The JavaScript stack at `new WebSocket(…)`, innermost first, the extension's own frames
   * removed (see stack-frames.ts). Absent in the hook's event, which carries `rawStack` instead.
   */
  stack?: StackFrame[];
  /** Why there is no stack (the page customises Error.prepareStackTrace, say): never silent. */
  stackNote?: string;
}

/**
 * A worker whose sockets are not captured, and why (a CSP that refuses the hook's blob: wrapper,
 * say). Never silent: the panel shows each one. `sock` is always 0: it names no socket.
 */
export interface NoticeFields { worker: WorkerLabel; reason: string }
export interface OpenFields { protocol: string; extensions: string }
export interface ClosingFields { initiator: 'page' | 'server' }
export interface CloseFields { code: number; reason: string; wasClean: boolean }

export type HookEvent =
  /** `rawStack`: the engine's stack text, parsed into `stack` by the relay (the hook never parses). */
  | (Base & { k: 'create' } & CreateFields & { rawStack?: string })
  | (Base & { k: 'open' } & OpenFields)
  | (Base & { k: 'closing' } & ClosingFields)
  | (Base & { k: 'close' } & CloseFields)
  | (Base & { k: 'error' })
  | (Base & { k: 'notice' } & NoticeFields)
  | (Base & { k: 'frame'; dir: Direction; data: string | ArrayBuffer | Blob; origin?: FrameOrigin })
  | (Base & { k: 'intercept' } & InterceptFields & { data: string | ArrayBuffer | Blob })
  | (Base & { k: 'released' } & ReleasedFields)
  | (Base & { k: 'ruleFailed' } & RuleFailedFields)
  | (Base & { k: 'dispatched' } & DispatchedFields & { data?: string | ArrayBuffer | Blob })
  | (Base & { k: 'sendStack' } & SendStackFields);

/**
 * The stack of a page's `send()`, taken while the panel records send stacks (see HookOptions).
 * It belongs to the event the hook posts right after it: that send's frame, or what a rule did
 * with it (an intercept event). The hook posts the two back to back, in one synchronous call, so
 * nothing comes between; the relay folds the stack into that event as its `initiator` and never
 * keeps this one. Sent as a separate event so the frame columns (the hot path) stay as they are.
 * Like the create event, it carries the engine's text (`rawStack`) or why none was taken.
 */
export interface SendStackFields { rawStack?: string; stackNote?: string }

/**
 * The page itself dispatched an event on a socket (`ws.dispatchEvent(new MessageEvent(…))`: a
 * test harness, a mock library): its handlers ran, but nothing crossed the wire. It is never a
 * frame. A message's data is kept up to DISPATCHED_KEEP_BYTES (`size`, in bytes, is the whole; `truncated`
 * says it was cut); data that is neither text nor binary is described in `note`, never converted
 * (that would run the page's code). A close event's code and reason go in `note` too.
 */
export interface DispatchedFields {
  event: DispatchedType;
  /** The whole payload's size in bytes (UTF-8 for text); absent when the event carried none. */
  size?: number;
  truncated?: true;
  note?: string;
}
export type DispatchedType = 'message' | 'open' | 'error' | 'close';

/**
 * A rule caught a frame: it is held (until the panel forwards or drops it), was dropped, or is
 * delayed. Or `queued`: the frame waits, without a rule of its own holding it, behind an earlier
 * frame of its socket and direction that a rule holds or delays (`ruleId` is then '', and the
 * payload is what will go, a modify rule's rewrite included). The payload travels with it, so
 * the panel can show and edit what never arrived.
 *
 * `queued` came after the other three, with the same protocol version: a hook that never sends
 * it still talks to this panel (which then does not see the frames behind a held one).
 */
export interface InterceptFields {
  dir: Direction;
  /**
   * `answered`: a respond rule answered the frame instead of the server (it was not sent);
   * `queued`: the frame waits behind an earlier held or delayed one.
   */
  what: 'held' | 'dropped' | 'delayed' | 'answered' | 'queued';
  ruleId: string;
  /**
   * For held and queued frames: what names them until `released` (a held one is what the panel
   * names to release it). Unique per socket, not per document: a worker's hook counts its own.
   */
  holdId?: number;
  ms?: number;
}

/**
 * A held frame was let go: forwarded (then its frame event follows) or dropped. Also a queued
 * frame's turn: `forwarded` after its frame event, or not when its socket closed meanwhile.
 */
export interface ReleasedFields { holdId: number; forwarded: boolean }

/**
 * A respond rule matched but could not answer (its template asks for what the request lacks,
 * or the socket closed before the reply was due): the frame went on as if no rule had matched.
 */
export interface RuleFailedFields { ruleId: string; error: string }

/**
 * Who made a frame. Absent means the page itself; the others are the panel's doing: a captured
 * frame sent again (edited or not), a new message from the composer, a simulated incoming message,
 * a frame a rule changed, a reply a *respond* rule gave the page, a recorded frame replayed.
 */
export type FrameOrigin = 'resent' | 'composed' | 'injected' | 'modified' | 'mocked' | 'replayed';
export const FRAME_ORIGINS: readonly FrameOrigin[] = ['resent', 'composed', 'injected', 'modified', 'mocked', 'replayed'];

/** A hook event with its Blob payload read, numbered by the relay in capture order. */
export type CapturedEvent = (
  | Exclude<HookEvent, { k: 'frame' | 'intercept' | 'dispatched' | 'sendStack' }>
  /** `initiator`: a sent frame's `send()` stack (see SendStackFields). */
  | (Extract<HookEvent, { k: 'frame' | 'intercept' }> & { data: string | ArrayBuffer; initiator?: Initiator })
  | (Extract<HookEvent, { k: 'dispatched' }> & { data?: string | ArrayBuffer })
) & { seq: number };

/** A payload too large for one runtime message travels as parts i = 0..n-1 of the same seq. */
export interface FramePart { i: number; n: number }

export type WireLifecycle =
  | (Base & { seq: number; k: 'create' } & CreateFields)
  | (Base & { seq: number; k: 'open' } & OpenFields)
  | (Base & { seq: number; k: 'closing' } & ClosingFields)
  | (Base & { seq: number; k: 'close' } & CloseFields)
  | (Base & { seq: number; k: 'error' })
  | (Base & { seq: number; k: 'notice' } & NoticeFields)
  | (Base & { seq: number; k: 'intercept'; type: FrameType; size: number; data: string | WireBinary; initiator?: Initiator } & InterceptFields)
  | (Base & { seq: number; k: 'released' } & ReleasedFields)
  | (Base & { seq: number; k: 'ruleFailed' } & RuleFailedFields)
  /** `type` and `data` (text, or WireBinary) only when the event carried text or binary data. */
  | (Base & { seq: number; k: 'dispatched'; type?: FrameType; data?: string | WireBinary } & DispatchedFields);

export interface WireFrame extends Base {
  seq: number;
  k: 'frame';
  dir: Direction;
  type: FrameType;
  /** Exact payload size in bytes (UTF-8 bytes for text). */
  size: number;
  /** The text itself, or the bytes (WireBinary: a buffer, or base64 on a JSON-only channel). */
  data: string | WireBinary;
  part?: FramePart;
  origin?: FrameOrigin;
  /** A sent frame's `send()` stack, while the panel records send stacks. */
  initiator?: Initiator;
}

export type WireEvent = WireLifecycle | WireFrame;

/** Counts of what a cap dropped, so the panel can say so. */
export interface DropCounts {
  frames: number;
  bytes: number;
}

/** Drops in the relay's history buffer. */
export interface EvictionCounts extends DropCounts {
  /**
   * The highest seq of an evicted frame (lifecycle evictions do not move it). A panel counts the
   * frames it holds at or below it to tell which evicted frames it never saw.
   */
  throughSeq: number;
  lifecycle: number;
}

export interface DocInfo {
  /** Random per document: a reload or navigation gives a new one. */
  docId: string;
  url: string;
  title: string;
  top: boolean;
}
