/**
 * Reads a session file and says precisely what is wrong with one that does not fit: the field,
 * the index, and what was expected. Never throws.
 *
 * Within version 1 only what makes a file meaningless when absent is required (see
 * docs/session-format.md). Everything else may be left out, as files written to the first field list,
 * by hand or by other tools do: the reader fills in the default, so nothing downstream ever sees
 * a missing field. The tables below are the reader's half of the format; the other half is
 * sockscope-session.schema.json, and test/unit/session-schema-agreement.test.ts holds the two to
 * the same answer on every file of a corpus. A new optional field is one line here and one
 * property there.
 */
import { SESSION_FORMAT, SESSION_VERSION, type SessionConnection, type SessionDispatched, type SessionFileV1, type SessionFrame } from './session-format';
import { isRecord, isWorkerLabel } from '../protocol/guards';
import { FRAME_ORIGINS, type WorkerLabel } from '../protocol/capture-events';
import { base64ByteLength, utf8ByteLength } from '../protocol/bytes';
import {
  boolean, count, fail, fieldsOf, formatVersionError, Invalid, list, note, nullable, number, oneOf, optional, record, required, string, values,
  type Read,
} from './read-fields';

export type ParseResult = { ok: true; session: SessionFileV1 } | { ok: false; error: string };

/**
 * What a file must also satisfy that JSON Schema cannot say. The schema's description and the
 * README state them in these words; the agreement test leaves out exactly the files that break them.
 */
export const READER_ONLY_RULES = {
  uniqueConnectionIds: 'No two connections have the same id.',
  framesNameAConnection: "Every frame's connectionId is the id of a connection in the file.",
  dispatchedNameAConnection: "Every page-dispatched event's connectionId is the id of a connection in the file.",
} as const;

// Checked one character class at a time: a grouped pattern backtracks per group on a 100 MB payload.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (v: unknown): v is string => typeof v === 'string' && v.length % 4 === 0 && BASE64_CHARS.test(v);

/** Named as one field: the label is small, and its shape says more than its first wrong key. */
const workerLabel: Read<WorkerLabel> = (v) => {
  if (!isWorkerLabel(v)) fail('{kind: dedicated|shared, type: classic|module, url: string, name?: string}');
  const { kind, type, url, name } = v as WorkerLabel;
  return { kind, type, url, ...(name !== undefined && { name }) };
};

const header = record({ name: required(string), value: required(string) });
const timing = optional(number, -1);

/** The handshake from DevTools' network log: status and start are what it means nothing without. */
/** Who opened a socket (a connection's) or sent a frame (a frame's): a stack, or why there is none. */
export const initiator = record({
  stack: required(list(record({ fn: required(string), url: required(string), line: required(count), col: required(count) }))),
  note: note(string),
});

const handshake = record({
  status: required(count),
  statusText: optional(string, ''),
  httpVersion: optional(string, ''),
  requestHeaders: optional(list(header), []),
  responseHeaders: optional(list(header), []),
  startedAt: required(number),
  time: optional(number, -1),
  timings: optional(record({ blocked: timing, dns: timing, connect: timing, ssl: timing, send: timing, wait: timing, receive: timing }), {}),
});

