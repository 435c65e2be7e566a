/**
 * Pairing plain JSON by a key the user picks (`id`, `requestId`, `meta.correlationId`): reading
 * that key from a message, and suggesting keys from the traffic. A key is a good correlator when
 * it holds scalar values that show up in both directions, so the suggestions rank by how many
 * distinct values the two directions share. Pure; never throws on any JSON.
 */
import { keyOf } from './pair-tags';
import { has, isRecord } from '../protocols/json-frame';

/** Paths deeper than this are not suggested (nor read: `a.b.c.d` is refused as a key). */
export const KEY_PATH_MAX_DEPTH = 3;
/** Keys looked at per object while collecting suggestions: a huge object is sampled, not walked. */
const KEYS_PER_OBJECT = 64;
/** Distinct values remembered per path and direction, and paths remembered in all. */
const VALUES_PER_PATH = 256;
const PATHS_MAX = 512;
/** Keys whose value names the message, for the Calls view, in order of preference. */
const NAME_KEYS = ['method', 'type', 'event', 'action', 'op', 'cmd', 'command', 'name', 'kind'];

const PATH = /^[^.\s]+(\.[^.\s]+){0,2}$/;

/** The key path the user typed, or why it is no good. */
export function parseKeyPath(input: string): { ok: true; path: string[] } | { ok: false; error: string } {
  const t = input.trim();
  if (!PATH.test(t)) return { ok: false, error: `a key path is up to ${KEY_PATH_MAX_DEPTH} names joined by dots, e.g. id or meta.correlationId` };
  return { ok: true, path: t.split('.') };
}


/** The pairing key and a call name of one message, or null when it has no usable value at `path`. */
export function jsonPairKey(value: unknown, path: readonly string[]): { key: string; call: string } | null {
  let v: unknown = value;
  for (const p of path) {
    if (!isRecord(v) || !has(v, p)) return null;
    v = v[p];
  }
  const key = keyOf(v);
  if (key === undefined) return null;
  return { key, call: callName(value) ?? `(by ${path.join('.')})` };
}

/** The message's own name (`{"method":"getUser"}` → getUser), when it has one. */
function callName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const k of NAME_KEYS) {
    const v = has(value, k) ? value[k] : undefined;
    if (typeof v === 'string' && v.length > 0 && v.length <= 120) return v;
  }
  return undefined;
}

/** Parses a text frame as JSON only when it looks like an object (a cheap first-character test first). */
export function parseJsonObject(text: string): unknown {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) <= 32)) i++;
  if (text[i] !== '{') return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

export interface KeySuggestion {
  path: string;
  /** Distinct values seen in both directions. */
  shared: number;
  /** Messages that had the key, both directions. */
  seen: number;
}

interface PathStats { seen: number; sent: Set<string>; received: Set<string> }

/** Watches JSON messages and suggests which key pairs them. */
export class KeySuggestions {
  private paths = new Map<string, PathStats>();

  observe(dir: 'sent' | 'received', value: unknown): void {
    if (isRecord(value)) this.walk(dir, value, '', 1);
  }

  private walk(dir: 'sent' | 'received', o: Record<string, unknown>, prefix: string, depth: number): void {
    let n = 0;
    for (const k in o) {
      if (!has(o, k) || ++n > KEYS_PER_OBJECT) break;
      if (k.includes('.') || /\s/.test(k)) continue;
      const v = o[k];
      const path = prefix ? `${prefix}.${k}` : k;
      if (isRecord(v)) { if (depth < KEY_PATH_MAX_DEPTH) this.walk(dir, v, path, depth + 1); continue; }
      const key = keyOf(v);
      if (key === undefined || typeof v === 'boolean') continue;
      let s = this.paths.get(path);
      if (!s) {
        if (this.paths.size >= PATHS_MAX) continue;
        s = { seen: 0, sent: new Set(), received: new Set() };
        this.paths.set(path, s);
      }
      s.seen++;
      const set = s[dir];
      if (set.size < VALUES_PER_PATH) set.add(key);
    }
  }

  /** Keys seen in both directions with values in common, best first. */
  suggest(max = 6): KeySuggestion[] {
    const out: KeySuggestion[] = [];
    for (const [path, s] of this.paths) {
      let shared = 0;
      for (const k of s.sent) if (s.received.has(k)) shared++;
      if (shared > 0) out.push({ path, shared, seen: s.seen });
    }
    return out.sort((a, b) => b.shared - a.shared || b.seen - a.seen || a.path.localeCompare(b.path)).slice(0, max);
  }
}
