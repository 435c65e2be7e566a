/**
 * The toolbar's and the filter bar's controls: their estimated widths, which are primary (always
 * inline) and in which order the rest move into the overflow menu as the panel narrows.
 */
import { fitBar, textPx, type BarItem } from './fit-bar';

const GAP = 4;
const PAD = 8;
/** The "⋮" button: always in the toolbar (it also holds the layout choices). */
const MORE_PX = 24 + GAP;
/** "Filters ▾": in the filter bar only when something overflows. */
const FILTERS_PX = 70 + GAP;

export type ToolbarControl = 'export' | 'rules' | 'compose' | 'preserveLog' | 'timeMode' | 'sendStacks' | 'openSession';

export interface ToolbarContext {
  readOnly: boolean;
  /** "N rules on", shown while any rule is on. */
  rulesOn: number;
  /** The active session tab's label: the tab strip shrinks and scrolls, but keeps room for that one. */
  activeTab: string;
}

const tabPx = (label: string) => Math.min(textPx(label) + 20, 140);


export function toolbarInline(width: number, ctx: ToolbarContext): Set<ToolbarControl> {
  const live = !ctx.readOnly;
  // Record, Clear and a separator; the first tab; the rules badge; "⋮". An imported session's
  // notes are status text that shrinks.
  let fixed = PAD + MORE_PX + tabPx(ctx.activeTab) + GAP;
  if (live) fixed += 2 * (26 + GAP) + 1 + GAP;
  if (live && ctx.rulesOn > 0) fixed += textPx(`${ctx.rulesOn} rules on`) + 16 + GAP;
  if (!live) fixed += 120 + GAP;
  const items: (BarItem & { id: ToolbarControl })[] = [{ id: 'export', width: 62 + GAP, priority: 0 }];
  if (live) {
    items.push({ id: 'rules', width: 46 + GAP, priority: 1 }, { id: 'compose', width: 66 + GAP, priority: 2 }, { id: 'preserveLog', width: 88 + GAP, priority: 3 });
  }
  items.push({ id: 'timeMode', width: 116 + GAP, priority: 4 });
  if (live) items.push({ id: 'sendStacks', width: 22 + textPx('Record send stacks') + GAP, priority: 5 });
  items.push({ id: 'openSession', width: 94 + GAP, priority: 6 });
  return fitBar(width, fixed, items, 0) as Set<ToolbarControl>;
}

export type FilterControl = 'direction' | 'invert' | 'types' | 'heartbeats' | 'size';

export interface FilterContext {
  /** The counts text ("12 of 40 frames", and "3 heartbeats hidden ·" when shown): never moves. */
  counts: string;
}

/** The filter box's smallest useful width; it takes what the row has left. */
export const FILTER_BOX_MIN_PX = 140;

/** "Frames | Calls": always at the start of the filter row. */
const VIEW_TABS_PX = textPx('Frames') + textPx('Calls ⚠') + 2 * 14 + GAP;

export function filterInline(width: number, ctx: FilterContext): Set<FilterControl> {
  const fixed = PAD + VIEW_TABS_PX + FILTER_BOX_MIN_PX + GAP + textPx(ctx.counts) + GAP;
  const items: (BarItem & { id: FilterControl })[] = [
    { id: 'direction', width: 152 + GAP, priority: 0 },
    { id: 'invert', width: 56 + GAP, priority: 1 },
    { id: 'types', width: 146 + GAP, priority: 2 },
    { id: 'heartbeats', width: 104 + GAP, priority: 3 },
    { id: 'size', width: 200 + GAP, priority: 4 },
  ];
  return fitBar(width, fixed, items, FILTERS_PX) as Set<FilterControl>;
}
