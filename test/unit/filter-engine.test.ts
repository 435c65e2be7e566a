/** Which rows the frame table shows for a filter, and how the filter survives a panel reopen. */
import { describe, expect, it } from 'vitest';
import { BinaryTextCache } from '../../src/panel/filter/binary-text';
import {
  DEFAULT_FILTER, compileFilter, deserializeFilter, filterIndices, serializeFilter,
  type FilterRow, type FilterSpec,
} from '../../src/panel/filter/filter-engine';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { batch, cloned, created, receivedBinary } from './fixtures/wire-events';

const text = (data: string, over: Partial<FilterRow & { kind: 'frame' }> = {}): FilterRow =>
  ({ kind: 'frame', connId: 'c1', dir: 'received', type: 'text', size: data.length, data, ...over });
/** A binary frame as the panel keeps it: its bytes. */
const binary = (bytes: number[] | Uint8Array, over: Partial<FilterRow & { kind: 'frame' }> = {}): FilterRow =>
  ({ kind: 'frame', connId: 'c1', dir: 'received', type: 'binary', size: bytes.length, data: Uint8Array.from(bytes), ...over });
const life = (t: string, connId = 'c1'): FilterRow => ({ kind: 'lifecycle', connId, text: t });

function matcher(over: Partial<FilterSpec>, cache?: BinaryTextCache): (r: FilterRow) => boolean {
  const f = compileFilter({ ...DEFAULT_FILTER, ...over }, cache);
  if (!f.ok) throw new Error(f.error);
  return (r) => f.matches(r) === true;
}

describe('compileFilter: text query', () => {
  it('shows every row with the default filter', () => {
    const m = matcher({});
    expect([text('a'), binary([1]), life('open')].every(m)).toBe(true);
  });

  it('matches text frames by case-insensitive substring', () => {
    const m = matcher({ text: 'ping' });
    expect(m(text('{"op":"PING"}'))).toBe(true);
    expect(m(text('{"op":"pong"}'))).toBe(false);
  });

  it('matches by regex with flags', () => {
    const m = matcher({ text: '/"n":\\s*\\d{3}\\b/' });
    expect(m(text('{"n": 404}'))).toBe(true);
    expect(m(text('{"n": 40}'))).toBe(false);
    expect(matcher({ text: '/^ERROR/i' })(text('error: x'))).toBe(true);
  });

  it('searches the whole payload, not just the start', () => {
    const payload = `${'a'.repeat(50_000)}needle${'b'.repeat(9_994)}`;
    expect(payload).toHaveLength(60_000);
    expect(matcher({ text: 'NEEDLE' })(text(payload))).toBe(true);
    expect(matcher({ text: '/needle b/' })(text(payload))).toBe(false);
  });

  it('inverts only the text query', () => {
    const m = matcher({ text: 'ping', invert: true, direction: 'sent' });
    expect(m(text('pong', { dir: 'sent' }))).toBe(true);
    expect(m(text('ping', { dir: 'sent' }))).toBe(false);
    expect(m(text('pong', { dir: 'received' }))).toBe(false); // the direction toggle still applies
  });

  it('ignores invert while the query is empty', () => {
    expect(matcher({ invert: true })(text('x'))).toBe(true);
  });

  it('gives an error for an invalid regex, so the UI can keep the last good filter', () => {
    expect(compileFilter({ ...DEFAULT_FILTER, text: '/(ab/' })).toEqual({ ok: false, error: 'Invalid regex: Unterminated group' });
  });
});

