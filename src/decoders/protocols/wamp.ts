/**
 * WAMP v2 (the Web Application Messaging Protocol, wamp-proto.org): every message is an array whose
 * first element is the message code, serialized as JSON (text frames), MessagePack or CBOR (binary
 * frames); the `.batched` subprotocols pack several messages in one frame (JSON: each followed by
 * 0x1E; binary: each preceded by a 4-byte big-endian length). The session follows request ids and
 * the subscription / registration ids the router hands out, so RESULT, EVENT, INVOCATION and
 * ERROR name the procedure or topic they belong to.
 */
import { decodeCbor, decodeMsgpack } from '../binary-codecs';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { BoundedMap, combine, firstChar, idField, idText, isRecord, malformed, parseJson, scalarText, SNIFF_PARSE_MAX } from './json-frame';

export const WAMP_CODES: Readonly<Record<number, string>> = {
  1: 'HELLO', 2: 'WELCOME', 3: 'ABORT', 4: 'CHALLENGE', 5: 'AUTHENTICATE', 6: 'GOODBYE', 8: 'ERROR',
  16: 'PUBLISH', 17: 'PUBLISHED', 32: 'SUBSCRIBE', 33: 'SUBSCRIBED', 34: 'UNSUBSCRIBE', 35: 'UNSUBSCRIBED', 36: 'EVENT',
  48: 'CALL', 49: 'CANCEL', 50: 'RESULT', 64: 'REGISTER', 65: 'REGISTERED', 66: 'UNREGISTER', 67: 'UNREGISTERED',
  68: 'INVOCATION', 69: 'INTERRUPT', 70: 'YIELD',
};

/** The fewest elements each message has (optional Arguments / ArgumentsKw come after these). */
const MIN_LENGTH: Readonly<Record<number, number>> = {
  1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 8: 5, 16: 4, 17: 3, 32: 4, 33: 3, 34: 3, 35: 2, 36: 4,
  48: 4, 49: 3, 50: 3, 64: 4, 65: 3, 66: 3, 67: 2, 68: 4, 69: 3, 70: 3,
};

const RS = '\x1e';
type Codec = 'msgpack' | 'cbor';
const decodeWith = (codec: Codec, bytes: Uint8Array) => (codec === 'msgpack' ? decodeMsgpack(bytes) : decodeCbor(bytes));
const isWampArray = (v: unknown): v is unknown[] => Array.isArray(v) && typeof v[0] === 'number';

type BinaryResult = { ok: true; messages: unknown[]; codec: Codec } | { ok: false; error: string };

/** Every message in a binary frame: one MessagePack or CBOR value, or a batch of length-prefixed ones. */
function decodeBinary(bytes: Uint8Array, prefer: Codec = 'msgpack'): BinaryResult {
  const codecs: Codec[] = prefer === 'msgpack' ? ['msgpack', 'cbor'] : ['cbor', 'msgpack'];
  // Batched: a 4-byte big-endian length before each message; real lengths are far below 16 MB, so
  // a batch starts with 0x00, which as a single MessagePack or CBOR value would be just `0`.
  if (bytes.length >= 5 && bytes[0] === 0) {
    for (const codec of codecs) {
      const messages: unknown[] = [];
      let pos = 0;
      let ok = true;
      while (pos < bytes.length && ok) {
        if (pos + 4 > bytes.length) { ok = false; break; }
        const len = ((bytes[pos] ?? 0) * 2 ** 24) + ((bytes[pos + 1] ?? 0) << 16) + ((bytes[pos + 2] ?? 0) << 8) + (bytes[pos + 3] ?? 0);
        const start = pos + 4;
        if (len === 0 || start + len > bytes.length) { ok = false; break; }
        const r = decodeWith(codec, bytes.subarray(start, start + len));
        if (!r.ok || !isWampArray(r.value)) { ok = false; break; }
        messages.push(r.value);
        pos = start + len;
      }
      if (ok && messages.length) return { ok: true, messages, codec };
    }
  }
  let fallback: BinaryResult | undefined;
  const errors: string[] = [];
  for (const codec of codecs) {
    const r = decodeWith(codec, bytes);
    if (!r.ok) { errors.push(r.error); continue; }
    if (isWampArray(r.value)) return { ok: true, messages: [r.value], codec };
    fallback ??= { ok: true, messages: [r.value], codec };
  }
  return fallback ?? { ok: false, error: errors.join('; ') };
}

