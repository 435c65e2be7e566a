/**
 * Every field of a valid session file, broken in every way: parseSession must never throw, must
 * refuse each broken file naming the field it broke, and must accept the changes that are allowed.
 */
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../src/session/parse-session';
import type { SessionFileV1 } from '../../src/session/session-format';
import { VALID_SESSION } from './fixtures/valid-session';
import { readSessionText } from '../../src/session/read-session-file';
import { badSessionFiles, CHROME_HAR_TEXT, decodeAsThePanelDoes, SESSION_TEXT } from '../fixtures/bad-session-files';

// The optional notes are fuzzed in read-session-file.test.ts; here every field is one a file must have.
const { redacted: _redacted, filtered: _filtered, ...REQUIRED_ONLY } = VALID_SESSION;
const VALID: SessionFileV1 = REQUIRED_ONLY;
const VALID_TEXT = JSON.stringify(VALID);

type Seg = string | number;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const show = (path: readonly Seg[]) => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/** Every path in the document, parents before children (the root excluded). */
function pathsOf(v: Json, prefix: Seg[] = []): Seg[][] {
  const children: [Seg, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : v !== null && typeof v === 'object' ? Object.entries(v) : [];
  return children.flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
}

const MUTATIONS = {
  delete: undefined, // removes the key; for an array element, removes the element
  null: null,
  number: -1.5, // not a whole number: wrong for counts and the version, fine for times
  string: 'not base64!', // wrong for enums and base64, fine for free text
  array: [],
  object: {},
} as const satisfies Record<string, Json | undefined>;
type Kind = keyof typeof MUTATIONS;

function mutate(path: readonly Seg[], kind: Kind): string {
  const doc = JSON.parse(VALID_TEXT) as Json;
  let parent = doc as Record<Seg, Json>;
  for (const s of path.slice(0, -1)) parent = parent[s] as Record<Seg, Json>;
  const last = path[path.length - 1]!;
  if (kind !== 'delete') parent[last] = structuredClone(MUTATIONS[kind]);
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return JSON.stringify(doc);
}

// What the format allows, by path (indices replaced by [i]):
const FREE_TEXT = ['exportedAt', 'page.url', 'page.title', 'connections[i].url', 'connections[i].frameUrl', 'connections[i].protocol',
  'connections[i].extensions', 'connections[i].requestedProtocols[i]', 'connections[i].close.reason', 'frames[i].text'];
const FREE_NUMBER = ['connections[i].states[i].at', 'connections[i].errors[i]', 'frames[i].at'];
const MAY_BE_EMPTY_OR_SHORTER = ['frames', 'connections[i].states', 'connections[i].requestedProtocols', 'connections[i].errors'];
const OPTIONAL = ['frames[i].origin'];
const NULLABLE = ['connections[i].close'];
/** Arrays of plain values: the parser names the array, not the element. */
const VALUE_ARRAYS = ['connections[i].requestedProtocols', 'connections[i].errors'];

/** undefined: the file stays valid; otherwise the path the error must name (that path or a field inside it). */
function expectedError(path: readonly Seg[], kind: Kind): string | undefined {
  const generic = show(path).replace(/\[\d+\]/g, '[i]');
  const parentGeneric = show(path.slice(0, -1)).replace(/\[\d+\]/g, '[i]');
  const isElement = typeof path[path.length - 1] === 'number';
  if (kind === 'string' && FREE_TEXT.includes(generic)) return undefined;
  if (kind === 'number' && FREE_NUMBER.includes(generic)) return undefined;
  if (kind === 'array' && MAY_BE_EMPTY_OR_SHORTER.includes(generic)) return undefined;
  if (kind === 'delete' && isElement && MAY_BE_EMPTY_OR_SHORTER.includes(parentGeneric)) return undefined;
  if (kind === 'delete' && OPTIONAL.includes(generic)) return undefined;
  if (kind === 'null' && NULLABLE.includes(generic)) return undefined;
  // A connection's id that no longer exists: the first frame pointing at it is what is wrong.
  const lostIds = generic === 'connections' && kind === 'array' ? VALID.connections.map((c) => c.id)
    : (generic === 'connections[i]' && kind === 'delete') || (generic === 'connections[i].id' && kind === 'string') ? [VALID.connections[path[1] as number]!.id]
      : undefined;
  if (lostIds) {
    const k = VALID.frames.findIndex((f) => lostIds.includes(f.connectionId));
    return k < 0 ? undefined : `frames[${k}].connectionId`;
  }
  if (isElement && VALUE_ARRAYS.includes(parentGeneric)) return show(path.slice(0, -1));
  return show(path);
}

/** The field an error message is about: "connections[0].states: expected …" → "connections[0].states". */
const errorPath = (error: string) => error.slice(0, error.indexOf(':')).replace(/^file\./, '');
const names = (error: string, path: string) => { const at = errorPath(error); return at === path || at.startsWith(`${path}.`) || at.startsWith(`${path}[`); };

const cases = pathsOf(VALID as unknown as Json).flatMap((path) =>
  (Object.keys(MUTATIONS) as Kind[]).map((kind) => ({ name: `${show(path)} → ${kind}`, text: mutate(path, kind), expected: expectedError(path, kind) })));

function parseNoThrow(text: string) {
  let r: ReturnType<typeof parseSession> | undefined;
  expect(() => { r = parseSession(text); }).not.toThrow();
  return r!;
}

describe('parseSession fuzz: every field, every wrong type', () => {
  it('starts from a valid file, and makes at least 200 mutations', () => {
    expect(parseSession(VALID_TEXT)).toEqual({ ok: true, session: VALID });
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => c.expected === undefined).length).toBeGreaterThan(10);
  });

  it.each(cases.filter((c) => c.expected !== undefined).map((c) => [c.name, c] as const))('refuses %s, naming the field', (_, c) => {
    const r = parseNoThrow(c.text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(names(r.error, c.expected!), `error "${r.error}" should name ${c.expected}`).toBe(true);
  });

  it.each(cases.filter((c) => c.expected === undefined).map((c) => [c.name, c] as const))('accepts %s (the format allows it)', (_, c) => {
    expect(parseNoThrow(c.text)).toMatchObject({ ok: true });
  });
});

