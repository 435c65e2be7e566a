/** The JSON detail tree: when a payload is shown as a tree, and how nodes read and copy. */
import { describe, expect, it } from 'vitest';
import {
  JSON_MAX_DEPTH, JSON_PARSE_MAX_CHARS, copyValueText, jsonChildren, jsonPath, jsonSummary, tryParseJson,
} from '../../src/panel/detail/json-view-model';

describe('tryParseJson', () => {
  it('parses objects and arrays, surrounding whitespace included', () => {
    expect(tryParseJson('  {"a":[1,2]}\n')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(tryParseJson('[true,null]')).toEqual({ ok: true, value: [true, null] });
  });

  it.each(['42', '"str"', 'true', 'null', 'hello', ''])('leaves %j as plain text', (t) => {
    expect(tryParseJson(t)).toEqual({ ok: false });
  });

  it('returns ok:false for malformed JSON', () => {
    expect(tryParseJson('{"a":')).toEqual({ ok: false });
    expect(tryParseJson('[1,2,]')).toEqual({ ok: false });
  });

  it('returns ok:false for 100,000 levels of nesting, without throwing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(tryParseJson(deep)).toEqual({ ok: false });
    expect(tryParseJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toEqual({ ok: false });
  });

  it(`accepts nesting up to JSON_MAX_DEPTH (${JSON_MAX_DEPTH}), and brackets inside strings do not count`, () => {
    expect(tryParseJson('['.repeat(JSON_MAX_DEPTH) + ']'.repeat(JSON_MAX_DEPTH)).ok).toBe(true);
    const inString = `["${'['.repeat(5000)}\\"${'{'.repeat(5000)}"]`;
    expect(tryParseJson(inString).ok).toBe(true);
  });

  it(`skips texts above JSON_PARSE_MAX_CHARS (${JSON_PARSE_MAX_CHARS})`, () => {
    const big = `["${'x'.repeat(JSON_PARSE_MAX_CHARS)}"]`;
    expect(tryParseJson(big)).toEqual({ ok: false });
    expect(tryParseJson(`["${'x'.repeat(JSON_PARSE_MAX_CHARS - 4)}"]`).ok).toBe(true);
  });
});

describe('jsonChildren', () => {
  it('lists object keys in order', () => {
    expect(jsonChildren({ b: 1, a: { c: 2 } })).toEqual([{ key: 'b', value: 1 }, { key: 'a', value: { c: 2 } }]);
  });

  it('lists array items by index', () => {
    expect(jsonChildren(['x', 'y'])).toEqual([{ key: 0, value: 'x' }, { key: 1, value: 'y' }]);
  });

  it('keeps a "__proto__" key from the payload', () => {
    const parsed = tryParseJson('{"__proto__":{"x":1}}');
    expect(parsed.ok && jsonChildren(parsed.value)).toEqual([{ key: '__proto__', value: { x: 1 } }]);
  });

  it.each([1, 'str', null, true])('has no children for %j', (v) => {
    expect(jsonChildren(v)).toEqual([]);
  });
});

describe('jsonPath', () => {
  it.each<[(string | number)[], string]>([
    [[], '$'],
    [['a'], '$.a'],
    [['a', 0], '$.a[0]'],
    [['_x', '$y', 'z9'], '$._x.$y.z9'],
    [['weird key'], '$["weird key"]'],
    [['a"b'], '$["a\\"b"]'],
    [['0'], '$["0"]'],
    [['9lives'], '$["9lives"]'],
    [['a.b', 1, 'c'], '$["a.b"][1].c'],
    [[''], '$[""]'],
  ])('writes %j as %s', (path, expected) => {
    expect(jsonPath(path)).toBe(expected);
  });
});

describe('jsonSummary', () => {
  it('counts keys and items', () => {
    expect(jsonSummary({ a: 1, b: 2, c: 3 })).toBe('{…} 3 keys');
    expect(jsonSummary(Array.from({ length: 10 }, (_, i) => i))).toBe('[…] 10 items');
    expect(jsonSummary({ a: 1 })).toBe('{…} 1 key');
    expect(jsonSummary([0])).toBe('[…] 1 item');
  });

  it('shows empty containers as they are', () => {
    expect(jsonSummary({})).toBe('{}');
    expect(jsonSummary([])).toBe('[]');
  });

  it('shows primitives as JSON', () => {
    expect([jsonSummary(1.5), jsonSummary(false), jsonSummary(null), jsonSummary('hi')]).toEqual(['1.5', 'false', 'null', '"hi"']);
  });

  it('keeps strings on one line', () => {
    expect(jsonSummary('a\nb')).toBe('"a\\nb"');
  });

  it('truncates strings at 120 characters with an ellipsis', () => {
    expect(jsonSummary('x'.repeat(120))).toBe(`"${'x'.repeat(120)}"`);
    expect(jsonSummary('x'.repeat(121))).toBe(`"${'x'.repeat(120)}…"`);
  });

  it('does not cut an emoji in half', () => {
    const s = `${'x'.repeat(119)}😀tail`;
    expect(jsonSummary(s)).toBe(`"${'x'.repeat(119)}…"`);
  });
});

describe('copyValueText', () => {
  it('pretty-prints objects and arrays', () => {
    expect(copyValueText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it('copies strings without quotes or escapes', () => {
    expect(copyValueText('say "hi"\n')).toBe('say "hi"\n');
  });

  it('copies other values as JSON', () => {
    expect([copyValueText(3), copyValueText(true), copyValueText(null)]).toEqual(['3', 'true', 'null']);
  });
});
