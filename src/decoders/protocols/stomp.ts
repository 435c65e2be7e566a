/**
 * STOMP 1.0–1.2 over WebSocket. A WebSocket message holds zero or more STOMP frames (COMMAND EOL,
 * header lines, a blank line, the body, NUL) and heart-beats (a lone EOL). Work is done on bytes,
 * because content-length counts bytes and binary WebSocket frames (stompjs's binaryBody,
 * forceBinaryWSFrames) carry STOMP too. A frame cut across WebSocket messages (stompjs's
 * splitLargeFrames) is kept per direction and completed by the next message.
 */
import { MESSAGES_MAX } from '../budget';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';

const COMMANDS = new Set([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT',
  'ABORT', 'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);
/** The spec leaves these unescaped so that STOMP 1.0 servers and clients still read them. */
const RAW_HEADER_COMMANDS = new Set(['CONNECT', 'STOMP', 'CONNECTED']);
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
/** A cut frame waiting for its continuation is dropped past this size, so a lost NUL cannot grow memory forever. */
const PENDING_MAX_BYTES = 4 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

interface StompFrame {
  command: string;
  /** First occurrence wins for a repeated header (STOMP 1.2), so this keeps the first only. */
  headers: Record<string, string>;
  body: Uint8Array;
}

type Piece = StompFrame | 'heart-beat';

interface Parsed {
  pieces: Piece[];
  /** Bytes of a last frame with no NUL yet (its continuation is in a later message). */
  cut?: Uint8Array;
  errors: string[];
}

/** `\r \n \c \\` decoded; anything else after a backslash is an error the spec calls fatal, kept as is. */
function unescapeHeader(s: string, errors: string[]): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.?)/gs, (all, c: string) => {
    switch (c) {
      case 'r': return '\r';
      case 'n': return '\n';
      case 'c': return ':';
      case '\\': return '\\';
      default:
        errors.push(`invalid header escape ${JSON.stringify(all)}`);
        return all;
    }
  });
}

/** Index of the next LF from `from`, or -1. */
const nextLf = (b: Uint8Array, from: number) => b.indexOf(LF, from);

/** The line [start, lf) without a trailing CR (STOMP 1.2 allows CRLF). */
function line(b: Uint8Array, start: number, lf: number): string {
  const end = lf > start && b[lf - 1] === CR ? lf - 1 : lf;
  return utf8.decode(b.subarray(start, end));
}

/**
 * Splits one WebSocket message into frames. `unescape` is false once the connection is known to
 * speak STOMP 1.0, which has no header escaping. Returns null when the message does not start like STOMP.
 */
function parse(b: Uint8Array, unescape: boolean): Parsed | null {
  const out: Parsed = { pieces: [], errors: [] };
  let pos = 0;
  while (pos < b.length) {
    // Heart-beats, and the EOLs the spec allows after a frame's NUL.
    if (b[pos] === LF) { out.pieces.push('heart-beat'); pos++; continue; }
    if (b[pos] === CR && b[pos + 1] === LF) { out.pieces.push('heart-beat'); pos += 2; continue; }
    const start = pos;
    const lf = nextLf(b, pos);
    if (lf < 0) {
      // The start of a frame whose command line is cut short, or junk.
      const rest = utf8.decode(b.subarray(start, start + 16));
      if ([...COMMANDS].some((c) => c.startsWith(rest))) out.cut = b.subarray(start);
      else if (start === 0) return null;
      else out.errors.push('bytes after the last frame');
      break;
    }
    const command = line(b, pos, lf);
    if (!COMMANDS.has(command)) {
      if (start === 0) return null;
      out.errors.push(`not a STOMP command: ${JSON.stringify(command.slice(0, 40))}`);
      break;
    }
    pos = lf + 1;
    // A Map while reading: a header named __proto__ or toString must be an ordinary header.
    const headers = new Map<string, string>();
    const raw = !unescape || RAW_HEADER_COMMANDS.has(command);
    let complete = false;
    for (;;) {
      const hl = nextLf(b, pos);
      if (hl < 0) break;
      const text = line(b, pos, hl);
      pos = hl + 1;
      if (text === '') { complete = true; break; }
      const colon = text.indexOf(':');
      if (colon < 0) { out.errors.push(`header line without a colon: ${JSON.stringify(text.slice(0, 40))}`); continue; }
      const name = raw ? text.slice(0, colon) : unescapeHeader(text.slice(0, colon), out.errors);
      const value = raw ? text.slice(colon + 1) : unescapeHeader(text.slice(colon + 1), out.errors);
      if (!headers.has(name)) headers.set(name, value);
    }
    if (!complete) { out.cut = b.subarray(start); break; }
    const body = readBody(b, pos, headers.get('content-length'), out.errors);
    if (!body) { out.cut = b.subarray(start); break; }
    // fromEntries makes own properties, even for __proto__.
    out.pieces.push({ command, headers: Object.fromEntries(headers), body: body.bytes });
    pos = body.next;
  }
  return out;
}

