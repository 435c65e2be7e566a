/**
 * The frame table's columns: which show and how wide, so that the Data column (the payload, which
 * comes first) keeps its minimum. The user's own choices win: a column they showed is never
 * hidden for them, and a width they set is kept. Otherwise, when Data would be too narrow, the
 * Message column gives up width first, then whole columns hide in AUTO_HIDE_ORDER.
 */

export type FrameColumn = 'dir' | 'time' | 'size' | 'type' | 'latency' | 'message';
export const FRAME_COLUMNS: readonly FrameColumn[] = ['dir', 'time', 'size', 'type', 'latency', 'message'];

export const COLUMN_SPECS: Record<FrameColumn, { label: string; width: number; min: number }> = {
  dir: { label: 'Direction', width: 14, min: 14 },
  time: { label: 'Time', width: 96, min: 56 },
  size: { label: 'Size', width: 72, min: 40 },
  type: { label: 'Type', width: 44, min: 36 },
  latency: { label: 'Latency', width: 64, min: 44 },
  message: { label: 'Message', width: 200, min: 80 },
};
export const MAX_COLUMN_PX = 800;

/** Cell gap and row padding (panel.css .frame-head, .row), and the list's vertical scrollbar. */
const GAP_PX = 8;
const ROW_PAD_PX = 12;
const SCROLLBAR_PX = 15;
/** The Message column is narrowed to this before any column is hidden. */
const MESSAGE_SHRINK_PX = 100;
/** Below this the payload is unreadable: a column may not be widened past it. */
export const DATA_FLOOR_PX = 80;
/** Latency outlasts Time: in a narrow panel, which call was slow matters more than the clock. */
const AUTO_HIDE_ORDER: readonly FrameColumn[] = ['type', 'size', 'time', 'latency', 'message'];

/** The Data column's minimum for a list this wide: 40 % of it, within 150–400 px. */
export const dataMin = (listWidth: number): number => Math.max(150, Math.min(400, Math.round(listWidth * 0.4)));

export interface ColumnPrefs {
  widths: Partial<Record<FrameColumn, number>>;
  /** true: the user hid it; false: the user showed it; absent: automatic. */
  hidden: Partial<Record<FrameColumn, boolean>>;
}

export interface ColumnsLayout {
  shown: FrameColumn[];
  widths: Record<FrameColumn, number>;
  /** Hidden for lack of room (not by the user). */
  autoHidden: FrameColumn[];
  /** What Data gets, in px. */
  data: number;
  /** How wide a column may be dragged: Data keeps DATA_FLOOR_PX. */
  maxWidth(col: FrameColumn): number;
}

/**
 * `decoded`: some connection has a decoder (the Message column exists); `paired`: some request was
 * paired with a reply (the Latency column exists).
 */
export function layoutColumns(listWidth: number, decoded: boolean, prefs: ColumnPrefs, paired = false): ColumnsLayout {
  const available = listWidth - ROW_PAD_PX - SCROLLBAR_PX;
  const widths = {} as Record<FrameColumn, number>;
  for (const c of FRAME_COLUMNS) widths[c] = prefs.widths[c] ?? COLUMN_SPECS[c].width;
  const shown = FRAME_COLUMNS.filter((c) => prefs.hidden[c] !== true && (c !== 'message' || decoded) && (c !== 'latency' || paired));
  const dataOf = () => available - shown.reduce((s, c) => s + widths[c] + GAP_PX, 0);
  const min = dataMin(listWidth);
  const autoHidden: FrameColumn[] = [];
  if (dataOf() < min && shown.includes('message') && prefs.widths.message === undefined) {
    widths.message = Math.max(MESSAGE_SHRINK_PX, widths.message - (min - dataOf()));
  }
  for (const c of AUTO_HIDE_ORDER) {
    if (dataOf() >= min) break;
    if (!shown.includes(c) || prefs.hidden[c] === false) continue;
    shown.splice(shown.indexOf(c), 1);
    autoHidden.push(c);
  }
  const data = dataOf();
  return {
    shown, widths, autoHidden, data,
    maxWidth: (c) => Math.min(MAX_COLUMN_PX, Math.max(COLUMN_SPECS[c].min, widths[c] + data - DATA_FLOOR_PX)),
  };
}
