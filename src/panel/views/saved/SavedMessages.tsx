/**
 * The composer's saved messages: save what the editor holds under a name (for every socket, or
 * those whose URL matches a pattern), and send, inject or load a saved one with a click. The list
 * puts the messages for the chosen socket first. The library lives in the extension's storage and
 * is exported and imported as a file (docs/saved-messages.md); importing merges or replaces.
 */
import { useRef, useState } from 'preact/hooks';
import type { Connection } from '../../model/types';
import type { Store } from '../../store';
import { saveFile } from '../../clipboard';
import { buildPayload, type Built } from '../../compose/compose-payload';
import { formatBytes } from '../../format';
import { LIBRARY_FILE_MAX_BYTES, libraryFile, libraryFileName, type SavedMessage } from '../../library/library-format';
import { deleteMessage, forSocket, importMessages, renameMessage, saveMessage, type ImportHow } from '../../library/library-ops';
import type { LibraryStore } from '../../library/library-store';
import { parseLibrary } from '../../library/parse-library';
import { SavedItem, type SavedItemActions } from './SavedItem';

interface Props {
  store: Store;
  library: LibraryStore;
  target: Connection | null;
  /** What the editor holds, and whether it can be sent. */
  draft: Pick<SavedMessage, 'mode' | 'text'>;
  built: Built;
  onLoad(m: SavedMessage): void;
}

export function SavedMessages({ store, library, target, draft, built, onLoad }: Props) {
  const [form, setForm] = useState<{ name: string; urlPattern: string } | null>(null);
  const [loadedFrom, setLoadedFrom] = useState<SavedMessage | null>(null);
  const [pending, setPending] = useState<{ file: string; messages: SavedMessage[] } | null>(null);
  const [undo, setUndo] = useState<SavedMessage | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const messages = library.messages.value;
  const said = library.said.value;
  const { mine, others } = forSocket(messages, target?.url ?? null);
  const say = (ok: boolean, text: string) => { library.said.value = { ok, text }; setUndo(null); };
  /** A change to the library; only a delete offers Undo, until the next change. */
  const apply: LibraryStore['apply'] = (change) => { setUndo(null); return library.apply(change); };

  const actions: SavedItemActions = {
    act: target && ((m, op) => {
      const b = buildPayload(m.mode, m.text);
      if (!b.ok) { say(false, b.error); return; }
      void store.command(target, op === 'send' ? { op, payload: b.payload, origin: 'composed' } : { op, payload: b.payload },
        op === 'send' ? `Sent “${m.name}” to the server.` : `Delivered “${m.name}” to the page as an incoming message.`);
    }),
    load(m) { onLoad(m); setLoadedFrom(m); },
    rename: (m, to) => apply((all) => renameMessage(all, m.name, to)),
    remove(m) { if (apply((all) => deleteMessage(all, m.name))) setUndo(m); },
  };

  async function pick(f: File) {
    setPending(null);
    if (f.size > LIBRARY_FILE_MAX_BYTES) {
      say(false, `Could not import ${f.name}: it is ${formatBytes(f.size)}; a library file is at most ${formatBytes(LIBRARY_FILE_MAX_BYTES)}.`);
      return;
    }
    const r = parseLibrary(await f.text());
    if (!r.ok) { say(false, `Could not import ${f.name}: ${r.error}`); return; }
    library.said.value = null;
    setPending({ file: f.name, messages: r.library.messages });
  }
  const importAs = (how: ImportHow) => {
    if (pending && apply((all) => importMessages(all, pending.messages, how, pending.file))) setPending(null);
  };
  const save = (e: Event) => {
    e.preventDefault();
    if (form && apply((all) => saveMessage(all, { ...draft, ...form }))) setForm(null);
  };
  const exportAll = () => {
    const name = libraryFileName(new Date());
    saveFile(name, JSON.stringify(libraryFile(messages), null, 2), 'application/json');
    say(true, `Exported ${messages.length} saved message${messages.length === 1 ? '' : 's'} as ${name}.`);
  };

  return (
    <section class="saved" aria-label="Saved messages">
      <div class="saved-head">
        <strong>Saved messages</strong>
        <span class="muted">{library.loaded.value ? messages.length : 'loading…'}</span>
        <span class="spacer" />
        <button type="button" aria-expanded={form !== null} disabled={!library.loaded.value} title="Save what the editor holds under a name"
          onClick={() => setForm(form ? null : { name: loadedFrom?.name ?? '', urlPattern: loadedFrom?.urlPattern ?? '' })}>Save…</button>
        <button type="button" title="Add the messages of a library file, or replace the library with them" onClick={() => file.current?.click()}>Import…</button>
        <button type="button" disabled={messages.length === 0} title="Save the library as a file" onClick={exportAll}>Export</button>
        <input ref={file} type="file" accept=".json,application/json" hidden aria-label="Library file"
          onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) void pick(f); }} />
      </div>
      {form && (
        <form class="saved-form" aria-label="Save message" onSubmit={save}>
          <input type="text" aria-label="Message name" placeholder="Name" value={form.name} ref={(el) => { if (el && !form.name) el.focus(); }}
            onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <input type="text" aria-label="For sockets whose URL contains" placeholder="for any socket, or URL contains… or /regex/" value={form.urlPattern}
            onInput={(e) => setForm({ ...form, urlPattern: e.currentTarget.value })} />
          <button type="submit" disabled={!built.ok} title={built.ok ? undefined : built.error}>Save</button>
          <button type="button" onClick={() => setForm(null)}>Cancel</button>
        </form>
      )}
      {pending && (
        <div class="saved-import" role="group" aria-label="Import library">
          <span>{pending.file}: {pending.messages.length} message{pending.messages.length === 1 ? '' : 's'}.</span>
          <button type="button" title="Add them; each replaces the saved message of its name" onClick={() => importAs('merge')}>Merge</button>
          <button type="button" title={`Replace all ${messages.length} saved messages with them`} onClick={() => importAs('replace')}>Replace</button>
          <button type="button" onClick={() => setPending(null)}>Cancel</button>
        </div>
      )}
      {library.problem.value && <div class="saved-problem error" role="alert">{library.problem.value}</div>}
      {said && (
        <div class={`saved-result ${said.ok ? 'ok' : 'error'}`} role={said.ok ? 'status' : 'alert'}>
          {said.text}
          {undo && <button type="button" onClick={() => apply((all) => saveMessage(all, undo))}>Undo</button>}
        </div>
      )}
      <ul class="saved-list" aria-label={target ? 'For this socket' : 'Saved messages'}>
        {mine.map((m) => <SavedItem key={m.name} m={m} actions={actions} />)}
      </ul>
      {others.length > 0 && (
        <>
          <div class="saved-sub muted">For other sockets</div>
          <ul class="saved-list" aria-label="For other sockets">{others.map((m) => <SavedItem key={m.name} m={m} actions={actions} />)}</ul>
        </>
      )}
    </section>
  );
}
