/**
 * "Open session" reads two formats, our session JSON and HAR. Whatever the user picks, the reader
 * must not throw, must say which format it took the file for, and must refuse a broken file with
 * a message that names the broken field (the issue: "at least 200 generated malformed files, each
 * rejected with a specific message and none throwing uncaught").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSessionText, readSessionValue, type ReadSessionResult } from '../../src/session/read-session-file';
import { sessionToHar } from '../../src/session/har';
import type { SessionFileV1 } from '../../src/session/session-format';
import { VALID_SESSION } from './fixtures/valid-session';

const NOW = new Date('2030-01-01T00:00:00Z');
const CHROME_HAR = readFileSync(new URL('./fixtures/chrome-websocket.har.json', import.meta.url), 'utf8');

const SESSION = VALID_SESSION;
const SESSION_TEXT = JSON.stringify(SESSION, null, 1);
/** Our own HAR export of SESSION: entries top:1 (messages 0-2, the third has origin), top:2, iframe:1. */
const OUR_HAR_TEXT = JSON.stringify(sessionToHar(SESSION, '1.0.0'), null, 1);

function read(text: string): ReadSessionResult {
  let r: ReadSessionResult | undefined;
  expect(() => { r = readSessionText(text, NOW); }).not.toThrow();
  return r!;
}
const errorOf = (text: string): string => {
  const r = read(text);
  if (r.ok) throw new Error(`expected the file to be refused, it was read as ${r.kind}`);
  return r.error;
};

describe('readSessionText: which format', () => {
  it('reads our session file as kind "sockscope", unchanged', () => {
    expect(read(SESSION_TEXT)).toEqual({ ok: true, kind: 'sockscope', session: SESSION });
  });

  it('reads a Chrome DevTools HAR as kind "har"', () => {
    const r = read(CHROME_HAR);
    expect(r).toMatchObject({ ok: true, kind: 'har' });
    if (r.ok) expect(r.session.frames).toHaveLength(3);
  });

  it('reads our own HAR export as kind "har", giving back the session (import time aside)', () => {
    const r = read(OUR_HAR_TEXT);
    expect(r).toMatchObject({ ok: true, kind: 'har' });
    if (r.ok) expect({ ...r.session, exportedAt: SESSION.exportedAt }).toEqual(SESSION);
  });

  it('readSessionValue takes an already parsed value the same way', () => {
    expect(readSessionValue(JSON.parse(SESSION_TEXT), NOW)).toMatchObject({ ok: true, kind: 'sockscope' });
    expect(readSessionValue(JSON.parse(CHROME_HAR), NOW)).toMatchObject({ ok: true, kind: 'har' });
  });

  it.each([
    ['a foreign object', '{"name": "not ours", "items": [1, 2]}'],
    ['an empty object', '{}'],
    ['an array', '[]'],
    ['an array holding a session', `[${SESSION_TEXT}]`],
    ['a number', '42'],
    ['a string', '"sockscope-session"'],
    ['null', 'null'],
    ['true', 'true'],
    ['a session without "format"', JSON.stringify({ ...SESSION, format: undefined })],
  ])('refuses %s as not a session file, saying what it expected', (_, text) => {
    const e = errorOf(text);
    expect(e).toMatch(/^Not a session file: /);
    expect(e).toContain('"format": "sockscope-session"');
    expect(e).toContain('HAR');
  });

  it.each([['plain text', 'hello'], ['empty', ''], ['cut short', '{"log": '], ['a trailing comma', '{"format": "sockscope-session",}'], ['NaN', '{"version": NaN}']])(
    'says %s is not JSON', (_, text) => {
      expect(errorOf(text)).toMatch(/^Not JSON: \S/);
    },
  );

  it.each([2, 3, 1000])('refuses a session of version %i as made by a newer Sockscope', (version) => {
    const e = errorOf(JSON.stringify({ ...SESSION, version }));
    expect(e).toMatch(/^Session file: /);
    expect(e).toContain('made by a newer Sockscope');
    expect(e).toContain(`version ${version}`);
  });

  it('prefixes session errors with "Session file:" and HAR errors with "HAR file:"', () => {
    expect(errorOf(JSON.stringify({ ...SESSION, frames: 'none' }))).toBe('Session file: frames: expected an array');
    const har = JSON.parse(CHROME_HAR);
    har.log.entries[1]._webSocketMessages[1].opcode = 9;
    expect(errorOf(JSON.stringify(har))).toBe('HAR file: log.entries[1]._webSocketMessages[1].opcode: expected 1 (text) or 2 (binary)');
    expect(errorOf('{"log": 1}')).toBe('HAR file: log: expected an object (this does not look like a HAR file)');
  });
});

