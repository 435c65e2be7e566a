/**
 * Intercept rules: which frames to hold, change, drop or delay before they reach the server or
 * the page. The panel owns the rules; the hook applies them. Compiling is pure, so the matching
 * is unit-tested, and the hook's hot path pays one boolean check while no rule is on.
 */
import type { Direction } from './capture-events';
import { fillTemplate, groupsUsed, NOT_JSON, parseTemplate, usesRequest, type ReplyTemplate } from './reply-template';
import type { RuleScope } from './rule-scope';

export type RuleAction =
  | { type: 'pause' }
  | { type: 'drop' }
  | { type: 'delay'; ms: number }
  /** A regex substitution on text payloads: `find` is a /regex/flags or plain text, replaced everywhere. */
  | { type: 'modify'; find: string; replace: string }
  | RespondAction;

/**
 * Answer the page on the same socket, as if the server had: each reply (a template, see
 * reply-template.ts) is delivered as an incoming message, in order, `delayMs` after the trigger.
 * `on: 'frame'`: when a frame the page sends matches; `forward` says whether that frame still
 * goes to the server (false: the rule answers instead of the server). `on: 'open'`: when a socket
 * whose URL matches opens (a mock server's welcome); the payload match is not used.
 */
export interface RespondAction {
  type: 'respond';
  replies: string[];
  delayMs: number;
  forward: boolean;
  on: 'frame' | 'open';
}

/** A respond rule's replies: at most this many, each at most this many characters. */
export const MAX_REPLIES = 20;
export const MAX_REPLY_CHARS = 1024 * 1024;

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

export type CompiledAction = {
  ruleId: string;
  action: RuleAction;
  rewrite?: (text: string) => string;
  /** A respond rule's replies, filled for this frame: the text of each, or why they cannot be. */
  replies?: () => { ok: true; texts: string[] } | { ok: false; error: string };
};
export type RuleMatcher = (url: string, dir: Direction, text: string | null) => CompiledAction | null;

/** JSON and the clock as the hook has them (its saved natives: a page's own JSON or Date.now must not run). */
export interface JsonNatives { parse(text: string): unknown; stringify(v: unknown): string | undefined; now(): number }
const JSON_NATIVES: JsonNatives = { parse: JSON.parse, stringify: JSON.stringify, now: Date.now };

interface Tester {
  test(s: string): boolean;
  /** The regex's groups for `s` ([0] is the whole match), or null for a plain-text pattern. */
  groups(s: string): (string | undefined)[] | null;
  /** How many groups the regex has (0 for plain text). */
  groupCount: number;
}

/** A decoded-field test, `method:getUser`: the frame is JSON and that key (a dotted path) holds that value. */
const FIELD_MATCH = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*):(.+)$/s;

/** `/source/flags`, `name:value` (a JSON field) or plain text → a tester, or an error message. */
function toTester(pattern: string, json: JsonNatives = JSON_NATIVES): { ok: true; t: Tester } | { ok: false; error: string } {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (!m) {
    const f = FIELD_MATCH.exec(pattern);
    if (f) {
      const path = f[1]!.split('.'), want = f[2]!;
      return { ok: true, t: { test: (s) => fieldIs(s, path, want, json), groups: () => null, groupCount: 0 } };
    }
    return { ok: true, t: { test: (s) => s.includes(pattern), groups: () => null, groupCount: 0 } };
  }
  try {
    const re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
    const groupCount = (new RegExp(`${m[1]!}|`, m[2]!.replace(/[gy]/g, '')).exec('')?.length ?? 1) - 1;
    return { ok: true, t: { test: (s) => re.test(s), groups: (s) => { const r = re.exec(s); return r ? [...r] : null; }, groupCount } };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function fieldIs(text: string, path: readonly string[], want: string, json: JsonNatives): boolean {
  let v: unknown;
  try { v = json.parse(text); } catch { return false; }
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return false;
    v = (v as Record<string, unknown>)[k];
  }
  return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v) === want;
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
  if (r.action.type === 'respond') return respondError(r.action, match.t.groupCount, r);
  return null;
}

