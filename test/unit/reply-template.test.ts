/** Respond rules: reply templates, field matches, and what the matcher hands the hook. */
import { describe, expect, it } from 'vitest';
import { fillTemplate, NOT_JSON, parseTemplate } from '../../src/protocol/reply-template';
import { compileOpenRules, compileRules, ruleError, type InterceptRule, type RespondAction } from '../../src/protocol/intercept-rules';
import { isInterceptRule } from '../../src/protocol/guards';

const fill = (t: string, input: Partial<Parameters<typeof fillTemplate>[1]> = {}) => {
  const p = parseTemplate(t);
  if (!p.ok) throw new Error(p.error);
  return fillTemplate(p.template, { groups: null, json: NOT_JSON, now: 1700000000000, seq: 1, ...input });
};

const respond = (patch: Partial<RespondAction> = {}, rule: Partial<InterceptRule> = {}): InterceptRule => ({
  id: 'r1', enabled: true, urlPattern: '', direction: 'sent', match: '"type":"ping"',
  action: { type: 'respond', replies: ['{"type":"pong","id":{{id}}}'], delayMs: 0, forward: false, on: 'frame', ...patch }, ...rule,
});

describe('reply templates', () => {
  it('fills JSON values as JSON, groups as text, now and seq', () => {
    expect(fill('{"type":"pong","id":{{id}}}', { json: { type: 'ping', id: 7 } })).toEqual({ ok: true, text: '{"type":"pong","id":7}' });
    expect(fill('{"u":{{params.user.id}}}', { json: { params: { user: { id: 'ann' } } } })).toEqual({ ok: true, text: '{"u":"ann"}' });
    expect(fill('{"all":{{params}}}', { json: { params: [1, { a: null }] } })).toEqual({ ok: true, text: '{"all":[1,{"a":null}]}' });
    expect(fill('hi $1, $2 costs $$5', { groups: ['x', 'ann', 'tea'] })).toEqual({ ok: true, text: 'hi ann, tea costs $5' });
    expect(fill('{{now}}/{{ seq }}', { seq: 3 })).toEqual({ ok: true, text: '1700000000000/3' });
  });

  it('says what a request lacks, never throws', () => {
    expect(fill('{{id}}', { json: { type: 'ping' } })).toEqual({ ok: false, error: 'the request has no id' });
    expect(fill('{{id}}')).toEqual({ ok: false, error: '{{id}}: the request is not JSON' });
    expect(fill('{{a.b}}', { json: { a: 'str' } })).toEqual({ ok: false, error: 'the request has no a.b' });
    expect(fill('{{constructor}}', { json: {} })).toEqual({ ok: false, error: 'the request has no constructor' });
    expect(fill('$2', { groups: ['a', 'b'] }).ok).toBe(false);
    expect(fill('$1').ok).toBe(false);
    expect(parseTemplate('{{1+1}}').ok).toBe(false);
  });
});

describe('respond rules', () => {
  it('are checked: direction, replies, delay, groups, and no request values on open', () => {
    expect(ruleError(respond())).toBeNull();
    expect(ruleError(respond({}, { direction: 'received' }))).toMatch(/sent/);
    expect(ruleError(respond({ replies: [] }))).toMatch(/at least one reply/);
    expect(ruleError(respond({ delayMs: 60_001 }))).toMatch(/delay/);
    expect(ruleError(respond({ replies: ['$2'] }, { match: '/(a)b/' }))).toMatch(/\$2, but the payload match has 1 group/);
    expect(ruleError(respond({ replies: ['$1'] }, { match: '/(a)b/' }))).toBeNull();
    expect(ruleError(respond({ on: 'open', replies: ['{{id}}'] }))).toMatch(/on open/);
    expect(isInterceptRule(respond())).toBe(true);
    expect(isInterceptRule({ ...respond(), action: { type: 'respond', replies: [1], delayMs: 0, forward: false, on: 'frame' } })).toBe(false);
  });

  it('a matching frame gets its replies filled; {{seq}} counts the rule\'s answers', () => {
    const m = compileRules([respond({ replies: ['{"type":"pong","id":{{id}},"n":{{seq}}}', 'second'] })])!;
    const hit = m('ws://x/', 'sent', '{"type":"ping","id":7}')!;
    expect(hit.action.type).toBe('respond');
    expect(hit.replies!()).toEqual({ ok: true, texts: ['{"type":"pong","id":7,"n":1}', 'second'] });
    expect(m('ws://x/', 'sent', '{"type":"ping","id":8}')!.replies!()).toEqual({ ok: true, texts: ['{"type":"pong","id":8,"n":2}', 'second'] });
    expect(m('ws://x/', 'sent', '{"type":"other"}')).toBeNull();
    const missing = m('ws://x/', 'sent', '{"type":"ping"}')!.replies!();
    expect(missing).toEqual({ ok: false, error: 'the request has no id' });
  });

  it('name:value matches a JSON field (a decoded field such as method:getUser)', () => {
    const m = compileRules([respond({ replies: ['{"id":{{id}},"result":{"name":"ann"}}'] }, { match: 'method:getUser' })])!;
    expect(m('ws://x/', 'sent', '{"jsonrpc":"2.0","id":3,"method":"getUser"}')!.replies!()).toEqual({ ok: true, texts: ['{"id":3,"result":{"name":"ann"}}'] });
    expect(m('ws://x/', 'sent', '{"method":"getUsers"}')).toBeNull();
    expect(m('ws://x/', 'sent', 'method:getUser')).toBeNull();
  });

  it('on-open rules are apart from the frame matcher, and every matching one answers', () => {
    const rules = [respond({ on: 'open', replies: ['{"welcome":{{seq}}}'] }, { id: 'a', urlPattern: '/feed' }), respond({ on: 'open', replies: ['hello'] }, { id: 'b' })];
    expect(compileRules(rules)).toBeNull();
    const open = compileOpenRules(rules)!;
    expect(open('ws://x/feed').map((h) => h.replies!())).toEqual([{ ok: true, texts: ['{"welcome":1}'] }, { ok: true, texts: ['hello'] }]);
    expect(open('ws://x/other').map((h) => h.ruleId)).toEqual(['b']);
  });
});
