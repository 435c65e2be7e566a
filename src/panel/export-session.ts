/** "Export session": the model as a version-1 session file. */
import { encodeSession, sessionFileName } from '../session/encode-session';
import { saveFile } from './clipboard';
import type { Store } from './store';

export function exportSession(store: Store): void {
  const m = store.model;
  const now = new Date();
  const file = encodeSession({ page: m.page, connections: m.connections, frames: m.allFrames(), dropped: m.dropped() }, now);
  saveFile(sessionFileName(m.page.url, now), JSON.stringify(file, null, 1), 'application/json');
}
