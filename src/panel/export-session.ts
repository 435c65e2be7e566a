/** "Export session": the model as a version-1 session file, downloaded through an <a download>. */
import { encodeSession, sessionFileName } from '../session/encode-session';
import type { Store } from './store';

export function exportSession(store: Store): void {
  const m = store.model;
  const now = new Date();
  const file = encodeSession({ page: m.page, connections: m.connections, frames: m.allFrames(), dropped: m.dropped() }, now);
  const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = sessionFileName(m.page.url, now);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
