import type { Store } from '../store';
import { workerTitle } from './worker-label';

/**
 * Workers the capture could not reach, each with the reason. Shown above the connections so a
 * missing socket is never a silent gap: the user knows which worker, and why.
 */
export function WorkerNotices({ store }: { store: Store }) {
  store.revision.value;
  const notices = store.model.notices;
  if (notices.length === 0) return null;
  return (
    <section class="worker-notices" aria-label="Workers not captured">
      {notices.map((n) => (
        <div key={n.key} class="worker-notice" role="status" title={`Started by ${n.frameUrl}`}>
          <strong>Not captured: {workerTitle(n.worker)}</strong> — {n.reason}
        </div>
      ))}
    </section>
  );
}