// ---- generated malformed files ----

type Seg = string | number;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const DELETE = Symbol('delete');
/** Written into the text as 1e999, which JSON.parse reads as Infinity. */
const INFINITY = '\u0001+inf';
const NEG_INFINITY = '\u0001-inf';
type Bad = Json | typeof DELETE;

const show = (path: readonly Seg[]) => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
const describeBad = (v: Bad) => (v === DELETE ? 'removed' : v === INFINITY ? '1e999' : v === NEG_INFINITY ? '-1e999' : JSON.stringify(v));

function mutated(baseText: string, path: readonly Seg[], value: Bad): string {
  const doc = JSON.parse(baseText) as Json;
  let parent = doc as Record<Seg, Json>;
  for (const s of path.slice(0, -1)) {
    parent = parent[s] as Record<Seg, Json>;
    if (parent === undefined) throw new Error(`bad fixture path ${show(path)}`);
  }
  const last = path[path.length - 1]!;
  if (value === DELETE && !(last in parent)) throw new Error(`bad fixture path ${show(path)}`);
  if (value !== DELETE) parent[last] = structuredClone(value);
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return JSON.stringify(doc).replaceAll(JSON.stringify(INFINITY), '1e999').replaceAll(JSON.stringify(NEG_INFINITY), '-1e999');
}

interface Case {
  name: string;
  text: string;
  /** The path the message must name (after the format prefix), or an exact message. */
  expect: { prefix: string; path: string } | { exact: string } | { startsWith: string };
}

/**
 * One row per field: the values that break it, and the path the error must name (the field
 * itself unless said otherwise, e.g. an array of strings is named as a whole).
 */
type Row = [path: Seg[], bad: Bad[], names?: string];

const NOT_STRING: Bad[] = [DELETE, null, 42, true, {}, []];
const NOT_OBJECT: Bad[] = [null, 42, 'x', true, []];
const NOT_ARRAY: Bad[] = [DELETE, null, 42, 'x', {}];
const NOT_COUNT: Bad[] = [DELETE, null, -1, 1.5, '3', true, INFINITY, 2 ** 53];
const NOT_TIME: Bad[] = [DELETE, null, '1001', true, {}, INFINITY, NEG_INFINITY];

