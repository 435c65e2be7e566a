/**
 * Socket.IO v2–v4 over Engine.IO v3/v4, as seen on the WebSocket transport.
 *
 * A text frame is one Engine.IO packet: a digit for its type (0 open, 1 close, 2 ping, 3 pong,
 * 4 message, 5 upgrade, 6 noop) and its data; or, from some servers, a payload of several packets
 * (engine-io-payload.ts), each decoded as if it came in a frame of its own. A message packet carries one Socket.IO packet:
 * `<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`, e.g. `42/chat,7["say","hi"]`.
 * Binary data travels as a placeholder packet (`451-["upload",{"_placeholder":true,"num":0}]`)
 * followed by one binary frame per attachment, so the session keeps, per direction, the packet
 * still waiting for its attachments. Engine.IO v3 prefixes those binary frames with the packet
 * type byte 0x04, v4 sends them raw; the session infers the version from the traffic (who pings,
 * what the server's CONNECT carries), because the URL's `EIO=` query is not part of the frames.
 *
 * Mirrors socket.io-parser's rules (payload shapes, reserved event names, placeholder indexes) but
 * reports what is wrong instead of throwing.
 */
import { BODY_MAX_DEPTH } from '../budget';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { splitPayload } from './engine-io-payload';
import { combine, malformed } from './json-frame';

type Dir = DecodeInput['dir'];

const SIO_TYPES = ['connect', 'disconnect', 'event', 'ack', 'connect_error', 'binary_event', 'binary_ack'] as const;
const CONNECT = 0, DISCONNECT = 1, EVENT = 2, ACK = 3, CONNECT_ERROR = 4, BINARY_EVENT = 5, BINARY_ACK = 6;
/** Names socket.io-parser refuses as event names (they are the library's own events). */
const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

interface SioPacket {
  type: number;
  nsp: string;
  /** Socket.IO v2 put the connection query in the namespace: `0/chat?token=x,`. */
  query?: string;
  id?: number;
  attachments?: number;
  data?: unknown;
  error?: string;
}

/** One Socket.IO packet waiting for its binary attachments. */
interface Pending {
  packet: SioPacket;
  sizes: number[];
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max - 1) + '…');

