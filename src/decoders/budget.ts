/**
 * Limits that keep decoding cheap whatever the page sends. They are counted in characters, bytes
 * and nodes, not in time, so they hold on any machine and the fuzz tests can check them exactly.
 */
import type { BatchedMessage, DecodedMessage, FieldValue } from './types';

/** Frames larger than this are not decoded with the others; the detail pane decodes them on demand. */
export const DECODE_MAX_BYTES = 256 * 1024;
/** The summary line is cut to this many characters. */
export const SUMMARY_MAX_CHARS = 200;
/** At most this many fields, each value cut to FIELD_MAX_CHARS. */
export const FIELDS_MAX = 32;
export const FIELD_MAX_CHARS = 512;
/**
 * Messages of one frame kept with their own fields (a batch, the MQTT packets of one write). The
 * rest are counted in messagesNotKept; filters see only those kept. Kept as high as the MQTT
 * decoder's packets per frame, so what it decodes it also keeps.
 */
export const MESSAGES_MAX = 256;
/** A decoded body keeps at most this many nodes (values, array items, object entries); the rest is cut with a marker. */
export const BODY_MAX_NODES = 5_000;
/** And at most this depth. */
export const BODY_MAX_DEPTH = 64;
/** Frames sniffed per connection before detection gives up (the user can still choose). */
export const SNIFF_FRAMES = 8;
export const SNIFF_THRESHOLD = 0.5;

export const TRUNCATED = '…';

export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + TRUNCATED;
}

/**
 * Copies `value` into plain JSON-like data within BODY_MAX_NODES and BODY_MAX_DEPTH. Typed arrays
 * become `{ bytes: n }` summaries, Maps become objects, anything cut says so.
 */
export function limitBody(value: unknown): unknown {
  let nodes = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (++nodes > BODY_MAX_NODES) return TRUNCATED;
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
    if (typeof v === 'string') return clip(v, 64 * 1024);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v !== 'object') return String(v);
    if (depth >= BODY_MAX_DEPTH) return TRUNCATED;
    if (ArrayBuffer.isView(v)) return { binary: `${v.byteLength} bytes` };
    if (v instanceof ArrayBuffer) return { binary: `${v.byteLength} bytes` };
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) { if (nodes >= BODY_MAX_NODES) { out.push(TRUNCATED); break; } out.push(walk(x, depth + 1)); }
      return out;
    }
    const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a key "__proto__" from the wire stays an ordinary key.
    const put = (k: string, x: unknown) => Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    for (const [k, x] of entries) {
      if (nodes >= BODY_MAX_NODES) { put(TRUNCATED, TRUNCATED); break; }
      put(String(k), walk(x, depth + 1));
    }
    return out;
  };
  return walk(value, 0);
}

function limitFields(from: Record<string, FieldValue>): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  let n = 0;
  for (const [k, v] of Object.entries(from)) {
    if (n++ >= FIELDS_MAX) break;
    Object.defineProperty(fields, clip(k, 64), { value: typeof v === 'string' ? clip(v, FIELD_MAX_CHARS) : v, enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

const limitSummary = (s: string) => clip(s.replace(/\s+/g, ' '), SUMMARY_MAX_CHARS);

/** A fresh copy of each kept message, so nothing else a decoder put on it (a body) stays in memory. */
function limitMessage(m: BatchedMessage): BatchedMessage {
  const out: BatchedMessage = { summary: limitSummary(m.summary), fields: limitFields(m.fields), heartbeat: m.heartbeat === true };
  if (m.error) out.error = clip(m.error, FIELD_MAX_CHARS);
  return out;
}

/** Applies every limit to a decoder's result. */
export function withinBudget(m: DecodedMessage): DecodedMessage {
  const out: DecodedMessage = { protocol: m.protocol, summary: limitSummary(m.summary), fields: limitFields(m.fields), heartbeat: m.heartbeat === true };
  if (m.body !== undefined) out.body = limitBody(m.body);
  if (m.partial) out.partial = true;
  if (m.error) out.error = clip(m.error, FIELD_MAX_CHARS);
  const list = m.messages;
  const beyond = m.messagesNotKept ?? 0;
  // One message is the frame itself: its fields are `fields`, so no list.
  if (list && list.length + beyond > 1) {
    const kept = list.slice(0, MESSAGES_MAX);
    out.messages = kept.map(limitMessage);
    const notKept = beyond + list.length - kept.length;
    if (notKept > 0) out.messagesNotKept = notKept;
  }
  return out;
}
