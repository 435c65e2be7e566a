/** A session file must read back to what was exported, and a bad file must say what is wrong. */
import { describe, expect, it } from 'vitest';
import { encodeSession } from '../../src/session/encode-session';
import { parseSession } from '../../src/session/parse-session';
import { EXPORTED_AT, capturedModel, sourceFromSession, sourceOf } from './fixtures/session-capture';
import { FIRST_FIELD_LIST_READ, FIRST_FIELD_LIST_SESSION, MINIMAL_READ, MINIMAL_SESSION } from '../fixtures/first-field-list-session';

describe('parseSession', () => {
  const file = encodeSession(sourceOf(capturedModel()), EXPORTED_AT);
  const text = JSON.stringify(file);
  /** The exported file with one change, as text. */
  const edited = (change: (f: Record<string, any>) => void) => {
    const f = JSON.parse(text) as Record<string, any>;
    change(f);
    return JSON.stringify(f);
  };
  const errorOf = (t: string) => {
    const r = parseSession(t);
    if (r.ok) throw new Error('expected the file to be refused');
    return r.error;
  };

  it('reads an exported file back to an equal object', () => {
    expect(parseSession(text)).toEqual({ ok: true, session: file });
  });

  it('export → parse → export again gives the same JSON apart from exportedAt', () => {
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const again = encodeSession(sourceFromSession(parsed.session), new Date('2030-01-01T00:00:00Z'));
    expect(again.exportedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(JSON.stringify({ ...again, exportedAt: '' })).toBe(JSON.stringify({ ...file, exportedAt: '' }));
  });

  it('reads a file with no connections and no frames', () => {
    const empty = encodeSession({ page: { url: 'about:blank', title: '' }, connections: [], frames: [], dropped: { frames: 0, bytes: 0 } }, EXPORTED_AT);
    expect(parseSession(JSON.stringify(empty)).ok).toBe(true);
  });

  it('says a file that is not JSON is not JSON', () => {
    expect(errorOf('{"format": "sockscope-session",')).toMatch(/^Not JSON/);
  });

  it('refuses JSON that is not an object', () => {
    expect(errorOf('[1, 2]')).toBe('file: expected a JSON object');
  });

  it('names the format when it is wrong or missing', () => {
    expect(errorOf(edited((f) => { f.format = 'har'; }))).toBe('format: expected "sockscope-session"');
    expect(errorOf(edited((f) => { delete f.format; }))).toBe('format: expected "sockscope-session"');
  });

  it('says a version 2 file was made by a newer Sockscope', () => {
    const error = errorOf(edited((f) => { f.version = 2; }));
    expect(error).toMatch(/made by a newer Sockscope/);
    expect(error).toMatch(/version 2/);
  });

  it('refuses a version that is not 1 or not a whole number', () => {
    expect(errorOf(edited((f) => { f.version = 0; }))).toBe('version: expected 1');
    expect(errorOf(edited((f) => { f.version = '1'; }))).toBe('version: expected a whole number');
  });

  it('names the field and index of a frame with a bad direction', () => {
    const withFourFrames = edited((f) => { f.frames.push({ ...f.frames[0], direction: 'inbound' }); });
    expect(errorOf(withFourFrames)).toBe('frames[3].direction: expected sent|received');
  });

  it('names a frame whose connectionId is not in the file', () => {
    expect(errorOf(edited((f) => { f.frames[1].connectionId = 'nope:1'; }))).toBe('frames[1].connectionId: expected the id of a connection in this file');
  });

  it.each([
    ['a negative frame size', (f: Record<string, any>) => { f.frames[0].size = -1; }, 'frames[0].size'],
    ['a text frame without text', (f: Record<string, any>) => { delete f.frames[0].text; }, 'frames[0].text'],
    ['a binary frame with invalid base64', (f: Record<string, any>) => { f.frames[2].base64 = 'not base64!'; }, 'frames[2].base64'],
    ['an unknown frame type', (f: Record<string, any>) => { f.frames[1].type = 'blob'; }, 'frames[1].type'],
    ['a connection state that does not exist', (f: Record<string, any>) => { f.connections[1].states[2].state = 'GONE'; }, 'connections[1].states[2].state'],
    ['a close initiator that does not exist', (f: Record<string, any>) => { f.connections[1].close.initiator = 'client'; }, 'connections[1].close.initiator'],
    ['a connection without url', (f: Record<string, any>) => { delete f.connections[2].url; }, 'connections[2].url'],
    ['requested protocols that are not strings', (f: Record<string, any>) => { f.connections[0].requestedProtocols = [1]; }, 'connections[0].requestedProtocols'],
    ['errors that are not numbers', (f: Record<string, any>) => { f.connections[1].errors = ['x']; }, 'connections[1].errors'],
    ['dropped frames that are not a count', (f: Record<string, any>) => { f.dropped.frames = 1.5; }, 'dropped.frames'],
    ['a page title that is not text', (f: Record<string, any>) => { f.page.title = 42; }, 'page.title'],
    ['a connection without id', (f: Record<string, any>) => { delete f.connections[0].id; }, 'connections[0].id'],
    ['a frame without at', (f: Record<string, any>) => { delete f.frames[1].at; }, 'frames[1].at'],
    ['a file without frames', (f: Record<string, any>) => { delete f.frames; }, 'frames'],
  ])('names the path for %s', (_name, change, path) => {
    expect(errorOf(edited(change)).startsWith(`${path}: expected`)).toBe(true);
  });

  it('opens a file written to the first field list of version 1 (no errors), as a session without error events', () => {
    expect(parseSession(JSON.stringify(FIRST_FIELD_LIST_SESSION))).toEqual({ ok: true, session: FIRST_FIELD_LIST_READ });
  });

  it('opens a file with only the required fields, every other field read as its default', () => {
    expect(parseSession(JSON.stringify(MINIMAL_SESSION))).toEqual({ ok: true, session: MINIMAL_READ });
  });

  it('reads the size of a frame without one as its payload\'s bytes', () => {
    const r = parseSession(edited((f) => { for (const fr of f.frames) delete fr.size; }));
    expect(r.ok && r.session.frames.map((fr) => fr.size)).toEqual(file.frames.map((fr) => fr.size));
  });

  it('leaves out fields it does not know, at every level', () => {
    const r = parseSession(edited((f) => { f.extra = 1; f.connections[0].extra = 2; f.connections[1].close.extra = 3; f.frames[0].extra = 4; f.frames[0].base64 = 'AA=='; }));
    expect(r).toEqual({ ok: true, session: file });
  });

  it('says a field that may be left out may be', () => {
    expect(errorOf(edited((f) => { f.connections[1].errors = ['x']; }))).toBe('connections[1].errors: expected an array of epoch milliseconds, or absent');
    expect(errorOf(edited((f) => { f.connections[1].close.initiator = 'client'; }))).toBe('connections[1].close.initiator: expected page|server|unknown, or absent');
    expect(errorOf(edited((f) => { f.connections[1].close.wasClean = 'yes'; }))).toBe('connections[1].close.wasClean: expected true or false');
  });
});
