/** The saved-message library file: every valid file reads as written, every broken one is refused by name. */
import { describe, expect, it } from 'vitest';
import { libraryFile, libraryFileName } from '../../src/panel/library/library-format';
import { parseLibrary, validateLibrary } from '../../src/panel/library/parse-library';
import { BAD_LIBRARY_FILES, FULL_LIBRARY, VALID_LIBRARY_FILES, wrongTypeFiles } from '../fixtures/library-files';

const errorOf = (text: string) => {
  const r = parseLibrary(text);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
};

describe('parseLibrary: valid files', () => {
  it.each(VALID_LIBRARY_FILES.map((f) => [f.name, f] as const))('%s', (_, f) => {
    expect(parseLibrary(f.text)).toEqual({ ok: true, library: { format: 'sockscope-messages', version: 1, messages: f.messages } });
  });

  it('an exported library reads back to the same messages, and exports to the same file', () => {
    const exported = JSON.stringify(libraryFile(FULL_LIBRARY as never), null, 2);
    const r = parseLibrary(exported);
    expect(r.ok && r.library.messages).toEqual(FULL_LIBRARY);
    expect(r.ok && JSON.stringify(libraryFile(r.library.messages), null, 2)).toBe(exported);
  });

  it('names the export file by the local time', () => {
    expect(libraryFileName(new Date(2026, 10, 22, 9, 5, 7))).toBe('sockscope-messages-20261122-090507.json');
  });
});

describe('parseLibrary: malformed files', () => {
  it.each(BAD_LIBRARY_FILES.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const error = errorOf(f.text);
    if ('exact' in f.error) expect(error).toBe(f.error.exact);
    else expect(error.startsWith(f.error.startsWith), `"${error}" should start with "${f.error.startsWith}"`).toBe(true);
  });

  it('every field of every message with a wrong type is named, with its index', () => {
    const files = wrongTypeFiles();
    expect(files.length).toBe(80);
    for (const f of files) expect(errorOf(f.text), f.name).toMatch(new RegExp(`^${f.path.replace(/[.[\]]/g, '\\$&')}`));
  });

  it('validateLibrary never throws, whatever it is given', () => {
    for (const v of [undefined, 0, 'x', [], {}, { format: 'sockscope-messages', version: 1, messages: [[]] }, { format: 'sockscope-messages', version: 1, messages: [{ name: {}, mode: {}, text: {} }] }]) {
      expect(validateLibrary(v).ok).toBe(false);
    }
  });
});
