/**
 * Phoenix Channels. No subprotocol names it; frames are recognised by shape. The V1 serializer sends
 * objects `{"topic","event","payload","ref"}`, the V2 serializer (phoenix.js ≥ 1.3's default) arrays
 * `[join_ref, ref, topic, event, payload]`, and binary frames carry V2's binary form (push, reply,
 * broadcast kinds: a kind byte, length bytes, then join_ref, ref, topic, event and raw payload).
 * Heart-beats are event "heartbeat" on topic "phoenix", and their replies phx_reply on that topic.
 * The session remembers which event each ref pushed, so a reply says what it answers (`reply_to`).
 */
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { BoundedMap, firstChar, idField, idText, isRecord, lastChar, malformed, parseJson, scalarText, SNIFF_PARSE_MAX, utf8 } from './json-frame';

interface PhxMessage {
  join_ref: unknown;
  ref: unknown;
  topic: string;
  event: string;
  payload: unknown;
  /** Which serializer the frame used. */
  form: 'v1' | 'v2' | 'binary';
}

const isRef = (v: unknown) => v === null || v === undefined || typeof v === 'string' || typeof v === 'number';

/** The Phoenix message in a parsed JSON value, or why it is not one. */
function fromJson(v: unknown): PhxMessage | string {
  if (Array.isArray(v)) {
    if (v.length !== 5) return `a V2 message is a 5-element array, this has ${v.length}`;
    const [join_ref, ref, topic, event, payload] = v;
    if (typeof topic !== 'string' || typeof event !== 'string') return 'topic and event must be strings';
    if (!isRef(join_ref) || !isRef(ref)) return 'join_ref and ref must be strings or null';
    return { join_ref, ref, topic, event, payload, form: 'v2' };
  }
  if (isRecord(v)) {
    if (typeof v.topic !== 'string' || typeof v.event !== 'string') return 'a V1 message needs string "topic" and "event"';
    if (!isRef(v.ref) || !isRef(v.join_ref)) return 'ref and join_ref must be strings or null';
    return { join_ref: v.join_ref ?? null, ref: v.ref ?? null, topic: v.topic, event: v.event, payload: v.payload, form: 'v1' };
  }
  return 'not a Phoenix message';
}

const KIND_PUSH = 0;
const KIND_REPLY = 1;
const KIND_BROADCAST = 2;

/**
 * The V2 binary form. A push from the client carries join_ref, ref, topic and event lengths; a push
 * from the server has no ref; a reply's "event" is its status; a broadcast has only topic and event.
 */
function fromBinary(bytes: Uint8Array, dir: DecodeInput['dir']): PhxMessage | string {
  const kind = bytes[0];
  const layouts: Record<number, (keyof PhxMessage | 'status')[][]> = {
    [KIND_PUSH]: dir === 'sent' ? [['join_ref', 'ref', 'topic', 'event'], ['join_ref', 'topic', 'event']] : [['join_ref', 'topic', 'event'], ['join_ref', 'ref', 'topic', 'event']],
    [KIND_REPLY]: [['join_ref', 'ref', 'topic', 'status']],
    [KIND_BROADCAST]: [['topic', 'event']],
  };
  if (kind === undefined) return 'empty frame';
  const candidates = layouts[kind];
  if (!candidates) return `unknown binary message kind ${kind}`;
  let why = '';
  for (const names of candidates) {
    const header = 1 + names.length;
    if (bytes.length < header) { why = `truncated header: ${bytes.length} of ${header} bytes`; continue; }
    let offset = header;
    const values: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < names.length; i++) {
      const size = bytes[1 + i] ?? 0;
      const name = names[i] ?? '';
      if (offset + size > bytes.length) { why = `truncated: ${name} needs ${size} bytes at ${offset}, frame has ${bytes.length}`; ok = false; break; }
      const s = utf8(bytes.subarray(offset, offset + size));
      if (s === undefined) { why = `${name} is not UTF-8`; ok = false; break; }
      values[name] = s;
      offset += size;
    }
    if (!ok) continue;
    if (!values.topic || (!values.event && values.status === undefined)) { why = 'empty topic or event'; continue; }
    const data = bytes.subarray(offset);
    if (kind === KIND_REPLY) {
      return { join_ref: values.join_ref ?? null, ref: values.ref ?? null, topic: values.topic, event: 'phx_reply', payload: { status: values.status, response: data }, form: 'binary' };
    }
    return { join_ref: values.join_ref ?? null, ref: values.ref ?? null, topic: values.topic, event: values.event ?? '', payload: data, form: 'binary' };
  }
  return why || 'not a Phoenix binary message';
}

class PhoenixSession implements DecoderSession {
  /** `${topic}|${ref}` of a push → its event, so replies name what they answer. */
  private readonly pushes = new BoundedMap<string, string>(4096);

