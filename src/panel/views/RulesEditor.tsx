/**
 * Intercept rules: each matches a socket URL, a direction and a payload, and pauses, modifies,
 * drops or delays what it matches, on one origin or on all sites. Rules are saved with the
 * panel's settings and can be switched on and off one by one, once complete (new ones start
 * off); the toolbar says whenever any is in effect on this page.
 */
import type { Store } from '../store';
import { ruleError, type InterceptRule, type RuleAction } from '../../protocol/intercept-rules';
import { newRule } from '../rules-in-page';
import { cannotSwitchOn, noteId, RuleReadiness, ruleNote, RuleScopeSelect } from './RuleSafety';

const actionFor = (type: RuleAction['type'], prev: RuleAction): RuleAction => {
  if (type === 'delay') return { type, ms: prev.type === 'delay' ? prev.ms : 1000 };
  if (type === 'modify') return { type, find: prev.type === 'modify' ? prev.find : '', replace: prev.type === 'modify' ? prev.replace : '' };
  return { type };
};

function RuleRow({ rule, n, pageOrigin, update, remove }: { rule: InterceptRule; n: number; pageOrigin: string | null; update: (r: InterceptRule) => void; remove: () => void }) {
  const error = ruleError(rule);
  const a = rule.action;
  return (
    <li class={`rule ${rule.enabled ? '' : 'off'}`} aria-label={`Rule ${n}`}>
      <div class="rule-line">
        <label><input type="checkbox" checked={rule.enabled} disabled={cannotSwitchOn(rule)} aria-describedby={ruleNote(rule, pageOrigin) ? noteId(rule) : undefined} aria-label={`Rule ${n} on`} onChange={(e) => update({ ...rule, enabled: e.currentTarget.checked })} /> On</label>
        <select aria-label={`Rule ${n} direction`} value={rule.direction} onChange={(e) => update({ ...rule, direction: e.currentTarget.value as InterceptRule['direction'] })}>
          <option value="sent">↑ sent</option><option value="received">↓ received</option><option value="both">both</option>
        </select>
        <select aria-label={`Rule ${n} action`} value={a.type} onChange={(e) => update({ ...rule, action: actionFor(e.currentTarget.value as RuleAction['type'], a) })}>
          <option value="pause">pause</option><option value="modify">modify</option><option value="drop">drop</option><option value="delay">delay</option>
        </select>
        {a.type === 'delay' && <label><input type="number" min={0} aria-label={`Rule ${n} delay in ms`} value={a.ms} onInput={(e) => update({ ...rule, action: { type: 'delay', ms: Number(e.currentTarget.value) } })} /> ms</label>}
        <RuleScopeSelect rule={rule} n={n} pageOrigin={pageOrigin} update={update} />
        <span class="spacer" />
        <button type="button" aria-label={`Delete rule ${n}`} onClick={remove}>Delete</button>
      </div>
      <div class="rule-line">
        <input type="text" aria-label={`Rule ${n} URL pattern`} placeholder="URL contains… or /regex/" value={rule.urlPattern} onInput={(e) => update({ ...rule, urlPattern: e.currentTarget.value })} />
        <input type="text" aria-label={`Rule ${n} payload match`} placeholder="payload contains… or /regex/" value={rule.match} onInput={(e) => update({ ...rule, match: e.currentTarget.value })} />
      </div>
      {a.type === 'modify' && (
        <div class="rule-line">
          <input type="text" aria-label={`Rule ${n} find`} placeholder="find: text or /regex/" value={a.find} onInput={(e) => update({ ...rule, action: { ...a, find: e.currentTarget.value } })} />
          <input type="text" aria-label={`Rule ${n} replace`} placeholder="replace with ($1 for groups)" value={a.replace} onInput={(e) => update({ ...rule, action: { ...a, replace: e.currentTarget.value } })} />
        </div>
      )}
      <RuleReadiness rule={rule} n={n} pageOrigin={pageOrigin} update={update} />
      {error && <div class="error" role="alert">{error} — this rule is not applied.</div>}
    </li>
  );
}

export function RulesEditor({ store }: { store: Store }) {
  const rules = store.rules.value;
  const pageOrigin = store.pageOrigin.value;
  const set = (next: InterceptRule[]) => store.setRules(next);
  return (
    <section class="rules" aria-label="Intercept rules">
      <div class="composer-head">
        <strong>Intercept rules</strong>
        <span class="muted">The first rule that matches a frame decides. Pause holds it (and every later frame of that direction on its socket) until you forward or drop it. A rule applies on the page's origin (or on all sites, if you choose), and starts off.</span>
        <span class="spacer" />
        <button type="button" aria-label="Close rules" onClick={() => { store.rulesOpen.value = false; }}>✕</button>
      </div>
      <ol class="rule-list">
        {rules.map((r, i) => (
          <RuleRow key={r.id} rule={r} n={i + 1} pageOrigin={pageOrigin} update={(nr) => set(rules.map((x) => (x.id === r.id ? nr : x)))} remove={() => set(rules.filter((x) => x.id !== r.id))} />
        ))}
      </ol>
      <button type="button" onClick={() => set([...rules, newRule(pageOrigin)])}>Add rule</button>
    </section>
  );
}