/** The body from `pos`: content-length bytes when given (the body may then hold NULs), else up to the first NUL. */
function readBody(b: Uint8Array, pos: number, contentLength: string | undefined, errors: string[]): { bytes: Uint8Array; next: number } | null {
  if (contentLength !== undefined) {
    const n = /^\s*\d+\s*$/.test(contentLength) ? Number(contentLength) : NaN;
    if (!Number.isSafeInteger(n)) errors.push(`bad content-length ${JSON.stringify(contentLength.slice(0, 20))}`);
    // Past the end: the rest comes in a later message, unless this one plainly ends the frame here.
    else if (pos + n >= b.length && !endsWithNul(b)) return null;
    else if (pos + n >= b.length) errors.push(`content-length ${n} runs past the frame`);
    else if (b[pos + n] === NUL) return { bytes: b.subarray(pos, pos + n), next: pos + n + 1 };
    else errors.push(`no NUL after content-length ${n} bytes`);
  }
  const nul = b.indexOf(NUL, pos);
  return nul < 0 ? null : { bytes: b.subarray(pos, nul), next: nul + 1 };
}

/** The message ends in NUL, maybe followed by EOLs: how a whole frame ends. */
function endsWithNul(b: Uint8Array): boolean {
  let i = b.length - 1;
  while (i >= 0 && (b[i] === LF || b[i] === CR)) i--;
  return i >= 0 && b[i] === NUL;
}

/** Text when the body is UTF-8 (JSON parsed when it says or looks so); raw bytes otherwise. */
function bodyValue(f: StompFrame, errors: string[]): unknown {
  let text: string;
  try { text = strictUtf8.decode(f.body); } catch { return f.body; }
  const type = (f.headers['content-type'] ?? '').toLowerCase();
  const saysJson = type.includes('json');
  const trimmed = text.trim();
  if (!saysJson && !(trimmed.startsWith('{') || trimmed.startsWith('['))) return text;
  try {
    return JSON.parse(text);
  } catch {
    if (saysJson && trimmed !== '') errors.push('body is not valid JSON');
    return text;
  }
}

function summaryOf(f: StompFrame): string {
  const h = f.headers;
  const parts = [f.command];
  switch (f.command) {
    case 'CONNECT': case 'STOMP':
      if (h.host) parts.push(h.host);
      if (h['accept-version']) parts.push(`v${h['accept-version']}`);
      break;
    case 'CONNECTED': parts.push(`v${h.version ?? '1.0'}`); break;
    case 'SEND': case 'SUBSCRIBE': case 'MESSAGE': parts.push(h.destination ?? ''); break;
    case 'UNSUBSCRIBE': parts.push(h.id ?? h.destination ?? ''); break;
    case 'ACK': case 'NACK': parts.push(h.id ?? h['message-id'] ?? ''); break;
    case 'BEGIN': case 'COMMIT': case 'ABORT': parts.push(h.transaction ?? ''); break;
    case 'RECEIPT': parts.push(h['receipt-id'] ?? ''); break;
    case 'ERROR': return h.message ? `ERROR: ${h.message}` : 'ERROR';
  }
  return parts.filter(Boolean).join(' ');
}

function fieldsOf(f: StompFrame): Record<string, FieldValue> {
  const h = f.headers;
  const fields: Record<string, FieldValue> = { type: f.command, command: f.command };
  const copy = (name: string, header: string) => { if (h[header] !== undefined) fields[name] = h[header]; };
  copy('destination', 'destination');
  copy('id', 'id');
  copy('subscription', 'subscription');
  copy('receipt', f.command === 'RECEIPT' || f.command === 'ERROR' ? 'receipt-id' : 'receipt');
  copy('transaction', 'transaction');
  copy('message', 'message');
  if (f.command === 'CONNECTED') fields.version = h.version ?? '1.0';
  return fields;
}

function toBytes(frame: DecodeInput): Uint8Array | null {
  if (frame.type === 'binary') return frame.bytes ?? null;
  return frame.text === undefined ? null : encoder.encode(frame.text);
}

const startsWithCommand = (b: Uint8Array) => {
  const lf = nextLf(b, 0);
  return lf > 0 && lf <= 16 && COMMANDS.has(line(b, 0, lf));
};

class StompSession implements DecoderSession {
  /** Known from CONNECTED; STOMP 1.0 has no header escaping. */
  private version: string | undefined;
  private readonly pending: Partial<Record<DecodeInput['dir'], Uint8Array>> = {};

