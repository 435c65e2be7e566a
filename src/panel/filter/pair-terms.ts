/**
 * Filter terms on request/response pairing, which combine with the rest of the query (a text
 * search or field terms) and the toolbar's toggles:
 *   latency:>500ms  latency:<10ms  latency:>=1.5s   a frame whose latency (a request's first
 *                                                  reply, a reply's own) is in range
 *   unanswered                                     a request marked *no response*
 *   paired:no                                      a request without a reply yet, or a reply without its request
 *   paired:yes                                     a frame of an exchange that has both sides
 *   call:getUser  call:"PUBLISH sensors/1"         a frame of that call (`*` for any run of characters)
 * Pure: parsed here, applied in filter-engine.
 */
import type { Exchange } from '../model/types';
import { nameMatcher } from './name-pattern';

export interface PairRow {
  /** Always there on a paired row (a frame); optional so rows in tests need not invent one. */
  at?: number;
  pair?: Exchange;
  pairsMore?: Exchange[];
  unpaired?: true;
}

export type PairTerm = (row: PairRow) => boolean;

export type PairTermsResult = { ok: true; terms: PairTerm[]; rest: string } | { ok: false; error: string };

const TOKEN = /(^|\s)(latency:\S*|unanswered|paired:\S*|call:(?:"(?:[^"\\]|\\.)*"|\S*))(?=\s|$)/gi;
const LATENCY = /^latency:(<=|>=|<|>)(\d+(?:\.\d+)?)(ms|s)?$/i;

/** Takes the pairing terms out of the query text; `rest` is what is left for the other filters. */
export function parsePairTerms(text: string): PairTermsResult {
  const terms: PairTerm[] = [];
  let error: string | null = null;
  const rest = text.replace(TOKEN, (_m, lead: string, token: string) => {
    const t = parseTerm(token);
    if (typeof t === 'string') error ??= t; else terms.push(t);
    return lead;
  });
  if (error !== null) return { ok: false, error };
  return { ok: true, terms, rest: terms.length ? rest.trim() : text };
}

function parseTerm(token: string): PairTerm | string {
  const lower = token.toLowerCase();
  if (lower === 'unanswered') return (row) => some(row, (x) => x.request === row && x.noResponse !== null);
  if (lower.startsWith('paired:')) {
    const v = lower.slice(7);
    if (v === 'no') return (row) => row.unpaired === true || some(row, (x) => x.request === row && x.replies === 0);
    if (v === 'yes') return (row) => some(row, (x) => x.replies > 0);
    return 'paired: use paired:yes or paired:no';
  }
  if (lower.startsWith('latency:')) {
    const m = LATENCY.exec(token);
    if (!m) return 'latency: use latency:>500ms, latency:<10ms or latency:>=1.5s';
    const ms = Number(m[2]) * (m[3]?.toLowerCase() === 's' ? 1000 : 1);
    const op = m[1]!;
    const inRange = op === '>' ? (l: number) => l > ms : op === '>=' ? (l: number) => l >= ms : op === '<' ? (l: number) => l < ms : (l: number) => l <= ms;
    return (row) => some(row, (x) => { const l = latencyIn(row, x); return l !== null && inRange(l); });
  }
  // call:
  const is = nameMatcher(token.slice(5), 'call', 'name a call, e.g. call:getUser');
  if (typeof is === 'string') return is;
  return (row) => some(row, (x) => is(x.call.toLowerCase()));
}

/** A name as a `call:` term (quoted when it has spaces or quotes), for the Calls view's rows. */
export function callTerm(call: string): string {
  return /^[^\s"]+$/.test(call) ? `call:${call}` : `call:${JSON.stringify(call)}`;
}

function some(row: PairRow, test: (x: Exchange) => boolean): boolean {
  const x = row.pair;
  if (x === undefined) return false;
  if (test(x)) return true;
  const more = row.pairsMore;
  if (more) for (const m of more) if (test(m)) return true;
  return false;
}

/** A row's latency within exchange `x`: the first reply's, on the request; its own, on a reply. */
export function latencyIn(row: PairRow, x: Exchange): number | null {
  if (x.request === row) return x.firstAt === null ? null : x.firstAt - x.at;
  return (row.at ?? x.at) - x.at;
}