describe('compileFilter: binary frames', () => {
  const frame = binary([0x01, 0xde, 0xad, 0xbe, 0xef, 0x02]);

  it.each(['deadbeef', 'de ad be ef', 'DE AD BE EF', 'de ad BE ef', 'adbe'])('matches the hex %j', (q) => {
    expect(matcher({ text: q })(frame)).toBe(true);
  });

  it('matches hex only at byte boundaries', () => {
    // Hex 01deadbeef02: "1d" and "eadb" occur in the text, but straddle bytes.
    expect(matcher({ text: '1d' })(frame)).toBe(false);
    expect(matcher({ text: 'eadb' })(frame)).toBe(false);
  });

  it('matches UTF-8 text inside binary frames', () => {
    const m = matcher({ text: 'Hello' });
    expect(m(binary([0x00, 0x05, ...new TextEncoder().encode('hello world')]))).toBe(true);
    expect(m(binary([0x00, 0x05, 0x68]))).toBe(false);
  });

  it('matches a regex against hex or UTF-8', () => {
    expect(matcher({ text: '/^01de/' })(frame)).toBe(true);
    expect(matcher({ text: '/wor.d/' })(binary(new TextEncoder().encode('world')))).toBe(true);
  });

  it('uses the cache given for binary frames', () => {
    const cache = new BinaryTextCache();
    matcher({ text: 'dead' }, cache)(frame);
    expect(cache.size).toBe(1);
  });

  it('finds the same in a frame of the model whether it arrived as a buffer or as base64', () => {
    const wire = receivedBinary(2, 1, [0x01, 0xde, 0xad, 0xbe, 0xef, ...new TextEncoder().encode('hello')]);
    for (const ev of [wire, cloned(wire)]) {
      const m = new CaptureModel({ maxFrames: 10, maxBytes: 1e6 });
      m.ingest(batch([created(1, 1, 'wss://a/'), ev]));
      const row = m.allFrames()[0]!;
      expect(matcher({ text: 'de ad be ef' })(row)).toBe(true);
      expect(matcher({ text: 'hello' })(row)).toBe(true);
      // The base64 it may have travelled in is not what the frame holds.
      expect(matcher({ text: (wire.data as string).slice(0, 6) })(row)).toBe(false);
    }
  });
});

describe('compileFilter: toggles', () => {
  it('filters frames by direction', () => {
    const m = matcher({ direction: 'sent' });
    expect(m(text('x', { dir: 'sent' }))).toBe(true);
    expect(m(text('x', { dir: 'received' }))).toBe(false);
  });

  it('filters by type', () => {
    const m = matcher({ types: { text: false, binary: true, lifecycle: false } });
    expect(m(text('x'))).toBe(false);
    expect(m(binary([1]))).toBe(true);
    expect(m(life('open'))).toBe(false);
  });

  it('filters by connection, lifecycle rows included', () => {
    const m = matcher({ connections: ['c2'] });
    expect(m(text('x', { connId: 'c1' }))).toBe(false);
    expect(m(text('x', { connId: 'c2' }))).toBe(true);
    expect(m(life('open', 'c1'))).toBe(false);
    expect(m(life('open', 'c2'))).toBe(true);
  });

  it('filters frames by inclusive size bounds', () => {
    const m = matcher({ minSize: 10, maxSize: 20 });
    expect([9, 10, 20, 21].map((size) => m(text('x', { size })))).toEqual([false, true, true, false]);
  });

  it('shows lifecycle rows regardless of direction and size', () => {
    expect(matcher({ direction: 'sent', minSize: 100, maxSize: 200 })(life('open'))).toBe(true);
  });

  it('applies the text query to lifecycle rows', () => {
    const m = matcher({ text: 'normal closure' });
    expect(m(life('close 1000 Normal Closure bye'))).toBe(true);
    expect(m(life('open'))).toBe(false);
  });
});

describe('filterIndices', () => {
  const rows = [text('ping'), text('pong'), life('open'), text('PING again')];
  const m = matcher({ text: 'ping' });

  it('returns the indices of matching rows, in order', () => {
    expect([...filterIndices(rows, m)]).toEqual([0, 3]);
  });

  it('reads sources that expose at()', () => {
    expect([...filterIndices({ length: rows.length, at: (i: number) => rows[i]! }, m)]).toEqual([0, 3]);
  });

  it('returns an empty array when nothing matches', () => {
    expect(filterIndices(rows, () => false)).toHaveLength(0);
  });
});

describe('serializeFilter / deserializeFilter', () => {
  it('round-trips a filter', () => {
    const spec: FilterSpec = {
      text: '/a"b/i', invert: true, direction: 'received',
      types: { text: false, binary: true, lifecycle: false },
      connections: ['doc1:1', 'doc1:2'], minSize: 0, maxSize: 4096, hideHeartbeats: true,
    };
    expect(deserializeFilter(serializeFilter(spec))).toEqual(spec);
  });

  it.each([null, '', 'not json', '[]', '42', 'null', '{"text":'])('gives the default filter for %j', (stored) => {
    expect(deserializeFilter(stored)).toEqual(DEFAULT_FILTER);
  });

  it('keeps the valid fields of a partly malformed filter', () => {
    const stored = JSON.stringify({
      text: 'ping', invert: 'yes', direction: 'up', types: { text: false, binary: 1 },
      connections: ['c1', 2], minSize: -5, maxSize: 100,
    });
    expect(deserializeFilter(stored)).toEqual({
      ...DEFAULT_FILTER, text: 'ping', types: { text: false, binary: true, lifecycle: true }, maxSize: 100,
    });
  });
});
