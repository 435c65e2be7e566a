/**
 * Reads an imported file off the panel's thread: a 200 MB session would freeze the panel for
 * seconds in JSON.parse alone. Progress is posted while reading; the frames go out in chunks,
 * each only after the panel asked for more.
 */
import { readSessionValue } from '../../session/read-session-file';
import { chunkEnd, type ImportWorkerToPanel, type PanelToImportWorker } from './import-messages';

interface WorkerScope {
  onmessage: ((e: MessageEvent<PanelToImportWorker>) => void) | null;
  postMessage(m: ImportWorkerToPanel): void;
}
const scope = self as unknown as WorkerScope;

/** Progress is posted every this many bytes read. */
const PROGRESS_STEP_BYTES = 2 * 1024 * 1024;

let wantMore: (() => void) | null = null;

scope.onmessage = (e) => {
  const m = e.data;
  if (m.t === 'open') void run(m.file);
  else if (m.t === 'more') { const go = wantMore; wantMore = null; go?.(); }
};

async function run(file: File): Promise<void> {
  try {
    const text = await readText(file);
    scope.postMessage({ t: 'progress', progress: { phase: 'parsing', done: 0, total: 0 } });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      scope.postMessage({ t: 'error', error: `Not JSON: ${(err as Error).message}` });
      return;
    }
    scope.postMessage({ t: 'progress', progress: { phase: 'checking', done: 0, total: 0 } });
    const r = readSessionValue(json, new Date());
    if (!r.ok) {
      scope.postMessage({ t: 'error', error: r.error });
      return;
    }
    const { frames, ...header } = r.session;
    scope.postMessage({ t: 'header', kind: r.kind, header, frames: frames.length });
    for (let start = 0; start < frames.length;) {
      const end = chunkEnd(frames, start);
      const asked = new Promise<void>((resolve) => { wantMore = resolve; });
      scope.postMessage({ t: 'frames', frames: frames.slice(start, end) });
      start = end;
      await asked;
    }
    scope.postMessage({ t: 'done' });
  } catch (err) {
    scope.postMessage({ t: 'error', error: `Could not read the file: ${err instanceof Error ? err.message : String(err)}` });
  }
}

async function readText(file: File): Promise<string> {
  const total = file.size;
  const reader = file.stream().getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let done = 0, reported = 0;
  scope.postMessage({ t: 'progress', progress: { phase: 'reading', done: 0, total } });
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    done += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    if (done - reported >= PROGRESS_STEP_BYTES) {
      reported = done;
      scope.postMessage({ t: 'progress', progress: { phase: 'reading', done, total } });
    }
  }
  parts.push(decoder.decode());
  return parts.join('');
}
