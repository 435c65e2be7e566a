/**
 * The library kept in a backend (the extension's storage in the panel; a fake here): what is
 * stored shows, changes are written, another panel's changes arrive, and every failure of the
 * backend is said while the panel goes on.
 */
import { describe, expect, it } from 'vitest';
import { createLibraryStore, type LibraryBackend } from '../../src/panel/library/library-store';
import { libraryFile, type LibraryFileV1, type SavedMessage } from '../../src/panel/library/library-format';
import { saveMessage } from '../../src/panel/library/library-ops';

const msg = (name: string): SavedMessage => ({ name, mode: 'text', text: name, urlPattern: '' });

/** A storage area in memory that reports every change to its listeners, as storage.onChanged does. */
function fakeBackend(stored: unknown, fail: { load?: Error; save?: Error } = {}) {
  const listeners: ((v: unknown) => void)[] = [];
  const writes: LibraryFileV1[] = [];
  const backend: LibraryBackend = {
    load: () => (fail.load ? Promise.reject(fail.load) : Promise.resolve(structuredClone(stored))),
    async save(file) {
      if (fail.save) throw fail.save;
      writes.push(file);
      stored = structuredClone(file);
      for (const l of listeners) l(structuredClone(file));
    },
    onChange: (l) => { listeners.push(l); },
  };
  /** Another panel writes the storage. */
  const external = (value: unknown) => { stored = value; for (const l of listeners) l(structuredClone(value)); };
  return { backend, writes, external, fail };
}

const loaded = async (s: ReturnType<typeof createLibraryStore>) => {
  while (!s.loaded.value) await new Promise((r) => setTimeout(r, 0));
};

describe('createLibraryStore', () => {
  it('shows what is stored, and writes each change', async () => {
    const f = fakeBackend(libraryFile([msg('a')]));
    const s = createLibraryStore(f.backend);
    await loaded(s);
    expect(s.messages.value).toEqual([msg('a')]);
    expect(s.apply((m) => saveMessage(m, msg('b')))).toBe(true);
    expect(s.said.value).toEqual({ ok: true, text: 'Saved “b”.' });
    await s.settled();
    expect(f.writes.at(-1)).toEqual(libraryFile([msg('a'), msg('b')]));
    expect(s.messages.value).toEqual([msg('a'), msg('b')]);
    expect(s.problem.value).toBeNull();
  });

  it('starts empty when nothing is stored yet', async () => {
    const s = createLibraryStore(fakeBackend(undefined).backend);
    await loaded(s);
    expect(s.messages.value).toEqual([]);
    expect(s.problem.value).toBeNull();
  });

  it('a refused change is said and changes nothing', async () => {
    const f = fakeBackend(libraryFile([msg('a')]));
    const s = createLibraryStore(f.backend);
    await loaded(s);
    expect(s.apply((m) => saveMessage(m, { ...msg('h'), mode: 'hex', text: 'zz' }))).toBe(false);
    expect(s.said.value).toEqual({ ok: false, text: 'Not saved: Invalid hex: "z" is not a hex digit.' });
    expect(f.writes).toEqual([]);
  });

  it('shows a change another panel made', async () => {
    const f = fakeBackend(libraryFile([msg('a')]));
    const s = createLibraryStore(f.backend);
    await loaded(s);
    f.external(libraryFile([msg('a'), msg('from the other panel')]));
    expect(s.messages.value.map((m) => m.name)).toEqual(['a', 'from the other panel']);
  });

  it('its own writes coming back do not undo a later change', async () => {
    const f = fakeBackend(undefined);
    const s = createLibraryStore(f.backend);
    await loaded(s);
    s.apply((m) => saveMessage(m, msg('one')));
    s.apply((m) => saveMessage(m, msg('two')));
    await s.settled();
    expect(s.messages.value.map((m) => m.name)).toEqual(['one', 'two']);
  });

  it('no storage at all: says so, and the library works until the panel closes', async () => {
    const s = createLibraryStore(null);
    expect(s.problem.value).toBe("The extension's storage is not available: saved messages last until the panel closes.");
    expect(s.apply((m) => saveMessage(m, msg('a')))).toBe(true);
    expect(s.messages.value).toEqual([msg('a')]);
  });

  it('storage that cannot be read: says why, keeps changes in memory, and never overwrites what is stored', async () => {
    const f = fakeBackend(libraryFile([msg('precious')]), { load: new Error('IO error') });
    const s = createLibraryStore(f.backend);
    await loaded(s);
    expect(s.problem.value).toBe("The extension's storage could not be read (IO error): saved messages last until the panel closes.");
    expect(s.apply((m) => saveMessage(m, msg('new')))).toBe(true);
    await s.settled();
    expect(s.messages.value).toEqual([msg('new')]);
    expect(f.writes).toEqual([]);
  });

  it('a write that fails is said; the next one that works clears it', async () => {
    const f = fakeBackend(undefined, { save: new Error('QUOTA_BYTES quota exceeded') });
    const s = createLibraryStore(f.backend);
    await loaded(s);
    s.apply((m) => saveMessage(m, msg('a')));
    await s.settled();
    expect(s.problem.value).toBe("Could not save to the extension's storage (QUOTA_BYTES quota exceeded): saved messages last until the panel closes.");
    expect(s.messages.value).toEqual([msg('a')]);
    delete f.fail.save;
    s.apply((m) => saveMessage(m, msg('b')));
    await s.settled();
    expect(s.problem.value).toBeNull();
    expect(f.writes.at(-1)?.messages.map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('a stored library that is not valid: says what is wrong, and saving replaces it', async () => {
    const f = fakeBackend({ format: 'sockscope-messages', version: 1, messages: [{ name: 'x', mode: 'xml', text: '' }] });
    const s = createLibraryStore(f.backend);
    await loaded(s);
    expect(s.problem.value).toBe("The saved messages in the extension's storage could not be read (messages[0].mode: expected one of text, json, hex, base64); saving or importing replaces them.");
    s.apply((m) => saveMessage(m, msg('a')));
    await s.settled();
    expect(f.writes.at(-1)).toEqual(libraryFile([msg('a')]));
    expect(s.problem.value).toBeNull();
  });

  it('changes wait until the stored library has loaded', () => {
    const s = createLibraryStore({ load: () => new Promise(() => {}), save: async () => {}, onChange: () => {} });
    expect(s.apply((m) => saveMessage(m, msg('a')))).toBe(false);
    expect(s.said.value).toEqual({ ok: false, text: 'The saved messages are still loading.' });
  });
});
