/**
 * The saved-message library as the panel holds it: signals over the pure operations, kept in a
 * backend (the extension's storage: library-storage.ts; a fake in the unit tests). Every panel of
 * the profile shares it: a change another panel makes arrives through the backend and shows here.
 * When the backend fails, the panel lives on and says so: the library then lasts until it closes.
 */
import { signal, type Signal } from '@preact/signals';
import type { Change } from './library-ops';
import { libraryFile, type LibraryFileV1, type SavedMessage } from './library-format';
import { validateLibrary } from './parse-library';

export interface LibraryBackend {
  /** What is stored (undefined when nothing is yet). */
  load(): Promise<unknown>;
  save(file: LibraryFileV1): Promise<void>;
  /** The stored library changed, by this panel or another. */
  onChange(listener: (value: unknown) => void): void;
}

export interface LibraryStore {
  messages: Signal<SavedMessage[]>;
  /** False until the backend answered; changes wait for it. */
  loaded: Signal<boolean>;
  /** Why the library is not kept as it should be, in words; null when all is well. */
  problem: Signal<string | null>;
  /** What the last change did, or why it did nothing. */
  said: Signal<{ ok: boolean; text: string } | null>;
  /** Applies a change from library-ops to the library and keeps it; false when it was refused. */
  apply(change: (messages: readonly SavedMessage[]) => Change): boolean;
  /** Resolves once every change so far was written (or failed to be). */
  settled(): Promise<void>;
}

const LASTS = 'saved messages last until the panel closes';
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createLibraryStore(backend: LibraryBackend | null): LibraryStore {
  const store: LibraryStore = {
    messages: signal<SavedMessage[]>([]),
    loaded: signal(false),
    problem: signal<string | null>(null),
    said: signal(null),
    apply(change) {
      if (!store.loaded.value) { store.said.value = { ok: false, text: 'The saved messages are still loading.' }; return false; }
      const r = change(store.messages.value);
      if (!r.ok) { store.said.value = { ok: false, text: r.error }; return false; }
      store.messages.value = r.messages;
      store.said.value = r.said ? { ok: true, text: r.said } : null;
      persist(libraryFile(r.messages));
      return true;
    },
    settled: () => writing,
  };

  // Only when the stored library was read (or found unreadable) is it written: a library that
  // could not be loaded is not replaced by what this panel saved since.
  let writable = false;
  let writing: Promise<void> = Promise.resolve();
  /** Our own writes, as JSON, until the backend reports them back. */
  const ownWrites: string[] = [];

  function persist(file: LibraryFileV1): void {
    if (!backend || !writable) return;
    const json = JSON.stringify(file);
    ownWrites.push(json);
    writing = writing.then(() => backend.save(file)).then(
      // Storage now holds what the panel shows: a failed write or an unreadable library is behind us.
      () => { store.problem.value = null; },
      (e: unknown) => {
        ownWrites.splice(ownWrites.indexOf(json), 1);
        store.problem.value = `Could not save to the extension's storage (${reason(e)}): ${LASTS}.`;
      },
    );
  }

  /** A stored value: read and shown, or said to be unreadable. */
  function take(value: unknown): void {
    if (value === undefined) { store.messages.value = []; return; }
    const r = validateLibrary(value);
    if (r.ok) {
      store.messages.value = r.library.messages;
      if (store.problem.value?.startsWith('The saved messages in')) store.problem.value = null;
    } else {
      store.problem.value = `The saved messages in the extension's storage could not be read (${r.error}); saving or importing replaces them.`;
    }
  }

  if (!backend) {
    store.problem.value = `The extension's storage is not available: ${LASTS}.`;
    store.loaded.value = true;
    return store;
  }
  backend.onChange((value) => {
    const own = ownWrites.indexOf(JSON.stringify(value));
    if (own >= 0) { ownWrites.splice(0, own + 1); return; }
    if (store.loaded.value && writable) take(value);
  });
  backend.load().then(
    (value) => { writable = true; take(value); },
    (e: unknown) => { store.problem.value = `The extension's storage could not be read (${reason(e)}): ${LASTS}.`; },
  ).finally(() => { store.loaded.value = true; });
  return store;
}
