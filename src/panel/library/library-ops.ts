/**
 * Changes to the saved-message library, pure: each returns the new list and a sentence saying
 * what it did, or why it did nothing. Names are unique, so a name is a message's identity: saving
 * under a name that is there updates that message, and importing merges by name.
 */
import { NAME_RULE, nameProblem, overCap, overCapText, textError, urlTest } from './library-checks';
import type { SavedMessage } from './library-format';

export type Change = { ok: true; messages: SavedMessage[]; said: string } | { ok: false; error: string };

const fits = (messages: SavedMessage[], said: string, prefix = ''): Change => {
  const over = overCap(messages);
  return over === null ? { ok: true, messages, said } : { ok: false, error: `${prefix}${overCapText(over)}` };
};

/** Saves a message from the composer: new, or an update of the one with its name. */
export function saveMessage(messages: readonly SavedMessage[], draft: SavedMessage): Change {
  const name = draft.name.trim();
  const problem = nameProblem(name);
  if (problem !== null) return { ok: false, error: `Not saved: ${NAME_RULE} is needed (this one ${problem}).` };
  const url = urlTest(draft.urlPattern);
  if (!url.ok) return { ok: false, error: `Not saved: the URL pattern ${url.error}.` };
  const wrong = textError(draft.mode, draft.text);
  if (wrong !== null) return { ok: false, error: `Not saved: ${wrong}.` };
  const saved: SavedMessage = { name, mode: draft.mode, text: draft.text, urlPattern: draft.urlPattern };
  const at = messages.findIndex((m) => m.name === name);
  if (at < 0) return fits([...messages, saved], `Saved “${name}”.`, 'Not saved: ');
  return fits(messages.map((m, i) => (i === at ? saved : m)), `Updated “${name}”.`, 'Not saved: ');
}

export function renameMessage(messages: readonly SavedMessage[], from: string, to: string): Change {
  const name = to.trim();
  if (name === from) return { ok: true, messages: [...messages], said: '' };
  const problem = nameProblem(name);
  if (problem !== null) return { ok: false, error: `Not renamed: ${NAME_RULE} is needed (this one ${problem}).` };
  if (messages.some((m) => m.name === name)) return { ok: false, error: `Not renamed: another saved message is named “${name}”.` };
  return { ok: true, messages: messages.map((m) => (m.name === from ? { ...m, name } : m)), said: `Renamed “${from}” to “${name}”.` };
}

export function deleteMessage(messages: readonly SavedMessage[], name: string): Change {
  return { ok: true, messages: messages.filter((m) => m.name !== name), said: `Deleted “${name}”.` };
}

export type ImportHow = 'merge' | 'replace';

/**
 * Merge adds the file's messages, and a message of the file replaces the saved one of the same
 * name; Replace makes the library the file's. Over a cap, nothing is imported.
 */
export function importMessages(messages: readonly SavedMessage[], incoming: readonly SavedMessage[], how: ImportHow, file: string): Change {
  const n = (k: number) => `${k} message${k === 1 ? '' : 's'}`;
  if (how === 'replace') {
    return fits([...incoming], `Replaced the library (${n(messages.length)}) with the ${n(incoming.length)} of ${file}.`, 'Nothing was imported: ');
  }
  const byName = new Map(incoming.map((m) => [m.name, m]));
  const same = (a: SavedMessage, b: SavedMessage) => a.mode === b.mode && a.text === b.text && a.urlPattern === b.urlPattern;
  let replaced = 0;
  let unchanged = 0;
  const merged = messages.map((m) => {
    const theirs = byName.get(m.name);
    if (theirs === undefined) return m;
    if (same(m, theirs)) unchanged++; else replaced++;
    return theirs;
  });
  const known = new Set(messages.map((m) => m.name));
  const added = incoming.filter((m) => !known.has(m.name));
  const counts = `${added.length} new, ${replaced} replacing saved messages of the same name${unchanged ? `, ${unchanged} already saved as they are` : ''}`;
  return fits([...merged, ...added], `Imported ${n(incoming.length)} from ${file}: ${counts}.`, 'Nothing was imported: ');
}

/**
 * The library as the composer lists it for a socket: first the messages whose URL pattern matches
 * its URL, then those for any socket, then the rest (still usable: a pattern is a hint, not a
 * lock). Each group in name order. Without a socket, all are one group.
 */
export function forSocket(messages: readonly SavedMessage[], url: string | null): { mine: SavedMessage[]; others: SavedMessage[] } {
  const byName = (a: SavedMessage, b: SavedMessage) => a.name.localeCompare(b.name);
  if (url === null) return { mine: [...messages].sort(byName), others: [] };
  const matching: SavedMessage[] = [];
  const any: SavedMessage[] = [];
  const others: SavedMessage[] = [];
  for (const m of messages) {
    if (m.urlPattern === '') { any.push(m); continue; }
    const t = urlTest(m.urlPattern);
    (t.ok && t.test(url) ? matching : others).push(m);
  }
  return { mine: [...matching.sort(byName), ...any.sort(byName)], others: others.sort(byName) };
}
