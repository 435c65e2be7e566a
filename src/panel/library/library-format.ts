/**
 * The saved-message library: named messages the composer sends or injects again, each perhaps for
 * the sockets whose URL matches a pattern. One shape serves the extension's storage and the file
 * the library is exported to and imported from (docs/saved-messages.md).
 */
import type { ComposeMode } from '../compose/compose-payload';
import { fileStamp } from '../../session/encode-session';

export const LIBRARY_FORMAT = 'sockscope-messages';
export const LIBRARY_VERSION = 1;

/** The composer's payload formats, in the order it shows them. */
export const LIBRARY_MODES = ['text', 'json', 'hex', 'base64'] as const satisfies readonly ComposeMode[];

export interface SavedMessage {
  /** Unique in the library, trimmed, 1 to SAVED_NAME_MAX_CHARS characters. */
  name: string;
  mode: ComposeMode;
  /** What the composer's editor holds: valid for its mode (JSON that parses, hex digits, base64). */
  text: string;
  /** A substring of the socket URL, or /regex/flags, as intercept rules take it; "" for any socket. */
  urlPattern: string;
}

export interface LibraryFileV1 {
  format: typeof LIBRARY_FORMAT;
  version: typeof LIBRARY_VERSION;
  messages: SavedMessage[];
}

/** How many messages the library holds. */
export const LIBRARY_MAX_MESSAGES = 1000;
/**
 * The library's size: its messages as JSON, in UTF-8 bytes. Chrome gives an extension's
 * storage.local 10 MB (QUOTA_BYTES; 5 MB before Chrome 114); the library stays within either.
 */
export const LIBRARY_MAX_BYTES = 4 * 1024 * 1024;
/** A library file larger than this is refused before it is read (room for pretty-printing). */
export const LIBRARY_FILE_MAX_BYTES = 2 * LIBRARY_MAX_BYTES;
export const SAVED_NAME_MAX_CHARS = 200;

export function libraryFile(messages: readonly SavedMessage[]): LibraryFileV1 {
  return { format: LIBRARY_FORMAT, version: LIBRARY_VERSION, messages: messages.map(({ name, mode, text, urlPattern }) => ({ name, mode, text, urlPattern })) };
}

/** `sockscope-messages-<yyyymmdd-hhmmss>.json`, in local time. */
export function libraryFileName(when: Date): string {
  return `sockscope-messages-${fileStamp(when)}.json`;
}