const SESSION_ROWS: Row[] = [
  [['format'], [null, 42, true, {}, 'har', 'Sockscope-Session', 'sockscope-session ', '']],
  [['version'], [DELETE, null, '1', 1.5, -1, 0, true, [], INFINITY, 2 ** 53]],
  [['exportedAt'], NOT_STRING],
  [['page'], [DELETE, ...NOT_OBJECT]],
  [['page', 'url'], NOT_STRING],
  [['page', 'title'], NOT_STRING],
  [['connections'], NOT_ARRAY],
  ...[0, 1, 2].map((i): Row => [['connections', i], NOT_OBJECT]),
  ...['id', 'url', 'frameUrl', 'protocol', 'extensions'].flatMap((k) => [0, 1].map((i): Row => [['connections', i, k], NOT_STRING])),
  [['connections', 0, 'requestedProtocols'], [DELETE, null, 'v2', {}, 42]],
  [['connections', 0, 'requestedProtocols', 1], [null, 42, {}, []], 'connections[0].requestedProtocols'],
  [['connections', 1, 'states'], [DELETE, null, {}, 'OPEN', 42]],
  ...[0, 3].map((j): Row => [['connections', 1, 'states', j], [null, 'OPEN', 42, []]]),
  ...[0, 1, 2, 3].map((j): Row => [['connections', 1, 'states', j, 'state'], [DELETE, null, 'open', 'CLOSED ', 'GONE', 1, '']]),
  ...[0, 2].map((j): Row => [['connections', 1, 'states', j, 'at'], NOT_TIME]),
  [['connections', 1, 'close'], [DELETE, 'closed', 42, [], true]],
  [['connections', 0, 'close'], ['x', {}, 1000]],
  [['connections', 1, 'close', 'code'], [DELETE, null, '1011', -1, 1.5, true, INFINITY]],
  [['connections', 1, 'close', 'reason'], NOT_STRING],
  [['connections', 1, 'close', 'wasClean'], [DELETE, null, 'false', 0, 1]],
  [['connections', 1, 'close', 'initiator'], [DELETE, null, 'client', 'Server', 42, '']],
  [['connections', 1, 'errors'], [DELETE, null, {}, '1006', 42]],
  // Epoch milliseconds: a number, and a finite one (1e999 would be written back as null).
  [['connections', 1, 'errors', 0], [null, '1006', {}, INFINITY, NEG_INFINITY], 'connections[1].errors'],
  [['frames'], NOT_ARRAY],
  ...[0, 1, 2, 3, 4].map((i): Row => [['frames', i], NOT_OBJECT]),
  ...[0, 3, 4].map((i): Row => [['frames', i, 'connectionId'], [DELETE, null, 42, 'top:9', '', 'TOP:1']]),
  ...[1, 3].map((i): Row => [['frames', i, 'direction'], [DELETE, null, 'send', 'receive', 'SENT', 1, '']]),
  ...[1, 2].map((i): Row => [['frames', i, 'type'], [DELETE, null, 'TEXT', 'blob', 'string', 2]]),
  ...[2, 3].map((i): Row => [['frames', i, 'at'], NOT_TIME]),
  ...[1, 2].map((i): Row => [['frames', i, 'size'], NOT_COUNT]),
  [['frames', 3, 'origin'], [null, 'page', '', 'Resent', 42, false]],
  [['frames', 1, 'text'], NOT_STRING],
  [['frames', 0, 'text'], NOT_STRING],
  // Base64 that does not decode: wrong characters, padding in the middle, lengths no base64 has.
  [['frames', 2, 'base64'], [DELETE, null, 42, {}, 'not base64!', 'AA=C', '====', '=AAA', 'AAEC/w==\n', 'AAEC/w=', 'A', 'AAAAA']],
  [['dropped'], [DELETE, ...NOT_OBJECT]],
  [['dropped', 'frames'], NOT_COUNT],
  [['dropped', 'bytes'], NOT_COUNT],
  [['redacted'], NOT_OBJECT],
  [['redacted', 'keys'], [DELETE, null, 'token', {}, [1], [null]]],
  [['redacted', 'count'], NOT_COUNT],
  [['filtered'], NOT_OBJECT],
  [['filtered', 'query'], NOT_STRING],
  [['filtered', 'ofFrames'], NOT_COUNT],
];

const WS = ['log', 'entries', 1] as const; // the Chrome fixture's websocket entry (entry 0 is the page's document)
const MSG = (j: number) => [...WS, '_webSocketMessages', j];
const NOT_HEADERS: Bad[] = [null, {}, 'x', 42, true];
const BAD_BASE64: Bad[] = ['AAEC/w=', 'AA=C', 'not base64!', 'AAE', '====', '=AAA', 'A', 'AAEC/w==\n'];

