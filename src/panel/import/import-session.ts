/**
 * Opens a session file in the panel: the worker does the reading, parsing and checking; this
 * side fills the imported session's model chunk by chunk, yielding to the panel between chunks.
 */
import type { SessionFileKind } from '../../session/read-session-file';
import type { SessionFrame } from '../../session/session-format';
import type { SessionHeader } from '../model/session-loader';
import type { ImportProgress, ImportWorkerToPanel, PanelToImportWorker } from './import-messages';

export interface ImportSink {
  progress(p: ImportProgress): void;
  header(kind: SessionFileKind, header: SessionHeader, frames: number): void;
  frames(frames: SessionFrame[]): void;
  done(): void;
  error(message: string): void;
}

export interface ImportHandle { cancel(): void }

export function importSessionFile(file: File, sink: ImportSink): ImportHandle {
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
  const send = (m: PanelToImportWorker) => worker.postMessage(m);
  let total = 0, loaded = 0, finished = false;
  const end = () => { finished = true; worker.terminate(); };
  worker.onmessage = (e: MessageEvent<ImportWorkerToPanel>) => {
    if (finished) return;
    const m = e.data;
    switch (m.t) {
      case 'progress': sink.progress(m.progress); break;
      case 'header':
        total = m.frames;
        sink.header(m.kind, m.header, m.frames);
        sink.progress({ phase: 'loading', done: 0, total });
        break;
      case 'frames':
        sink.frames(m.frames);
        loaded += m.frames.length;
        sink.progress({ phase: 'loading', done: loaded, total });
        // A macrotask between chunks: clicks and keys the user made meanwhile are handled first.
        setTimeout(() => { if (!finished) send({ t: 'more' }); }, 0);
        break;
      case 'done': end(); sink.done(); break;
      case 'error': end(); sink.error(m.error); break;
    }
  };
  worker.onerror = (e) => { if (!finished) { end(); sink.error(`The import stopped: ${e.message || 'the reader failed'}`); } };
  send({ t: 'open', file });
  return { cancel: end };
}
