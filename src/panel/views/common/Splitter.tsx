/**
 * A splitter between two panes, or at a column's edge: dragged with the mouse (pointer capture, so
 * the drag survives leaving the thin handle), moved with the arrow keys (Shift for big steps),
 * Home/End for the pane's smallest and largest sizes, and a double-click for its default.
 * The value is the size in px of the pane it controls; `grows` says on which side that pane is.
 */
import { useRef } from 'preact/hooks';

const STEP_PX = 10;
const BIG_STEP_PX = 50;

export interface SplitterProps {
  /** 'horizontal': a line between a pane above and one below; 'vertical': between left and right. */
  orientation: 'horizontal' | 'vertical';
  label: string;
  controls?: string;
  value: number;
  min: number;
  max: number;
  /** 'before': the controlled pane is above or left of the splitter; 'after': below or right. */
  pane: 'before' | 'after';
  /** Every move; `done` when the drag or key press is over and the size can be saved. */
  onChange(size: number, done: boolean): void;
  onReset(): void;
  class?: string;
}

export function Splitter(p: SplitterProps) {
  const drag = useRef<{ at: number; from: number } | null>(null);
  const horizontal = p.orientation === 'horizontal';
  const sign = p.pane === 'before' ? 1 : -1;
  const clamp = (v: number) => Math.round(Math.max(p.min, Math.min(p.max, v)));
  const pos = (e: PointerEvent) => (horizontal ? e.clientY : e.clientX);

  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? BIG_STEP_PX : STEP_PX;
    const [less, more] = horizontal ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
    let next: number | null = null;
    if (e.key === less) next = p.value - sign * step;
    else if (e.key === more) next = p.value + sign * step;
    else if (e.key === 'Home') next = p.min;
    else if (e.key === 'End') next = p.max;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    p.onChange(clamp(next), true);
  };

  return (
    <div class={`splitter ${horizontal ? 'horizontal' : 'vertical'} ${p.class ?? ''}`} role="separator" tabIndex={0}
      aria-orientation={p.orientation} aria-label={p.label} aria-controls={p.controls}
      aria-valuenow={Math.round(p.value)} aria-valuemin={Math.round(p.min)} aria-valuemax={Math.round(p.max)} aria-valuetext={`${Math.round(p.value)} px`}
      title={`${p.label}: drag, or focus and use the arrow keys; double-click for the default`}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        e.currentTarget.focus();
        drag.current = { at: pos(e), from: p.value };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d) p.onChange(clamp(d.from + sign * (pos(e) - d.at)), false);
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (d) p.onChange(clamp(d.from + sign * (pos(e) - d.at)), true);
      }}
      onPointerCancel={() => { drag.current = null; }}
      onDblClick={(e) => { e.stopPropagation(); p.onReset(); }}
      onClick={(e) => e.stopPropagation()} />
  );
}