describe('parseSession fuzz: whole-file damage', () => {
  const edited = (change: (f: Record<string, unknown>) => void) => {
    const f = JSON.parse(VALID_TEXT) as Record<string, unknown>;
    change(f);
    return JSON.stringify(f);
  };

  it('says every truncation of the file is not JSON', () => {
    for (let n = 0; n < VALID_TEXT.length; n += 3) {
      const r = parseNoThrow(VALID_TEXT.slice(0, n));
      expect(r.ok ? 'ok' : r.error).toMatch(/^Not JSON/);
    }
  });

  it.each(['null', '42', '"sockscope-session"', 'true', '[]', '[{"format":"sockscope-session"}]'])('refuses %s as not an object', (t) => {
    expect(parseNoThrow(t)).toEqual({ ok: false, error: 'file: expected a JSON object' });
  });

  it.each(['Sockscope-Session', 'sockscope-session ', 'har', ''])('refuses format %j', (format) => {
    expect(parseNoThrow(edited((f) => { f.format = format; }))).toEqual({ ok: false, error: 'format: expected "sockscope-session"' });
  });

  it('refuses version 2 as newer and version 0 as wrong', () => {
    expect(parseNoThrow(edited((f) => { f.version = 2; }))).toMatchObject({ ok: false, error: expect.stringMatching(/^version 2: .*newer Sockscope/) });
    expect(parseNoThrow(edited((f) => { f.version = 0; }))).toEqual({ ok: false, error: 'version: expected 1' });
  });

  it('survives nesting 100,000 deep: as the file, in a field, and in an unknown field (ignored)', () => {
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    expect(parseNoThrow(deepArray)).toEqual({ ok: false, error: 'file: expected a JSON object' });
    expect(parseNoThrow(deepObject)).toMatchObject({ ok: false, error: expect.stringMatching(/^format:/) });
    const inField = VALID_TEXT.replace('"title":"Room"', `"title":${deepObject}`);
    expect(parseNoThrow(inField)).toMatchObject({ ok: false, error: expect.stringMatching(/^page\.title:/) });
    const inFrame = VALID_TEXT.replace('"text":"ad"', `"text":${deepArray}`);
    expect(parseNoThrow(inFrame)).toMatchObject({ ok: false, error: expect.stringMatching(/^frames\[0\]\.text:/) });
    const unknown = VALID_TEXT.replace('{"format"', `{"extra":${deepArray},"format"`);
    expect(parseNoThrow(unknown)).toMatchObject({ ok: true });
  });

  it('reads back a frame with origin "modified" (what encodeSession writes for an intercepted frame)', () => {
    expect(parseNoThrow(edited((f) => { (f.frames as Record<string, unknown>[])[3]!.origin = 'modified'; }))).toMatchObject({ ok: true });
  });
});

