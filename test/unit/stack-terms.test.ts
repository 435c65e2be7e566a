/** `sentby:` filter terms: frames by the code that sent them (Record send stacks). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, compileFilter, type FilterRow, type FilterSpec } from '../../src/panel/filter/filter-engine';
import { parseStackTerms } from '../../src/panel/filter/stack-terms';
import type { Initiator } from '../../src/protocol/stack-frames';

const APP = 'http://127.0.0.1:8080/static/app.js?v=3';
const LIB = 'http://127.0.0.1:8080/vendor/socket-lib.min.js';
/** sendOrder app.js:8, called from checkout at app.js:20, called from the library's flush. */
const ORDER: Initiator = { stack: [
  { fn: 'sendOrder', url: APP, line: 8, col: 6 },
  { fn: 'checkout', url: APP, line: 20, col: 3 },
  { fn: 'flush', url: LIB, line: 1, col: 9000 },
] };
const PING: Initiator = { stack: [{ fn: 'heartbeat', url: LIB, line: 1, col: 400 }] };
const NONE: Initiator = { stack: [], note: 'stack not recorded: the page made Error.stackTraceLimit an accessor' };

const sent = (data: string, initiator?: Initiator): FilterRow =>
  ({ kind: 'frame', connId: 'c1', dir: 'sent', type: 'text', size: data.length, data, ...(initiator && { initiator }) });
const received = (data: string): FilterRow => ({ kind: 'frame', connId: 'c1', dir: 'received', type: 'text', size: data.length, data });
const ruleRow = (text: string, initiator?: Initiator): FilterRow => ({ kind: 'lifecycle', connId: 'c1', text, ...(initiator && { initiator }) });

const order = sent('{"op":"order","id":1}', ORDER);
const ping = sent('{"op":"ping"}', PING);
const bare = sent('{"op":"order","id":2}');
const refused = sent('{"op":"order","id":3}', NONE);
const reply = received('{"op":"order-ok","id":1}');
const held = ruleRow('held by rule 1 ↑ {"op":"order","id":1}', ORDER);
const open = ruleRow('open');
const ROWS = { order, ping, bare, refused, reply, held, open };

function shown(text: string, over: Partial<FilterSpec> = {}): string[] {
  const f = compileFilter({ ...DEFAULT_FILTER, ...over, text });
  if (!f.ok) throw new Error(f.error);
  return Object.entries(ROWS).filter(([, r]) => f.matches(r) === true).map(([k]) => k);
}

describe('sentby: which rows a term shows', () => {
  it('a function anywhere on the stack: the innermost, a caller, a library frame', () => {
    expect(shown('sentby:sendOrder')).toEqual(['order', 'held']);
    expect(shown('sentby:checkout')).toEqual(['order', 'held']);
    expect(shown('sentby:flush')).toEqual(['order', 'held']);
    expect(shown('sentby:heartbeat')).toEqual(['ping']);
  });

  it('a script by its file name (no path, query or hash), and a script and line', () => {
    expect(shown('sentby:app.js')).toEqual(['order', 'held']);
    expect(shown('sentby:socket-lib.min.js')).toEqual(['order', 'ping', 'held']);
    expect(shown('sentby:app.js:8')).toEqual(['order', 'held']);
    expect(shown('sentby:app.js:20')).toEqual(['order', 'held']);
    expect(shown('sentby:app.js:9')).toEqual([]);
    expect(shown('sentby:static/app.js')).toEqual([]);
  });

  it('is case-insensitive, and * stands for any run of characters', () => {
    expect(shown('SENTBY:SENDORDER')).toEqual(['order', 'held']);
    expect(shown('sentby:send*')).toEqual(['order', 'held']);
    expect(shown('sentby:*beat')).toEqual(['ping']);
    expect(shown('sentby:*.min.js')).toEqual(['order', 'ping', 'held']);
    // Whole names only: a part of a name is not a match without a *.
    expect(shown('sentby:send')).toEqual([]);
  });

  it('a quoted name may hold spaces and quotes', () => {
    const spaced: Initiator = { stack: [{ fn: 'Object.<anonymous> handler', url: APP, line: 3, col: 1 }] };
    const f = compileFilter({ ...DEFAULT_FILTER, text: 'sentby:"object.<anonymous> handler"' });
    expect(f.ok && f.matches(sent('x', spaced))).toBe(true);
  });

  it('frames without a stack, or whose stack was refused, never match; with Invert they are what shows', () => {
    expect(shown('sentby:*')).toEqual(['order', 'ping', 'held']);
    expect(shown('sentby:sendOrder', { invert: true })).toEqual(['ping', 'bare', 'refused', 'reply', 'open']);
  });

  it('combines with a text search, other terms and the toggles', () => {
    expect(shown('sentby:app.js "id":1')).toEqual(['order', 'held']);
    expect(shown('"id":1 sentby:socket-lib.min.js')).toEqual(['order', 'held']);
    expect(shown('sentby:socket-lib.min.js ping')).toEqual(['ping']);
    expect(shown('sentby:app.js sentby:heartbeat')).toEqual([]);
    expect(shown('sentby:app.js', { types: { text: true, binary: true, lifecycle: false } })).toEqual(['order']);
    expect(shown('sentby:flush op:order')).toEqual([]); // no decoder here: no decoded fields to match
  });
});

describe('parseStackTerms', () => {
  it('leaves text without a term as it was, and takes the terms out of the rest', () => {
    expect(parseStackTerms('  "op": "x"  ')).toMatchObject({ ok: true, terms: [], rest: '  "op": "x"  ' });
    expect(parseStackTerms('ping sentby:app.js pong')).toMatchObject({ ok: true, rest: 'ping  pong' });
    // A word that only contains the prefix is text.
    expect(parseStackTerms('xsentby:app.js')).toMatchObject({ ok: true, terms: [], rest: 'xsentby:app.js' });
  });

  it('refuses an empty or unclosed name with a clear error, which the filter box shows', () => {
    expect(parseStackTerms('sentby:')).toEqual({ ok: false, error: 'sentby: name a function or a script, e.g. sentby:sendOrder or sentby:app.js:8' });
    expect(parseStackTerms('sentby:"abc')).toEqual({ ok: false, error: 'sentby: the quoted name is not closed' });
    const f = compileFilter({ ...DEFAULT_FILTER, text: 'ping sentby:' });
    expect(f.ok).toBe(false);
  });

  it('looks at each shared stack once per term, however many frames share it', () => {
    const f = compileFilter({ ...DEFAULT_FILTER, text: 'sentby:checkout' });
    if (!f.ok) throw new Error(f.error);
    let reads = 0;
    const counted: Initiator = { get stack() { reads++; return ORDER.stack; } };
    for (let i = 0; i < 1000; i++) expect(f.matches(sent(`{"n":${i}}`, counted))).toBe(true);
    expect(reads).toBe(1);
  });
});
