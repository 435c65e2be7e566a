/**
 * The frame table, virtualized: only the rows in view are in the DOM, whatever the row count.
 * It follows the newest row while scrolled to the bottom and stops when the user scrolls up, as
 * DevTools does. ↑/↓ move the selection, Home/End jump to the first/last row, Enter opens the
 * frame's details when the user had closed them.
 * Column widths and hidden columns are CSS variables and classes on the table, so a row renders
 * the same few cells whatever the columns: no per-row work for the layout.
 * Preact 11 does not append "px" to numeric style values: lengths are written as strings.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../store';
import { formatBytes, formatClock, formatRelative, framePreview, messageTitle } from '../format';
import { openedAt, type LifecycleRecord, type Row } from '../model/types';
import { FRAME_COLUMNS, layoutColumns } from '../layout/frame-columns';
import type { LayoutStore } from '../layout/layout-store';
import { ROW_PX } from '../layout/panel-layout';
import { FrameHeader } from './frames/FrameHeader';
import { latencyCell } from './frames/latency-cell';
import type { Exchange } from '../model/types';
const OVERSCAN_ROWS = 8;
/** A page-dispatched event gets its own mark: it is not a frame, and must not read as one. */
const LIFECYCLE_ICONS: Record<LifecycleRecord['event'], string> = { connecting: '●', open: '●', close: '■', error: '⚠', intercept: '●', dispatched: '⤷' };

function timeCell(store: Store, row: Row): string {
  if (store.timeMode.value === 'relative' && row.kind !== 'navigation') return formatRelative(row.at, openedAt(row.conn) ?? row.conn.states[0]?.at);
  return formatClock(row.at);
}

/** Whether `row` belongs to the selected row's exchange (so a pair's other side lights up). */
function partOf(row: Row, x: Exchange | undefined): boolean {
  if (!x || row.kind !== 'frame') return false;
  return row.pair === x || (row.pairsMore?.includes(x) ?? false);
}

interface RowProps { store: Store; row: Row; selected: boolean; top: number; onSelect: () => void; decoded: boolean; paired: boolean; partner: boolean }

function RowView({ store, row, selected, top, onSelect, decoded, paired, partner }: RowProps) {
  const common = { role: 'row' as const, 'aria-selected': selected, style: { top: `${top}px` }, onMouseDown: onSelect };
  if (row.kind === 'navigation') {
    return <div {...common} class={`row navigation ${selected ? 'selected' : ''}`}><span class="nav" role="cell">Navigated to {row.url} at {formatClock(row.at)}</span></div>;
  }
  if (row.kind === 'lifecycle') {
    return (
      <div {...common} class={`row lifecycle ${row.event} ${selected ? 'selected' : ''}`}>
        <span class="dir" role="cell" aria-label={row.event === 'dispatched' ? 'dispatched by the page' : row.event}>{LIFECYCLE_ICONS[row.event]}</span>
        <span class="time" role="cell">{timeCell(store, row)}</span>
        <span class="size" role="cell" />
        <span class="type" role="cell">event</span>
        {paired && <span class="latency" role="cell" />}
        {decoded && <span class="message" role="cell" />}
        <span class="preview" role="cell">{row.text}</span>
      </div>
    );
  }
  const lat = paired ? latencyCell(row) : null;
  return (
    <div {...common} class={`row frame ${row.dir} ${selected ? 'selected' : ''} ${partner ? 'paired-with' : ''}`}>
      <span class="dir" role="cell" aria-label={row.dir}>{row.dir === 'sent' ? '↑' : '↓'}</span>
      <span class="time" role="cell">{timeCell(store, row)}</span>
      <span class="size" role="cell">{formatBytes(row.size)}</span>
      <span class="type" role="cell">{row.type}</span>
      {paired && <span class={`latency ${lat?.cls ?? ''}`} role="cell" title={lat?.title} data-ms={lat?.ms}>{lat?.text ?? ''}</span>}
      {decoded && (
        <span class={`message ${row.msg?.heartbeat ? 'heartbeat' : ''} ${row.msg?.error ? 'decode-error' : ''}`} role="cell" title={row.msg ? messageTitle(row.msg) : undefined}>
          {row.msg?.summary ?? ''}
        </span>
      )}
      <span class="preview" role="cell">{row.origin && <span class="origin-tag">{row.origin}</span>}{framePreview(row)}</span>
    </div>
  );
}

/** How long after a wheel, touch or scrollbar press a scroll event still counts as the user's. */
const USER_SCROLL_MS = 1000;

