/**
 * Between the panel and its import worker. The worker reads, parses and checks the file, then
 * sends the frames a chunk at a time and waits for the panel's "more" before the next, so the
 * panel ingests at its own pace and answers the user between chunks.
 */
import type { SessionFileKind } from '../../session/read-session-file';
import type { SessionFrame } from '../../session/session-format';
import type { SessionHeader } from '../model/session-loader';

export type ImportPhase = 'reading' | 'parsing' | 'checking' | 'loading';

export interface ImportProgress {
  phase: ImportPhase;
  /** Bytes read (reading) or frames loaded (loading); 0 while parsing and checking. */
  done: number;
  total: number;
}

export type PanelToImportWorker = { t: 'open'; file: File } | { t: 'more' };

export type ImportWorkerToPanel =
  | { t: 'progress'; progress: ImportProgress }
  | { t: 'header'; kind: SessionFileKind; header: SessionHeader; frames: number }
  | { t: 'frames'; frames: SessionFrame[] }
  | { t: 'done' }
  | { t: 'error'; error: string };

/** A chunk holds at most this many frames, or this many payload characters, whichever comes first. */
export const IMPORT_CHUNK_FRAMES = 10_000;
export const IMPORT_CHUNK_CHARS = 4 * 1024 * 1024;

/** End (exclusive) of the chunk that starts at `start`: at least one frame, within both limits. */
export function chunkEnd(frames: readonly SessionFrame[], start: number): number {
  let chars = 0;
  let i = start;
  while (i < frames.length && i - start < IMPORT_CHUNK_FRAMES) {
    const f = frames[i]!;
    chars += (f.text ?? f.base64 ?? '').length;
    if (chars > IMPORT_CHUNK_CHARS && i > start) break;
    i++;
  }
  return i;
}
