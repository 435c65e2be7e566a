/**
 * Every field of a valid session file, broken in every way: parseSession must never throw, must
 * refuse each broken file naming the field it broke, and must accept the changes the format
 * allows. Which changes the format allows is the JSON Schema's word (read by Ajv), less the
 * reader-only rules; test/unit/session-schema-agreement.test.ts holds the reader to the same
 * answer on a larger corpus.
 */
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../src/session/parse-session';
import { readSessionText } from '../../src/session/read-session-file';
import { badSessionFiles, CHROME_HAR_TEXT, decodeAsThePanelDoes, SESSION_TEXT } from '../fixtures/bad-session-files';
import { fieldMutations, FULL_SESSION, type Mutation } from '../fixtures/session-corpus';
import { show } from '../fixtures/session-mutations';
import { schemaError } from '../support/session-schema';

const VALID = FULL_SESSION;
const VALID_TEXT = JSON.stringify(VALID);

/** Arrays of plain values and worker labels: the parser names the whole, not the element or key. */
const NAMED_WHOLE = ['connections[i].requestedProtocols', 'connections[i].errors', 'redacted.keys', 'connections[i].worker', 'notices[i].worker'];

/** undefined: the file stays valid; otherwise the path the error must name (that path or a field inside it). */
function expectedError({ path, text }: Mutation): string | undefined {
  const parentGeneric = show(path.slice(0, -1)).replace(/\[\d+\]/g, '[i]');
  const file = JSON.parse(text) as typeof VALID;
  // A connection's id that no longer exists: the first frame pointing at it is what is wrong.
  const ids = Array.isArray(file.connections) ? file.connections.map((c) => c?.id) : [];
  const lostIn = (list: unknown) => (Array.isArray(list) ? list.findIndex((f) => f !== null && typeof f === 'object' && typeof f.connectionId === 'string' && !ids.includes(f.connectionId)) : -1);
  const lost = lostIn(file.frames);
  const lostDispatched = lostIn(file.dispatched);
  if (schemaError(file) === undefined) return lost >= 0 ? `frames[${lost}].connectionId` : lostDispatched >= 0 ? `dispatched[${lostDispatched}].connectionId` : undefined;
  if (NAMED_WHOLE.includes(parentGeneric)) return show(path.slice(0, -1));
  return show(path);
}

/** The field an error message is about: "connections[0].states: expected …" → "connections[0].states". */
const errorPath = (error: string) => error.slice(0, error.indexOf(':')).replace(/^file\./, '');
const names = (error: string, path: string) => { const at = errorPath(error); return at === path || at.startsWith(`${path}.`) || at.startsWith(`${path}[`); };

const cases = fieldMutations().map((m) => ({ ...m, expected: expectedError(m) }));

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
