/**
 * The user's layout choices: splitter positions, folds, the detail pane, columns. Saved in the
 * panel's localStorage under their own key and checked field by field on load: a stored value that
 * is missing, of the wrong type or out of range falls back to its default, and never breaks the panel.
 */
import { CONN_COLUMNS, type ConnColumn } from './conn-columns';
import { COLUMN_SPECS, FRAME_COLUMNS, MAX_COLUMN_PX, type ColumnPrefs, type FrameColumn } from './frame-columns';

export const LAYOUT_KEY = 'sockscope.layout.v1';
/** No pane is stored larger than this (px); the layout clamps to the panel's size anyway. */
const MAX_PANE_PX = 10_000;

export interface LayoutSettings {
  /** Splitter positions in px; null: the default for the panel's size. */
  connectionsHeight: number | null;
  detailWidth: number | null;
  detailHeight: number | null;
  /** The user closed the frame detail (the composer, rules and held frames still open it). */
  detailCollapsed: boolean;
  /** The user's fold (false) or unfold (true); null: folded automatically when space is short. */
  showConnections: boolean | null;
  showChart: boolean | null;
  chartUnit: 'msgs' | 'bytes';
  columns: ColumnPrefs;
  connHidden: Partial<Record<ConnColumn, boolean>>;
}

export const DEFAULT_LAYOUT: LayoutSettings = {
  connectionsHeight: null, detailWidth: null, detailHeight: null, detailCollapsed: false,
  showConnections: null, showChart: null, chartUnit: 'msgs', columns: { widths: {}, hidden: {} }, connHidden: {},
};

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const px = (v: unknown, max = MAX_PANE_PX): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max ? Math.round(v) : null);
const tri = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

function flags<K extends string>(v: unknown, keys: readonly K[]): Partial<Record<K, boolean>> {
  const out: Partial<Record<K, boolean>> = {};
  if (!isObject(v)) return out;
  for (const k of keys) if (typeof v[k] === 'boolean') out[k] = v[k];
  return out;
}

function widths(v: unknown): Partial<Record<FrameColumn, number>> {
  const out: Partial<Record<FrameColumn, number>> = {};
  if (!isObject(v)) return out;
  for (const c of FRAME_COLUMNS) {
    const w = px(v[c], MAX_COLUMN_PX);
    if (w !== null && w >= COLUMN_SPECS[c].min) out[c] = w;
  }
  return out;
}

/** Whatever is stored (or nothing), as valid settings. */
export function parseLayout(raw: unknown): LayoutSettings {
  if (!isObject(raw)) return structuredClone(DEFAULT_LAYOUT);
  const columns = isObject(raw.columns) ? raw.columns : {};
  return {
    connectionsHeight: px(raw.connectionsHeight),
    detailWidth: px(raw.detailWidth),
    detailHeight: px(raw.detailHeight),
    detailCollapsed: raw.detailCollapsed === true,
    showConnections: tri(raw.showConnections),
    showChart: tri(raw.showChart),
    chartUnit: raw.chartUnit === 'bytes' ? 'bytes' : 'msgs',
    columns: { widths: widths(columns.widths), hidden: flags(columns.hidden, FRAME_COLUMNS) },
    connHidden: flags(raw.connHidden, CONN_COLUMNS.map((c) => c.id).filter((id) => id !== 'url')),
  };
}

export function loadLayout(storage: Storage | null): LayoutSettings {
  try {
    return parseLayout(JSON.parse(storage?.getItem(LAYOUT_KEY) ?? 'null'));
  } catch {
    return structuredClone(DEFAULT_LAYOUT);
  }
}

export function saveLayout(storage: Storage | null, settings: LayoutSettings): void {
  try {
    storage?.setItem(LAYOUT_KEY, JSON.stringify(settings));
  } catch { /* storage full or unavailable: the layout just does not persist */ }
}