const CHROME_ROWS: Row[] = [
  [['log'], [null, 'x', 42, [], true]],
  [['log', 'entries'], NOT_ARRAY],
  [['log', 'pages'], [null, {}, 'x', 42, true]],
  [['log', 'entries', 0], NOT_OBJECT],
  [[...WS], NOT_OBJECT],
  [[...WS, 'request'], [DELETE, ...NOT_OBJECT]],
  [[...WS, 'request', 'url'], NOT_STRING],
  [[...WS, 'request', 'headers'], NOT_HEADERS],
  ...[0, 5].map((k): Row => [[...WS, 'request', 'headers', k], NOT_OBJECT]),
  [[...WS, 'request', 'headers', 5, 'name'], NOT_STRING],
  [[...WS, 'request', 'headers', 5, 'value'], NOT_STRING],
  [[...WS, 'startedDateTime'], [...NOT_STRING, 'yesterday', '', '2025-13-45T99:99:99Z']],
  [[...WS, 'response'], NOT_OBJECT],
  [[...WS, 'response', 'headers'], NOT_HEADERS],
  [[...WS, 'response', 'headers', 3], NOT_OBJECT],
  [[...WS, 'response', 'headers', 3, 'name'], NOT_STRING],
  [[...WS, 'response', 'headers', 3, 'value'], NOT_STRING],
  [[...WS, '_webSocketMessages'], [null, {}, 'x', 42, true]],
  // The document entry turned into a websocket entry with messages that are not a list.
  [['log', 'entries', 0, '_webSocketMessages'], [null, {}, 'x']],
  ...[0, 1, 2].map((j): Row => [MSG(j), NOT_OBJECT]),
  ...[0, 2].map((j): Row => [[...MSG(j), 'type'], [DELETE, null, 'sent', 'SEND', 'recv', 1, '']]),
  ...[0, 1].map((j): Row => [[...MSG(j), 'time'], [DELETE, null, '1741064767.3', -1, -0.001, true, {}, INFINITY]]),
  ...[0, 1, 2].map((j): Row => [[...MSG(j), 'opcode'], [DELETE, null, 0, 3, 8, 9, 10, '1', 1.5, true]]),
  ...[0, 2].map((j): Row => [[...MSG(j), 'data'], NOT_STRING]),
  [[...MSG(2), 'data'], BAD_BASE64],
];

/** Our HAR: log._sockscope, entries[i]._sockscope and each message's _sockscope. */
const E = (i: number) => ['log', 'entries', i, '_sockscope'];
const M = (i: number, j: number) => ['log', 'entries', i, '_webSocketMessages', j, '_sockscope'];
const OUR_HAR_ROWS: Row[] = [
  [['log', '_sockscope'], NOT_OBJECT],
  [['log', '_sockscope', 'page'], [DELETE, ...NOT_OBJECT]],
  [['log', '_sockscope', 'page', 'url'], NOT_STRING],
  [['log', '_sockscope', 'page', 'title'], NOT_STRING],
  [['log', '_sockscope', 'dropped'], [DELETE, ...NOT_OBJECT]],
  [['log', '_sockscope', 'dropped', 'frames'], NOT_COUNT],
  [['log', '_sockscope', 'dropped', 'bytes'], NOT_COUNT],
  [['log', '_sockscope', 'redacted'], NOT_OBJECT],
  [['log', '_sockscope', 'redacted', 'keys'], [DELETE, null, 'token', [1]]],
  [['log', '_sockscope', 'redacted', 'count'], NOT_COUNT],
  [['log', '_sockscope', 'filtered'], NOT_OBJECT],
  [['log', '_sockscope', 'filtered', 'query'], NOT_STRING],
  [['log', '_sockscope', 'filtered', 'ofFrames'], NOT_COUNT],
  ...[0, 1, 2].map((i): Row => [E(i), NOT_OBJECT]),
  ...['id', 'frameUrl', 'protocol', 'extensions'].map((k): Row => [[...E(1), k], NOT_STRING]),
  // Two entries for one connection id.
  [[...E(1), 'id'], ['top:1']],
  [[...E(0), 'requestedProtocols'], [DELETE, null, 'v2', [1], {}]],
  [[...E(1), 'states'], [DELETE, null, {}, 'OPEN']],
  [[...E(1), 'states', 0], [null, 'x', 42]],
  [[...E(1), 'states', 3, 'state'], [DELETE, null, 'GONE', 'closed']],
  [[...E(1), 'states', 1, 'at'], NOT_TIME],
  [[...E(1), 'close'], [DELETE, 'x', 42, []]],
  [[...E(1), 'close', 'code'], [DELETE, null, -1, 1.5, '1011']],
  [[...E(1), 'close', 'reason'], NOT_STRING],
  [[...E(1), 'close', 'wasClean'], [DELETE, null, 'no', 0]],
  [[...E(1), 'close', 'initiator'], [DELETE, null, 'client', 42]],
  [[...E(1), 'errors'], [DELETE, null, {}, 42]],
  [[...E(1), 'errors', 0], [null, 'x', INFINITY], 'log.entries[1]._sockscope.errors'],
  ...[[0, 0], [2, 0]].map(([i, j]): Row => [M(i!, j!), NOT_OBJECT]),
  [[...M(0, 1), 'seq'], [DELETE, null, -1, 1.5, '1', INFINITY]],
  [[...M(0, 1), 'at'], NOT_TIME],
  [[...M(0, 1), 'size'], NOT_COUNT],
  [[...M(0, 2), 'origin'], [null, 'page', '', 42]],
];

