/** The filter box: what a typed query matches, and how a bad regex is reported. */
import { describe, expect, it } from 'vitest';
import { parseFilterQuery, type FilterQuery } from '../../src/panel/filter/filter-query';

function query(input: string): FilterQuery {
  const r = parseFilterQuery(input);
  if (!r.ok) throw new Error(`expected a valid query, got: ${r.error}`);
  return r.query;
}

describe('parseFilterQuery', () => {
  it.each(['', '   ', '\t\n'])('matches everything for empty input %j', (input) => {
    const q = query(input);
    expect(q.kind).toBe('all');
    expect(q.test('')).toBe(true);
    expect(q.test('anything')).toBe(true);
  });

  it('matches a plain substring case-insensitively', () => {
    const q = query('Ping');
    expect(q.kind).toBe('substring');
    expect(q.test('{"op":"PING"}')).toBe(true);
    expect(q.test('{"op":"pong"}')).toBe(false);
  });

  it('treats regex metacharacters in a substring literally', () => {
    const q = query('a.b(c');
    expect(q.test('xx A.B(C yy')).toBe(true);
    expect(q.test('axb(c')).toBe(false);
  });

  it('matches needles without letters exactly', () => {
    expect(query('1000').test('close 1000')).toBe(true);
    expect(query('{"').test('{"a":1}')).toBe(true);
    expect(query('{"').test('{ "a":1}')).toBe(false);
  });

  it('keeps spaces inside the needle', () => {
    expect(query('"op": "x"').test('{"op": "x"}')).toBe(true);
    expect(query('"op": "x"').test('{"op":"x"}')).toBe(false);
  });

  it('parses /pattern/ as a case-sensitive regex', () => {
    const q = query('/^\\{"op":"(ping|pong)"/');
    expect(q.kind).toBe('regex');
    expect(q.test('{"op":"pong","n":1}')).toBe(true);
    expect(q.test('{"op":"PONG"}')).toBe(false);
  });

  it('honours regex flags', () => {
    expect(query('/pong/i').test('PONG')).toBe(true);
    expect(query('/^b/m').test('a\nb')).toBe(true);
    expect(query('/a.b/s').test('a\nb')).toBe(true);
    expect(query('/a.b/').test('a\nb')).toBe(false);
  });

  it('drops g and y, so the same text matches every time', () => {
    const q = query('/ping/gy');
    expect(q.kind === 'regex' && q.regex.flags).toBe('');
    expect([q.test('ping'), q.test('ping'), q.test('ping')]).toEqual([true, true, true]);
  });

  it.each(['/api/v1', '/users/me', '/', '//', '/foo/I'])('treats %j as a substring, not a regex', (input) => {
    const q = query(input);
    expect(q.kind).toBe('substring');
    expect(q.test(`GET ${input.toUpperCase()} HTTP`)).toBe(true);
  });

  it('reports an invalid regex in a short message without the pattern', () => {
    expect(parseFilterQuery('/(ab/')).toEqual({ ok: false, error: 'Invalid regex: Unterminated group' });
    expect(parseFilterQuery('/[a/i')).toEqual({ ok: false, error: 'Invalid regex: Unterminated character class' });
    expect(parseFilterQuery('/a{2,1}/i')).toEqual({ ok: false, error: 'Invalid regex: numbers out of order in {} quantifier' });
  });

  it('reports contradictory flags', () => {
    const r = parseFilterQuery('/a/uv');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^Invalid regex: /);
  });

  it('matches a needle anywhere in a long text', () => {
    const text = `${'x'.repeat(50_000)}NEEDLE${'y'.repeat(10_000)}`;
    expect(query('needle').test(text)).toBe(true);
    expect(query('/NEEDLE$/').test(text)).toBe(false);
  });
});
