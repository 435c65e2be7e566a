/**
 * Where an intercept rule applies, and whether it says enough to be switched on.
 *
 * A rule is scoped to the **origin** of the inspected tab's top-level page (scheme, host and
 * port: 127.0.0.1:8080 and localhost:8080 are two, and so are two ports), or to all sites when the
 * user chose that. The origin, not the site (scheme and registrable domain): it is exact without a
 * public-suffix list, and the narrower of the two, so a rule never reaches a page the user did
 * not have in front of them. The scope is the page's, not the socket's: a page's iframes and
 * workers are in it, whatever their own origin.
 *
 * Pure. The panel picks with it the rules it sends for its page, and the router picks again with
 * the tab's top-level URL as the browser reports it, so a tab that navigated to another origin
 * never gets, even for a moment, the rules of the page it left.
 */
import { ruleError, type InterceptRule } from './intercept-rules';

export type RuleScope = { all: true } | { origin: string };

/**
 * The origin a scope names for a page URL; null for a page no rule can be scoped to (about:blank,
 * data:, an extension page): only all-sites rules apply there. `file:` pages share one scope.
 */
export function pageOrigin(url: string): string | null {
  let u: URL;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  if (u.protocol === 'file:') return 'file://';
  return null;
}

export function isRuleScope(x: unknown): x is RuleScope {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || Object.keys(x).length !== 1) return false;
  const s = x as Record<string, unknown>;
  if (s.all === true) return true;
  return typeof s.origin === 'string' && s.origin.length <= 2048 && pageOrigin(`${s.origin}/`) === s.origin;
}

export const scopeLabel = (s: RuleScope): string => ('all' in s ? 'all sites' : `only on ${s.origin}`);

/** Neither a URL nor a payload pattern: the rule would catch every frame (of its direction) of every socket. */
export const matchesEverything = (r: InterceptRule): boolean => r.urlPattern === '' && r.match === '';

/**
 * Why the rule cannot be switched on yet (nor applied, if it is on), worded for the rules editor;
 * null when it may be on.
 */
export function notReady(r: InterceptRule): string | null {
  if (!r.scope) return 'Choose where it applies: this site or all sites.';
  if (matchesEverything(r) && r.everyFrame !== true) return 'Say what it matches: a URL or payload pattern, or tick "every frame of every socket".';
  return null;
}

/** Whether the rule applies on a page of `origin` (null: not known yet, or no origin). */
export function inScope(r: InterceptRule, origin: string | null): boolean {
  const s = r.scope;
  if (!s) return false;
  if ('all' in s) return true;
  return origin !== null && s.origin === origin;
}

/** The rules a page of `origin` may get: on, complete, valid and in scope. */
export function rulesInEffect(rules: readonly InterceptRule[], origin: string | null): InterceptRule[] {
  return rules.filter((r) => r.enabled && notReady(r) === null && ruleError(r) === null && inScope(r, origin));
}