  decode(frame: DecodeInput): DecodedMessage | null {
    let bytes = toBytes(frame);
    if (!bytes || bytes.length === 0) return null;
    const errors: string[] = [];
    const held = this.pending[frame.dir];
    delete this.pending[frame.dir];
    if (held) {
      // A message that opens a new frame means the held one never got its end.
      if (startsWithCommand(bytes)) errors.push('previous frame was cut off');
      else bytes = concat(held, bytes);
    }
    const parsed = parse(bytes, this.version !== '1.0');
    if (!parsed) return notStomp(bytes, errors);
    errors.push(...parsed.errors);
    if (parsed.cut) {
      if (parsed.cut.length <= PENDING_MAX_BYTES) this.pending[frame.dir] = parsed.cut.slice();
      else errors.push('frame without NUL dropped (too large to wait for the rest)');
    }
    const frames = parsed.pieces.filter((p): p is StompFrame => p !== 'heart-beat');
    for (const f of frames) if (f.command === 'CONNECTED') this.version = f.headers.version ?? '1.0';
    return this.message(frames, parsed, errors);
  }

  private message(frames: StompFrame[], parsed: Parsed, errors: string[]): DecodedMessage {
    const cut = parsed.cut && this.pendingCommand(parsed.cut);
    const base = { protocol: 'stomp' as const, heartbeat: false };
    let msg: DecodedMessage;
    if (frames.length === 0 && cut) {
      msg = { ...base, summary: `${cut} (continues)`, fields: { type: cut, command: cut } };
    } else if (frames.length === 0) {
      msg = { ...base, summary: 'heart-beat', fields: { type: 'heart-beat' }, heartbeat: parsed.pieces.length > 0 };
    } else {
      const first = frames[0]!;
      const bodies = frames.map((f) => ({ command: f.command, headers: f.headers, body: bodyValue(f, errors) }));
      let summary = frames.map(summaryOf).join(' | ');
      if (cut) summary += ` | ${cut} (continues)`;
      const fields = fieldsOf(first);
      if (frames.length > 1) fields.frames = frames.length;
      msg = {
        ...base,
        summary,
        fields,
        body: frames.length === 1 ? { headers: bodies[0]!.headers, body: bodies[0]!.body } : bodies,
      };
      if (frames.length > 1) {
        // Each STOMP frame with its own fields, for the filter (`destination:/topic/b` in the second).
        msg.messages = frames.slice(0, MESSAGES_MAX).map((f) => ({ summary: summaryOf(f), fields: fieldsOf(f), heartbeat: false }));
        if (frames.length > MESSAGES_MAX) msg.messagesNotKept = frames.length - MESSAGES_MAX;
      }
    }
    if (parsed.cut) msg.partial = true;
    if (errors.length) msg.error = errors.join('; ');
    return msg;
  }

  /** The command of the frame held for its continuation (maybe only its first letters). */
  private pendingCommand(cut: Uint8Array): string {
    const lf = nextLf(cut, 0);
    return lf < 0 ? utf8.decode(cut.subarray(0, 16)) : line(cut, 0, lf);
  }
}

/** A message that does not start with a STOMP command: on a STOMP connection, say so rather than show nothing. */
function notStomp(bytes: Uint8Array, errors: string[]): DecodedMessage {
  const start = utf8.decode(bytes.subarray(0, 24)).split('\n', 1)[0] ?? '';
  errors.push(`not a STOMP frame: starts with ${JSON.stringify(start)}, not a command line such as SEND or MESSAGE`);
  return { protocol: 'stomp', summary: '(not STOMP)', fields: {}, heartbeat: false, error: errors.join('; ') };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The start of a frame as text, enough for sniffing. */
function head(frame: DecodeInput): string {
  if (frame.type === 'text') return (frame.text ?? '').slice(0, 2048);
  return frame.bytes ? utf8.decode(frame.bytes.subarray(0, 2048)) : '';
}

const HEADER_LINE = /^[^:\r\n]+:[^\r\n]*\r?$/;

function sniff(frame: DecodeInput): number {
  const text = head(frame);
  const lf = text.indexOf('\n');
  if (lf <= 0) return 0;
  const command = text.slice(0, lf).replace(/\r$/, '');
  if (!COMMANDS.has(command)) return 0;
  const lines = text.slice(lf + 1).split('\n');
  const headerLines: string[] = [];
  for (const l of lines) { if (!HEADER_LINE.test(l)) break; headerLines.push(l); }
  if (command === 'CONNECT' || command === 'STOMP' || command === 'CONNECTED') {
    const versioned = headerLines.some((l) => /^(accept-version|version):/.test(l));
    return versioned ? 1 : 0.8;
  }
  if (headerLines.length > 0) return 0.8;
  // A command with no headers at all ("DISCONNECT\n\n\0"): still likely, less sure.
  return /^\r?\n/.test(text.slice(lf + 1)) ? 0.6 : 0.2;
}

export const stompDecoder: Decoder = {
  id: 'stomp',
  label: 'STOMP',
  subprotocols: ['v10.stomp', 'v11.stomp', 'v12.stomp'],
  sniff,
  session: () => new StompSession(),
};
