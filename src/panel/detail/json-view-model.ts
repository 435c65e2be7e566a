/** The JSON detail tree's logic: parsing, children, paths and one-line previews. */

/** Larger texts are shown raw: parsing and laying out a tree for them would stall the panel. */
export const JSON_PARSE_MAX_CHARS = 10 * 1024 * 1024;
/**
 * Deeper documents are shown raw. V8's JSON.parse accepts any depth, but JSON.stringify (copy)
 * and a nested tree recurse, and overflow the stack thousands of levels down.
 */
export const JSON_MAX_DEPTH = 1000;

export type JsonKey = string | number;

export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length > JSON_PARSE_MAX_CHARS) return { ok: false };
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return { ok: false };
  if (exceedsDepth(text, JSON_MAX_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // SyntaxError, and RangeError from engines whose parser recurses.
    return { ok: false };
  }
}

/** Bracket depth outside strings; cheaper than parsing, and it runs before the parse. */
function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Keys in the object's own order (JS puts integer-like keys first, as the console does). */
export function jsonChildren(value: unknown): { key: JsonKey; value: unknown }[] {
  if (Array.isArray(value)) return value.map((v: unknown, i) => ({ key: i, value: v }));
  if (!isContainer(value)) return [];
  return Object.entries(value).map(([key, v]: [string, unknown]) => ({ key, value: v }));
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JSONPath of a node, pasteable into tools: quoted brackets wherever dot notation would be ambiguous. */
export function jsonPath(path: readonly JsonKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

export const SUMMARY_STRING_CHARS = 120;

export function jsonSummary(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[…] ${plural(value.length, 'item')}`;
  if (isContainer(value)) {
    const n = Object.keys(value).length;
    return n === 0 ? '{}' : `{…} ${plural(n, 'key')}`;
  }
  if (typeof value === 'string') {
    if (value.length <= SUMMARY_STRING_CHARS) return JSON.stringify(value);
    let cut = SUMMARY_STRING_CHARS;
    // Never split a surrogate pair: half an emoji renders as a replacement box.
    const last = value.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    // JSON quoting keeps the preview on one line (newlines show as \n).
    return `${JSON.stringify(value.slice(0, cut)).slice(0, -1)}…"`;
  }
  return JSON.stringify(value) ?? String(value);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What "Copy value" puts on the clipboard: strings without quotes, structures pretty-printed. */
export function copyValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isContainer(value)) return JSON.stringify(value, null, 2);
  return JSON.stringify(value) ?? String(value);
}
