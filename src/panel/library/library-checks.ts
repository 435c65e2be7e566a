/**
 * What makes a saved message and a library good: one set of checks for the file reader, the
 * storage reader and the composer's Save, Rename and Import, so each says the same thing.
 */
import { buildPayload, type ComposeMode } from '../compose/compose-payload';
import { formatBytes } from '../format';
import { LIBRARY_MAX_BYTES, LIBRARY_MAX_MESSAGES, SAVED_NAME_MAX_CHARS, type SavedMessage } from './library-format';

export type UrlTest = { ok: true; test: (url: string) => boolean } | { ok: false; error: string };

/**
 * A URL pattern as intercept rules read theirs: `/source/flags` is a regex (g and y ignored, so a
 * test never depends on the last one), anything else a substring; "" matches every socket.
 */
export function urlTest(pattern: string): UrlTest {
  const slashed = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (slashed === null) return { ok: true, test: (url) => url.includes(pattern) };
  try {
    const re = new RegExp(slashed[1]!, slashed[2]!.replace(/[gy]/g, ''));
    return { ok: true, test: (url) => re.test(url) };
  } catch (e) {
    return { ok: false, error: `${pattern} is not a valid regex (${(e as Error).message})` };
  }
}

/** What a name must be. */
export const NAME_RULE = `a name of 1 to ${SAVED_NAME_MAX_CHARS} characters`;

/** What is wrong with a name (already trimmed), worded to follow "this one", or null. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'is blank';
  return name.length > SAVED_NAME_MAX_CHARS ? `has ${name.length} characters` : null;
}

/** What is wrong with a message's text for its format (the composer's own error), or null. */
export function textError(mode: ComposeMode, text: string): string | null {
  const built = buildPayload(mode, text);
  return built.ok ? null : built.error;
}

/** The library's size as LIBRARY_MAX_BYTES counts it: its messages as JSON, in UTF-8 bytes. */
export function libraryBytes(messages: readonly SavedMessage[]): number {
  return new TextEncoder().encode(JSON.stringify(messages)).length;
}

export type OverCap = { count: number } | { bytes: number };

/** Which cap a library of these messages would be over, with its measure; null when it fits. */
export function overCap(messages: readonly SavedMessage[]): OverCap | null {
  if (messages.length > LIBRARY_MAX_MESSAGES) return { count: messages.length };
  const bytes = libraryBytes(messages);
  return bytes > LIBRARY_MAX_BYTES ? { bytes } : null;
}

/** The cap a change would break, as a sentence for the panel. */
export function overCapText(over: OverCap): string {
  return 'count' in over
    ? `The library would hold ${over.count.toLocaleString('en-US')} messages; it holds at most ${LIBRARY_MAX_MESSAGES.toLocaleString('en-US')}.`
    : `The library would take ${formatBytes(over.bytes)}; it holds at most ${formatBytes(LIBRARY_MAX_BYTES)}.`;
}
