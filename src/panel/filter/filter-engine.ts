/**
 * The frame table's filter: the text query plus the toolbar toggles, compiled once into a
 * predicate that runs over every row. Pure, so the rules below are unit-tested.
 */
import { BinaryTextCache, binarySearchText, type BinaryText } from './binary-text';
import { parseFilterQuery, type FilterQuery } from './filter-query';
import { matchesFields, parseFieldQuery } from './field-query';
import { parsePairTerms, type PairRow } from './pair-terms';
import { parseStackTerms, type StackRow } from './stack-terms';
import type { DecodedMessage } from '../../decoders/types';
import { isRecord } from '../../protocol/guards';

const ALL_ROWS: FilterQuery = { kind: 'all', test: () => true };

export interface FilterSpec {
  text: string;
  invert: boolean;
  direction: 'all' | 'sent' | 'received';
  types: { text: boolean; binary: boolean; lifecycle: boolean };
  /** Connection ids; null = all. */
  connections: readonly string[] | null;
  /** Bytes, inclusive; null = unbounded. */
  minSize: number | null;
  maxSize: number | null;
  /** Hides what decoders call keep-alive traffic (pings, heart-beats). */
  hideHeartbeats: boolean;
}

export const DEFAULT_FILTER: FilterSpec = Object.freeze({
  text: '',
  invert: false,
  direction: 'all' as const,
  types: Object.freeze({ text: true, binary: true, lifecycle: true }),
  connections: null,
  minSize: null,
  maxSize: null,
  hideHeartbeats: false,
});

export type FilterRow =
  /** `data`: the text, or the bytes of a binary frame. */
  | ({ kind: 'frame'; connId: string; dir: 'sent' | 'received'; type: 'text' | 'binary'; size: number; data: string | Uint8Array; msg?: DecodedMessage | null } & PairRow & StackRow)
  /** e.g. "open", "close 1000 Normal Closure bye", "error"; a rule's row about a sent frame has its stack. */
  | ({ kind: 'lifecycle'; connId: string; text: string } & StackRow);

/** `'heartbeat'`: the row would show but "Hide heartbeats" hides it (the counts say how many). */
export type RowVerdict = boolean | 'heartbeat';

export type CompiledFilter = { ok: true; matches(row: FilterRow): RowVerdict } | { ok: false; error: string };

export function compileFilter(spec: FilterSpec, cache?: BinaryTextCache): CompiledFilter {
  const pairing = parsePairTerms(spec.text);
  if (!pairing.ok) return pairing;
  const pairTerms = pairing.terms;
  const stacks = parseStackTerms(pairing.rest);
  if (!stacks.ok) return stacks;
  const stackTerms = stacks.terms;
  const text = stacks.rest;
  const fields = parseFieldQuery(text);
  if (fields && !fields.ok) return fields;
  const parsed = fields ? { ok: true as const, query: ALL_ROWS } : parseFilterQuery(text);
  if (!parsed.ok) return parsed;
  const query = parsed.query;
  const terms = fields?.terms ?? null;
  const { hideHeartbeats } = spec;
  const conns = spec.connections ? new Set(spec.connections) : null;
  const { direction, types, minSize, maxSize } = spec;
  // Inverting an empty query would hide every row, which is never what the checkbox means.
  const invert = spec.invert && (query.kind !== 'all' || terms !== null || pairTerms.length > 0 || stackTerms.length > 0);
  const searchText = (row: FilterRow & { kind: 'frame' }, bytes: Uint8Array): BinaryText =>
    cache ? cache.get(row, bytes) : binarySearchText(bytes);
  const hexNeedle = query.kind === 'substring' ? toHexNeedle(query.needle) : null;

  const textMatches = (row: FilterRow): boolean => {
    for (const t of stackTerms) if (!t(row)) return false;
    if (pairTerms.length) {
      if (row.kind !== 'frame') return false;
      for (const t of pairTerms) if (!t(row)) return false;
    }
    if (terms) return row.kind === 'frame' && matchesFields(row.msg, terms);
    if (query.kind === 'all') return true;
    if (row.kind === 'lifecycle') return query.test(row.text);
    if (typeof row.data === 'string') return query.test(row.data);
    const bin = searchText(row, row.data);
    if (query.test(bin.utf8)) return true;
    if (query.kind === 'regex') return query.test(bin.hex);
    return hexNeedle !== null && includesAligned(bin.hex, hexNeedle);
  };

  const matches = (row: FilterRow): RowVerdict => {
    if (conns && !conns.has(row.connId)) return false;
    if (row.kind === 'lifecycle') {
      if (!types.lifecycle) return false;
    } else {
      if (row.type === 'text' ? !types.text : !types.binary) return false;
      if (direction !== 'all' && row.dir !== direction) return false;
      if (minSize !== null && row.size < minSize) return false;
      if (maxSize !== null && row.size > maxSize) return false;
    }
    if (textMatches(row) === invert) return false;
    return hideHeartbeats && row.kind === 'frame' && row.msg?.heartbeat ? 'heartbeat' : true;
  };
  return { ok: true, matches };
}