function casesFrom(format: string, baseText: string, rows: Row[], prefix: string): Case[] {
  return rows.flatMap(([path, bads, names]) => bads.map((bad): Case => ({
    name: `${format}: ${show(path)} ${describeBad(bad)}`,
    text: mutated(baseText, path, bad),
    expect: { prefix, path: names ?? show(path) },
  })));
}

/** Cut points spread over the whole text, each a prefix that cannot be complete JSON. */
function truncations(format: string, text: string, n: number): Case[] {
  const t = text.trimEnd();
  // From 10 characters on, so the three bases' cuts differ (all of them start with "{").
  return Array.from({ length: n }, (_, k) => 10 + Math.floor((k * (t.length - 10)) / n)).map((cut): Case => ({
    name: `${format}: cut after ${cut} of ${t.length} characters`,
    text: t.slice(0, cut),
    expect: { startsWith: 'Not JSON: ' },
  }));
}

const seqOf = (i: number, j: number) => (JSON.parse(OUR_HAR_TEXT).log.entries[i]._webSocketMessages[j]._sockscope.seq as number);
const twoWithOneId = JSON.parse(SESSION_TEXT) as SessionFileV1;
twoWithOneId.connections.push({ ...twoWithOneId.connections[0]!, url: 'wss://chat.test/other' });
const SPECIAL: Case[] = [
  // Two connections with one id: the frames cannot say which one they belong to (a HAR like it is refused).
  { name: 'session: two connections with one id', text: JSON.stringify(twoWithOneId), expect: { prefix: 'Session file: ', path: 'connections[3].id' } },
  { name: 'session: format removed', text: mutated(SESSION_TEXT, ['format'], DELETE), expect: { startsWith: 'Not a session file: ' } },
  { name: 'Chrome HAR: log removed', text: mutated(CHROME_HAR, ['log'], DELETE), expect: { startsWith: 'Not a session file: ' } },
  { name: 'Chrome HAR: websocket entry removed', text: mutated(CHROME_HAR, [...WS], DELETE), expect: { exact: 'HAR file: This HAR has no WebSocket messages (no entry has _webSocketMessages)' } },
  { name: 'Chrome HAR: _webSocketMessages removed', text: mutated(CHROME_HAR, [...WS, '_webSocketMessages'], DELETE), expect: { exact: 'HAR file: This HAR has no WebSocket messages (no entry has _webSocketMessages)' } },
  { name: 'Chrome HAR: entries emptied', text: mutated(CHROME_HAR, ['log', 'entries'], []), expect: { exact: 'HAR file: This HAR has no WebSocket messages (no entry has _webSocketMessages)' } },
  {
    name: 'our HAR: two messages with one frame number',
    text: mutated(OUR_HAR_TEXT, [...M(0, 1), 'seq'], seqOf(0, 0)),
    expect: { prefix: 'HAR file: ', path: 'log.entries[0]._webSocketMessages[1]._sockscope.seq' },
  },
  {
    name: 'our HAR: a frame number used in another entry',
    text: mutated(OUR_HAR_TEXT, [...M(2, 0), 'seq'], seqOf(0, 0)),
    expect: { prefix: 'HAR file: ', path: 'log.entries[2]._webSocketMessages[0]._sockscope.seq' },
  },
];

