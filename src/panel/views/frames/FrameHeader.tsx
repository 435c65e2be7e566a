/**
 * The frame table's header, as DevTools' Network panel has it: drag a column's edge to resize it
 * (or focus the edge and use the arrow keys), right-click the header (or press the context-menu
 * key or Shift+F10 on a header cell, or use the "⋮" button) to hide or show columns. ←/→ move
 * between header cells. The choices are layout settings, so they are remembered.
 */
import { useState } from 'preact/hooks';
import { COLUMN_SPECS, FRAME_COLUMNS, type ColumnsLayout, type FrameColumn } from '../../layout/frame-columns';
import type { LayoutStore } from '../../layout/layout-store';
import { Menu, useMenuButton, type MenuEntry } from '../common/Menu';
import { Splitter } from '../common/Splitter';

interface Props {
  layout: LayoutStore;
  cols: ColumnsLayout;
  decoded: boolean;
  /** Some request was paired: the Latency column exists. */
  paired: boolean;
  timeLabel: string;
  /** Set when the detail pane is collapsed and a frame is selected: a way to bring it back. */
  showDetails: (() => void) | null;
}

function columnEntries(layout: LayoutStore, cols: ColumnsLayout, decoded: boolean, paired: boolean): MenuEntry[] {
  const prefs = layout.settings.value.columns;
  const set = (c: FrameColumn, shown: boolean) => layout.set({ columns: { ...prefs, hidden: { ...prefs.hidden, [c]: !shown } } });
  const entries: MenuEntry[] = FRAME_COLUMNS.filter((c) => (c !== 'message' || decoded) && (c !== 'latency' || paired)).map((c) => ({
    label: COLUMN_SPECS[c].label, kind: 'checkbox', checked: cols.shown.includes(c),
    title: cols.autoHidden.includes(c) ? 'Hidden to leave the Data column room; tick to show it anyway' : undefined,
    onSelect: () => set(c, !cols.shown.includes(c)),
  }));
  entries.push({ label: 'Data', kind: 'checkbox', checked: true, disabled: true, onSelect: () => {} });
  entries.push({ label: 'Reset columns', group: true, onSelect: () => layout.set({ columns: { widths: {}, hidden: {} } }) });
  return entries;
}

export function FrameHeader({ layout, cols, decoded, paired, timeLabel, showDetails }: Props) {
  const button = useMenuButton();
  const [context, setContext] = useState<{ anchor: HTMLElement; point: { x: number; y: number } | null } | null>(null);
  const [focusAt, setFocusAt] = useState(0);
  const prefs = layout.settings.value.columns;
  const resize = (c: FrameColumn, w: number | undefined, done: boolean) => {
    const widths = { ...prefs.widths };
    if (w === undefined) delete widths[c]; else widths[c] = w;
    layout.set({ columns: { ...prefs, widths } }, done);
  };
  const labels: Record<FrameColumn, string> = { dir: '', time: timeLabel, size: 'Size', type: 'Type', latency: 'Latency', message: 'Message' };
  const cells = [...cols.shown, 'data' as const];

  const onKeyDown = (e: KeyboardEvent) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[role=columnheader]');
    if (!cell || e.target !== cell) return;
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      // Handled here: DevTools would otherwise take F-keys from the panel for its own shortcuts.
      e.preventDefault();
      e.stopPropagation();
      setContext({ anchor: cell, point: null });
      return;
    }
    const to = { ArrowLeft: focusAt - 1, ArrowRight: focusAt + 1, Home: 0, End: cells.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(cells.length - 1, to));
    setFocusAt(i);
    (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role=columnheader]')[i]?.focus();
  };

  return (
    <div class="frame-head" role="row" onKeyDown={onKeyDown}
      onContextMenu={(e) => { e.preventDefault(); setContext({ anchor: e.currentTarget as HTMLElement, point: { x: e.clientX, y: e.clientY } }); }}>
      {cells.map((c, i) => {
        const data = c === 'data';
        return (
          <span key={c} class={data ? 'preview' : c} role="columnheader" tabIndex={i === Math.min(focusAt, cells.length - 1) ? 0 : -1}
            aria-label={data ? 'Data' : COLUMN_SPECS[c].label} onFocus={(e) => { if (e.target === e.currentTarget) setFocusAt(i); }}>
            {data ? 'Data' : labels[c]}
            {!data && c !== 'dir' && (
              <Splitter orientation="vertical" class="col-resize" label={`${COLUMN_SPECS[c].label} column width`} pane="before"
                value={cols.widths[c]} min={COLUMN_SPECS[c].min} max={cols.maxWidth(c)}
                onChange={(w, done) => resize(c, w, done)} onReset={() => resize(c, undefined, true)} />
            )}
            {data && (
              <span class="head-buttons">
                {showDetails && <button type="button" class="show-details" aria-label="Show frame details" title="Show frame details" onClick={showDetails}>◧</button>}
                <button type="button" class="columns-button" aria-label="Columns" title="Show or hide columns (or right-click the header)" {...button.props}>⋮</button>
              </span>
            )}
          </span>
        );
      })}
      {button.open && <Menu anchor={button.anchor.current} align="end" label="Columns" entries={columnEntries(layout, cols, decoded, paired)} onClose={button.close} />}
      {context && <Menu anchor={context.anchor} point={context.point} label="Columns" entries={columnEntries(layout, cols, decoded, paired)} onClose={() => setContext(null)} />}
    </div>
  );
}
