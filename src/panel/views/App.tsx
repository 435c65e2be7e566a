import { useState } from 'preact/hooks';
import type { Store } from '../store';
import type { Workspace } from '../workspace';
import { ConnectionTable } from './ConnectionTable';
import { DetailPane } from './detail/DetailPane';
import { FilterBar } from './FilterBar';
import { FrameTable } from './FrameTable';
import { SessionTabs } from './SessionTabs';
import { StatusBar } from './StatusBar';
import { ThroughputChart } from './ThroughputChart';
import { Toolbar } from './Toolbar';
import { WorkerNotices } from './WorkerNotices';

/** One session's panes; keyed by session, so scroll and detail state belong to that session. */
function SessionView({ store, ws }: { store: Store; ws: Workspace }) {
  const [jump, setJump] = useState<{ at: number } | null>(null);
  return (
    <>
      <Toolbar store={store} ws={ws} />
      <WorkerNotices store={store} />
      <ConnectionTable store={store} />
      <FilterBar store={store} />
      <div class="main">
        <div class="list">
          <ThroughputChart store={store} onJump={(at) => setJump({ at })} />
          <FrameTable store={store} jumpTo={jump} />
        </div>
        <DetailPane store={store} />
      </div>
      <StatusBar store={store} />
    </>
  );
}

const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

export function App({ ws }: { ws: Workspace }) {
  const [dragging, setDragging] = useState(false);
  const active = ws.active.value;
  return (
    <div class="app" onDragEnter={(e) => { if (hasFiles(e)) setDragging(true); }} onDragOver={(e) => { if (hasFiles(e)) e.preventDefault(); }}>
      <SessionTabs ws={ws} />
      <SessionView key={active} store={ws.current()} ws={ws} />
      {dragging && (
        // Covers the panel while a file is dragged over it, so leaving and dropping are seen in one place.
        <div class="drop-target" onDragOver={(e) => e.preventDefault()} onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            for (const f of e.dataTransfer?.files ?? []) ws.open(f);
          }}>
          Drop a Sockscope session or HAR file to open it
        </div>
      )}
    </div>
  );
}
