/**
 * Where a menu or a small dialog opens: under its anchor (or at the pointer), aligned to the
 * anchor's start or end, and always inside the panel. When it does not fit under the anchor it
 * moves up; when it is taller than the panel it gets the panel's height and scrolls.
 */

export interface Rect { left: number; top: number; right: number; bottom: number }
export interface Placement { left: number; top: number; maxHeight: number; maxWidth: number }

const MARGIN = 4;

export function placePopover(anchor: Rect, size: { width: number; height: number }, viewport: { width: number; height: number }, align: 'start' | 'end'): Placement {
  const maxWidth = Math.max(0, viewport.width - 2 * MARGIN);
  const maxHeight = Math.max(0, viewport.height - 2 * MARGIN);
  const width = Math.min(size.width, maxWidth);
  const height = Math.min(size.height, maxHeight);
  const wantLeft = align === 'end' ? anchor.right - width : anchor.left;
  const left = Math.max(MARGIN, Math.min(wantLeft, viewport.width - MARGIN - width));
  const below = anchor.bottom + 2;
  // Under the anchor if it fits there; else above it if it fits there; else as low as it fits.
  const top = below + height <= viewport.height - MARGIN ? below
    : anchor.top - 2 - height >= MARGIN ? anchor.top - 2 - height
      : Math.max(MARGIN, viewport.height - MARGIN - height);
  return { left, top, maxHeight, maxWidth };
}
