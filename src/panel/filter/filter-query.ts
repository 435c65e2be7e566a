/**
 * The filter box's text as a predicate. `/pattern/flags` is a regular expression; anything else
 * is a case-insensitive substring. Pure, so the panel keeps the last good query on error.
 */

export type FilterQuery =
  | { kind: 'all'; test(text: string): boolean }
  | { kind: 'substring'; needle: string; test(text: string): boolean }
  | { kind: 'regex'; regex: RegExp; test(text: string): boolean };

export type FilterQueryResult = { ok: true; query: FilterQuery } | { ok: false; error: string };

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;
const VALID_FLAGS = /^[dgimsuvy]*$/;
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;
const ENGINE_PREFIX = 'Invalid regular expression: ';

const ALL: FilterQuery = { kind: 'all', test: () => true };

export function parseFilterQuery(input: string): FilterQueryResult {
  if (input.trim() === '') return { ok: true, query: ALL };
  // The needle keeps its spaces: `"op": "x"` is a legitimate search. Only the regex form is
  // recognised on trimmed text, since a stray space around `/…/` is never meant.
  const m = REGEX_FORM.exec(input.trim());
  if (m && VALID_FLAGS.test(m[2] ?? '')) return compileRegex(m[1] ?? '', m[2] ?? '');
  return { ok: true, query: substring(input) };
}

function compileRegex(pattern: string, flags: string): FilterQueryResult {
  // `g` and `y` make RegExp.prototype.test advance lastIndex, so the same row would match on
  // one call and not the next.
  const kept = flags.replace(/[gy]/g, '');
  try {
    const regex = new RegExp(pattern, kept);
    return { ok: true, query: { kind: 'regex', regex, test: (t) => regex.test(t) } };
  } catch (e) {
    return { ok: false, error: `Invalid regex: ${engineMessage(e, pattern, kept)}` };
  }
}

/** V8 repeats the whole pattern before the reason; the filter box already shows the pattern. */
function engineMessage(e: unknown, pattern: string, flags: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  const exact = `${ENGINE_PREFIX}/${pattern}/${flags}: `;
  if (msg.startsWith(exact)) return msg.slice(exact.length);
  if (msg.startsWith(ENGINE_PREFIX)) return msg.slice(ENGINE_PREFIX.length);
  return msg;
}

function substring(needle: string): FilterQuery {
  // Without cased characters `i` changes nothing, and includes() beats the regex engine.
  if (needle.toLowerCase() === needle && needle.toUpperCase() === needle) {
    return { kind: 'substring', needle, test: (t) => t.includes(needle) };
  }
  // One precompiled case-insensitive regex scans without lower-casing (and copying) every text.
  const regex = new RegExp(needle.replace(REGEX_SPECIALS, '\\$&'), 'i');
  return { kind: 'substring', needle, test: (t) => regex.test(t) };
}
