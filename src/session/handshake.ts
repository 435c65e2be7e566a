/**
 * Socket handshakes from DevTools' network log (HAR entries), matched to the sockets Sockscope
 * captured, and their secrets masked for export. Pure: the panel's network-log reader feeds it.
 *
 * The matching rule (docs/handshake.md): per URL, sockets (by when the page created them) and
 * handshakes (by when the browser sent them) are put on one time line and cut into clusters
 * wherever HANDSHAKE_CLUSTER_GAP_MS passes with nothing. In a cluster with as many handshakes as
 * sockets, the k-th socket gets the k-th handshake, provided each pair agrees on the requested and
 * negotiated subprotocols and the Origin; the browser starts the handshakes of one page in the
 * order its sockets were created. Any other cluster is ambiguous and gets none. A socket alone in
 * its cluster, created before DevTools was opened, is said to be from before DevTools; never a guess.
 */
import type { HandshakeTimings, SessionHandshake, SessionHeader } from './session-format';

/** Sockets and handshakes of one URL further apart than this are never matched. */
export const HANDSHAKE_CLUSTER_GAP_MS = 1000;

/** A handshake from the network log, with the URL it was for (ws: or wss:). */
export interface LoggedHandshake { url: string; handshake: SessionHandshake }

/** What the matcher knows of a socket. */
export interface SocketForMatch {
  id: string;
  url: string;
  /** Epoch ms when the page created it. */
  createdAt: number;
  requestedProtocols: readonly string[];
  /** Negotiated; '' when none or not open yet. */
  protocol: string;
  /** Origin of the document or worker that opened it; '' when unknown. */
  origin: string;
}

export type HandshakeLookup =
  | { kind: 'found'; handshake: SessionHandshake }
  /** Created before DevTools was opened, and the log has nothing for it. */
  | { kind: 'before-devtools'; devtoolsOpenedAt: number }
  /** Several sockets of this URL so close together that the log cannot be told apart. */
  | { kind: 'ambiguous'; sockets: number; handshakes: number }
  /** Created with DevTools open, yet not in its log (cleared, navigated, or not there yet). */
  | { kind: 'not-in-log' }
  /** No network log to read: `reason` says why. */
  | { kind: 'unavailable'; reason: string }
  /** An opened file that carries no handshake for this socket. */
  | { kind: 'not-in-file' };

type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown, fallback: number) => (typeof x === 'number' && Number.isFinite(x) ? x : fallback);

function headersOf(o: unknown): SessionHeader[] {
  if (!isRec(o) || !Array.isArray(o.headers)) return [];
  return o.headers.flatMap((h) => (isRec(h) && typeof h.name === 'string' && typeof h.value === 'string' ? [{ name: h.name, value: h.value }] : []));
}

export const headerValue = (hs: readonly SessionHeader[], name: string): string | undefined =>
  hs.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/**
 * The handshake of a HAR entry that is a WebSocket's (Chrome marks it `_resourceType: websocket`;
 * otherwise a ws(s): URL, or an http(s) request asking to upgrade to websocket), else null.
 */
export function handshakeFromHarEntry(entry: unknown): LoggedHandshake | null {
  if (!isRec(entry) || !isRec(entry.request)) return null;
  const req = entry.request;
  if (typeof req.url !== 'string') return null;
  const requestHeaders = headersOf(req);
  const upgrade = headerValue(requestHeaders, 'Upgrade')?.toLowerCase() === 'websocket';
  if (entry._resourceType !== 'websocket' && !/^wss?:/i.test(req.url) && !upgrade) return null;
  const startedAt = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
  if (!Number.isFinite(startedAt)) return null;
  const res = isRec(entry.response) ? entry.response : {};
  // Status 0: the log holds the request but not yet its answer (Firefox lists it so while it is
  // under way). Not a handshake yet: a later read gets the finished entry.
  if (!(Number.isSafeInteger(res.status) && (res.status as number) > 0)) return null;
  const t = isRec(entry.timings) ? entry.timings : {};
  const timings: HandshakeTimings = {
    blocked: num(t.blocked, -1), dns: num(t.dns, -1), connect: num(t.connect, -1), ssl: num(t.ssl, -1),
    send: num(t.send, -1), wait: num(t.wait, -1), receive: num(t.receive, -1),
  };
  return {
    url: req.url.replace(/^http(s?):/i, 'ws$1:'),
    handshake: {
      status: Number.isSafeInteger(res.status) && (res.status as number) >= 0 ? res.status as number : 0,
      statusText: typeof res.statusText === 'string' ? res.statusText : '',
      httpVersion: typeof res.httpVersion === 'string' ? res.httpVersion : typeof req.httpVersion === 'string' ? req.httpVersion : '',
      requestHeaders,
      responseHeaders: headersOf(res),
      startedAt,
      time: num(entry.time, -1),
      timings,
    },
  };
}

