/**
 * ASP.NET Core SignalR hub protocol (HubProtocol.md in dotnet/aspnetcore). No subprotocol names it:
 * the client opens with a JSON handshake `{"protocol":"json","version":1}` + 0x1E and the server
 * answers `{}` + 0x1E (or `{"error":…}`). With the JSON protocol every message is a JSON object
 * terminated by 0x1E, several per frame; with MessagePack each message is a VarInt length prefix
 * then a MessagePack array whose first element is the message type. The session remembers which
 * target each invocation id called, so completions and stream items name it.
 */
import { decodeMsgpack } from '../binary-codecs';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import {
  BoundedMap, combine, firstChar, has, idField, idText, isRecord, malformed, parseJson, scalarText, SNIFF_PARSE_MAX,
} from './json-frame';

const RS = '\x1e';
const RS_BYTE = 0x1e;

const TYPE_NAMES: Record<number, string> = {
  1: 'invocation', 2: 'stream-item', 3: 'completion', 4: 'stream-invocation', 5: 'cancel-invocation',
  6: 'ping', 7: 'close', 8: 'ack', 9: 'sequence',
};

const msg = (summary: string, fields: Record<string, FieldValue>, body?: unknown, heartbeat = false): DecodedMessage => {
  const m: DecodedMessage = { protocol: 'signalr', summary, fields, heartbeat };
  if (body !== undefined) m.body = body;
  return m;
};

