/** Which frames a rule catches, and what it does to them. */
import { describe, expect, it } from 'vitest';
import { compileRules, ruleError, type InterceptRule } from '../../src/protocol/intercept-rules';

const rule = (o: Partial<InterceptRule>): InterceptRule =>
  ({ id: 'r', enabled: true, urlPattern: '', direction: 'both', match: '', action: { type: 'pause' }, ...o });

describe('compileRules', () => {
  it('is null when no rule is on, so the hook pays nothing', () => {
    expect(compileRules([])).toBeNull();
    expect(compileRules([rule({ enabled: false })])).toBeNull();
  });
  it('matches on direction, URL (substring or regex) and payload (substring or regex)', () => {
    const m = compileRules([rule({ id: 'a', direction: 'sent', urlPattern: '/chat', match: '/"type":"(ping|pong)"/' })])!;
    expect(m('wss://x/chat', 'sent', '{"type":"ping"}')?.ruleId).toBe('a');
    expect(m('wss://x/chat', 'received', '{"type":"ping"}')).toBeNull();
    expect(m('wss://x/feed', 'sent', '{"type":"ping"}')).toBeNull();
    expect(m('wss://x/chat', 'sent', '{"type":"hello"}')).toBeNull();
  });
  it('the first matching rule decides', () => {
    const m = compileRules([rule({ id: 'drop', match: 'secret', action: { type: 'drop' } }), rule({ id: 'all', action: { type: 'delay', ms: 5 } })])!;
    expect(m('u', 'sent', 'a secret')?.ruleId).toBe('drop');
    expect(m('u', 'sent', 'public')?.ruleId).toBe('all');
  });
  it('binary payloads match only rules with an empty payload match, and are never modified', () => {
    const m = compileRules([rule({ id: 'text', match: 'x' }), rule({ id: 'mod', action: { type: 'modify', find: 'a', replace: 'b' } }), rule({ id: 'any', action: { type: 'drop' } })])!;
    expect(m('u', 'received', null)?.ruleId).toBe('any');
  });
  it('modify replaces every match, with regex groups', () => {
    const m = compileRules([rule({ action: { type: 'modify', find: '/"price":(\\d+)/', replace: '"price":0' } })])!;
    expect(m('u', 'sent', '{"price":12,"x":{"price":7}}')!.rewrite!('{"price":12,"x":{"price":7}}')).toBe('{"price":0,"x":{"price":0}}');
    const plain = compileRules([rule({ action: { type: 'modify', find: 'a.b', replace: '!' } })])!;
    expect(plain('u', 'sent', 'a.b axb')!.rewrite!('a.b axb')).toBe('! axb');
  });
  it('skips invalid rules instead of failing the others', () => {
    const m = compileRules([rule({ id: 'bad', match: '/(/' }), rule({ id: 'good' })])!;
    expect(m('u', 'sent', 'x')?.ruleId).toBe('good');
  });
});

describe('ruleError', () => {
  it('names what is wrong', () => {
    expect(ruleError(rule({ match: '/(/' }))).toMatch(/^Payload match: /);
    expect(ruleError(rule({ urlPattern: '/[/' }))).toMatch(/^URL pattern: /);
    expect(ruleError(rule({ action: { type: 'delay', ms: -1 } }))).toBe('Delay: a whole number of milliseconds from 0 to 60000');
    expect(ruleError(rule({ action: { type: 'modify', find: '', replace: '' } }))).toBe('Modify: say what to find');
    expect(ruleError(rule({}))).toBeNull();
  });
});
