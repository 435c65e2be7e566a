/**
 * SockJS framing on its WebSocket transport (`/<server>/<session>/websocket`). The server sends
 * `o` (open), `h` (heartbeat), `a["m1","m2"]` (an array of messages), `m"m1"` (one message, from
 * older servers) and `c[3000,"Go away!"]` (close); the client sends a JSON array of strings, or
 * one JSON string. Each message is an application string; when it holds a JSON object or array
 * (what most apps send) the body shows it parsed. SockJS's raw `/websocket` endpoint has no
 * framing at all and is not decoded.
 */
import { MESSAGES_MAX } from '../budget';
import type { BatchedMessage, DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { copyCommonFields, isRecord } from './json-frame';

const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max - 1) + '…');

/** The first character that is not JSON whitespace, without copying the text. */
function firstChar(s: string, from = 0): string {
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return '';
}

function parseJson(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A message for the body: parsed when it is a JSON object or array. Only those, because a string
 * like "42" or "true" is more likely text than a number for an application on SockJS.
 */
function messageValue(s: string): unknown {
  const c = firstChar(s);
  if (c !== '{' && c !== '[') return s;
  const r = parseJson(s);
  return r.ok ? r.value : s;
}

/** The first line of the first message (STOMP over SockJS starts with its command). */
const preview = (s: string) => cut((s.slice(0, 200).split('\n', 1)[0] ?? '').trim(), 80);

/**
 * What the filter can find in one application message: `event`, `id`, `channel`… when it is a JSON
 * object naming them. `type` stays SockJS's own (`message`).
 */
function messageFields(value: unknown): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = { type: 'message' };
  if (isRecord(value)) copyCommonFields(Object.entries(value), fields);
  return fields;
}

function oneOfMany(raw: unknown, value: unknown): BatchedMessage {
  const m: BatchedMessage = { summary: typeof raw === 'string' ? `message: ${preview(raw)}` : 'message', fields: messageFields(value), heartbeat: false };
  if (typeof raw !== 'string') m.error = 'not a string';
  return m;
}

/** Summary, fields and body for the messages of one frame (`a[...]`, `m"..."` or what the client sent). */
function messages(list: unknown[]): DecodedMessage {
  const values = list.map((x) => (typeof x === 'string' ? messageValue(x) : x));
  const first = list[0];
  const fields = list.length === 1 ? messageFields(values[0]) : { type: 'message' };
  fields.count = list.length;
  const m: DecodedMessage = {
    protocol: 'sockjs',
    summary: list.length === 1 && typeof first === 'string' ? `message: ${preview(first)}` : `${list.length} messages`,
    fields,
    heartbeat: false,
    body: values,
  };
  if (list.length > 1) {
    // Each message on its own, for the filter; the decoder keeps no more than the budget would.
    m.messages = list.slice(0, MESSAGES_MAX).map((x, i) => oneOfMany(x, values[i]));
    if (list.length > MESSAGES_MAX) m.messagesNotKept = list.length - MESSAGES_MAX;
  }
  const notStrings = list.filter((x) => typeof x !== 'string').length;
  if (notStrings) m.error = `${notStrings} of ${list.length} messages are not strings`;
  return m;
}

/** The parsed frame as a list: an array as it is, a single JSON string as a list of one. */
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function close(json: string): DecodedMessage {
  const m: DecodedMessage = { protocol: 'sockjs', summary: 'close', fields: { type: 'close' }, heartbeat: false };
  const r = parseJson(json);
  if (!r.ok || !Array.isArray(r.value)) {
    m.error = 'close frame without a JSON [code, reason]';
    return m;
  }
  const [code, reason] = r.value as unknown[];
  if (typeof code === 'number') m.fields.code = code;
  if (typeof reason === 'string') m.fields.reason = reason;
  m.summary = ['close', typeof code === 'number' ? code : '', typeof reason === 'string' ? reason : ''].filter((x) => x !== '').join(' ');
  if (typeof code !== 'number' || typeof reason !== 'string') m.error = 'close frame should be [code, "reason"]';
  m.body = r.value;
  return m;
}

function decodeServerFrame(text: string): DecodedMessage | null {
  const rest = text.slice(1);
  const next = firstChar(text, 1);
  switch (text[0]) {
    case 'o': return rest === '' ? { protocol: 'sockjs', summary: 'open', fields: { type: 'open' }, heartbeat: false } : null;
    case 'h': return rest === '' ? { protocol: 'sockjs', summary: 'heartbeat', fields: { type: 'heartbeat' }, heartbeat: true } : null;
    case 'a': {
      if (next !== '[') return null;
      const r = parseJson(rest);
      return r.ok ? messages(asList(r.value)) : { protocol: 'sockjs', summary: 'messages', fields: { type: 'message' }, heartbeat: false, error: 'invalid JSON in an `a` frame' };
    }
    case 'm': {
      if (next !== '"') return null;
      const r = parseJson(rest);
      return r.ok ? messages(asList(r.value)) : { protocol: 'sockjs', summary: 'message', fields: { type: 'message' }, heartbeat: false, error: 'invalid JSON in an `m` frame' };
    }
    case 'c': return next === '[' ? close(rest) : null;
  }
  return null;
}

/** The client sends `["m1","m2"]` or `"m1"` (the server accepts both; sockjs-client sends arrays). */
function decodeClientFrame(text: string): DecodedMessage | null {
  const c = firstChar(text);
  if (c !== '[' && c !== '"') return null;
  const r = parseJson(text);
  if (!r.ok) return { protocol: 'sockjs', summary: 'messages', fields: { type: 'message' }, heartbeat: false, error: 'invalid JSON: the server closes the connection on this' };
  return messages(asList(r.value));
}

class SockJsSession implements DecoderSession {
  decode(frame: DecodeInput): DecodedMessage | null {
    // SockJS is text only; the server ignores empty frames.
    if (frame.type !== 'text' || !frame.text) return null;
    // Tolerate the newline the HTTP transports end frames with (`o\n`), e.g. in pasted frames.
    const text = frame.text.endsWith('\n') ? frame.text.slice(0, -1) : frame.text;
    return frame.dir === 'received' ? decodeServerFrame(text) : decodeClientFrame(text);
  }
}

/**
 * From the frame's first characters. The server's frames are distinctive (`o` alone, `h` alone,
 * `a["`, `c[3000,`); what the client sends is a plain JSON array of strings, which many protocols
 * send, so it stays below the detection threshold.
 */
function sniff(frame: DecodeInput): number {
  if (frame.type !== 'text' || !frame.text) return 0;
  const t = frame.text;
  if (frame.dir === 'sent') return t.startsWith('["') ? 0.3 : 0;
  if (t === 'o' || t === 'o\n') return 0.9;
  if (t === 'h' || t === 'h\n') return 0.8;
  if (t.startsWith('a["')) return 0.9;
  if (t.startsWith('a[')) return 0.6;
  if (/^c\[\d{4},/.test(t.slice(0, 8))) return 0.9;
  if (t.startsWith('m"')) return 0.6;
  return 0;
}

export const sockjsDecoder: Decoder = {
  id: 'sockjs',
  label: 'SockJS',
  // SockJS negotiates no subprotocol.
  subprotocols: [],
  sniff,
  session: () => new SockJsSession(),
};