const URI_RE = /^[^\s#]+$/;
const isUri = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && URI_RE.test(v);
const isId = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || typeof v === 'bigint';

/** How much a parsed value looks like a WAMP message (for sniffing), 0 to 0.95. */
function shapeScore(a: unknown): number {
  if (!isWampArray(a)) return 0;
  const code = a[0] as number;
  if (!WAMP_CODES[code] || a.length < (MIN_LENGTH[code] ?? 2) || a.length > 7) return 0;
  const dotted = (v: unknown) => (isUri(v) && v.includes('.') ? 0.75 : isUri(v) ? 0.6 : 0);
  switch (code) {
    case 1: return isUri(a[1]) && isRecord(a[2]) ? ('roles' in a[2] ? 0.95 : 0.6) : 0;
    case 2: return isId(a[1]) && isRecord(a[2]) ? ('roles' in a[2] ? 0.95 : 0.6) : 0;
    case 3: case 6: return isRecord(a[1]) ? dotted(a[2]) : 0;
    case 8: return typeof a[1] === 'number' && WAMP_CODES[a[1]] && isId(a[2]) && isRecord(a[3]) ? dotted(a[4]) : 0;
    case 16: case 32: case 48: case 64: return isId(a[1]) && isRecord(a[2]) ? dotted(a[3]) : 0;
    case 36: case 68: return isId(a[1]) && isId(a[2]) && isRecord(a[3]) ? 0.6 : 0;
    default: return 0.3;
  }
}

interface Pending { code: number; name?: string }

class WampSession implements DecoderSession {
  /** The client's request ids (PUBLISH, SUBSCRIBE, CALL, …) → what they asked for. */
  private readonly requests = new BoundedMap<string, Pending>(4096);
  /** The router's INVOCATION request ids → procedure, for YIELD, INTERRUPT and ERROR. */
  private readonly invocations = new BoundedMap<string, string>(4096);
  private readonly subscriptions = new BoundedMap<string, string>(4096);
  private readonly registrations = new BoundedMap<string, string>(4096);
  private codec: Codec = 'msgpack';

  decode(frame: DecodeInput): DecodedMessage | null {
    if (frame.type === 'binary') {
      const bytes = frame.bytes ?? new Uint8Array(0);
      if (bytes.length === 0) return null;
      const r = decodeBinary(bytes, this.codec);
      if (!r.ok) return malformed('wamp', '(not a WAMP message)', r.error);
      this.codec = r.codec;
      return combine('wamp', r.messages.map((m) => this.describe(m)));
    }
    const text = frame.text ?? '';
    if (!text) return null;
    if (firstChar(text) !== '[') return malformed('wamp', '(not a WAMP message)', 'not a JSON array: every WAMP message is [code, …]');
    if (!text.includes(RS)) {
      const r = parseJson(text);
      return r.ok ? this.describe(r.value) : malformed('wamp', '(invalid JSON)', r.error);
    }
    const parts: DecodedMessage[] = [];
    for (const record of text.split(RS)) {
      if (!record.trim()) continue;
      const r = parseJson(record);
      parts.push(r.ok ? this.describe(r.value) : malformed('wamp', '(invalid JSON)', r.error));
    }
    return combine('wamp', parts);
  }

  private describe(a: unknown): DecodedMessage {
    if (!isWampArray(a)) return malformed('wamp', '(not a WAMP message)', 'a WAMP message is an array starting with its message code', a);
    const code = a[0] as number;
    const type = WAMP_CODES[code];
    const fields: Record<string, FieldValue> = { type: type ?? String(code), code };
    const out = (summary: string, body?: unknown): DecodedMessage => {
      const m: DecodedMessage = { protocol: 'wamp', summary, fields, heartbeat: false };
      if (body !== undefined) m.body = body;
      if ((MIN_LENGTH[code] ?? 0) > a.length) m.error = `${type ?? code} needs at least ${MIN_LENGTH[code]} elements, has ${a.length}`;
      return m;
    };
    if (!type) {
      const m = out(`#${code}`, a);
      m.error = `unknown WAMP message code ${code}`;
      return m;
    }
    const id = (i: number) => idText(a[i]);
    const setId = (name: string, i: number) => { const v = idField(a[i]); if (v !== undefined) fields[name] = v; };
    /** `name` when the session knows it, else `#id`. */
    const known = (name: string | undefined, fallback: string | undefined) => name ?? `#${fallback ?? '?'}`;
    const payload = (meta: string, metaIndex: number, argsIndex: number) => {
      const body: Record<string, unknown> = {};
      if (a.length > argsIndex) body.args = a[argsIndex];
      if (a.length > argsIndex + 1) body.kwargs = a[argsIndex + 1];
      if (isRecord(a[metaIndex]) && Object.keys(a[metaIndex]).length) body[meta] = a[metaIndex];
      return body;
    };
    const setTopic = (t: string | undefined) => { if (t !== undefined) fields.topic = t; };
    const setProcedure = (p: string | undefined) => { if (p !== undefined) fields.procedure = p; };
    const uri = (i: number) => scalarText(a[i], 256);
    const remember = (name: string | undefined) => { const r = id(1); if (r !== undefined) this.requests.set(r, { code, ...(name !== undefined ? { name } : {}) }); };
    const pending = (i: number) => { const r = id(i); return r !== undefined ? this.requests.get(r) : undefined; };

    switch (code) {
      case 1: { // HELLO [1, Realm, Details]
        const realm = uri(1);
        if (realm !== undefined) fields.realm = realm;
        return out(`HELLO ${realm ?? '?'}`, a[2]);
      }
      case 2: { // WELCOME [2, Session, Details]
        setId('session', 1);
        const d = isRecord(a[2]) ? a[2] : {};
        for (const k of ['authid', 'authrole', 'realm'] as const) { const v = scalarText(d[k]); if (v !== undefined) fields[k] = v; }
        return out(`WELCOME session ${id(1) ?? '?'}`, a[2]);
      }
      case 3: case 6: { // ABORT / GOODBYE [code, Details, Reason]
        const reason = uri(2);
        if (reason !== undefined) fields.reason = reason;
        const message = isRecord(a[1]) ? scalarText(a[1].message) : undefined;
        return out(`${type} ${reason ?? '?'}${message !== undefined ? `: ${message}` : ''}`, a[1]);
      }
      case 4: { // CHALLENGE [4, AuthMethod, Extra]
        const method = uri(1);
        if (method !== undefined) fields.authmethod = method;
        return out(`CHALLENGE ${method ?? '?'}`, a[2]);
      }
      case 5: // AUTHENTICATE [5, Signature, Extra]: the signature is a credential, kept out of summary and body.
        return out('AUTHENTICATE', a[2]);
      case 8: { // ERROR [8, REQUEST.Type, REQUEST.Request, Details, Error, Arguments?, ArgumentsKw?]
        const reqType = typeof a[1] === 'number' ? a[1] : undefined;
        const reqName = reqType !== undefined ? (WAMP_CODES[reqType] ?? String(reqType)) : '?';
        fields.request_type = reqName;
        setId('id', 2);
        const error = uri(4);
        if (error !== undefined) fields.error = error;
        let name: string | undefined;
        if (reqType === 68 || reqType === 69) name = id(2) !== undefined ? this.invocations.get(id(2) as string) : undefined;
        else name = pending(2)?.name;
        if (reqType === 16 || reqType === 32 || reqType === 34) setTopic(name);
        else setProcedure(name);
        return out(`ERROR ${reqName} ${known(name, id(2))}: ${error ?? '?'}`, payload('details', 3, 5));
      }
      case 16: { // PUBLISH [16, Request, Options, Topic, Arguments?, ArgumentsKw?]
        const topic = uri(3);
        setId('id', 1); setTopic(topic); remember(topic);
        return out(`PUBLISH ${topic ?? '?'}`, payload('options', 2, 4));
      }
      case 17: { // PUBLISHED [17, PUBLISH.Request, Publication]
        setId('id', 1); setId('publication', 2);
        const topic = pending(1)?.name;
        setTopic(topic);
        return out(`PUBLISHED ${known(topic, id(1))}`);
      }
      case 32: { // SUBSCRIBE [32, Request, Options, Topic]
        const topic = uri(3);
        setId('id', 1); setTopic(topic); remember(topic);
        const match = isRecord(a[2]) ? scalarText(a[2].match) : undefined;
        if (match !== undefined) fields.match = match;
        return out(`SUBSCRIBE ${topic ?? '?'}${match !== undefined && match !== 'exact' ? ` (${match})` : ''}`, a[2]);
      }
      case 33: { // SUBSCRIBED [33, SUBSCRIBE.Request, Subscription]
        setId('id', 1); setId('subscription', 2);
        const topic = pending(1)?.name;
        const sub = id(2);
        if (topic !== undefined && sub !== undefined) this.subscriptions.set(sub, topic);
        setTopic(topic);
        return out(`SUBSCRIBED ${known(topic, sub)}`);
      }
      case 34: { // UNSUBSCRIBE [34, Request, SUBSCRIBED.Subscription]
        setId('id', 1); setId('subscription', 2);
        const topic = id(2) !== undefined ? this.subscriptions.get(id(2) as string) : undefined;
        setTopic(topic); remember(topic);
        return out(`UNSUBSCRIBE ${known(topic, id(2))}`);
      }
      case 35: { // UNSUBSCRIBED [35, UNSUBSCRIBE.Request, Details?]
        setId('id', 1);
        const topic = pending(1)?.name;
        setTopic(topic);
        return out(`UNSUBSCRIBED ${known(topic, id(1))}`, a[2]);
      }
      case 36: { // EVENT [36, SUBSCRIBED.Subscription, PUBLISHED.Publication, Details, Arguments?, ArgumentsKw?]
        setId('subscription', 1); setId('publication', 2);
        const sub = id(1);
        const topic = (isRecord(a[3]) ? scalarText(a[3].topic, 256) : undefined) ?? (sub !== undefined ? this.subscriptions.get(sub) : undefined);
        setTopic(topic);
        return out(`EVENT ${known(topic, sub)}`, payload('details', 3, 4));
      }
      case 48: case 64: { // CALL / REGISTER [code, Request, Options, Procedure, …]
        const procedure = uri(3);
        setId('id', 1); setProcedure(procedure); remember(procedure);
        return out(`${type} ${procedure ?? '?'}`, code === 48 ? payload('options', 2, 4) : a[2]);
      }
      case 49: case 50: case 65: case 67: { // CANCEL, RESULT, REGISTERED, UNREGISTERED: answer or follow the client's request
        setId('id', 1);
        const procedure = pending(1)?.name;
        setProcedure(procedure);
        let suffix = '';
        if (code === 65) {
          setId('registration', 2);
          const reg = id(2);
          if (reg !== undefined && procedure !== undefined) this.registrations.set(reg, procedure);
        }
        if (code === 50 && isRecord(a[2]) && a[2].progress === true) { suffix = ' (progress)'; fields.progress = true; }
        const body = code === 50 ? payload('details', 2, 3) : code === 49 ? a[2] : undefined;
        return out(`${type} ${known(procedure, id(1))}${suffix}`, body);
      }
      case 66: { // UNREGISTER [66, Request, REGISTERED.Registration]
        setId('id', 1); setId('registration', 2);
        const procedure = id(2) !== undefined ? this.registrations.get(id(2) as string) : undefined;
        setProcedure(procedure); remember(procedure);
        return out(`UNREGISTER ${known(procedure, id(2))}`);
      }
      case 68: { // INVOCATION [68, Request, REGISTERED.Registration, Details, Arguments?, ArgumentsKw?]
        setId('id', 1); setId('registration', 2);
        const reg = id(2);
        const procedure = (isRecord(a[3]) ? scalarText(a[3].procedure, 256) : undefined) ?? (reg !== undefined ? this.registrations.get(reg) : undefined);
        const req = id(1);
        if (req !== undefined && procedure !== undefined) this.invocations.set(req, procedure);
        setProcedure(procedure);
        return out(`INVOCATION ${known(procedure, reg)}`, payload('details', 3, 4));
      }
      default: { // INTERRUPT [69, INVOCATION.Request, Options], YIELD [70, INVOCATION.Request, Options, Arguments?, ArgumentsKw?]
        setId('id', 1);
        const req = id(1);
        const procedure = req !== undefined ? this.invocations.get(req) : undefined;
        setProcedure(procedure);
        return out(`${type} ${known(procedure, req)}`, code === 70 ? payload('options', 2, 3) : a[2]);
      }
    }
  }
}

export const wampDecoder: Decoder = {
  id: 'wamp',
  label: 'WAMP',
  subprotocols: [/^wamp\.2\.(json|msgpack|cbor)(\.batched)?$/],
  sniff(frame) {
    if (frame.type === 'binary') {
      const bytes = frame.bytes;
      if (!bytes || bytes.length === 0 || bytes.length > SNIFF_PARSE_MAX) return 0;
      const r = decodeBinary(bytes);
      return r.ok ? shapeScore(r.messages[0]) : 0;
    }
    const text = frame.text ?? '';
    if (firstChar(text) !== '[') return 0;
    const rs = text.indexOf(RS);
    const first = rs >= 0 ? text.slice(0, rs) : text;
    const head = /^\s*\[\s*(\d+)\s*,/.exec(first.slice(0, 64));
    if (!head || !WAMP_CODES[Number(head[1])]) return 0;
    if (first.length > SNIFF_PARSE_MAX) return 0.3;
    const r = parseJson(first);
    return r.ok ? shapeScore(r.value) : 0;
  },
  session: () => new WampSession(),
};
