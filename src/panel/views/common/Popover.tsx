/**
 * What menus and small dialogs open in: drawn over the panel (in <body>, so no clipping or faded
 * row can reach it), placed under its anchor and kept inside the panel (place-popover.ts), and
 * scrolled when taller than the panel. Focus moves into it; Escape closes it and puts focus back
 * on the anchor; a press outside closes it.
 */
import type { ComponentChildren } from 'preact';
import { createPortal } from 'preact/compat';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { placePopover, type Rect } from '../../layout/place-popover';

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select, textarea, [tabindex]:not([tabindex="-1"])';

export interface PopoverProps {
  anchor: HTMLElement | null;
  /** Opens at this point instead (a context menu opened with the mouse). */
  point?: { x: number; y: number } | null;
  align?: 'start' | 'end';
  role: 'menu' | 'dialog';
  label: string;
  class?: string;
  /** Escape, a press outside, or the caller's own choice: the caller unmounts it. */
  onClose(): void;
  onKeyDown?(e: KeyboardEvent): void;
  /** What takes focus on open (a selector inside); else the first focusable element. */
  initialFocus?: string;
  children: ComponentChildren;
}

export function Popover(p: PopoverProps) {
  const el = useRef<HTMLDivElement>(null);
  const close = useRef(p.onClose);
  close.current = p.onClose;

  // A layout effect, not a plain one: a key pressed at once (Escape) may close it before a plain
  // effect would have run, and then focus would not go back.
  useLayoutEffect(() => {
    // Held here: at unmount the ref may already be cleared and the box already out of the document.
    const box = el.current!;
    const place = () => {
      const a: Rect = p.point
        ? { left: p.point.x, right: p.point.x, top: p.point.y, bottom: p.point.y }
        : p.anchor?.getBoundingClientRect() ?? { left: 0, right: 0, top: 0, bottom: 0 };
      box.style.maxHeight = '';
      const at = placePopover(a, { width: box.offsetWidth, height: box.scrollHeight + 2 }, { width: innerWidth, height: innerHeight }, p.align ?? 'start');
      Object.assign(box.style, { left: `${at.left}px`, top: `${at.top}px`, maxHeight: `${at.maxHeight}px`, maxWidth: `${at.maxWidth}px`, visibility: 'visible' });
    };
    place();
    const ro = new ResizeObserver(place);
    ro.observe(box);
    addEventListener('resize', place);
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!box.contains(t) && !p.anchor?.contains(t)) close.current();
    };
    document.addEventListener('pointerdown', outside, true);
    (box.querySelector<HTMLElement>(p.initialFocus ?? FOCUSABLE) ?? box).focus();
    return () => {
      ro.disconnect();
      removeEventListener('resize', place);
      document.removeEventListener('pointerdown', outside, true);
      // Closed with focus inside (a choice made, Escape): focus goes back where it came from. The
      // focused item may still be reported as active after its removal, or focus may have fallen to <body>.
      const a = document.activeElement;
      if (p.anchor && (!a || a === document.body || box.contains(a))) p.anchor.focus();
    };
  }, []);

  return createPortal(
    <div ref={el} class={`popover ${p.class ?? ''}`} role={p.role} aria-label={p.label} tabIndex={-1}
      onKeyDown={(e) => {
        // Stopped here too: DevTools would take an Escape from the panel to toggle its drawer.
        if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); p.onClose(); return; }
        p.onKeyDown?.(e);
      }}>
      {p.children}
    </div>,
    document.body,
  );
}