function respondError(a: RespondAction, groupCount: number, r: InterceptRule): string | null {
  if (a.on === 'frame' && r.direction !== 'sent') return 'Respond: answers frames the page sends (direction ↑ sent)';
  if (a.replies.length === 0) return 'Respond: give at least one reply';
  if (a.replies.length > MAX_REPLIES) return `Respond: at most ${MAX_REPLIES} replies`;
  if (!(Number.isInteger(a.delayMs) && a.delayMs >= 0 && a.delayMs <= MAX_DELAY_MS)) return `Respond: the delay is a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`;
  for (let i = 0; i < a.replies.length; i++) {
    const text = a.replies[i]!;
    const n = a.replies.length > 1 ? ` ${i + 1}` : '';
    if (text.length > MAX_REPLY_CHARS) return `Reply${n}: at most ${MAX_REPLY_CHARS} characters`;
    const t = parseTemplate(text);
    if (!t.ok) return `Reply${n}: ${t.error}`;
    if (a.on === 'open' && usesRequest(t.template)) return `Reply${n}: a reply on open has no request to take $1 or {{…}} from (only {{now}} and {{seq}})`;
    const over = groupsUsed(t.template).find((g) => g > groupCount);
    if (over !== undefined) return `Reply${n}: $${over}, but the payload match ${groupCount ? `has ${groupCount} group${groupCount === 1 ? '' : 's'}` : 'is not a /regex/ with groups'}`;
  }
  return null;
}

/**
 * The enabled, valid rules as one matcher; the first rule that matches decides. `text` is null
 * for a binary payload, which only rules with an empty payload match can catch (and modify
 * leaves unchanged).
 */
export function compileRules(rules: readonly InterceptRule[], json: JsonNatives = JSON_NATIVES): RuleMatcher | null {
  const compiled = rules.filter((r) => r.enabled && ruleError(r) === null && !isOpenRule(r)).map((r) => compileOne(r, json));
  if (compiled.length === 0) return null;
  return (url, dir, text) => {
    for (const c of compiled) {
      if (c.r.direction !== 'both' && c.r.direction !== dir) continue;
      if (c.r.urlPattern && !c.url.test(url)) continue;
      if (c.r.match && (text === null || !c.match.test(text))) continue;
      if (c.rewrite && text === null) continue;
      return {
        ruleId: c.r.id, action: c.r.action, ...(c.rewrite && { rewrite: c.rewrite }),
        ...(c.replies && { replies: () => c.replies!(text, (s) => c.match.groups(s)) }),
      };
    }
    return null;
  };
}

/** The respond rules that answer a socket's opening, for a socket URL: every one that matches, in order. */
export type OpenMatcher = (url: string) => CompiledAction[];

export function compileOpenRules(rules: readonly InterceptRule[], json: JsonNatives = JSON_NATIVES): OpenMatcher | null {
  const compiled = rules.filter((r) => r.enabled && ruleError(r) === null && isOpenRule(r)).map((r) => compileOne(r, json));
  if (compiled.length === 0) return null;
  return (url) => compiled.filter((c) => !c.r.urlPattern || c.url.test(url))
    .map((c) => ({ ruleId: c.r.id, action: c.r.action, replies: () => c.replies!(null, () => null) }));
}

const isOpenRule = (r: InterceptRule) => r.action.type === 'respond' && r.action.on === 'open';

function compileOne(r: InterceptRule, json: JsonNatives) {
  const url = (toTester(r.urlPattern, json) as { ok: true; t: Tester }).t;
  const match = (toTester(r.match, json) as { ok: true; t: Tester }).t;
  const rewrite = r.action.type === 'modify' ? (toRewrite(r.action.find, r.action.replace) as (s: string) => string) : undefined;
  let replies: ((text: string | null, groups: (s: string) => (string | undefined)[] | null) => ReturnType<NonNullable<CompiledAction['replies']>>) | undefined;
  if (r.action.type === 'respond') {
    const templates: ReplyTemplate[] = r.action.replies.map((t) => (parseTemplate(t) as { ok: true; template: ReplyTemplate }).template);
    // {{seq}} counts this rule's answers, whichever socket.
    let seq = 0;
    replies = (text, groupsOf) => {
      let parsed: unknown;
      let tried = false;
      const requestJson = () => {
        if (!tried) { tried = true; try { parsed = text === null ? NOT_JSON : json.parse(text); } catch { parsed = NOT_JSON; } }
        return parsed;
      };
      const groups = text === null ? null : groupsOf(text);
      const now = Math.round(json.now());
      const n = seq + 1;
      const texts: string[] = [];
      for (const t of templates) {
        const needsJson = t.some((p) => typeof p === 'object' && 'path' in p);
        const r = fillTemplate(t, { groups, json: needsJson ? requestJson() : NOT_JSON, now, seq: n }, json.stringify);
        if (!r.ok) return r;
        texts.push(r.text);
      }
      seq = n;
      return { ok: true, texts };
    };
  }
  return { r, url, match, rewrite, replies };
}
