/** The pure parts of pairing: the latency histogram, the Calls table and its CSV, the JSON key and its suggestions. */
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/panel/model/latency-histogram';
import { callRows, callsCsv, sortCalls } from '../../src/panel/model/call-rows';
import type { CallStat } from '../../src/panel/model/call-stats';
import { jsonPairKey, KeySuggestions, parseJsonObject, parseKeyPath } from '../../src/decoders/pairing/json-key';
import { keyOf, keyText } from '../../src/decoders/pairing/pair-tags';
import { seededRandom } from '../support/seeded-random';

describe('LatencyHistogram', () => {
  it('percentiles are never below the true value and at most 2 % above it', () => {
    const rnd = seededRandom(7);
    const h = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) { const v = rnd() < 0.5 ? rnd() * 20 : 300 + rnd() * 5000; values.push(v); h.add(v); }
    values.sort((a, b) => a - b);
    for (const p of [0.5, 0.9, 0.95, 0.99]) {
      const exact = values[Math.ceil(p * values.length) - 1]!;
      const got = h.percentile(p)!;
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got).toBeLessThanOrEqual(Math.max(1, exact * 1.0201));
    }
    expect(h.max).toBe(values.at(-1));
    expect(new LatencyHistogram().percentile(0.5)).toBeNull();
  });

  it('a single sample reads back exactly', () => {
    const h = new LatencyHistogram();
    h.add(305);
    expect([h.percentile(0.5), h.percentile(0.95), h.max]).toEqual([305, 305, 305]);
  });
});

describe('Calls table', () => {
  const stat = (call: string, lat: number[], extra: Partial<CallStat> = {}): CallStat => {
    const latency = new LatencyHistogram();
    lat.forEach((l) => latency.add(l));
    return { call, protocol: 'json-rpc', count: lat.length + 1, answered: lat.length, errors: 0, noResponse: 0, untracked: 0, latency, bytesOut: 10, bytesIn: 20, ...extra };
  };

  it('sorts by any column, missing latencies last when descending', () => {
    const rows = callRows([stat('a', [5]), stat('b', [500, 700]), stat('c', [])]);
    expect(sortCalls(rows, 'p50', true).map((r) => r.call)).toEqual(['b', 'a', 'c']);
    expect(sortCalls(rows, 'call', false).map((r) => r.call)).toEqual(['a', 'b', 'c']);
    expect(rows.find((r) => r.call === 'c')!.pending).toBe(1);
  });

  it('CSV quotes what needs it and keeps page data from running as a spreadsheet formula', () => {
    const csv = callsCsv(callRows([stat('say "hi", then', [12.4]), stat('=HYPERLINK("x")', [])]));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('call,protocol,count,errors,no_response,pending,p50_ms,p95_ms,max_ms,bytes_out,bytes_in');
    expect(lines[1]).toBe('"say ""hi"", then",json-rpc,2,0,0,1,12,12,12,10,20');
    expect(lines[2]!.startsWith(`"'=HYPERLINK(""x"")",json-rpc,1,0,0,1,,,,`)).toBe(true);
  });
});

describe('JSON key', () => {
  it('key paths are up to three names', () => {
    expect(parseKeyPath(' meta.correlationId ')).toEqual({ ok: true, path: ['meta', 'correlationId'] });
    for (const bad of ['', 'a..b', 'a.b.c.d', 'has space', '.x']) expect(parseKeyPath(bad).ok, bad).toBe(false);
  });

  it('reads own keys only, typed, and names the call from the message', () => {
    expect(jsonPairKey({ rid: 3, op: 'quote' }, ['rid'])).toEqual({ key: 'n3', call: 'quote' });
    expect(jsonPairKey({ meta: { id: 'x' } }, ['meta', 'id'])).toEqual({ key: 'sx', call: '(by meta.id)' });
    expect(jsonPairKey({}, ['constructor'])).toBeNull();
    expect(jsonPairKey({ rid: null }, ['rid'])).toBeNull();
    expect(jsonPairKey({ rid: { a: 1 } }, ['rid'])).toBeNull();
    expect(keyText(keyOf(7)!)).toBe('7');
    expect(keyText(keyOf('7')!)).toBe('"7"');
  });

  it('only objects are parsed', () => {
    expect(parseJsonObject('  {"a":1}')).toEqual({ a: 1 });
    expect(parseJsonObject('[1]')).toBeUndefined();
    expect(parseJsonObject('{bad')).toBeUndefined();
  });

  it('suggests keys whose values come back in the other direction, best first', () => {
    const s = new KeySuggestions();
    for (let i = 0; i < 20; i++) {
      s.observe('sent', { type: 'req', rid: i, meta: { trace: `t${i}` }, user: 'ann' });
      s.observe('received', { type: 'res', rid: i, meta: { trace: `t${i}` }, price: i * 2 });
    }
    const got = s.suggest().map((x) => x.path);
    expect(got.slice(0, 2).sort()).toEqual(['meta.trace', 'rid']);
    expect(got).not.toContain('user');
    expect(got).not.toContain('type');
  });
});
