/**
 * A real menu: role=menu with menuitem, menuitemcheckbox and menuitemradio entries; ↑/↓, Home and
 * End move between them, Enter or Space picks one, Escape or Tab closes it, and focus goes back to
 * the button that opened it. `useMenuButton` wires a button to it (↓ opens it too, as in DevTools).
 */
import { useRef, useState } from 'preact/hooks';
import { Popover } from './Popover';

export interface MenuEntry {
  label: string;
  kind?: 'item' | 'checkbox' | 'radio';
  checked?: boolean;
  disabled?: boolean;
  /** Draws a line above this entry. */
  group?: boolean;
  title?: string;
  onSelect(): void;
}

export interface MenuProps {
  anchor: HTMLElement | null;
  point?: { x: number; y: number } | null;
  align?: 'start' | 'end';
  label: string;
  entries: readonly MenuEntry[];
  onClose(): void;
}

const ROLES = { item: 'menuitem', checkbox: 'menuitemcheckbox', radio: 'menuitemradio' } as const;

export function Menu(p: MenuProps) {
  const move = (e: KeyboardEvent) => {
    const items = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role^=menuitem]:not(:disabled)')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (e.key === 'Tab') { p.onClose(); return; }
    if (to === undefined || items.length === 0) return;
    e.preventDefault();
    items[(to + items.length) % items.length]!.focus();
  };
  return (
    <Popover anchor={p.anchor} point={p.point} align={p.align} role="menu" label={p.label} class="menu" onClose={p.onClose} onKeyDown={move}
      initialFocus="[role^=menuitem]:not(:disabled)">
      {p.entries.map((m) => {
        const kind = m.kind ?? 'item';
        return (
          <button type="button" key={m.label} role={ROLES[kind]} tabIndex={-1} disabled={m.disabled} title={m.title}
            class={`menu-item ${m.group ? 'group' : ''}`} aria-checked={kind === 'item' ? undefined : m.checked === true}
            onClick={() => { p.onClose(); m.onSelect(); }}>
            <span class="check" aria-hidden="true" />{m.label}
          </button>
        );
      })}
    </Popover>
  );
}

/** A button that opens a menu: its props, the open state and the button element to anchor on. */
export function useMenuButton() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLButtonElement>(null);
  const props = {
    ref,
    'aria-haspopup': 'menu' as const,
    'aria-expanded': open,
    onClick: (e: MouseEvent) => { e.stopPropagation(); setOpen(!open); },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown') { e.preventDefault(); e.stopPropagation(); setOpen(true); }
    },
  };
  return { open, close: () => setOpen(false), anchor: ref, props };
}
