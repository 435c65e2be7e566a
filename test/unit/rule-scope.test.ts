/**
 * Rules that are safe to use: a rule applies on one origin (or, by choice, on all sites), cannot
 * be on before it says what it matches, and only rules in effect for the page's origin reach it.
 */
import { describe, expect, it } from 'vitest';
import type { InterceptRule } from '../../src/protocol/intercept-rules';
import { inScope, isRuleScope, notReady, pageOrigin, rulesInEffect, scopeLabel } from '../../src/protocol/rule-scope';
import { isPanelToRouterMessage } from '../../src/protocol/guards';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import { loadedRule, newRule, ruleSender } from '../../src/panel/rules-in-page';

const A = 'http://127.0.0.1:8080';
const B = 'http://localhost:8080';
const rule = (o: Partial<InterceptRule>): InterceptRule =>
  ({ id: 'r', enabled: true, urlPattern: '', direction: 'sent', match: 'secret', action: { type: 'pause' }, scope: { origin: A }, ...o });

describe('pageOrigin', () => {
  it('is the scheme, host and port of an http(s) page: two hosts or two ports are two origins', () => {
    expect(pageOrigin(`${A}/app?x=1#y`)).toBe(A);
    expect(pageOrigin(`${B}/app`)).toBe(B);
    expect(pageOrigin('http://127.0.0.1:8081/')).not.toBe(A);
    expect(pageOrigin('https://app.example.com/')).toBe('https://app.example.com');
    expect(pageOrigin('https://app.example.com:443/')).toBe('https://app.example.com');
  });
  it('gives file: pages one scope, and no scope to pages without an origin', () => {
    expect(pageOrigin('file:///home/me/a.html')).toBe('file://');
    for (const u of ['', 'about:blank', 'data:text/html,x', 'chrome-extension://abc/panel.html', 'not a url']) expect(pageOrigin(u)).toBeNull();
  });
});

describe('isRuleScope', () => {
  it('accepts all sites, or one origin written as pageOrigin writes it', () => {
    expect(isRuleScope({ all: true })).toBe(true);
    expect(isRuleScope({ origin: A })).toBe(true);
    expect(isRuleScope({ origin: 'file://' })).toBe(true);
  });
  it('refuses anything else', () => {
    for (const s of [null, 'all', [], {}, { all: false }, { all: true, origin: A }, { origin: `${A}/` }, { origin: 'HTTP://127.0.0.1:8080' },
      { origin: 'http://a.test:80' }, { origin: 'about:blank' }, { origin: 7 }, { origin: `http://${'a'.repeat(3000)}.test` }]) {
      expect(isRuleScope(s), JSON.stringify(s)).toBe(false);
    }
  });
  it('is checked where rules cross a hop: a rule with a bad scope fails the whole message', () => {
    const msg = (r: unknown) => ({ v: PROTOCOL_VERSION, t: 'rules', rules: [r] });
    expect(isPanelToRouterMessage(msg(rule({})))).toBe(true);
    expect(isPanelToRouterMessage(msg(rule({ scope: { all: true }, everyFrame: true })))).toBe(true);
    expect(isPanelToRouterMessage(msg({ ...rule({}), scope: undefined }))).toBe(true); // saved before scopes
    expect(isPanelToRouterMessage(msg({ ...rule({}), scope: 'everywhere' }))).toBe(false);
    expect(isPanelToRouterMessage(msg({ ...rule({}), everyFrame: 'yes' }))).toBe(false);
  });
  it('reads as the rules editor says it', () => {
    expect(scopeLabel({ all: true })).toBe('all sites');
    expect(scopeLabel({ origin: A })).toBe(`only on ${A}`);
  });
});

describe('a rule that can be on', () => {
  it('needs a scope', () => {
    expect(notReady(rule({ scope: undefined }))).toMatch(/^Choose where it applies/);
  });
  it('needs a URL or payload pattern, or the explicit choice of every frame', () => {
    expect(notReady(rule({ match: '' }))).toMatch(/^Say what it matches/);
    expect(notReady(rule({ match: '', everyFrame: true }))).toBeNull();
    expect(notReady(rule({ match: '', urlPattern: '/chat' }))).toBeNull();
    expect(notReady(rule({}))).toBeNull();
  });
});

