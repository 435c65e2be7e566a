/**
 * The panel's side of rule scopes (see protocol/rule-scope): rules as they load from the
 * settings, a new rule, and what the inspected page gets: only the rules in effect for its
 * origin, sent again only when that set changes (a rule edited, the tab now on another origin).
 */
import type { InterceptRule } from '../protocol/intercept-rules';
import { rulesInEffect } from '../protocol/rule-scope';

/**
 * A saved rule. One saved before scopes had none, and applied everywhere: it loads off, and says
 * it needs a scope, so no page gets it until the user has chosen where it applies.
 */
export const loadedRule = (r: InterceptRule): InterceptRule => (r.scope ? r : { ...r, enabled: false });

/**
 * A new rule: off, pausing sent frames, on the inspected page's origin (none while it is not
 * known: the user chooses), matching nothing yet. It can be switched on once it says what it matches.
 */
export function newRule(origin: string | null, id = Math.random().toString(36).slice(2, 10)): InterceptRule {
  return { id, enabled: false, urlPattern: '', direction: 'sent', match: '', action: { type: 'pause' }, ...(origin !== null && { scope: { origin } }) };
}

/** Sends the rules in effect for the page's origin (null: not known yet, so only all-sites rules), when they change. */
export function ruleSender(send: (rules: InterceptRule[]) => void): (rules: readonly InterceptRule[], origin: string | null) => void {
  let last: string | null = null;
  return (rules, origin) => {
    const now = rulesInEffect(rules, origin);
    const key = JSON.stringify(now);
    if (key === last) return;
    last = key;
    send(now);
  };
}
