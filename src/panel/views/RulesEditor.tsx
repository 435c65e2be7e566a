/**
 * Intercept rules: each matches a socket URL, a direction and a payload, and pauses, modifies,
 * drops or delays what it matches, on one origin or on all sites. Rules are saved with the
 * panel's settings and can be switched on and off one by one, once complete (new ones start
 * off); the toolbar says whenever any is in effect on this page.
 */
import type { Store } from '../store';
import { MAX_DELAY_MS, MAX_REPLIES, ruleError, type InterceptRule, type RespondAction, type RuleAction } from '../../protocol/intercept-rules';
import { newRule } from '../rules-in-page';
import { cannotSwitchOn, noteId, RuleReadiness, ruleNote, RuleScopeSelect } from './RuleSafety';

const actionFor = (type: RuleAction['type'], prev: RuleAction): RuleAction => {
  if (type === 'delay') return { type, ms: prev.type === 'delay' ? prev.ms : 1000 };
  if (type === 'respond') return prev.type === 'respond' ? prev : { type, replies: [''], delayMs: 0, forward: false, on: 'frame' };
  if (type === 'modify') return { type, find: prev.type === 'modify' ? prev.find : '', replace: prev.type === 'modify' ? prev.replace : '' };
  return { type };
};

/** A respond rule's own fields: when it answers, its replies (templates), delay and whether the frame still goes out. */
function RespondFields({ rule, a, n, update }: { rule: InterceptRule; a: RespondAction; n: number; update: (r: InterceptRule) => void }) {
  const set = (patch: Partial<RespondAction>) => update({ ...rule, action: { ...a, ...patch } });
  const setReply = (i: number, text: string) => set({ replies: a.replies.map((r, j) => (j === i ? text : r)) });
  return (
    <div class="respond-fields">
      <div class="rule-line">
        <select aria-label={`Rule ${n} answers`} value={a.on} onChange={(e) => set({ on: e.currentTarget.value as RespondAction['on'] })}>
          <option value="frame">when the page sends a match</option>
          <option value="open">when the socket opens</option>
        </select>
        {a.on === 'frame' && (
          <label title="Off: the rule answers instead of the server, which never gets the frame">
            <input type="checkbox" checked={a.forward} aria-label={`Rule ${n} also send to the server`} onChange={(e) => set({ forward: e.currentTarget.checked })} /> also send it to the server
          </label>
        )}
        <label>after <input type="number" min={0} max={MAX_DELAY_MS} aria-label={`Rule ${n} reply delay in ms`} value={a.delayMs}
          onInput={(e) => set({ delayMs: Number(e.currentTarget.value) })} /> ms</label>
      </div>
      {a.replies.map((text, i) => (
        <div class="rule-line reply" key={i}>
          <textarea aria-label={`Rule ${n} reply ${i + 1}`} rows={2} spellcheck={false} value={text}
            placeholder={a.on === 'open' ? '{"type":"welcome","at":{{now}}}' : '{"type":"pong","id":{{id}}}  ($1 for regex groups, {{path}} from the request, {{now}}, {{seq}})'}
            onInput={(e) => setReply(i, e.currentTarget.value)} />
          {a.replies.length > 1 && <button type="button" aria-label={`Remove reply ${i + 1} of rule ${n}`} onClick={() => set({ replies: a.replies.filter((_, j) => j !== i) })}>✕</button>}
        </div>
      ))}
      {a.replies.length < MAX_REPLIES && <button type="button" onClick={() => set({ replies: [...a.replies, ''] })}>Add reply</button>}
    </div>
  );
}

function RuleRow({ rule, n, pageOrigin, update, remove, failures }: { rule: InterceptRule; n: number; pageOrigin: string | null; update: (r: InterceptRule) => void; remove: () => void; failures?: { count: number; last: string } }) {
  const error = ruleError(rule);
  const a = rule.action;
  return (
    <li class={`rule ${rule.enabled ? '' : 'off'}`} aria-label={`Rule ${n}`}>
      <div class="rule-line">
        <label><input type="checkbox" checked={rule.enabled} disabled={cannotSwitchOn(rule)} aria-describedby={ruleNote(rule, pageOrigin) ? noteId(rule) : undefined} aria-label={`Rule ${n} on`} onChange={(e) => update({ ...rule, enabled: e.currentTarget.checked })} /> On</label>
        <select aria-label={`Rule ${n} direction`} value={rule.direction} onChange={(e) => update({ ...rule, direction: e.currentTarget.value as InterceptRule['direction'] })}>
          <option value="sent">↑ sent</option><option value="received">↓ received</option><option value="both">both</option>
        </select>
        <select aria-label={`Rule ${n} action`} value={a.type} onChange={(e) => {
          const type = e.currentTarget.value as RuleAction['type'];
          // A respond rule answers what the page sends.
          update({ ...rule, ...(type === 'respond' && { direction: 'sent' as const }), action: actionFor(type, a) });
        }}>
          <option value="pause">pause</option><option value="modify">modify</option><option value="drop">drop</option><option value="delay">delay</option><option value="respond">respond</option>
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
      {a.type === 'respond' && <RespondFields rule={rule} a={a} n={n} update={update} />}
      <RuleReadiness rule={rule} n={n} pageOrigin={pageOrigin} update={update} />
      {error && <div class="error" role="alert">{error} — this rule is not applied.</div>}
      {failures && (
        <div class="error rule-failures" role="status" data-failures={failures.count}>
          Could not answer {failures.count} time{failures.count === 1 ? '' : 's'}: {failures.last}. The frame went on as if no rule matched.
        </div>
      )}
    </li>
  );
}

export function RulesEditor({ store }: { store: Store }) {
  store.revision.value;
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
          <RuleRow key={r.id} rule={r} n={i + 1} pageOrigin={pageOrigin} failures={store.model.ruleFailures.get(r.id)} update={(nr) => set(rules.map((x) => (x.id === r.id ? nr : x)))} remove={() => set(rules.filter((x) => x.id !== r.id))} />
        ))}
      </ol>
      <button type="button" onClick={() => set([...rules, newRule(pageOrigin)])}>Add rule</button>
    </section>
  );
}