  decode(frame: DecodeInput): DecodedMessage | null {
    let m: PhxMessage | string;
    if (frame.type === 'binary') {
      const bytes = frame.bytes ?? new Uint8Array(0);
      if (bytes.length === 0) return null;
      m = fromBinary(bytes, frame.dir);
      if (typeof m === 'string') return malformed('phoenix', '(not a Phoenix binary message)', m);
    } else {
      const text = frame.text ?? '';
      const c = firstChar(text);
      if (c !== '{' && c !== '[') return null;
      const r = parseJson(text);
      if (!r.ok) return malformed('phoenix', '(invalid JSON)', r.error);
      m = fromJson(r.value);
      if (typeof m === 'string') return malformed('phoenix', '(not a Phoenix message)', m, r.value);
    }
    return this.describe(m);
  }

  private describe(m: PhxMessage): DecodedMessage {
    const { topic, event, payload } = m;
    const fields: Record<string, FieldValue> = { topic, event };
    const ref = idText(m.ref);
    const refField = idField(m.ref);
    const joinRef = idField(m.join_ref);
    if (refField !== undefined) fields.ref = refField;
    if (joinRef !== undefined) fields.join_ref = joinRef;
    if (m.form === 'binary') fields.binary = true;
    const out = (summary: string, body: unknown, heartbeat = false): DecodedMessage => {
      const d: DecodedMessage = { protocol: 'phoenix', summary, fields, heartbeat };
      if (body !== undefined) d.body = body;
      return d;
    };

    if (event === 'phx_reply') {
      const p = isRecord(payload) ? payload : {};
      const status = scalarText(p.status) ?? '?';
      fields.status = status;
      const replyTo = ref !== undefined ? this.pushes.get(`${topic}|${ref}`) : undefined;
      if (replyTo !== undefined) fields.reply_to = replyTo;
      if (topic === 'phoenix') return out(`heartbeat ${status}`, p.response, true);
      const reason = status !== 'ok' && isRecord(p.response) ? scalarText(p.response.reason) : undefined;
      const d = out(`phx_reply ${status} ${topic}${reason !== undefined ? `: ${reason}` : ''}`, p.response);
      if (!isRecord(payload) || typeof payload.status !== 'string') d.error = 'phx_reply without a status';
      return d;
    }
    if (ref !== undefined) this.pushes.set(`${topic}|${ref}`, event);
    if (topic === 'phoenix' && event === 'heartbeat') return out('heartbeat', payload, true);
    if (event === 'phx_join' || event === 'phx_leave' || event === 'phx_close' || event === 'phx_error') {
      return out(`${event} ${topic}`, payload);
    }
    return out(`${topic} ${event}`, payload);
  }
}

const STR = String.raw`"(?:[^"\\]|\\.)*"`;
const REF = String.raw`(?:null|${STR}|\d+)`;
/** The head of a V2 array: join_ref, ref, topic, event, and the comma before the payload. */
const V2_HEAD = new RegExp(String.raw`^\s*\[\s*${REF}\s*,\s*${REF}\s*,\s*(${STR})\s*,\s*(${STR})\s*,`);

function scoreFor(topic: string, event: string, objectForm: boolean): number {
  if (event.startsWith('phx_') || (topic === 'phoenix' && event === 'heartbeat')) return 0.95;
  if (topic.includes(':')) return 0.85;
  return objectForm ? 0.7 : 0;
}

const unquote = (s: string | undefined): string => {
  if (s === undefined) return '';
  const r = parseJson(s);
  return r.ok && typeof r.value === 'string' ? r.value : '';
};

export const phoenixDecoder: Decoder = {
  id: 'phoenix',
  label: 'Phoenix Channels',
  subprotocols: [],
  sniff(frame) {
    if (frame.type !== 'text') return 0;
    const text = frame.text ?? '';
    const c = firstChar(text);
    if (c === '[') {
      if (lastChar(text) !== ']') return 0;
      const head = V2_HEAD.exec(text.slice(0, 4096));
      if (!head) return 0;
      const score = scoreFor(unquote(head[1]), unquote(head[2]), false);
      if (score === 0 || text.length > SNIFF_PARSE_MAX) return score;
      const r = parseJson(text);
      return r.ok && Array.isArray(r.value) && r.value.length === 5 ? score : 0;
    }
    if (c === '{') {
      if (lastChar(text) !== '}') return 0;
      if (text.length > SNIFF_PARSE_MAX) {
        const head = text.slice(0, 4096);
        return /"topic"\s*:\s*"/.test(head) && /"event"\s*:\s*"/.test(head) && /"ref"\s*:/.test(text) ? 0.6 : 0;
      }
      const r = parseJson(text);
      if (!r.ok || !isRecord(r.value)) return 0;
      const o = r.value;
      if (typeof o.topic !== 'string' || typeof o.event !== 'string' || !('ref' in o) || !('payload' in o) || !isRef(o.ref)) return 0;
      return scoreFor(o.topic, o.event, true);
    }
    return 0;
  },
  session: () => new PhoenixSession(),
};
