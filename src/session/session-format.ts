/**
 * The session file, version 1: what "Export session" writes and what import reads.
 * Documented in docs/session-format.md and as JSON Schema in sockscope-session.schema.json.
 *
 * These types are the file as Sockscope writes it and as the reader returns it, every default
 * filled in: a field typed as always there may still be absent on disk (docs/session-format.md lists which), and
 * only the notes (`worker`, `initiator`, `origin`, `notices`, `redacted`, `filtered`) are ever absent here.
 */
import type { Initiator } from '../protocol/stack-frames';
import type { CloseInitiator, Direction, DispatchedType, FrameOrigin, FrameType, ReadyStateName, WorkerLabel } from '../protocol/capture-events';

export const SESSION_FORMAT = 'sockscope-session';
export const SESSION_VERSION = 1;

export interface SessionConnection {
  id: string;
  url: string;
  frameUrl: string;
  requestedProtocols: string[];
  protocol: string;
  extensions: string;
  states: { state: ReadyStateName; at: number }[];
  close: { code: number; reason: string; wasClean: boolean; initiator: CloseInitiator } | null;
  /** When the socket fired error events (epoch ms). */
  errors: number[];
  /** The worker that opened the socket; absent for the document's own sockets. */
  worker?: WorkerLabel;
  /** The HTTP handshake as the browser's DevTools network log had it; absent when it had none. */
  handshake?: SessionHandshake;
  /** The JavaScript stack that opened the socket (innermost first), or why none was recorded; absent when neither was. */
  initiator?: Initiator;
}

export interface SessionHeader { name: string; value: string }

/**
 * A socket's opening handshake, read from DevTools' network log (a HAR entry): the status, both
 * sides' headers, when it started and how long it took. Times in ms; -1 where the browser gave none.
 */
export interface SessionHandshake {
  status: number;
  statusText: string;
  httpVersion: string;
  requestHeaders: SessionHeader[];
  responseHeaders: SessionHeader[];
  /** Epoch ms when the browser sent the request. */
  startedAt: number;
  /** Total ms, as HAR's `time`. */
  time: number;
  timings: HandshakeTimings;
}

export interface HandshakeTimings { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number }

/** A worker whose sockets were not captured, and why. */
export interface SessionNotice {
  at: number;
  frameUrl: string;
  worker: WorkerLabel;
  reason: string;
}

export interface SessionFrame {
  connectionId: string;
  direction: Direction;
  type: FrameType;
  at: number;
  size: number;
  text?: string;
  base64?: string;
  /** Absent for the page's own frames; otherwise what the panel or a rule made: see FrameOrigin. */
  origin?: FrameOrigin;
  /** A sent frame's `send()` stack, recorded while *Record send stacks* was on; absent otherwise. */
  initiator?: Initiator;
}

/**
 * An event the page dispatched on a socket itself (`ws.dispatchEvent(…)`): its handlers ran, but
 * nothing crossed the wire, so it is never in `frames`. A message's data is `text` or `base64`
 * (with `type`), up to 64 KiB: `size` is the whole, `truncated` says it was cut. `note` describes
 * data that is neither text nor binary, or a close event's code and reason.
 */
export interface SessionDispatched {
  connectionId: string;
  at: number;
  event: DispatchedType;
  type?: FrameType;
  size?: number;
  text?: string;
  base64?: string;
  truncated?: true;
  note?: string;
}

export interface SessionFileV1 {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  exportedAt: string;
  page: { url: string; title: string };
  connections: SessionConnection[];
  frames: SessionFrame[];
  dropped: { frames: number; bytes: number };
  /** Workers the capture could not reach; absent when there were none. */
  notices?: SessionNotice[];
  /** Events the page dispatched on its sockets itself, in capture order; absent when there were none. */
  dispatched?: SessionDispatched[];
  /** Present when secrets were masked on export: the keys masked and how many values were. */
  redacted?: SessionRedaction;
  /** Present when only what a filter showed was exported: the filter and the frames there were. */
  filtered?: SessionFilterNote;
}

export interface SessionRedaction { keys: string[]; count: number }
export interface SessionFilterNote { query: string; ofFrames: number }