export function FrameTable({ store, jumpTo, layout, listWidth }: { store: Store; jumpTo: { at: number } | null; layout: LayoutStore; listWidth: number }) {
  store.revision.value;
  const view = store.view;
  const count = view.count;
  // The Message column shows once any connection speaks a protocol a decoder knows.
  const decoded = store.model.connections.some((c) => c.decoding?.decoder);
  // The Latency column shows once any request has been paired with its reply.
  const paired = store.model.pairing.exchanges > 0;
  const cols = layoutColumns(listWidth, decoded, layout.settings.value.columns, paired);
  const collapsed = layout.settings.value.detailCollapsed;
  const showDetails = () => layout.set({ detailCollapsed: false });
  const selectedAbs = store.selectedRow.value;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const following = useRef(true);
  const lastTop = useRef(0);
  /** When the user last scrolled by hand (wheel, touch, the scrollbar): only then may a scroll up stop following. */
  const userScrollAt = useRef(-Infinity);
  const dragging = useRef(false);
  const markUserScroll = () => { userScrollAt.current = performance.now(); };

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = viewport.current;
    if (el && following.current) el.scrollTop = count * ROW_PX;
  });

  // "Go to request / response": bring the row into view (it is selected already).
  const reveal = store.revealRow.value;
  useEffect(() => {
    const el = viewport.current;
    if (!reveal || !el) return;
    const i = view.positionOf(reveal.abs);
    if (i < 0) return;
    following.current = false;
    setScrollTop(el.scrollTop);
    el.scrollTop = Math.max(0, i * ROW_PX - el.clientHeight / 2);
  }, [reveal]);

  // The chart asks to show a moment: scroll to the first row at or after it.
  useEffect(() => {
    const el = viewport.current;
    if (!jumpTo || !el) return;
    const lo = view.positionAtTime(jumpTo.at, store.model.rows);
    following.current = false;
    setScrollTop(el.scrollTop); // scroll events skip the state while following: catch it up
    if (lo < count) store.selectedRow.value = view.index(lo)!;
    el.scrollTop = Math.max(0, lo * ROW_PX - el.clientHeight / 2);
  }, [jumpTo]);

  const position = selectedAbs === null ? -1 : view.positionOf(selectedAbs);
  const move = (to: number) => {
    if (count === 0) return;
    const i = Math.max(0, Math.min(count - 1, to));
    store.selectedRow.value = view.index(i)!;
    const el = viewport.current;
    if (!el) return;
    // Selecting a row stops following the stream, so the row stays put; but not when every row is
    // in view anyway (a short or filtered list): there is nothing to scroll away from yet.
    following.current = i === count - 1 || count * ROW_PX <= el.clientHeight;
    if (!following.current) setScrollTop(el.scrollTop); // scroll events skip the state while following
    if (i * ROW_PX < el.scrollTop) el.scrollTop = i * ROW_PX;
    else if ((i + 1) * ROW_PX > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW_PX - el.clientHeight;
  };
  const onKey = (e: KeyboardEvent) => {
    markUserScroll(); // PageUp and the like scroll the list by the browser's default action
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(position + 1), ArrowUp: () => move(position < 0 ? count - 1 : position - 1),
      Home: () => move(0), End: () => move(count - 1),
      PageDown: () => move(position + Math.floor(height / ROW_PX)), PageUp: () => move(position - Math.floor(height / ROW_PX)),
      Enter: () => { if (collapsed && selectedAbs !== null) showDetails(); },
    };
    const k = keys[e.key];
    if (k) { e.preventDefault(); k(); }
  };

  // While following, the rows are the bottom ones already in this render, so the scroll that
  // follows it needs no second render. When a filter shrinks the list, the browser clamps
  // scrollTop but says so only in a later scroll event: clamp here too, for the same reason.
  const bottom = Math.max(0, count * ROW_PX - height);
  const top = following.current ? bottom : Math.min(scrollTop, bottom);
  const first = Math.max(0, Math.floor(top / ROW_PX) - OVERSCAN_ROWS);
  const last = Math.min(count, Math.ceil((top + height) / ROW_PX) + OVERSCAN_ROWS);
  const selectedRow = selectedAbs === null ? undefined : store.rowAt(selectedAbs);
  const selectedPair = selectedRow?.kind === 'frame' ? selectedRow.pair : undefined;
  const visible = [];
  for (let i = first; i < last; i++) {
    const abs = view.index(i)!;
    const row = store.rowAt(abs);
    if (row) {
      visible.push(<RowView key={abs} store={store} row={row} selected={abs === selectedAbs} top={i * ROW_PX} decoded={decoded} paired={paired}
        partner={abs !== selectedAbs && partOf(row, selectedPair)} onSelect={() => { store.selectedRow.value = abs; }} />);
    }
  }

  const style: Record<string, string> = {};
  for (const c of FRAME_COLUMNS) style[`--w-${c}`] = `${cols.widths[c]}px`;
  const hidden = FRAME_COLUMNS.filter((c) => !cols.shown.includes(c)).map((c) => `hide-${c}`).join(' ');
  return (
    <section class={`frames ${hidden}`} aria-label="Frames" style={style}>
      <FrameHeader layout={layout} cols={cols} decoded={decoded} paired={paired} timeLabel={store.timeMode.value === 'relative' ? 'Since open' : 'Time'}
        showDetails={collapsed && selectedAbs !== null ? showDetails : null} />
      <div class="frame-viewport" ref={viewport} role="grid" aria-label="Frame list" aria-rowcount={count} tabIndex={0} onKeyDown={onKey}
        onWheel={markUserScroll} onTouchMove={markUserScroll}
        onPointerDown={(e) => { if (e.target === e.currentTarget) { dragging.current = true; markUserScroll(); } }}
        onPointerUp={() => { dragging.current = false; }} onPointerCancel={() => { dragging.current = false; }}
        onScroll={(e) => {
          const el = e.currentTarget;
          // Only the user's own move up stops following. The canvas growing under a follow-scroll
          // fires scroll events too, and so does the browser clamping scrollTop when a filter
          // shrinks the list; that event can arrive after the list has grown back, looking like
          // a move up from the bottom.
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX) following.current = true;
          else if (el.scrollTop < lastTop.current && (dragging.current || performance.now() - userScrollAt.current < USER_SCROLL_MS)) following.current = false;
          lastTop.current = el.scrollTop;
          if (!following.current) setScrollTop(el.scrollTop);
        }}>
        <div class="frame-canvas" style={{ height: `${count * ROW_PX}px` }}>{visible}</div>
      </div>
    </section>
  );
}
