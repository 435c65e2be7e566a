/**
 * Where the panel's parts go, from the panel's own size and the user's layout choices. Pure, so
 * the rules are unit-tested: the frames come first. The detail pane sits beside the frame list
 * when the panel is wide and under it when it is narrow (side-docked DevTools); the connection
 * list and the chart fold away on their own when they would leave the frames too few rows, unless
 * the user folded or unfolded them. Heights here are the ones panel.css gives each part.
 */
import type { LayoutSettings } from './layout-settings';

export const BAR_PX = 26;
export const SUMMARY_PX = 22;
export const SPLITTER_PX = 1;
export const ROW_PX = 20;
export const FRAME_HEAD_PX = 21;
export const CHART_PX = 53;
/** The connection list's own head (section head and table header) and one row. */
export const CONN_HEAD_PX = 44;
export const CONN_ROW_PX = 20;

/** Narrower than this, the detail pane goes under the list. */
export const BESIDE_MIN_WIDTH = 720;
/** Shorter than this (a bottom dock), the connection list folds unless the user unfolded it. */
export const CONNECTIONS_MIN_PANEL_HEIGHT = 480;
/** The chart shows by default only while the list keeps this many rows beside it. */
export const CHART_MIN_ROWS = 20;
/** The connection list shows at most this many rows by default (it scrolls; its splitter gives more). */
const CONN_DEFAULT_ROWS = 5;
const LIST_MIN_HEIGHT = FRAME_HEAD_PX + 4 * ROW_PX;
const LIST_MIN_WIDTH = 300;
const DETAIL_MIN_WIDTH = 200;
const DETAIL_MIN_HEIGHT = 100;
const DETAIL_DEFAULT_HEIGHT = 140;

export interface PaneSize { size: number; min: number; max: number; default: number }

export interface PanelLayout {
  placement: 'beside' | 'below';
  showConnections: boolean;
  connections: PaneSize;
  showChart: boolean;
  /** The detail pane's width (beside) or height (below). */
  detail: PaneSize;
  /** The frame list's width, with the detail pane shown when `detailShown`. */
  listWidth: number;
}

export interface LayoutInput {
  width: number;
  height: number;
  connections: number;
  /** Whether the detail pane is on screen (a frame selected, or the composer, rules or held frames). */
  detailShown: boolean;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function pane(stored: number | null, dflt: number, min: number, max: number): PaneSize {
  const hi = Math.max(min, max);
  return { size: clamp(stored ?? dflt, min, hi), min, max: hi, default: clamp(dflt, min, hi) };
}

export function computeLayout(input: LayoutInput, s: LayoutSettings): PanelLayout {
  const { width, height } = input;
  const bars = 2 * BAR_PX + SUMMARY_PX;
  const placement = width >= BESIDE_MIN_WIDTH ? 'beside' : 'below';

  const showConnections = s.showConnections ?? height >= CONNECTIONS_MIN_PANEL_HEIGHT;
  const connDefault = Math.min(CONN_HEAD_PX + Math.max(1, Math.min(input.connections, CONN_DEFAULT_ROWS)) * CONN_ROW_PX, Math.round(height / 4));
  const connections = pane(s.connectionsHeight, connDefault, CONN_HEAD_PX + CONN_ROW_PX, height - bars - SPLITTER_PX - LIST_MIN_HEIGHT);

  const mainHeight = height - bars - (showConnections ? connections.size + SPLITTER_PX : 0);
  const detail = placement === 'beside'
    ? pane(s.detailWidth, Math.round(width / 3), DETAIL_MIN_WIDTH, width - SPLITTER_PX - LIST_MIN_WIDTH)
    : pane(s.detailHeight, Math.max(DETAIL_DEFAULT_HEIGHT, Math.round(mainHeight * 0.3)), DETAIL_MIN_HEIGHT, mainHeight - SPLITTER_PX - LIST_MIN_HEIGHT);

  // Whether the chart fits must not depend on whether a frame is selected, or the chart would come
  // and go with every click: count the detail pane as shown.
  const listHeight = placement === 'below' ? mainHeight - detail.size - SPLITTER_PX : mainHeight;
  const showChart = s.showChart ?? Math.floor((listHeight - CHART_PX - FRAME_HEAD_PX) / ROW_PX) >= CHART_MIN_ROWS;

  const listWidth = placement === 'beside' && input.detailShown ? width - detail.size - SPLITTER_PX : width;
  return { placement, showConnections, connections, showChart, detail, listWidth };
}
