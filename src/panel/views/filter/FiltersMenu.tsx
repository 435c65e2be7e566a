/**
 * "Filters ▾": the filter bar's controls that did not fit its row, as a menu. Its label counts
 * the ones in it that are set, so a narrow panel never hides that a filter is on. The size range
 * has two fields, which a menu cannot hold: its entry opens a small dialog.
 */
import { useState } from 'preact/hooks';
import type { FilterControl } from '../../layout/bars';
import type { FilterSpec } from '../../filter/filter-engine';
import type { Store } from '../../store';
import { Menu, useMenuButton, type MenuEntry } from '../common/Menu';
import { Popover } from '../common/Popover';
import { DIRECTIONS, SizeRange, sizeText, toggleType, TYPES } from './FilterControls';

function entries(store: Store, hidden: readonly FilterControl[], openSize: () => void): MenuEntry[] {
  const f = store.filter.value;
  const out: MenuEntry[] = [];
  const group = () => out.length > 0;
  for (const c of hidden) {
    if (c === 'invert') out.push({ label: 'Invert', kind: 'checkbox', checked: f.invert, group: group(), onSelect: () => store.setFilter({ invert: !f.invert }) });
    if (c === 'direction') {
      DIRECTIONS.forEach(([d, label], i) => out.push({ label: d === 'all' ? 'All directions' : label, kind: 'radio', checked: f.direction === d, group: i === 0 && group(), onSelect: () => store.setFilter({ direction: d }) }));
    }
    if (c === 'types') TYPES.forEach(([t, label], i) => out.push({ label, kind: 'checkbox', checked: f.types[t], group: i === 0 && group(), onSelect: toggleType(store, t) }));
    if (c === 'heartbeats') out.push({ label: 'Hide heartbeats', kind: 'checkbox', checked: f.hideHeartbeats, group: group(), onSelect: () => store.setFilter({ hideHeartbeats: !f.hideHeartbeats }) });
    if (c === 'size') out.push({ label: `Size: ${sizeText(f)}…`, group: group(), onSelect: openSize });
  }
  return out;
}

/** How many of these controls filter something now. */
function setCount(f: FilterSpec, hidden: readonly FilterControl[]): number {
  const on: Record<FilterControl, boolean> = {
    invert: f.invert, direction: f.direction !== 'all', types: !(f.types.text && f.types.binary && f.types.lifecycle),
    heartbeats: f.hideHeartbeats, size: f.minSize !== null || f.maxSize !== null,
  };
  return hidden.filter((c) => on[c]).length;
}

export function FiltersMenu({ store, hidden }: { store: Store; hidden: readonly FilterControl[] }) {
  const menu = useMenuButton();
  const [sizeOpen, setSizeOpen] = useState(false);
  const n = setCount(store.filter.value, hidden);
  return (
    <>
      <button type="button" class={`filters-more ${n ? 'active' : ''}`} {...menu.props}
        aria-label={n ? `More filters, ${n} set` : 'More filters'} title="Filters that do not fit this row">
        Filters{n ? ` (${n})` : ''} ▾
      </button>
      {menu.open && <Menu anchor={menu.anchor.current} label="More filters" entries={entries(store, hidden, () => setSizeOpen(true))} onClose={menu.close} />}
      {sizeOpen && (
        <Popover anchor={menu.anchor.current} role="dialog" label="Size range" class="size-dialog" onClose={() => setSizeOpen(false)}>
          <SizeRange store={store} />
          <button type="button" onClick={() => setSizeOpen(false)}>Done</button>
        </Popover>
      )}
    </>
  );
}
