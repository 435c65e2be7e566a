/**
 * HAR 1.2 export and import of WebSocket traffic, in the shape Chrome DevTools writes and reads:
 * one entry per socket with `_resourceType: 'websocket'` and its messages in `_webSocketMessages`
 * (`{ type: 'send' | 'receive', time: <epoch seconds>, opcode: 1 | 2, data }`).
 *
 * What HAR cannot say (socket ids, states, close, exact frame times and order, frame origin, page,
 * dropped counts) travels in `_sockscope` fields, so our own export reads back without loss.
 * Import never throws: a HAR that does not fit gets an error naming the path and what was expected.
 */
import { FRAME_ORIGINS, type FrameOrigin } from '../protocol/capture-events';
import type { Initiator } from '../protocol/stack-frames';
import { base64ByteLength, utf8ByteLength } from '../protocol/bytes';
import { SESSION_FORMAT, SESSION_VERSION, type SessionConnection, type SessionFileV1, type SessionFrame } from './session-format';
import { isRecord } from '../protocol/guards';
import { checkDispatchedConnections, CONNECTION_FIELDS, initiator as initiatorReader, PAGE_AND_NOTES } from './parse-session';
import { Invalid as FieldInvalid, record, type Read } from './read-fields';

export type HarResult = { ok: true; session: SessionFileV1 } | { ok: false; error: string };

interface HarHeader { name: string; value: string }

export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  /** Epoch seconds, fractional. */
  time: number;
  opcode: 1 | 2;
  /** The text for opcode 1, base64 for opcode 2. */
  data: string;
  _sockscope: { seq: number; at: number; size: number; origin?: FrameOrigin; initiator?: Initiator };
}

export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: 'GET'; url: string; httpVersion: string; cookies: []; headers: HarHeader[];
    queryString: []; headersSize: -1; bodySize: 0;
  };
  response: {
    status: 101; statusText: string; httpVersion: string; cookies: []; headers: HarHeader[];
    content: { size: 0; mimeType: string }; redirectURL: ''; headersSize: -1; bodySize: 0;
  };
  cache: Record<string, never>;
  timings: { blocked: -1; dns: -1; connect: -1; ssl: -1; send: 0; wait: number; receive: 0 };
  _resourceType: 'websocket';
  _webSocketMessages: HarWebSocketMessage[];
  /** The connection as captured, less its url (that is `request.url`). */
  _sockscope: Omit<SessionConnection, 'url'>;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: 'Sockscope'; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }[];
    entries: HarEntry[];
    _sockscope: Pick<SessionFileV1, 'page' | 'dropped' | 'redacted' | 'filtered' | 'notices' | 'dispatched'>;
  };
}

const PAGE_ID = 'page_1';

