/**
 * Intercept rules: which frames to hold, change, drop or delay before they reach the server or
 * the page. The panel owns the rules; the hook applies them. Compiling is pure, so the matching
 * is unit-tested, and the hook's hot path pays one boolean check while no rule is on.
 */
import type { Direction } from './capture-events';
import type { RuleScope } from './rule-scope';

export type RuleAction =
  | { type: 'pause' }
  | { type: 'drop' }
  | { type: 'delay'; ms: number }
  /** A regex substitution on text payloads: `find` is a /regex/flags or plain text, replaced everywhere. */
  | { type: 'modify'; find: string; replace: string };

export interface InterceptRule {
  id: string;
  enabled: boolean;
  /** Substring of the socket URL, or /regex/; empty matches every socket. */
  urlPattern: string;
  direction: Direction | 'both';
  /** Substring (case-sensitive) or /regex/flags on a text payload; empty matches every frame, binary too. */
  match: string;
  action: RuleAction;
  /** Where it applies (see rule-scope). Absent in rules saved before scopes: those load off, until one is chosen. */
  scope?: RuleScope;
  /** The user chose to catch every frame (no URL or payload pattern); without it such a rule cannot be on. */
  everyFrame?: true;
}

/** Delays longer than this are refused: a frame held for minutes is a stuck app, not a test. */
export const MAX_DELAY_MS = 60_000;

export type CompiledAction = { ruleId: string; action: RuleAction; rewrite?: (text: string) => string };
export type RuleMatcher = (url: string, dir: Direction, text: string | null) => CompiledAction | null;

/** `/source/flags` or plain text → a tester, or an error message. */
function toTester(pattern: string): { ok: true; test: (s: string) => boolean } | { ok: false; error: string } {
  const m = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (!m) return { ok: true, test: (s) => s.includes(pattern) };
  try {
    const re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
    return { ok: true, test: (s) => re.test(s) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function toRewrite(find: string, replace: string): ((s: string) => string) | string {
  const m = /^\/(.+)\/([a-z]*)$/.exec(find);
  try {
    const re = m ? new RegExp(m[1]!, m[2]!.includes('g') ? m[2]! : `${m[2]!}g`) : new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
    return (s) => s.replace(re, replace);
  } catch (e) {
    return (e as Error).message;
  }
}

/** Checks one rule; returns what is wrong with it, worded for the rules editor, or null. */
export function ruleError(r: InterceptRule): string | null {
  const url = toTester(r.urlPattern);
  if (!url.ok) return `URL pattern: ${url.error}`;
  const match = toTester(r.match);
  if (!match.ok) return `Payload match: ${match.error}`;
  if (r.action.type === 'delay' && !(Number.isInteger(r.action.ms) && r.action.ms >= 0 && r.action.ms <= MAX_DELAY_MS)) {
    return `Delay: a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`;
  }
  if (r.action.type === 'modify') {
    if (!r.action.find) return 'Modify: say what to find';
    const rw = toRewrite(r.action.find, r.action.replace);
    if (typeof rw === 'string') return `Modify: ${rw}`;
  }
  return null;
}

/**
 * The enabled, valid rules as one matcher; the first rule that matches decides. `text` is null
 * for a binary payload, which only rules with an empty payload match can catch (and modify
 * leaves unchanged).
 */
export function compileRules(rules: readonly InterceptRule[]): RuleMatcher | null {
  const compiled = rules.filter((r) => r.enabled && ruleError(r) === null).map((r) => {
    const url = toTester(r.urlPattern) as { ok: true; test: (s: string) => boolean };
    const match = toTester(r.match) as { ok: true; test: (s: string) => boolean };
    const rewrite = r.action.type === 'modify' ? (toRewrite(r.action.find, r.action.replace) as (s: string) => string) : undefined;
    return { r, url, match, rewrite };
  });
  if (compiled.length === 0) return null;
  return (url, dir, text) => {
    for (const c of compiled) {
      if (c.r.direction !== 'both' && c.r.direction !== dir) continue;
      if (c.r.urlPattern && !c.url.test(url)) continue;
      if (c.r.match && (text === null || !c.match.test(text))) continue;
      if (c.rewrite && text === null) continue;
      return { ruleId: c.r.id, action: c.r.action, ...(c.rewrite && { rewrite: c.rewrite }) };
    }
    return null;
  };
}