/** Reads a VarInt (7 bits a byte, least significant first, at most 5 bytes). */
function readVarInt(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[pos + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return undefined;
}

/** The MessagePack array form of a hub message as the JSON form's object, so one describer serves both. */
function fromMsgpackArray(a: unknown[]): Record<string, unknown> | string {
  const type = a[0];
  if (typeof type !== 'number') return 'the first element is not a message type';
  const o: Record<string, unknown> = { type };
  const headers = (h: unknown) => { if (isRecord(h) && Object.keys(h).length) o.headers = h; };
  switch (type) {
    case 1: case 4:
      headers(a[1]);
      if (a[2] !== null && a[2] !== undefined) o.invocationId = a[2];
      o.target = a[3];
      o.arguments = a[4];
      if (Array.isArray(a[5]) && a[5].length) o.streamIds = a[5];
      if (a.length < 5) return `${TYPE_NAMES[type]} needs at least 5 elements, has ${a.length}`;
      break;
    case 2:
      headers(a[1]); o.invocationId = a[2]; o.item = a[3];
      if (a.length < 4) return `stream item needs 4 elements, has ${a.length}`;
      break;
    case 3: {
      headers(a[1]); o.invocationId = a[2];
      const kind = a[3];
      if (kind === 1) o.error = a[4];
      else if (kind === 3) o.result = a[4];
      else if (kind !== 2) return `unknown completion result kind ${String(kind)}`;
      break;
    }
    case 5: headers(a[1]); o.invocationId = a[2]; break;
    case 6: break;
    case 7:
      if (a[1] !== null && a[1] !== undefined) o.error = a[1];
      if (typeof a[2] === 'boolean') o.allowReconnect = a[2];
      break;
    case 8: case 9: o.sequenceId = a[1]; break;
    default: break;
  }
  return o;
}

class SignalRSession implements DecoderSession {
  /** `${dir}|${invocationId}` of an invocation → its target; `${dir}|s|${streamId}` for upload streams. */
  private readonly targets = new BoundedMap<string, string>(4096);
  private handshakeSeen = false;

  decode(frame: DecodeInput): DecodedMessage | null {
    if (frame.type === 'text') return this.decodeText(frame.text ?? '', frame.dir);
    return this.decodeBinary(frame.bytes ?? new Uint8Array(0), frame.dir);
  }

  private decodeText(text: string, dir: DecodeInput['dir']): DecodedMessage | null {
    if (firstChar(text) !== '{') return null;
    const records = text.split(RS);
    const last = records.pop() ?? '';
    const parts: DecodedMessage[] = [];
    for (const r of records) {
      if (!r.trim()) continue;
      parts.push(this.decodeJsonRecord(r, dir));
    }
    if (last.trim()) {
      const m = this.decodeJsonRecord(last, dir);
      m.error = m.error ? `${m.error}; not terminated by 0x1E` : 'not terminated by the record separator 0x1E';
      parts.push(m);
    }
    return parts.length ? combine('signalr', parts) : null;
  }

  private decodeJsonRecord(record: string, dir: DecodeInput['dir']): DecodedMessage {
    const r = parseJson(record);
    if (!r.ok) return malformed('signalr', '(invalid JSON message)', r.error);
    if (!isRecord(r.value)) return malformed('signalr', '(not a hub message)', 'a hub message is a JSON object', r.value);
    return this.describe(r.value, dir);
  }

  private decodeBinary(bytes: Uint8Array, dir: DecodeInput['dir']): DecodedMessage | null {
    if (bytes.length === 0) return null;
    const parts: DecodedMessage[] = [];
    let pos = 0;
    // The handshake is always JSON, even on a MessagePack connection, and the server's answer can
    // share a binary frame with the first messages.
    if (!this.handshakeSeen && bytes[0] === 0x7b && (bytes[1] === 0x22 || bytes[1] === 0x7d || bytes[1] === 0x20)) {
      const end = bytes.indexOf(RS_BYTE);
      if (end > 0) {
        const text = new TextDecoder().decode(bytes.subarray(0, end));
        parts.push(this.decodeJsonRecord(text, dir));
        pos = end + 1;
      }
    }
    while (pos < bytes.length) {
      const len = readVarInt(bytes, pos);
      if (!len) {
        parts.push(malformed('signalr', '(truncated length prefix)', `bad VarInt length prefix at byte ${pos}`));
        break;
      }
      const start = len.next;
      const end = start + len.value;
      if (len.value === 0 || end > bytes.length) {
        parts.push(malformed('signalr', '(truncated message)',
          len.value === 0 ? `empty message at byte ${pos}` : `message at byte ${pos} needs ${len.value} bytes, ${bytes.length - start} left`));
        break;
      }
      const r = decodeMsgpack(bytes.subarray(start, end));
      if (!r.ok) parts.push(malformed('signalr', '(invalid MessagePack message)', r.error));
      else if (!Array.isArray(r.value)) parts.push(malformed('signalr', '(not a hub message)', 'a hub message is a MessagePack array', r.value));
      else {
        const o = fromMsgpackArray(r.value);
        if (typeof o === 'string') parts.push(malformed('signalr', '(not a hub message)', o, r.value));
        else parts.push(this.describe(o, dir));
      }
      pos = end;
    }
    return parts.length ? combine('signalr', parts) : null;
  }

  private targetOf(key: string): string | undefined {
    return this.targets.get(key);
  }

  /** One hub message (JSON object form) as a DecodedMessage; learns invocation targets. */
  private describe(o: Record<string, unknown>, dir: DecodeInput['dir']): DecodedMessage {
    const other = dir === 'sent' ? 'received' : 'sent';
    const type = o.type;
    if (type === undefined) {
      // Handshake request or response.
      if (has(o, 'protocol')) {
        this.handshakeSeen = false;
        const protocol = scalarText(o.protocol) ?? '?';
        const fields: Record<string, FieldValue> = { type: 'handshake', protocol };
        if (typeof o.version === 'number') fields.version = o.version;
        const m = msg(`handshake ${protocol} v${scalarText(o.version) ?? '?'}`, fields, o);
        if (typeof o.protocol !== 'string') m.error = 'handshake without a protocol name';
        return m;
      }
      this.handshakeSeen = true;
      const error = scalarText(o.error);
      if (error !== undefined) return msg(`handshake error: ${error}`, { type: 'handshake-response', error }, o);
      return msg('handshake ok', { type: 'handshake-response' }, o);
    }
    if (typeof type !== 'number') return malformed('signalr', '(not a hub message)', '"type" is not a number', o);
    const name = TYPE_NAMES[type];
    if (!name) {
      const m = msg(`type ${type}`, { type: String(type) }, o);
      m.error = `unknown hub message type ${type}`;
      return m;
    }
    const fields: Record<string, FieldValue> = { type: name };
    const id = idText(o.invocationId);
    const idf = idField(o.invocationId);
    if (idf !== undefined) fields.id = idf;
    const setTarget = (t: string | undefined) => { if (t !== undefined) { fields.target = t; fields.op = t; } };
    const named = (prefix: string, t: string | undefined) => `${prefix} #${id ?? '?'}${t !== undefined ? ` ${t}` : ''}`;
    let m: DecodedMessage;
    switch (type) {
      case 1: case 4: {
        const target = scalarText(o.target, 256);
        setTarget(target);
        if (id !== undefined && target !== undefined) this.targets.set(`${dir}|${id}`, target);
        if (Array.isArray(o.streamIds)) {
          for (const s of o.streamIds) { const sid = idText(s); if (sid !== undefined && target !== undefined) this.targets.set(`${dir}|s|${sid}`, target); }
          fields.streamIds = o.streamIds.map((s) => String(s)).join(',');
        }
        const verb = type === 1 ? 'invoke' : 'stream';
        m = msg(`${verb} ${target ?? '?'}${id !== undefined ? ` #${id}` : ''}`, fields, o);
        if (target === undefined) m.error = `${name} without a target`;
        else if (o.arguments !== undefined && !Array.isArray(o.arguments)) m.error = '"arguments" is not an array';
        else if (type === 4 && id === undefined) m.error = 'stream invocation without an invocation id';
        return m;
      }
      case 2: case 3: {
        // Results come back from the other side; upload stream items and completions come from the caller's own side.
        const t = id === undefined ? undefined : (this.targetOf(`${other}|${id}`) ?? this.targetOf(`${dir}|s|${id}`));
        setTarget(t);
        if (type === 2) {
          m = msg(named('stream item', t), fields, o);
        } else {
          const error = o.error !== undefined && o.error !== null ? (scalarText(o.error) ?? JSON.stringify(o.error)) : undefined;
          if (error !== undefined) fields.error = error;
          m = msg(named('completion', t) + (error !== undefined ? `: error ${error}` : ''), fields, o);
          if (error !== undefined && has(o, 'result')) m.error = 'completion with both a result and an error';
        }
        if (id === undefined) m.error = `${name} without an invocation id`;
        return m;
      }
      case 5: {
        const t = id === undefined ? undefined : (this.targetOf(`${dir}|${id}`) ?? this.targetOf(`${other}|${id}`));
        setTarget(t);
        m = msg(named('cancel', t), fields, o);
        if (id === undefined) m.error = 'cancel without an invocation id';
        return m;
      }
      case 6:
        return msg('ping', fields, undefined, true);
      case 7: {
        const error = scalarText(o.error);
        if (error !== undefined) fields.error = error;
        if (typeof o.allowReconnect === 'boolean') fields.allowReconnect = o.allowReconnect;
        return msg(`close${error !== undefined ? `: ${error}` : ''}${o.allowReconnect === true ? ' (reconnect)' : ''}`, fields, o);
      }
      default: {
        const seq = idField(o.sequenceId);
        if (seq !== undefined) fields.sequenceId = seq;
        m = msg(`${name} ${seq ?? '?'}`, fields, o);
        if (seq === undefined) m.error = `${name} without a sequence id`;
        return m;
      }
    }
  }
}

const HANDSHAKE_RE = /^\s*\{\s*"protocol"\s*:/;
const TYPE_RE = /"type"\s*:\s*\d/;

/** How sure one MessagePack-encoded frame is SignalR: consistent VarInt framing around hub arrays. */
function sniffBinary(bytes: Uint8Array): number {
  if (bytes.length === 0 || bytes.length > SNIFF_PARSE_MAX) return 0;
  // `{}` + 0x1E, the handshake response of a MessagePack connection.
  if (bytes[0] === 0x7b) {
    if (bytes[1] === 0x7d && bytes[2] === RS_BYTE) return 0.9;
    if (bytes[1] === 0x22 && bytes.indexOf(RS_BYTE) > 0) {
      const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(RS_BYTE)));
      return /^\{\s*"(protocol|error)"\s*:/.test(text) ? 0.9 : 0;
    }
  }
  let pos = 0;
  let best = 0;
  let n = 0;
  while (pos < bytes.length) {
    const len = readVarInt(bytes, pos);
    if (!len || len.value === 0 || len.next + len.value > bytes.length) return 0;
    const r = decodeMsgpack(bytes.subarray(len.next, len.next + len.value));
    if (!r.ok || !Array.isArray(r.value)) return 0;
    const a = r.value;
    const t = a[0];
    let score = 0;
    if (t === 6 && a.length === 1) score = 0.7;
    else if ((t === 1 || t === 4) && a.length >= 5 && isRecord(a[1]) && typeof a[3] === 'string' && Array.isArray(a[4])) score = 0.9;
    else if ((t === 2 || t === 3 || t === 5) && a.length >= 3 && isRecord(a[1]) && typeof a[2] === 'string') score = 0.85;
    else if (t === 7 && a.length >= 2 && (a[1] === null || typeof a[1] === 'string')) score = 0.75;
    else if ((t === 8 || t === 9) && a.length === 2 && typeof a[1] === 'number') score = 0.7;
    else return 0;
    best = Math.max(best, score);
    pos = len.next + len.value;
    if (++n > 64) break;
  }
  return best;
}

export const signalrDecoder: Decoder = {
  id: 'signalr',
  label: 'SignalR',
  subprotocols: [],
  sniff(frame) {
    if (frame.type === 'binary') return frame.bytes ? sniffBinary(frame.bytes) : 0;
    const text = frame.text ?? '';
    if (firstChar(text) !== '{') return 0;
    const rs = text.indexOf(RS);
    if (rs < 0) return 0;
    if (HANDSHAKE_RE.test(text.slice(0, 256))) return 1;
    const head = text.slice(0, rs);
    if (/^\s*\{\s*\}\s*$/.test(head)) return 0.9;
    if (/^\s*\{\s*"error"\s*:\s*"/.test(head.slice(0, 64))) return 0.8;
    if (!text.endsWith(RS)) return 0;
    if (TYPE_RE.test(head.slice(0, 1024))) return 0.95;
    // `"type"` later in a large first record: confirm by parsing small ones.
    if (head.length <= SNIFF_PARSE_MAX) {
      const r = parseJson(head);
      if (r.ok && isRecord(r.value) && typeof r.value.type === 'number' && TYPE_NAMES[r.value.type]) return 0.95;
    }
    return 0;
  },
  session: () => new SignalRSession(),
};