describe('rulesInEffect', () => {
  const here = rule({ id: 'here' });
  const there = rule({ id: 'there', scope: { origin: B } });
  const everywhere = rule({ id: 'everywhere', scope: { all: true } });
  const ids = (rs: InterceptRule[]) => rs.map((r) => r.id);

  it('keeps rules scoped to the page origin and to all sites', () => {
    expect(ids(rulesInEffect([here, there, everywhere], A))).toEqual(['here', 'everywhere']);
    expect(ids(rulesInEffect([here, there, everywhere], B))).toEqual(['there', 'everywhere']);
    expect(inScope(here, A)).toBe(true);
    expect(inScope(here, B)).toBe(false);
  });
  it('gives a page whose origin is not known (yet) only the all-sites rules', () => {
    expect(ids(rulesInEffect([here, there, everywhere], null))).toEqual(['everywhere']);
  });
  it('leaves out rules that are off, incomplete, invalid or without a scope', () => {
    const off = rule({ id: 'off', enabled: false });
    const everything = rule({ id: 'everything', match: '' });
    const invalid = rule({ id: 'invalid', match: '/(/' });
    const unscoped = rule({ id: 'unscoped', scope: undefined });
    expect(ids(rulesInEffect([off, everything, invalid, unscoped, here], A))).toEqual(['here']);
  });
});

describe('the panel: new, saved and sent rules', () => {
  it('a new rule is off, on the page origin, and matches nothing yet, so it cannot be switched on', () => {
    const r = newRule(A, 'n');
    expect(r).toEqual({ id: 'n', enabled: false, urlPattern: '', direction: 'sent', match: '', action: { type: 'pause' }, scope: { origin: A } });
    expect(notReady(r)).toMatch(/^Say what it matches/);
    expect(rulesInEffect([{ ...r, enabled: true }], A)).toEqual([]);
  });
  it('a new rule made before the page origin is known has no scope: the user chooses', () => {
    expect(newRule(null, 'n').scope).toBeUndefined();
  });
  it('a rule saved before scopes loads off and unscoped; one saved with a scope loads as it was', () => {
    const old = { id: 'o', enabled: true, urlPattern: '', direction: 'sent', match: 'x', action: { type: 'pause' } } as InterceptRule;
    expect(loadedRule(old)).toEqual({ ...old, enabled: false });
    expect(rulesInEffect([loadedRule(old)], A)).toEqual([]);
    expect(loadedRule(rule({}))).toEqual(rule({}));
  });
  it('sends the rules in effect for the origin, once per change', () => {
    const sent: string[][] = [];
    const send = ruleSender((rs) => sent.push(rs.map((r) => r.id)));
    const here = rule({ id: 'here' }), everywhere = rule({ id: 'everywhere', scope: { all: true } });
    send([here, everywhere], null);
    send([here, everywhere], null);
    send([here, everywhere], A);
    send([here, everywhere, rule({ id: 'draft', enabled: false })], A);
    send([here, everywhere], B);
    expect(sent).toEqual([['everywhere'], ['here', 'everywhere'], ['everywhere']]);
  });
});

describe('the rules editor: what a row says', () => {
  it('explains why a rule is off or does nothing here, and says when it is on everywhere', async () => {
    const { cannotSwitchOn, ruleNote } = await import('../../src/panel/views/RuleSafety');
    expect(ruleNote(newRule(A, 'n'), A)).toBe('Off. Say what it matches: a URL or payload pattern, or tick "every frame of every socket".');
    expect(cannotSwitchOn(newRule(A, 'n'))).toBe(true);
    expect(ruleNote(rule({ scope: undefined, enabled: false }), A)).toBe('Off. Choose where it applies: this site or all sites.');
    // On, but emptied while on: it says it is not applied (and may be switched off).
    expect(ruleNote(rule({ match: '' }), A)).toMatch(/^Not applied: Say what it matches/);
    expect(cannotSwitchOn(rule({ match: '' }))).toBe(false);
    expect(ruleNote(rule({}), B)).toBe(`Not in effect on this page (${B}).`);
    expect(ruleNote(rule({}), null)).toBe('Not in effect on this page (its origin is not known yet).');
    expect(ruleNote(rule({ scope: { all: true } }), B)).toBe('On for all sites: in every tab where this panel is open.');
    expect(ruleNote(rule({}), A)).toBeNull();
    expect(ruleNote(rule({ enabled: false }), A)).toBeNull();
  });
});