export function sessionToHar(s: SessionFileV1, creatorVersion: string): Har {
  const byConn = new Map<string, HarWebSocketMessage[]>(s.connections.map((c) => [c.id, []]));
  s.frames.forEach((f, seq) => {
    byConn.get(f.connectionId)?.push({
      type: f.direction === 'sent' ? 'send' : 'receive',
      time: f.at / 1000,
      opcode: f.type === 'text' ? 1 : 2,
      data: (f.type === 'text' ? f.text : f.base64) ?? '',
      _sockscope: { seq, at: f.at, size: f.size, ...(f.origin && { origin: f.origin }), ...(f.initiator && { initiator: structuredClone(f.initiator) }) },
    });
  });
  const fallbackStart = Date.parse(s.exportedAt);
  const entries = s.connections.map((c): HarEntry => {
    const start = c.states[0]?.at ?? fallbackStart;
    const open = c.states.find((st) => st.state === 'OPEN')?.at;
    const wait = open === undefined ? 0 : Math.max(0, open - start);
    const upgrade: HarHeader[] = [{ name: 'Upgrade', value: 'websocket' }, { name: 'Connection', value: 'Upgrade' }];
    const { url, ...rest } = c;
    return {
      pageref: PAGE_ID,
      startedDateTime: isoOf(start),
      time: wait,
      request: {
        method: 'GET', url, httpVersion: 'HTTP/1.1', cookies: [], queryString: [], headersSize: -1, bodySize: 0,
        headers: [...upgrade, ...(c.requestedProtocols.length ? [{ name: 'Sec-WebSocket-Protocol', value: c.requestedProtocols.join(', ') }] : [])],
      },
      response: {
        status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', cookies: [], redirectURL: '', headersSize: -1, bodySize: 0,
        content: { size: 0, mimeType: 'x-unknown' },
        headers: [
          ...upgrade,
          ...(c.protocol ? [{ name: 'Sec-WebSocket-Protocol', value: c.protocol }] : []),
          ...(c.extensions ? [{ name: 'Sec-WebSocket-Extensions', value: c.extensions }] : []),
        ],
      },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: 0 },
      _resourceType: 'websocket',
      _webSocketMessages: byConn.get(c.id) ?? [],
      _sockscope: structuredClone(rest),
    };
  });
  const firstStart = Math.min(...entries.map((e) => Date.parse(e.startedDateTime)), fallbackStart);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Sockscope', version: creatorVersion },
      pages: [{ startedDateTime: isoOf(firstStart), id: PAGE_ID, title: s.page.title || s.page.url, pageTimings: {} }],
      entries,
      _sockscope: {
        page: { ...s.page }, dropped: { ...s.dropped },
        ...(s.redacted && { redacted: structuredClone(s.redacted) }),
        ...(s.filtered && { filtered: { ...s.filtered } }),
        ...(s.notices && { notices: structuredClone(s.notices) }),
        // Not frames, so never in _webSocketMessages: a HAR reader must not take them as received.
        ...(s.dispatched && { dispatched: structuredClone(s.dispatched) }),
      },
    },
  };
}

function isoOf(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : new Date(0).toISOString();
}

// ---- import ----

type Rec = Record<string, unknown>;
const ORIGINS: readonly string[] = FRAME_ORIGINS;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

class Invalid extends Error {}

function need(cond: boolean, path: string, what: string): void {
  if (!cond) throw new Invalid(`${path}: expected ${what}`);
}
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const str = (o: Rec, k: string, path: string): string => {
  need(typeof o[k] === 'string', `${path}.${k}`, 'a string');
  return o[k] as string;
};

export function harToSession(text: string, exportedAt: Date): HarResult {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, error: `Not JSON: ${(e as Error).message}` }; }
  return harValueToSession(json, exportedAt);
}

