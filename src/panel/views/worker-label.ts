import type { WorkerLabel } from '../../protocol/capture-events';

/** "Worker (module) chat.js" or "SharedWorker (classic) hub.js, named "hub"", for the lists. */
export function workerShort(w: WorkerLabel): string {
  let file = w.url;
  try { file = new URL(w.url).pathname.split('/').pop() || w.url; } catch { /* not a URL: shown whole */ }
  return `${w.kind === 'shared' ? 'SharedWorker' : 'Worker'} ${file}`;
}

/** The whole label: kind, type, script URL and name. */
export function workerTitle(w: WorkerLabel): string {
  return `${w.kind === 'shared' ? 'SharedWorker' : 'Worker'} (${w.type}) ${w.url}${w.name !== undefined ? `, named "${w.name}"` : ''}`;
}
