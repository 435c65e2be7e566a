/**
 * "Open session" reads two formats, our session JSON and HAR. Whatever the user picks, the reader
 * must not throw, must say which format it took the file for, and must refuse a broken file with
 * a message that names the broken field.
 */
import { describe, expect, it } from 'vitest';
import { readSessionText, readSessionValue, type ReadSessionResult } from '../../src/session/read-session-file';
import { CHROME_HAR_TEXT as CHROME_HAR, OUR_HAR_TEXT, SESSION, SESSION_TEXT } from '../fixtures/session-mutations';

const NOW = new Date('2030-01-01T00:00:00Z');

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

// Generated malformed files (over a thousand, from the field tables in test/fixtures/session-mutations)
// are read in parse-session-fuzz.test.ts, through the same readSessionText, as the bytes on disk.

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
