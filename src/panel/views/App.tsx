/**
 * The panel: its size measured on screen, and a layout derived from it (layout/panel-layout.ts).
 * Top to bottom: the toolbar (with the session tabs), the connection list and its splitter, the
 * filter bar, the frames with the detail pane beside or under them, and the one-line summary.
 * The detail pane takes room only when it has something to show.
 */
import { useComputed } from '@preact/signals';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LayoutStore } from '../layout/layout-store';
import { computeLayout, type PanelLayout } from '../layout/panel-layout';
import type { Store } from '../store';
import type { LibraryStore } from '../library/library-store';
import type { Workspace } from '../workspace';
import { Splitter } from './common/Splitter';
import { ConnectionTable } from './ConnectionTable';
import { DetailPane } from './detail/DetailPane';
import { FilterBar } from './FilterBar';
import { FrameTable } from './FrameTable';
import { ImportStatus } from './SessionTabs';
import { SummaryBar } from './SummaryBar';
import { ThroughputChart } from './ThroughputChart';
import { Toolbar } from './Toolbar';
import { WorkerNotices } from './WorkerNotices';
import { CallsView } from './calls/CallsView';
import { ReplayBar } from './replay/ReplayBar';

/** The splitter between the list and the detail pane: its size is kept per dock side, as DevTools does. */
function DetailSplitter({ layout, lay }: { layout: LayoutStore; lay: PanelLayout }) {
  const beside = lay.placement === 'beside';
  const key = beside ? 'detailWidth' : 'detailHeight';
  return (
    <Splitter orientation={beside ? 'vertical' : 'horizontal'} label="Frame details size" controls="detail-pane" pane="after"
      value={lay.detail.size} min={lay.detail.min} max={lay.detail.max}
      onChange={(v, done) => layout.set({ [key]: v }, done)} onReset={() => layout.set({ [key]: null })} />
  );
}

/** One session's panes; keyed by session, so scroll and detail state belong to that session. */
function SessionView({ store, ws, layout, library }: { store: Store; ws: Workspace; layout: LayoutStore; library: LibraryStore }) {
  const [jump, setJump] = useState<{ at: number } | null>(null);
  // Only what decides whether the pane shows re-renders this view: not every batch, nor every click on a row.
  const rowSelected = useComputed(() => store.selectedRow.value !== null).value;
  const held = useComputed(() => (store.revision.value, store.model.held.length > 0)).value;
  const connections = useComputed(() => (store.revision.value, store.model.connections.length)).value;
  const s = layout.settings.value;
  const calls = store.mainView.value === 'calls';
  const showFrame = rowSelected && !s.detailCollapsed && !calls;
  const detailShown = showFrame || held || store.rulesOpen.value || store.composer.value !== null;
  const { width, height } = layout.size.value;
  const lay = computeLayout({ width, height, connections, detailShown }, s);
  return (
    <>
      <Toolbar store={store} ws={ws} layout={layout} lay={lay} />
      <ReplayBar ws={ws} />
      <ImportStatus ws={ws} />
      <WorkerNotices store={store} />
      {lay.showConnections && (
        <>
          <ConnectionTable store={store} ws={ws} layout={layout} height={lay.connections.size} />
          <Splitter orientation="horizontal" label="Connection list size" controls="connections" pane="before"
            value={lay.connections.size} min={lay.connections.min} max={lay.connections.max}
            onChange={(v, done) => layout.set({ connectionsHeight: v }, done)} onReset={() => layout.set({ connectionsHeight: null })} />
        </>
      )}
      <FilterBar store={store} layout={layout} />
      <div class={`main ${lay.placement}`}>
        <div class="list">
          {calls ? <CallsView store={store} /> : (
            <>
              {lay.showChart && <ThroughputChart store={store} layout={layout} onJump={(at) => setJump({ at })} />}
              <FrameTable store={store} jumpTo={jump} layout={layout} listWidth={lay.listWidth} />
            </>
          )}
        </div>
        {detailShown && (
          <>
            <DetailSplitter layout={layout} lay={lay} />
            <div class="detail-slot" style={{ [lay.placement === 'beside' ? 'width' : 'height']: `${lay.detail.size}px` }}>
              <DetailPane store={store} library={library} id="detail-pane" showFrame={showFrame} onCloseFrame={() => layout.set({ detailCollapsed: true })} />
            </div>
          </>
        )}
      </div>
      <SummaryBar store={store} layout={layout} lay={lay} />
    </>
  );
}

const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

export function App({ ws, layout, library }: { ws: Workspace; layout: LayoutStore; library: LibraryStore }) {
  const [dragging, setDragging] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = root.current!;
    const measure = () => { layout.size.value = { width: el.clientWidth, height: el.clientHeight }; };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const active = ws.active.value;
  return (
    <div class="app" ref={root} onDragEnter={(e) => { if (hasFiles(e)) setDragging(true); }} onDragOver={(e) => { if (hasFiles(e)) e.preventDefault(); }}>
      <SessionView key={active} store={ws.current()} ws={ws} layout={layout} library={library} />
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
