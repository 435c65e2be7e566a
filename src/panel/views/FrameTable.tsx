/**
 * The frame list, virtualized: only the rows in view are in the DOM, whatever the frame count.
 * It follows the newest frame while scrolled to the bottom, and stops following when scrolled up.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Store } from '../store';
import { formatBytes, formatClock, framePreview } from '../format';
import type { FrameRecord } from '../model/types';

const ROW_PX = 20;
const OVERSCAN_ROWS = 10;

export function FrameTable({ store }: { store: Store }) {
  store.revision.value;
  const selected = store.selectedConnection.value;
  const model = store.model;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const following = useRef(true);

  const rows: FrameRecord[] | null = selected ? model.allFrames().filter((f) => f.conn.id === selected) : null;
  const count = rows ? rows.length : model.frameCount;
  const at = (i: number) => (rows ? rows[i] : model.frameAt(i));

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = viewport.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  });

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN_ROWS);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN_ROWS);
  const visible = [];
  for (let i = first; i < last; i++) {
    const f = at(i);
    if (!f) continue;
    visible.push(
      <div class={`frame ${f.dir}`} role="row" key={`${f.conn.id}:${f.seq}`} style={{ top: i * ROW_PX }}>
        <span class="dir" role="cell" aria-label={f.dir}>{f.dir === 'sent' ? '↑' : '↓'}</span>
        <span class="time" role="cell">{formatClock(f.at)}</span>
        <span class="size" role="cell">{formatBytes(f.size)}</span>
        <span class="type" role="cell">{f.type}</span>
        <span class="preview" role="cell">{framePreview(f)}</span>
      </div>,
    );
  }

  return (
    <section class="frames" aria-label="Frames">
      <div class="frame-head" role="row">
        <span class="dir" role="columnheader" />
        <span class="time" role="columnheader">Time</span>
        <span class="size" role="columnheader">Size</span>
        <span class="type" role="columnheader">Type</span>
        <span class="preview" role="columnheader">Data</span>
      </div>
      <div class="frame-viewport" ref={viewport} role="table" aria-rowcount={count}
        onScroll={(e) => {
          const el = e.currentTarget;
          following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_PX;
          setScrollTop(el.scrollTop);
        }}>
        <div class="frame-canvas" style={{ height: count * ROW_PX }}>{visible}</div>
      </div>
    </section>
  );
}
