/**
 * Filtering on what the decoders found: `event:chat:message`, `topic:sensors/#`, `op:OnPrice`,
 * `protocol:mqtt`. Every space-separated term must match. A frame that carries several messages
 * (a batch) matches when one of its messages matches every term, so `topic:alerts/# qos:2` needs
 * one packet with both; `protocol` and `heartbeat` are the frame's own. A value is compared case-insensitively
 * and whole; `*` stands for any run of characters; in `topic` and `destination` the MQTT
 * wildcards work too (`+` one level, `#` the rest); elsewhere `/regex/flags` is a regular expression.
 * Only the names below start a field term, so an ordinary search like `a:b` stays a substring.
 */
import type { DecodedMessage, FieldValue } from '../../decoders/types';

export const FIELD_NAMES = [
  'protocol', 'type', 'event', 'namespace', 'id', 'topic', 'qos', 'destination', 'command', 'op', 'operation',
  'channel', 'method', 'target', 'procedure', 'subscription', 'clientid', 'heartbeat',
] as const;

/** Field names that read like MQTT topics, where `+` and `#` are wildcards. */
const TOPIC_LIKE = new Set(['topic', 'destination']);
const TERM = /^([a-z]+):(.+)$/i;

export interface FieldTerm { name: string; test(v: FieldValue): boolean }

export type FieldQueryResult = { ok: true; terms: FieldTerm[] } | { ok: false; error: string } | null;

/** The field terms of `input`, or null when it is not a field query (then it is a text search). */
export function parseFieldQuery(input: string): FieldQueryResult {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const terms: FieldTerm[] = [];
  for (const w of words) {
    const m = TERM.exec(w);
    const name = m?.[1]!.toLowerCase();
    if (!m || !name || !(FIELD_NAMES as readonly string[]).includes(name)) return null;
    const test = valueTest(name, m[2]!);
    if (typeof test === 'string') return { ok: false, error: `${name}: ${test}` };
    terms.push({ name: name === 'operation' ? 'op' : name, test });
  }
  return { ok: true, terms };
}

/** Runs over every row of the log: no allocation here, a million rows at a keystroke. */
export function matchesFields(msg: DecodedMessage | null | undefined, terms: readonly FieldTerm[]): boolean {
  if (!msg) return false;
  const batch = msg.messages;
  if (batch === undefined) return matchesAll(msg, msg.fields, terms);
  for (let i = 0; i < batch.length; i++) if (matchesAll(msg, batch[i]!.fields, terms)) return true;
  return false;
}

function matchesAll(msg: DecodedMessage, fields: Record<string, FieldValue>, terms: readonly FieldTerm[]): boolean {
  for (const t of terms) {
    const v = t.name === 'protocol' ? msg.protocol : t.name === 'heartbeat' ? msg.heartbeat : fieldOf(fields, t.name);
    if (v === undefined || !t.test(v)) return false;
  }
  return true;
}

/** Field names compare case-insensitively (`clientId` is `clientid:`). */
function fieldOf(fields: Record<string, FieldValue>, name: string): FieldValue | undefined {
  if (name in fields) return fields[name];
  for (const k in fields) if (k.toLowerCase() === name) return fields[k];
  return undefined;
}

function valueTest(name: string, raw: string): ((v: FieldValue) => boolean) | string {
  // Topics and destinations start with "/" (STOMP) too often to read /…/ as a regex there.
  const re = TOPIC_LIKE.has(name) ? null : /^\/(.+)\/([a-z]*)$/s.exec(raw);
  if (re) {
    try {
      const rx = new RegExp(re[1]!, re[2]!.replace(/[gy]/g, ''));
      return (v) => rx.test(String(v));
    } catch (e) {
      return `invalid regex: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const want = raw.toLowerCase();
  if (TOPIC_LIKE.has(name) && /[+#]/.test(want)) return (v) => mqttMatch(want, String(v).toLowerCase());
  if (want.includes('*')) {
    const rx = new RegExp(`^${want.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    return (v) => rx.test(String(v).toLowerCase());
  }
  return (v) => String(v).toLowerCase() === want;
}

/** MQTT topic filter matching: `+` is one level, a final `#` is this level and everything below. */
export function mqttMatch(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