// ---- over a thousand malformed files, as bytes on disk, through the reader "Open session…" uses ----

describe('readSessionText: the bad-files corpus (test/fixtures/bad-session-files.ts)', () => {
  const files = badSessionFiles();
  const key = (b: Uint8Array) => Buffer.from(b).toString('base64');

  it('holds at least 1,000 distinct files, of every kind, none of them one of the valid bases', () => {
    expect(files.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(files.map((f) => key(f.bytes))).size).toBe(files.length);
    expect(new Set(files.map((f) => f.name)).size).toBe(files.length);
    const kinds = new Set(files.map((f) => f.kind));
    for (const k of ['truncated', 'wrong-version', 'wrong-format', 'wrong-type', 'huge-number', 'har-without-messages', 'not-a-session',
      'json-syntax', 'deep-nesting', 'binary-garbage', 'other-encoding', 'bom', 'empty'] as const) expect(kinds, k).toContain(k);
    const bases = new Set([SESSION_TEXT, CHROME_HAR_TEXT].map((t) => key(new TextEncoder().encode(t))));
    expect(files.filter((f) => bases.has(key(f.bytes)))).toEqual([]);
    // The bases are fine (so every refusal is the damage's doing), and so is a base behind one BOM.
    expect(readSessionText(SESSION_TEXT, new Date()).ok).toBe(true);
    expect(readSessionText(CHROME_HAR_TEXT, new Date()).ok).toBe(true);
    expect(readSessionText(decodeAsThePanelDoes(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SESSION_TEXT)])), new Date()).ok).toBe(true);
  });

  it.each(files.map((f) => [`${f.kind}: ${f.name}`, f] as const))('refuses %s, saying why', (_, f) => {
    let r: ReturnType<typeof readSessionText> | undefined;
    expect(() => { r = readSessionText(decodeAsThePanelDoes(f.bytes), new Date()); }).not.toThrow();
    expect(r!.ok, 'the file was accepted').toBe(false);
    if (r!.ok) return;
    const error = r!.error;
    expect(error).not.toMatch(/undefined|\[object Object\]|TypeError|Could not read/);
    if ('exact' in f.error) expect(error).toBe(f.error.exact);
    else if ('startsWith' in f.error) expect(error.startsWith(f.error.startsWith), error).toBe(true);
    else {
      expect(error.startsWith(f.error.prefix), error).toBe(true);
      const at = error.slice(f.error.prefix.length, error.indexOf(': expected ')).replace(/^file\./, '');
      expect(names(`${at}:`, f.error.names), `error "${error}" should name ${f.error.names}`).toBe(true);
    }
  });
});
