/**
 * Reads a saved-message library (an imported file, or what the extension's storage holds) and
 * says precisely what is wrong with one that does not fit: the field, the index and what was
 * expected. Never throws. Read with the session reader's field tables (session/read-fields.ts):
 * within version 1 a reader ignores keys it does not know, and a later version is refused by name.
 */
import { isRecord } from '../../protocol/guards';
import { fail, formatVersionError, Invalid, list, optional, record, required, string, type Read } from '../../session/read-fields';
import { formatBytes } from '../format';
import { libraryBytes, NAME_RULE, nameProblem, textError, urlTest } from './library-checks';
import {
  LIBRARY_FORMAT, LIBRARY_MAX_BYTES, LIBRARY_MAX_MESSAGES, LIBRARY_MODES, LIBRARY_VERSION, type LibraryFileV1, type SavedMessage,
} from './library-format';

export type LibraryResult = { ok: true; library: LibraryFileV1 } | { ok: false; error: string };

const name: Read<string> = (v) => {
  const trimmed = typeof v === 'string' ? v.trim() : fail('a string');
  const problem = nameProblem(trimmed);
  return problem === null ? trimmed : fail(`${NAME_RULE} (this one ${problem})`);
};

const mode: Read<SavedMessage['mode']> = (v) =>
  (LIBRARY_MODES as readonly unknown[]).includes(v) ? (v as SavedMessage['mode']) : fail(`one of ${LIBRARY_MODES.join(', ')}`);

const urlPattern: Read<string> = (v) => {
  const t = urlTest(string(v));
  return t.ok ? (v as string) : fail(`a URL substring or a valid /regex/ (${t.error})`);
};

const fields = record({
  name: required(name),
  mode: required(mode),
  text: required(string),
  urlPattern: optional(urlPattern, ''),
});

/** A message's text must be what its format accepts: the composer could not send it otherwise. */
const message: Read<SavedMessage> = (v) => {
  const m = fields(v);
  const wrong = textError(m.mode, m.text);
  return wrong === null ? m : fail(`${m.mode} text the composer can send (${wrong})`, ['text']);
};

/** Names are unique; and the caps hold, the count checked before a message is read. */
const messages: Read<SavedMessage[]> = (v) => {
  if (!Array.isArray(v)) fail('an array of messages');
  if (v.length > LIBRARY_MAX_MESSAGES) {
    fail(`at most ${LIBRARY_MAX_MESSAGES.toLocaleString('en-US')} messages (this has ${v.length.toLocaleString('en-US')})`);
  }
  const read = list(message)(v);
  const seen = new Set<string>();
  read.forEach((m, i) => {
    if (seen.has(m.name)) fail(`a name no earlier message has ("${m.name}" is taken)`, [i, 'name']);
    seen.add(m.name);
  });
  const bytes = libraryBytes(read);
  if (bytes > LIBRARY_MAX_BYTES) fail(`at most ${formatBytes(LIBRARY_MAX_BYTES)} of messages as JSON (these take ${formatBytes(bytes)})`);
  return read;
};

export function parseLibrary(text: string): LibraryResult {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, error: `Not JSON: ${(e as Error).message}` }; }
  return validateLibrary(json);
}

/** Checks an already parsed value, and returns the library with every default filled in. */
export function validateLibrary(json: unknown): LibraryResult {
  if (!isRecord(json)) return { ok: false, error: 'file: expected a JSON object' };
  const head = formatVersionError(json, LIBRARY_FORMAT, LIBRARY_VERSION);
  if (head !== null) return { ok: false, error: head };
  try {
    return { ok: true, library: { format: LIBRARY_FORMAT, version: LIBRARY_VERSION, messages: messages(json.messages) } };
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    e.at.unshift('messages');
    return { ok: false, error: e.describe() };
  }
}