const SESSION_CASES = [...casesFrom('session', SESSION_TEXT, SESSION_ROWS, 'Session file: '), ...truncations('session', SESSION_TEXT, 60)];
const HAR_CASES = [
  ...casesFrom('Chrome HAR', CHROME_HAR, CHROME_ROWS, 'HAR file: '),
  ...casesFrom('our HAR', OUR_HAR_TEXT, OUR_HAR_ROWS, 'HAR file: '),
  ...truncations('Chrome HAR', CHROME_HAR, 40),
  ...truncations('our HAR', OUR_HAR_TEXT, 40),
];
const CASES = [...SESSION_CASES, ...HAR_CASES, ...SPECIAL];

/** "HAR file: log.entries[1].time: expected …" names log.entries[1].time, and so names log.entries[1] too. */
function namedPath(error: string, prefix: string): string | null {
  if (!error.startsWith(prefix)) return null;
  const rest = error.slice(prefix.length);
  const colon = rest.indexOf(': expected ');
  // Top-level fields are reported as "file.<name>" by the session reader.
  return colon < 0 ? null : rest.slice(0, colon).replace(/^file\./, '');
}
const within = (at: string, path: string) => at === path || at.startsWith(`${path}.`) || at.startsWith(`${path}[`);

describe('readSessionText: generated malformed files', () => {
  it('generates at least 200 distinct malformed files, in both formats', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    expect(SESSION_CASES.length).toBeGreaterThanOrEqual(100);
    expect(HAR_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.text)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    // The bases themselves are fine: every refusal below is the mutation's doing.
    for (const base of [SESSION_TEXT, CHROME_HAR, OUR_HAR_TEXT]) expect(read(base).ok).toBe(true);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s, saying precisely why', (_, c) => {
    const r = read(c.text);
    expect(r.ok, `read as ${r.ok ? r.kind : ''}`).toBe(false);
    if (r.ok) return;
    const want = c.expect;
    if ('exact' in want) expect(r.error).toBe(want.exact);
    else if ('startsWith' in want) expect(r.error.startsWith(want.startsWith), r.error).toBe(true);
    else {
      const at = namedPath(r.error, want.prefix);
      expect(at !== null && within(at, want.path), `error "${r.error}" should name ${want.path}`).toBe(true);
    }
    expect(r.error).not.toMatch(/Could not read|undefined|\[object Object\]|TypeError/);
  });
});

describe('readSessionText: deep and huge values do not throw', () => {
  const deepArray = '['.repeat(50_000) + ']'.repeat(50_000);
  it.each([
    ['a deep array as a HAR message', CHROME_HAR.replace('"data": "welcome"', `"data": ${deepArray}`), 'HAR file: log.entries[1]._webSocketMessages[1].data'],
    ['a deep array as log.pages', CHROME_HAR.replace(/"pages": \[[\s\S]*?\],\s*"entries"/, `"pages": {"x": ${deepArray}}, "entries"`), 'HAR file: log.pages'],
    ['a deep array as a session frame', SESSION_TEXT.replace('"text": "ad"', `"text": ${deepArray}`), 'Session file: frames[0].text'],
  ])('%s', (_, text, prefix) => {
    expect(text).not.toBe(CHROME_HAR);
    expect(errorOf(text).startsWith(`${prefix}: expected`)).toBe(true);
  });
});