/** "de ad BE ef" is how people copy bytes; the hex text has neither spaces nor capitals. */
function toHexNeedle(needle: string): string | null {
  const hex = needle.replace(/\s+/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(hex) ? hex : null;
}

/** Only at byte boundaries: "ad" must not match the bytes 0a d0. */
function includesAligned(hex: string, needle: string): boolean {
  for (let i = hex.indexOf(needle); i !== -1; i = hex.indexOf(needle, i + 1)) {
    if ((i & 1) === 0) return true;
  }
  return false;
}

type RowSource = ArrayLike<FilterRow> | { length: number; at(i: number): FilterRow };

/** Indices of the matching rows, in order; a typed array since it can hold a million entries. */
export function filterIndices(rows: RowSource, matches: (r: FilterRow) => RowVerdict): Uint32Array {
  const n = rows.length;
  const out = new Uint32Array(n);
  let count = 0;
  const at = !Array.isArray(rows) && 'at' in rows && typeof rows.at === 'function' ? rows.at.bind(rows) : null;
  for (let i = 0; i < n; i++) {
    const row = at ? at(i) : (rows as ArrayLike<FilterRow>)[i];
    if (row !== undefined && matches(row) === true) out[count++] = i;
  }
  return out.slice(0, count);
}

export function serializeFilter(spec: FilterSpec): string {
  return JSON.stringify({ v: 1, ...spec });
}

/** Stored state may come from an older version or be hand-edited: keep each valid field only. */
export function deserializeFilter(json: string | null): FilterSpec {
  let raw: unknown = null;
  try {
    raw = json === null ? null : JSON.parse(json);
  } catch {
    raw = null;
  }
  const o = isRecord(raw) ? raw : {};
  const t = isRecord(o.types) ? o.types : {};
  const d = DEFAULT_FILTER;
  return {
    text: typeof o.text === 'string' ? o.text : d.text,
    invert: typeof o.invert === 'boolean' ? o.invert : d.invert,
    direction: o.direction === 'all' || o.direction === 'sent' || o.direction === 'received' ? o.direction : d.direction,
    types: {
      text: typeof t.text === 'boolean' ? t.text : d.types.text,
      binary: typeof t.binary === 'boolean' ? t.binary : d.types.binary,
      lifecycle: typeof t.lifecycle === 'boolean' ? t.lifecycle : d.types.lifecycle,
    },
    connections:
      Array.isArray(o.connections) && o.connections.every((c) => typeof c === 'string')
        ? [...(o.connections as string[])]
        : d.connections,
    minSize: isSize(o.minSize) ? o.minSize : d.minSize,
    maxSize: isSize(o.maxSize) ? o.maxSize : d.maxSize,
    hideHeartbeats: typeof o.hideHeartbeats === 'boolean' ? o.hideHeartbeats : d.hideHeartbeats,
  };
}

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
