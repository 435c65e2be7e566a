/**
 * `sentby:` filter terms, on the stack a sent frame was recorded with (*Record send stacks*).
 * They combine with the rest of the query and the toolbar's toggles:
 *   sentby:sendOrder      a frame whose send() stack has a function of that name
 *   sentby:app.js         … a function in that script (its file name)
 *   sentby:app.js:8       … that script at that line
 *   sentby:send*          `*` for any run of characters; "quoted" for names with spaces
 * Case-insensitive. A term matches when any frame of the stack does, so naming a caller finds
 * everything sent beneath it. A rule's row about a sent frame (held, dropped, answered…) carries
 * that frame's stack, so it matches too. Pure: parsed here, applied in filter-engine.
 */
import { scriptName, type Initiator } from '../../protocol/stack-frames';
import { nameMatcher } from './name-pattern';

export interface StackRow {
  initiator?: Initiator;
}

export type StackTerm = (row: StackRow) => boolean;

export type StackTermsResult = { ok: true; terms: StackTerm[]; rest: string } | { ok: false; error: string };

const TOKEN = /(^|\s)(sentby:(?:"(?:[^"\\]|\\.)*"|\S*))(?=\s|$)/gi;
const PREFIX = 'sentby:'.length;

/** Takes the `sentby:` terms out of the query text; `rest` is what is left for the other filters. */
export function parseStackTerms(text: string): StackTermsResult {
  const terms: StackTerm[] = [];
  let error: string | null = null;
  const rest = text.replace(TOKEN, (_m, lead: string, token: string) => {
    const t = parseTerm(token.slice(PREFIX));
    if (typeof t === 'string') error ??= t; else terms.push(t);
    return lead;
  });
  if (error !== null) return { ok: false, error };
  return { ok: true, terms, rest: terms.length ? rest.trim() : text };
}

function parseTerm(value: string): StackTerm | string {
  const is = nameMatcher(value, 'sentby', 'name a function or a script, e.g. sentby:sendOrder or sentby:app.js:8');
  if (typeof is === 'string') return is;
  // Frames with one stack share one Initiator (the panel's SharedStacks): each stack is looked
  // at once per term, however many frames it sent.
  const seen = new WeakMap<Initiator, boolean>();
  return (row) => {
    const i = row.initiator;
    if (i === undefined) return false;
    let hit = seen.get(i);
    if (hit === undefined) {
      hit = i.stack.some((f) => {
        const file = f.url ? scriptName(f.url).toLowerCase() : '';
        return (f.fn !== '' && is(f.fn.toLowerCase())) || (file !== '' && (is(file) || (f.line > 0 && is(`${file}:${f.line}`))));
      });
      seen.set(i, hit);
    }
    return hit;
  };
}