function parseJson(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Parses `s` (the message packet's data) like socket.io-parser's decodeString, never throwing. */
export function parseSocketIoPacket(s: string): SioPacket {
  const type = s.charCodeAt(0) - 48;
  if (!(type >= 0 && type <= 6)) return { type: -1, nsp: '/', error: `not a Socket.IO packet (type "${cut(s.slice(0, 1), 8)}")` };
  const p: SioPacket = { type, nsp: '/' };
  let i = 1;
  if (type === BINARY_EVENT || type === BINARY_ACK) {
    let j = i;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    // More than 9 digits cannot be a real attachment count; it also keeps Number() exact.
    if (j === i || j - i > 9 || s[j] !== '-') return { ...p, error: 'missing attachment count (`5<n>-`)' };
    p.attachments = Number(s.slice(i, j));
    i = j + 1;
  }
  if (s[i] === '/') {
    const comma = s.indexOf(',', i);
    const end = comma < 0 ? s.length : comma;
    const nsp = s.slice(i, end);
    const q = nsp.indexOf('?');
    if (q >= 0) { p.nsp = nsp.slice(0, q); p.query = nsp.slice(q + 1); } else p.nsp = nsp;
    i = comma < 0 ? s.length : comma + 1;
  }
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j > i) {
    p.id = Number(s.slice(i, j));
    if (!Number.isSafeInteger(p.id)) p.error = 'ack id is too large';
    i = j;
  }
  if (i < s.length) {
    const r = parseJson(s.slice(i));
    if (!r.ok) return { ...p, error: 'invalid JSON payload' };
    p.data = r.value;
  }
  const shape = payloadError(p);
  if (shape) p.error = shape;
  if (p.attachments === 0) p.error = 'binary packet announces 0 attachments';
  return p;
}

/** What socket.io-parser's isPayloadValid would reject, in words. */
function payloadError(p: SioPacket): string | undefined {
  const d = p.data;
  switch (p.type) {
    case CONNECT: return d === undefined || isObject(d) ? undefined : 'CONNECT payload must be an object';
    case DISCONNECT: return d === undefined ? undefined : 'DISCONNECT has no payload';
    case CONNECT_ERROR: return typeof d === 'string' || isObject(d) ? undefined : 'CONNECT_ERROR payload must be a string or an object';
    case EVENT:
    case BINARY_EVENT:
      if (!Array.isArray(d) || d.length === 0) return 'EVENT payload must be a non-empty array';
      if (typeof d[0] === 'number') return undefined;
      if (typeof d[0] !== 'string') return 'event name must be a string or a number';
      return RESERVED_EVENTS.has(d[0]) ? `"${d[0]}" is a reserved event name` : undefined;
    case ACK:
    case BINARY_ACK:
      if (!Array.isArray(d)) return 'ACK payload must be an array';
      return p.id === undefined ? 'ACK without an id' : undefined;
  }
  return undefined;
}

/** Replaces `{_placeholder: true, num}` with the attachment's size; copies, so earlier bodies stay as they were. */
function fillPlaceholders(v: unknown, sizes: number[], bad: { count: number }, depth = 0): unknown {
  // Deeper than the body budget shows anyway: leave as is (and keep recursion bounded).
  if (depth > BODY_MAX_DEPTH || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => fillPlaceholders(x, sizes, bad, depth + 1));
  const o = v as Record<string, unknown>;
  if (o._placeholder === true) {
    const n = o.num;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < sizes.length) return { binary: `${sizes[n]} bytes` };
    bad.count++;
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const x = fillPlaceholders(o[k], sizes, bad, depth + 1);
    // A `__proto__` key from JSON.parse is data; plain assignment would set the prototype instead.
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

const nsSuffix = (nsp: string) => (nsp === '/' ? '' : ` on ${nsp}`);

function eventName(p: SioPacket): string | undefined {
  const d = p.data;
  if (!Array.isArray(d)) return undefined;
  return typeof d[0] === 'string' || typeof d[0] === 'number' ? String(d[0]) : undefined;
}

/** Summary, fields and body of a whole Socket.IO packet (`body` given when placeholders were filled). */
function describe(p: SioPacket, body?: unknown): DecodedMessage {
  const fields: Record<string, FieldValue> = { type: SIO_TYPES[p.type] ?? 'unknown', namespace: p.nsp };
  if (p.id !== undefined) fields.id = p.id;
  if (p.query !== undefined) fields.query = p.query;
  if (p.attachments !== undefined) fields.attachments = p.attachments;
  const idPart = p.id !== undefined ? ` #${p.id}` : '';
  const m: DecodedMessage = { protocol: 'socket.io', summary: '', fields, heartbeat: false };
  switch (p.type) {
    case CONNECT: {
      m.summary = `connect ${p.nsp}`;
      if (isObject(p.data) && typeof p.data.sid === 'string') fields.sid = p.data.sid;
      if (p.data !== undefined) m.body = p.data;
      break;
    }
    case DISCONNECT:
      m.summary = `disconnect ${p.nsp}`;
      break;
    case CONNECT_ERROR: {
      // v2 named it ERROR and sent a bare string; v3+ send {message, data}.
      const v2 = typeof p.data === 'string';
      const message = v2 ? (p.data as string) : isObject(p.data) && typeof p.data.message === 'string' ? p.data.message : '';
      fields.type = v2 ? 'error' : 'connect_error';
      m.summary = `${fields.type} ${p.nsp}${message ? `: ${cut(message, 120)}` : ''}`;
      if (message) fields.message = message;
      if (p.data !== undefined) m.body = p.data;
      break;
    }
    case EVENT:
    case BINARY_EVENT: {
      const name = eventName(p);
      if (name !== undefined) fields.event = name;
      m.summary = `emit ${name ?? '?'}${idPart}${nsSuffix(p.nsp)}`;
      const args = body ?? p.data;
      if (Array.isArray(args)) m.body = args.slice(1);
      break;
    }
    case ACK:
    case BINARY_ACK:
      m.summary = `ack${idPart}${nsSuffix(p.nsp)}`;
      if (Array.isArray(body ?? p.data)) m.body = body ?? p.data;
      break;
    default:
      m.summary = 'message';
  }
  if (p.error) m.error = p.error;
  return m;
}

/** Base64's decoded length, without decoding it. */
const base64Size = (b64: string) => {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((b64.length * 3) / 4) - pad);
};

class SocketIoSession implements DecoderSession {
  /** Engine.IO protocol version, once the traffic tells (3: binary frames carry a 0x04 prefix). */
  private eio: 3 | 4 | undefined;
  /** A packet waiting for attachments, per direction: the two sides send independently. */
  private pending: Record<Dir, Pending | undefined> = { sent: undefined, received: undefined };

  decode(frame: DecodeInput): DecodedMessage | null {
    if (frame.type === 'binary') return this.binary(frame);
    const text = frame.text;
    if (!text) return null;
    const packets = splitPayload(text);
    if (packets) {
      const dir = frame.dir;
      return combine('socket.io', packets.map((p) => this.engineIo(dir, p) ?? malformed('socket.io', `(${cut(p, 40)})`, 'not an Engine.IO packet')));
    }
    return this.engineIo(frame.dir, text);
  }

  private engineIo(dir: Dir, text: string): DecodedMessage | null {
    const data = text.slice(1);
    const hb = (summary: string, type: string, probe = false): DecodedMessage => {
      const fields: Record<string, FieldValue> = { type };
      if (probe) fields.probe = true;
      return { protocol: 'socket.io', summary, fields, heartbeat: true };
    };
    switch (text[0]) {
      case '0': return this.open(data);
      case '1': return { protocol: 'socket.io', summary: 'close', fields: { type: 'close' }, heartbeat: false };
      case '2':
      case '3': {
        const ping = text[0] === '2';
        // Only the client pings in EIO3, only the server in EIO4 (upgrade probes go both ways in both).
        if (data === '') this.learn((ping ? dir === 'sent' : dir === 'received') ? 3 : 4);
        const name = ping ? 'ping' : 'pong';
        return hb(data ? `${name} ${cut(data, 40)}` : name, name, data === 'probe');
      }
      case '4': return this.message(dir, data);
      case '5': return { protocol: 'socket.io', summary: 'upgrade', fields: { type: 'upgrade' }, heartbeat: false };
      case '6': return hb('noop', 'noop');
      // Base64 binary (the `b64=1` query, for clients without binary support): `b<base64>`, `b4<base64>` in EIO3.
      case 'b': {
        const b64 = this.eio === 3 ? text.slice(2) : data;
        return /^[A-Za-z0-9+/]*={0,2}$/.test(b64) ? this.attachment(dir, base64Size(b64)) : null;
      }
      default: return null;
    }
  }

  private open(data: string): DecodedMessage {
    const r = parseJson(data);
    const fields: Record<string, FieldValue> = { type: 'open' };
    const m: DecodedMessage = { protocol: 'socket.io', summary: 'open', fields, heartbeat: false };
    if (!r.ok || !isObject(r.value)) {
      m.error = 'open packet without a JSON handshake';
      if (data) m.body = data;
      return m;
    }
    const h = r.value;
    if (typeof h.sid === 'string') { fields.sid = h.sid; m.summary = `open sid=${h.sid}`; } else m.error = 'handshake without a sid';
    if (typeof h.pingInterval === 'number') fields.pingInterval = h.pingInterval;
    if (typeof h.pingTimeout === 'number') fields.pingTimeout = h.pingTimeout;
    m.body = h;
    return m;
  }

  private message(dir: Dir, data: string): DecodedMessage {
    const abandoned = this.pending[dir];
    this.pending[dir] = undefined;
    const p = parseSocketIoPacket(data);
    let m: DecodedMessage;
    if (p.type < 0) {
      // An Engine.IO message that is not Socket.IO's: show it, say why it is not decoded.
      m = { protocol: 'socket.io', summary: data ? `message ${cut(data, 80)}` : 'message', fields: { type: 'message' }, heartbeat: false, body: data, error: p.error ?? 'not a Socket.IO packet' };
    } else {
      this.learnFromPacket(dir, p);
      m = describe(p);
      const n = p.attachments ?? 0;
      // Wait even when the payload is broken, so its attachments are still counted as its own.
      if (n > 0) {
        this.pending[dir] = { packet: p, sizes: [] };
        m.summary += ` (waiting for ${plural(n, 'attachment')})`;
        m.partial = true;
      }
    }
    if (abandoned) {
      // socket.io-parser fails here too ("got plaintext data when reconstructing a packet").
      const lost = `the previous ${describe(abandoned.packet).summary} got ${abandoned.sizes.length} of its ${plural(abandoned.packet.attachments ?? 0, 'attachment')}`;
      m.error = m.error ? `${m.error}; ${lost}` : lost;
    }
    return m;
  }

  private binary(frame: DecodeInput): DecodedMessage {
    const bytes = frame.bytes;
    let size = bytes?.byteLength ?? frame.size ?? 0;
    let error: string | undefined;
    // EIO3 puts the packet type before binary data; only message (4) carries attachments. When
    // the version is not known yet (a connection upgraded from polling starts with `2probe`), a
    // leading 0x04 is that prefix far more often than the first byte of raw data.
    if (this.eio === 3 || (this.eio === undefined && bytes?.[0] === 4)) {
      if (bytes && bytes.byteLength > 0 && bytes[0] !== 4) error = `EIO3 binary packet of type ${bytes[0]}, expected 4 (message)`;
      size = Math.max(0, size - 1);
    }
    const m = this.attachment(frame.dir, size);
    if (error) m.error = m.error ? `${error}; ${m.error}` : error;
    return m;
  }

  /** One binary attachment of `size` bytes: counts it, and completes the waiting packet with the last one. */
  private attachment(dir: Dir, size: number): DecodedMessage {
    const pending = this.pending[dir];
    if (!pending) {
      return {
        protocol: 'socket.io', summary: `binary ${size} bytes`, fields: { type: 'attachment', bytes: size }, heartbeat: false,
        error: 'binary frame with no packet waiting for attachments',
      };
    }
    const { packet, sizes } = pending;
    sizes.push(size);
    const total = packet.attachments ?? 0;
    if (sizes.length < total) {
      const fields: Record<string, FieldValue> = { type: 'attachment', namespace: packet.nsp, attachment: sizes.length, attachments: total, bytes: size };
      const name = eventName(packet);
      if (name !== undefined) fields.event = name;
      if (packet.id !== undefined) fields.id = packet.id;
      return { protocol: 'socket.io', summary: `attachment ${sizes.length} of ${total}`, fields, heartbeat: false, partial: true };
    }
    this.pending[dir] = undefined;
    const bad = { count: 0 };
    const filled = fillPlaceholders(packet.data, sizes, bad);
    const m = describe(packet, filled);
    m.fields.bytes = sizes.reduce((a, b) => a + b, 0);
    if (bad.count) m.error = `${plural(bad.count, 'placeholder')} with no matching attachment`;
    return m;
  }

  /** The version, from whichever evidence comes first; later evidence does not flip it. */
  private learn(v: 3 | 4): void {
    this.eio ??= v;
  }

  private learnFromPacket(dir: Dir, p: SioPacket): void {
    // A v3+ server answers CONNECT with {sid}; a v2 one (EIO3) with nothing. A client's CONNECT
    // with a payload is v3+ auth.
    if (p.type === CONNECT && !p.error) {
      if (dir === 'received') this.learn(p.data === undefined ? 3 : 4);
      else if (p.data !== undefined) this.learn(4);
    }
    if (p.type === CONNECT_ERROR && !p.error) this.learn(typeof p.data === 'string' ? 3 : 4);
  }
}

/**
 * From one frame's first characters only (a large frame is judged by its head). An open packet is
 * certain; packets that only Socket.IO writes (`42["`, `451-`) are likely; a lone `2` or `3` is a
 * digit any application might send, so it stays below the detection threshold.
 */
function sniff(frame: DecodeInput): number {
  if (frame.type !== 'text' || !frame.text) return 0;
  const head = frame.text.slice(0, 256);
  if (/^0\{\s*"sid"\s*:/.test(head)) return 1;
  if (head.startsWith('0{') && head.includes('"pingInterval"')) return 0.9;
  if (head === '2probe' || head === '3probe') return 0.9;
  const m = /^4([0-6])(\d{1,9}-)?(\/[^,]{0,100},?)?(\d*)(.?)/.exec(head);
  if (!m) return head.length === 1 && '23'.includes(head) ? 0.3 : head === '6' || head === '1' ? 0.2 : 0;
  const [, t, att, nsp, id, next] = m;
  const whole = frame.text.length === m[0].length;
  switch (t) {
    case '0': return (whole && !id) || next === '{' ? 0.8 : 0;
    case '1': return whole && !id ? (nsp ? 0.6 : 0.4) : 0;
    case '2': return next === '[' ? (frame.text[m[0].length] === '"' ? 0.9 : 0.8) : 0;
    case '3': return id && next === '[' ? 0.8 : 0;
    case '4': return next === '{' || next === '"' ? 0.7 : 0;
    case '5':
    case '6': return att && next === '[' ? 0.9 : 0;
  }
  return 0;
}

export const socketIoDecoder: Decoder = {
  id: 'socket.io',
  label: 'Socket.IO',
  // Socket.IO negotiates no subprotocol: detection is by the frames' shape.
  subprotocols: [],
  sniff,
  session: () => new SocketIoSession(),
};
