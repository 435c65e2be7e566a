/**
 * The parts of a rule's row that keep it safe: where it applies (this page's origin, another one
 * it was made on, or all sites), the explicit choice to catch every frame, and why it cannot be
 * switched on yet or does nothing on this page. See protocol/rule-scope.
 */
import type { InterceptRule } from '../../protocol/intercept-rules';
import { inScope, matchesEverything, notReady, type RuleScope } from '../../protocol/rule-scope';

type Props = { rule: InterceptRule; n: number; pageOrigin: string | null; update: (r: InterceptRule) => void };

export const noteId = (rule: InterceptRule) => `rule-note-${rule.id}`;

/** A rule that is off and not complete cannot be switched on. */
export const cannotSwitchOn = (rule: InterceptRule) => !rule.enabled && notReady(rule) !== null;

const valueOf = (s: RuleScope | undefined) => (!s ? '' : 'all' in s ? 'all' : `origin:${s.origin}`);
const scopeOf = (v: string): RuleScope | undefined => (v === 'all' ? { all: true } : v.startsWith('origin:') ? { origin: v.slice(7) } : undefined);

export function RuleScopeSelect({ rule, n, pageOrigin, update }: Props) {
  const own = rule.scope && 'origin' in rule.scope ? rule.scope.origin : null;
  return (
    <select aria-label={`Rule ${n} applies on`} title="Where the rule applies: the inspected page's origin (scheme, host and port), or every site"
      value={valueOf(rule.scope)} onChange={(e) => {
        const scope = scopeOf(e.currentTarget.value);
        if (!scope) return;
        update({ ...rule, scope });
      }}>
      {!rule.scope && <option value="" disabled>choose where it applies…</option>}
      {own !== null && <option value={`origin:${own}`}>only on {own}</option>}
      {pageOrigin !== null && pageOrigin !== own && <option value={`origin:${pageOrigin}`}>only on {pageOrigin}</option>}
      <option value="all">all sites</option>
    </select>
  );
}

/** What the row says of the rule's state: why it is off or not applied here, or that it is on everywhere; null when nothing needs saying. */
export function ruleNote(rule: InterceptRule, pageOrigin: string | null): string | null {
  const why = notReady(rule);
  if (why) return rule.enabled ? `Not applied: ${why}` : `Off. ${why}`;
  if (!rule.enabled) return null;
  if (!inScope(rule, pageOrigin)) return `Not in effect on this page (${pageOrigin ?? 'its origin is not known yet'}).`;
  if (rule.scope && 'all' in rule.scope) return 'On for all sites: in every tab where this panel is open.';
  return null;
}

export function RuleReadiness({ rule, n, pageOrigin, update }: Props) {
  const note = ruleNote(rule, pageOrigin);
  return (
    <>
      {matchesEverything(rule) && (
        <label class="rule-line">
          <input type="checkbox" aria-label={`Rule ${n} catches every frame`} checked={rule.everyFrame === true}
            onChange={(e) => { const { everyFrame: _, ...rest } = rule; update(e.currentTarget.checked ? { ...rest, everyFrame: true } : rest); }} />
          every frame of every socket (no URL or payload pattern)
        </label>
      )}
      {note && <div class="rule-note" id={noteId(rule)}>{note}</div>}
    </>
  );
}