const splitList = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** Whether a logged handshake can be this socket's: the same protocols asked for and agreed, the same Origin. */
export function agrees(s: SocketForMatch, h: SessionHandshake): boolean {
  const asked = splitList(headerValue(h.requestHeaders, 'Sec-WebSocket-Protocol'));
  if (asked.join(',') !== s.requestedProtocols.join(',')) return false;
  const agreed = headerValue(h.responseHeaders, 'Sec-WebSocket-Protocol') ?? '';
  if (s.protocol !== '' && h.responseHeaders.length > 0 && agreed !== s.protocol) return false;
  const origin = headerValue(h.requestHeaders, 'Origin');
  return s.origin === '' || origin === undefined || origin === s.origin;
}

type Item = { at: number; socket: SocketForMatch; log?: never } | { at: number; log: LoggedHandshake; socket?: never };

/**
 * The lookup for every socket. `devtoolsOpenedAt` is when DevTools was opened on the tab (null
 * when unknown: then no socket is said to be from before it).
 */
export function matchHandshakes(
  sockets: readonly SocketForMatch[], log: readonly LoggedHandshake[], devtoolsOpenedAt: number | null, gapMs = HANDSHAKE_CLUSTER_GAP_MS,
): Map<string, HandshakeLookup> {
  const byUrl = new Map<string, Item[]>();
  const add = (url: string, it: Item) => { const l = byUrl.get(url); if (l) l.push(it); else byUrl.set(url, [it]); };
  for (const s of sockets) add(s.url, { at: s.createdAt, socket: s });
  for (const l of log) add(l.url, { at: l.handshake.startedAt, log: l });
  const out = new Map<string, HandshakeLookup>();
  for (const items of byUrl.values()) {
    // Stable: a socket and its handshake stamped in the same millisecond keep socket-first order.
    items.sort((a, b) => a.at - b.at);
    let start = 0;
    for (let i = 1; i <= items.length; i++) {
      if (i < items.length && items[i]!.at - items[i - 1]!.at <= gapMs) continue;
      settleCluster(items.slice(start, i), devtoolsOpenedAt, out);
      start = i;
    }
  }
  return out;
}

function settleCluster(cluster: Item[], devtoolsOpenedAt: number | null, out: Map<string, HandshakeLookup>): void {
  const socks = cluster.flatMap((x) => (x.socket ? [x.socket] : []));
  const logs = cluster.flatMap((x) => (x.log ? [x.log.handshake] : []));
  if (socks.length === 0) return;
  if (logs.length === 0) {
    for (const s of socks) out.set(s.id, devtoolsOpenedAt !== null && s.createdAt < devtoolsOpenedAt ? { kind: 'before-devtools', devtoolsOpenedAt } : { kind: 'not-in-log' });
    return;
  }
  if (logs.length === socks.length && socks.every((s, k) => agrees(s, logs[k]!))) {
    socks.forEach((s, k) => out.set(s.id, { kind: 'found', handshake: logs[k]! }));
    return;
  }
  for (const s of socks) out.set(s.id, { kind: 'ambiguous', sockets: socks.length, handshakes: logs.length });
}

const MASKED_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/**
 * The handshake with secret header values masked; names kept. Cookie: each cookie's value.
 * Set-Cookie: the cookie's value (its attributes stay). Authorization and Proxy-Authorization: the
 * credentials (the scheme stays). A header named like one of `keys`: its whole value. Each masked
 * value becomes `mark`; `onMasked` counts them (a value already `mark` is not counted again).
 */
export function redactHandshake(h: SessionHandshake, keys: ReadonlySet<string>, mark: string, onMasked: () => void): SessionHandshake {
  const mask = (hs: SessionHeader[]) => hs.map((x) => ({ name: x.name, value: maskHeader(x, keys, mark, onMasked) }));
  return { ...h, requestHeaders: mask(h.requestHeaders), responseHeaders: mask(h.responseHeaders), timings: { ...h.timings } };
}

function maskHeader({ name, value }: SessionHeader, keys: ReadonlySet<string>, mark: string, onMasked: () => void): string {
  const n = name.toLowerCase();
  if (!MASKED_HEADERS.has(n)) {
    if (!keys.has(n) || value === mark) return value;
    onMasked();
    return mark;
  }
  const cookieValue = (pair: string) => {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(eq + 1).trim() === mark) return pair;
    onMasked();
    return `${pair.slice(0, eq + 1)}${mark}`;
  };
  if (n === 'cookie') return value.split(';').map(cookieValue).join(';');
  if (n === 'set-cookie') {
    // Several Set-Cookie headers may arrive folded into one value, one per line.
    return value.split('\n').map((line) => { const [first = '', ...attrs] = line.split(';'); return [cookieValue(first), ...attrs].join(';'); }).join('\n');
  }
  const sp = value.indexOf(' ');
  if (value.slice(sp + 1) === mark || value === mark) return value;
  onMasked();
  return sp > 0 ? `${value.slice(0, sp + 1)}${mark}` : mark;
}