/** A connection's fields. Our HAR export carries them, but `url`, in each entry's `_sockscope`. */
export const CONNECTION_FIELDS = {
  id: required(string),
  url: required(string),
  frameUrl: optional(string, ''),
  requestedProtocols: optional(values(string, 'an array of strings'), []),
  protocol: optional(string, ''),
  extensions: optional(string, ''),
  states: optional(list(record({ state: required(oneOf(['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const)), at: required(number) })), []),
  close: optional(nullable(record({
    code: required(count),
    reason: optional(string, ''),
    wasClean: required(boolean),
    initiator: optional(oneOf(['page', 'server', 'unknown'] as const), 'unknown'),
  }, 'an object or null')), null),
  errors: optional(values(number, 'an array of epoch milliseconds'), []),
  worker: note(workerLabel),
  handshake: note(handshake),
  initiator: note(initiator),
};
const connection: Read<SessionConnection> = record(CONNECTION_FIELDS);

const frameFields = fieldsOf({
  connectionId: required(string),
  direction: required(oneOf(['sent', 'received'] as const)),
  type: required(oneOf(['text', 'binary'] as const)),
  at: required(number),
  size: note(count),
  origin: note(oneOf(FRAME_ORIGINS)),
  initiator: note(initiator),
});

/** The payload's field depends on the type; an absent size is the payload's own byte length. */
const frame: Read<SessionFrame> = (v) => {
  if (!isRecord(v)) fail('an object');
  const f: Omit<SessionFrame, 'size'> & { size?: number } = frameFields(v);
  if (f.type === 'text') f.text = typeof v.text === 'string' ? v.text : fail('a string', ['text']);
  else f.base64 = isBase64(v.base64) ? v.base64 : fail('base64 text', ['base64']);
  f.size ??= f.text !== undefined ? utf8ByteLength(f.text) : base64ByteLength(f.base64!);
  return f as SessionFrame;
};

const dispatchedFields = fieldsOf({
  connectionId: required(string),
  at: required(number),
  event: required(oneOf(['message', 'open', 'error', 'close'] as const)),
  note: note(string),
});
const dataType = oneOf(['text', 'binary'] as const);

/**
 * An event the page dispatched on its socket itself (never a frame). Data comes only with its
 * type: `text` or `base64` by the type, and `size` (the whole payload's, even when `truncated`).
 */
const dispatchedEvent: Read<SessionDispatched> = (v) => {
  if (!isRecord(v)) fail('an object');
  const d: SessionDispatched = dispatchedFields(v);
  if (v.type === undefined) {
    // Data without its type: the type is what is missing.
    if (['size', 'text', 'base64', 'truncated'].some((k) => v[k] !== undefined)) fail('text|binary with the data it types', ['type']);
    return d;
  }
  const type = readField('type', dataType, v.type, ', or absent');
  const size = readField('size', count, v.size);
  const out: SessionDispatched = { connectionId: d.connectionId, at: d.at, event: d.event, type, size };
  if (type === 'text') out.text = typeof v.text === 'string' ? v.text : fail('a string', ['text']);
  else out.base64 = isBase64(v.base64) ? v.base64 : fail('base64 text', ['base64']);
  if (v.truncated !== undefined) out.truncated = v.truncated === true ? true : fail('true, or absent', ['truncated']);
  if (d.note !== undefined) out.note = d.note;
  return out;
};

/** One field outside a table, its error named by `key` (with `orAbsent` when it may be left out). */
function readField<T>(key: string, reader: Read<T>, v: unknown, orAbsent = ''): T {
  try {
    return reader(v);
  } catch (e) {
    if (e instanceof Invalid) fail(`${e.what}${orAbsent}`, [key]);
    throw e;
  }
}

/** The page, what was dropped, and the notes. Our HAR export carries them in `log._sockscope`. */
export const PAGE_AND_NOTES = {
  page: optional(record({ url: optional(string, ''), title: optional(string, '') }), {}),
  dropped: optional(record({ frames: optional(count, 0), bytes: optional(count, 0) }), {}),
  notices: note(list(record({ at: required(number), frameUrl: required(string), worker: required(workerLabel), reason: required(string) }))),
  redacted: note(record({ keys: required(values(string, 'an array of strings')), count: required(count) })),
  filtered: note(record({ query: required(string), ofFrames: required(count) })),
  dispatched: note(list(dispatchedEvent)),
};

const sessionFields = fieldsOf({
  exportedAt: optional(string, ''),
  connections: required(list(connection)),
  frames: required(list(frame)),
  ...PAGE_AND_NOTES,
});

export function parseSession(text: string): ParseResult {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, error: `Not JSON: ${(e as Error).message}` }; }
  return validateSession(json);
}

/**
 * Checks an already parsed value (the import worker parses once, then tells HAR from ours), and
 * returns the session with every default filled in.
 */
export function validateSession(json: unknown): ParseResult {
  if (!isRecord(json)) return { ok: false, error: 'file: expected a JSON object' };
  const head = formatVersionError(json, SESSION_FORMAT, SESSION_VERSION);
  if (head !== null) return { ok: false, error: head };
  try {
    const session: SessionFileV1 = { format: SESSION_FORMAT, version: SESSION_VERSION, ...sessionFields(json) };
    checkReaderOnlyRules(session);
    return { ok: true, session };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.describe() };
    throw e;
  }
}

function checkReaderOnlyRules(s: SessionFileV1): void {
  const ids = new Set<string>();
  s.connections.forEach((c, i) => {
    if (ids.has(c.id)) fail(`an id no earlier connection has ("${c.id}" is taken)`, ['connections', i, 'id']);
    ids.add(c.id);
  });
  s.frames.forEach((f, i) => {
    if (!ids.has(f.connectionId)) fail('the id of a connection in this file', ['frames', i, 'connectionId']);
  });
  checkDispatchedConnections(s.dispatched, ids);
}

/** READER_ONLY_RULES.dispatchedNameAConnection; the HAR reader checks its `_sockscope.dispatched` with it too. */
export function checkDispatchedConnections(dispatched: readonly SessionDispatched[] | undefined, ids: ReadonlySet<string>): void {
  dispatched?.forEach((d, i) => {
    if (!ids.has(d.connectionId)) fail('the id of a connection in this file', ['dispatched', i, 'connectionId']);
  });
}
