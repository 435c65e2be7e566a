/**
 * Shared helpers for the JSON-framed protocol decoders (SignalR, Phoenix, Action Cable, WAMP,
 * JSON-RPC) and the binary object decoders: cheap shape checks for sniffing, a guarded JSON.parse,
 * short value previews for summaries, a bounded map for per-connection state, and the merge of
 * several messages carried by one frame into one DecodedMessage. Nothing here throws.
 */
import { SUMMARY_MAX_CHARS } from '../budget';
import type { DecodedMessage, FieldValue, ProtocolId } from '../types';

/** Sniffing never parses more than this many characters (or bytes) of a frame. */
export const SNIFF_PARSE_MAX = 64 * 1024;

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON.parse that reports instead of throwing. */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** The first character that is not JSON whitespace ('' when there is none). */
export function firstChar(text: string): string {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return text[i] ?? '';
  return '';
}

/** The last character that is not JSON whitespace ('' when there is none). */
export function lastChar(text: string): string {
  for (let i = text.length - 1; i >= 0; i--) if (!isSpace(text.charCodeAt(i))) return text[i] ?? '';
  return '';
}

/** `{ … }` around the text: a JSON object, perhaps. O(1) for ordinary frames. */
export function looksLikeJsonObject(text: string): boolean {
  return firstChar(text) === '{' && lastChar(text) === '}';
}

/** `[ … ]` around the text: a JSON array, perhaps. */
export function looksLikeJsonArray(text: string): boolean {
  return firstChar(text) === '[' && lastChar(text) === ']';
}

/**
 * For sniffing: the parsed value of a small frame that looks like a JSON object or array, else
 * undefined (too large, wrong shape or invalid).
 */
export function sniffJson(text: string): unknown {
  if (text.length > SNIFF_PARSE_MAX) return undefined;
  if (!looksLikeJsonObject(text) && !looksLikeJsonArray(text)) return undefined;
  const r = parseJson(text);
  return r.ok ? r.value : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

export const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 text of some bytes, or undefined when they are not UTF-8. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** An id (JSON-RPC, WAMP, SignalR) as text for summaries and map keys; undefined for anything else. */
export function idText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

/** An id as a field value (numbers stay numbers so `id:4` and `id>3` both work). */
export function idField(v: unknown): FieldValue | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

/** Keys an application message commonly names itself by (`{"event":"chat",…}`): copied to fields when scalar. */
export const COMMON_KEYS: readonly string[] = ['type', 'event', 'op', 'id', 'method', 'action', 'topic', 'channel', 'command', 'target', 'cmd', 'kind', 'name', 'status'];

/** Puts the COMMON_KEYS among `entries` that hold a scalar into `fields` (names it already has stay). */
export function copyCommonFields(entries: Iterable<[string, unknown]>, fields: Record<string, FieldValue>): void {
  for (const [k, x] of entries) {
    if (!COMMON_KEYS.includes(k) || has(fields, k)) continue;
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') fields[k] = x;
    else if (typeof x === 'bigint') fields[k] = x.toString();
  }
}

const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max - 1) + '…');

/** A one-word-ish preview of any value: `42`, `"hi"`, `{3}`, `[5]`, `null`, `16 bytes`. */
export function preview(v: unknown, max = 32): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(cut(v, max));
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return cut(String(v), max);
  if (ArrayBuffer.isView(v)) return `${v.byteLength} bytes`;
  if (v instanceof ArrayBuffer) return `${v.byteLength} bytes`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (Array.isArray(v)) return `[${v.length}]`;
  if (v instanceof Map) return `{${v.size}}`;
  if (typeof v === 'object') return `{${Object.keys(v).length}}`;
  return cut(String(v), max);
}

/** A plain string for a summary or field: strings as they are, other scalars printed, else undefined. */
export function scalarText(v: unknown, max = 120): string | undefined {
  if (typeof v === 'string') return cut(v, max);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/**
 * A Map that forgets its oldest entries past `max`, for per-connection state (request id → method)
 * that must not grow without bound on a long-lived connection.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max = 4096) {}
  get(k: K): V | undefined {
    return this.map.get(k);
  }
  has(k: K): boolean {
    return this.map.has(k);
  }
  set(k: K, v: V): void {
    if (this.map.has(k)) this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }
  get size(): number {
    return this.map.size;
  }
}

/** A message with only a summary and an error: the frame is this protocol's but broken. */
export function malformed(protocol: ProtocolId, summary: string, error: string, body?: unknown): DecodedMessage {
  const m: DecodedMessage = { protocol, summary, fields: {}, heartbeat: false, error };
  if (body !== undefined) m.body = body;
  return m;
}

/**
 * One DecodedMessage for a frame that carries several messages (SignalR's 0x1E-separated records,
 * WAMP batches, JSON-RPC batches, SockJS arrays, Engine.IO payloads). `messages` keeps each part's
 * own fields, which the filter matches one message at a time. The summary lists the parts; the
 * merged fields (the first message that is not a heartbeat winning each name) are for the detail
 * pane; `count` says how many; the frame is a heartbeat only if every part is, and partial only if
 * every part waits for a later frame; body lists the bodies.
 */
export function combine(protocol: ProtocolId, parts: DecodedMessage[], body?: unknown): DecodedMessage {
  if (parts.length === 1 && parts[0]) return parts[0];
  if (parts.length === 0) return malformed(protocol, '(empty)', 'no message in the frame');
  const fields: Record<string, FieldValue> = {};
  const ordered = [...parts.filter((p) => !p.heartbeat), ...parts.filter((p) => p.heartbeat)];
  for (const p of ordered) for (const [k, v] of Object.entries(p.fields)) if (!has(fields, k)) fields[k] = v;
  fields.count = parts.length;
  let summary = '';
  let shown = 0;
  for (const p of parts) {
    const next = shown === 0 ? p.summary : `${summary}; ${p.summary}`;
    if (next.length > SUMMARY_MAX_CHARS && shown > 0) break;
    summary = next;
    shown++;
  }
  if (shown < parts.length) summary += `; +${parts.length - shown} more`;
  const errors = parts.map((p, i) => (p.error ? `message ${i + 1}: ${p.error}` : '')).filter(Boolean);
  const m: DecodedMessage = {
    protocol,
    summary,
    fields,
    heartbeat: parts.every((p) => p.heartbeat),
    body: body !== undefined ? body : parts.map((p) => p.body),
    // The parts themselves: withinBudget copies the ones it keeps, without their bodies.
    messages: parts,
  };
  if (parts.every((p) => p.partial)) m.partial = true;
  if (errors.length) m.error = errors.slice(0, 3).join('; ') + (errors.length > 3 ? `; +${errors.length - 3} more` : '');
  return m;
}