/** Reads an already parsed HAR (the import worker parses once, then tells HAR from ours). */
export function harValueToSession(json: unknown, exportedAt: Date): HarResult {
  try {
    return { ok: true, session: readHar(json, exportedAt) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    return { ok: false, error: `Could not read this HAR: ${e instanceof Error ? e.message : String(e)}` };
  }
}

interface Imported { frame: SessionFrame; seq: number | undefined; entry: number; index: number }

function readHar(json: unknown, exportedAt: Date): SessionFileV1 {
  need(isRecord(json), 'file', 'a JSON object');
  const log = (json as Rec).log;
  need(isRecord(log), 'log', 'an object (this does not look like a HAR file)');
  const l = log as Rec;
  need(Array.isArray(l.entries), 'log.entries', 'an array');
  const entries = l.entries as unknown[];
  need(l.pages === undefined || Array.isArray(l.pages), 'log.pages', 'an array, or absent');
  const pages = (l.pages ?? []) as unknown[];

  const connections: SessionConnection[] = [];
  const imported: Imported[] = [];
  const ids = new Set<string>();
  let firstWs: Rec | undefined;
  entries.forEach((e, i) => {
    const p = `log.entries[${i}]`;
    need(isRecord(e), p, 'an object');
    const entry = e as Rec;
    if (entry._webSocketMessages === undefined) return;
    firstWs ??= entry;
    const conn = readConnection(entry, i, p);
    need(!ids.has(conn.id), `${p}._sockscope.id`, `a connection id not used by an earlier entry ("${conn.id}" is)`);
    ids.add(conn.id);
    connections.push(conn);
    need(Array.isArray(entry._webSocketMessages), `${p}._webSocketMessages`, 'an array');
    (entry._webSocketMessages as unknown[]).forEach((m, j) => imported.push({ ...readMessage(m, conn.id, `${p}._webSocketMessages[${j}]`), entry: i, index: j }));
  });
  if (!firstWs) throw new Invalid('This HAR has no WebSocket messages (no entry has _webSocketMessages)');

  // Our own export says each frame's place in capture order; otherwise order by time (stable, so
  // one socket's frames keep their order and sockets interleave by time).
  const allSeq = imported.every((x) => x.seq !== undefined);
  if (allSeq) {
    const seen = new Set<number>();
    for (const x of imported) {
      need(!seen.has(x.seq as number), `log.entries[${x.entry}]._webSocketMessages[${x.index}]._sockscope.seq`, `a frame number not used by another message (${x.seq as number} is)`);
      seen.add(x.seq as number);
    }
  }
  const frames = [...imported].sort(allSeq ? (a, b) => (a.seq as number) - (b.seq as number) : (a, b) => a.frame.at - b.frame.at).map((x) => x.frame);

  const { page, dropped, ...notes } = readPageAndDropped(l, pages, entries, firstWs);
  readAt((d) => checkDispatchedConnections(d as typeof notes.dispatched, ids), notes.dispatched, 'log._sockscope');
  // HAR does not say which document opened a socket: take the page's.
  entries.forEach((e, i) => { if (isRecord(e) && e._sockscope === undefined) for (const c of connections) if (c.id === `har-${i}`) c.frameUrl = page.url; });
  return { format: SESSION_FORMAT, version: SESSION_VERSION, exportedAt: exportedAt.toISOString(), page, connections, frames, dropped, ...notes };
}

function readConnection(entry: Rec, i: number, p: string): SessionConnection {
  need(isRecord(entry.request), `${p}.request`, 'an object');
  const url = str(entry.request as Rec, 'url', `${p}.request`);
  const startText = str(entry, 'startedDateTime', p);
  const start = Date.parse(startText);
  need(Number.isFinite(start), `${p}.startedDateTime`, 'an ISO 8601 date and time');
  const reqHeaders = readHeaders(entry.request as Rec, `${p}.request`);
  let resHeaders: HarHeader[] = [];
  if (entry.response !== undefined) {
    need(isRecord(entry.response), `${p}.response`, 'an object, or absent');
    resHeaders = readHeaders(entry.response as Rec, `${p}.response`);
  }
  if (entry._sockscope !== undefined) return { url, ...readAt(sockscopeConnection, entry._sockscope, `${p}._sockscope`) };
  const header = (hs: HarHeader[], name: string) => hs.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value ?? '';
  return {
    id: `har-${i}`,
    url,
    frameUrl: '',
    requestedProtocols: header(reqHeaders, 'Sec-WebSocket-Protocol').split(',').map((x) => x.trim()).filter(Boolean),
    protocol: header(resHeaders, 'Sec-WebSocket-Protocol'),
    extensions: header(resHeaders, 'Sec-WebSocket-Extensions'),
    states: [{ state: 'CONNECTING', at: start }, { state: 'OPEN', at: start }],
    close: null,
    errors: [],
  };
}

function readHeaders(o: Rec, p: string): HarHeader[] {
  if (o.headers === undefined) return [];
  need(Array.isArray(o.headers), `${p}.headers`, 'an array, or absent');
  return (o.headers as unknown[]).map((h, k) => {
    need(isRecord(h), `${p}.headers[${k}]`, 'an object');
    return { name: str(h as Rec, 'name', `${p}.headers[${k}]`), value: str(h as Rec, 'value', `${p}.headers[${k}]`) };
  });
}

// What our own export adds, read with the session file's own field tables (less the connection's
// url, which is the entry's request.url): the same fields, the same defaults.
const { url: _url, ...SOCKSCOPE_CONNECTION } = CONNECTION_FIELDS;
const sockscopeConnection = record(SOCKSCOPE_CONNECTION, 'an object, or absent');
const sockscopeLog = record(PAGE_AND_NOTES, 'an object, or absent');

/** Reads with a session field reader, naming what it finds wrong under `path`. */
function readAt<T>(read: Read<T>, x: unknown, path: string): T {
  try {
    return read(x);
  } catch (e) {
    if (e instanceof FieldInvalid) throw new Invalid(e.describe(path));
    throw e;
  }
}

function readMessage(m: unknown, connectionId: string, p: string): { frame: SessionFrame; seq: number | undefined } {
  need(isRecord(m), p, 'an object');
  const r = m as Rec;
  need(r.type === 'send' || r.type === 'receive', `${p}.type`, '"send" or "receive"');
  need(isNum(r.time) && r.time >= 0, `${p}.time`, 'epoch seconds (a number ≥ 0)');
  need(r.opcode === 1 || r.opcode === 2, `${p}.opcode`, '1 (text) or 2 (binary)');
  const data = str(r, 'data', p);
  let size: number;
  if (r.opcode === 1) size = utf8ByteLength(data);
  else {
    need(data.length % 4 === 0 && BASE64.test(data), `${p}.data`, 'base64 (opcode 2 is binary)');
    size = base64ByteLength(data);
  }
  // Microsecond precision is all HAR times carry; rounding keeps float noise out of the milliseconds.
  let at = Math.round((r.time as number) * 1e6) / 1e3;
  let seq: number | undefined;
  let origin: FrameOrigin | undefined;
  let initiator: Initiator | undefined;
  if (r._sockscope !== undefined) {
    const sp = `${p}._sockscope`;
    need(isRecord(r._sockscope), sp, 'an object, or absent');
    const x = r._sockscope as Rec;
    need(isCount(x.seq), `${sp}.seq`, 'a whole number ≥ 0');
    need(isNum(x.at), `${sp}.at`, 'a number');
    need(isCount(x.size), `${sp}.size`, 'a whole number ≥ 0');
    need(x.origin === undefined || ORIGINS.includes(x.origin as string), `${sp}.origin`, `${ORIGINS.join('|')}, or absent`);
    seq = x.seq as number;
    at = x.at as number;
    size = x.size as number;
    origin = x.origin as FrameOrigin | undefined;
    if (x.initiator !== undefined) initiator = readAt(initiatorReader, x.initiator, `${sp}.initiator`);
  }
  const frame: SessionFrame = {
    connectionId,
    direction: r.type === 'send' ? 'sent' : 'received',
    type: r.opcode === 1 ? 'text' : 'binary',
    at,
    size,
    ...(r.opcode === 1 ? { text: data } : { base64: data }),
    ...(origin && { origin }),
    ...(initiator && { initiator }),
  };
  return { frame, seq };
}

function readPageAndDropped(l: Rec, pages: unknown[], entries: unknown[], firstWs: Rec): Pick<SessionFileV1, 'page' | 'dropped' | 'redacted' | 'filtered' | 'notices' | 'dispatched'> {
  if (l._sockscope !== undefined) return readAt(sockscopeLog, l._sockscope, 'log._sockscope');
  // The page the first socket belongs to (else the first page). Chrome titles pages with their URL.
  const page = pages.find((pg) => isRecord(pg) && pg.id === firstWs.pageref) ?? pages[0];
  const title = isRecord(page) && typeof page.title === 'string' ? page.title : '';
  const firstReq = isRecord(entries[0]) ? (entries[0] as Rec).request : undefined;
  const firstUrl = isRecord(firstReq) && typeof firstReq.url === 'string' ? firstReq.url : '';
  const url = /^https?:\/\//i.test(title) ? title : firstUrl;
  return { page: { url, title }, dropped: { frames: 0, bytes: 0 } };
}
