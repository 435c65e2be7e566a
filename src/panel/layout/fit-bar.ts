/**
 * Which of a one-row bar's controls stay inline and which go to its overflow menu, as DevTools'
 * own toolbars do. Pure: widths are estimates (see bars.ts), so the result is the same on every
 * machine and unit-testable; the bar's flexible parts (the filter box, the session tabs, status
 * text) shrink to absorb what an estimate misses.
 */

export interface BarItem {
  id: string;
  /** Estimated width in px, gap included. */
  width: number;
  /** Lower keeps its place longer. Items go to the menu in order, never skipping one. */
  priority: number;
}

/**
 * `fixed` is what is always inline (gaps included). `menu` is the width of the overflow button,
 * counted only when something overflows (0 when the button is always there and counted in fixed).
 */
export function fitBar(available: number, fixed: number, items: readonly BarItem[], menu: number): Set<string> {
  const ordered = [...items].sort((a, b) => a.priority - b.priority);
  const all = ordered.reduce((sum, i) => sum + i.width, fixed);
  if (all <= available) return new Set(ordered.map((i) => i.id));
  const inline = new Set<string>();
  let used = fixed + menu;
  for (const item of ordered) {
    if (used + item.width > available) break;
    used += item.width;
    inline.add(item.id);
  }
  return inline;
}

/** A text's width at the panel's 12 px UI font, rounded up generously (DejaVu Sans is ~5.3 px a character). */
export const textPx = (text: string): number => Math.ceil(text.length * 6.2);
