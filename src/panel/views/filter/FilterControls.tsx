/** The filter bar's controls, each usable on the row or (the size range) in its own small dialog. */
import type { FilterSpec } from '../../filter/filter-engine';
import type { Store } from '../../store';

export const toggleType = (store: Store, key: keyof FilterSpec['types']) => () =>
  store.setFilter({ types: { ...store.filter.value.types, [key]: !store.filter.value.types[key] } });

const sizeValue = (v: string): number | null => (v.trim() === '' || !Number.isFinite(Number(v)) ? null : Math.max(0, Number(v)));

export const DIRECTIONS = [['all', 'All'], ['sent', '↑ Sent'], ['received', '↓ Received']] as const;
export const TYPES = [['text', 'Text'], ['binary', 'Binary'], ['lifecycle', 'Lifecycle']] as const;

export function Invert({ store }: { store: Store }) {
  return (
    <label title="Show what does not match">
      <input type="checkbox" checked={store.filter.value.invert} onChange={(e) => store.setFilter({ invert: e.currentTarget.checked })} /> Invert
    </label>
  );
}

export function Direction({ store }: { store: Store }) {
  return (
    <div class="segmented" role="group" aria-label="Direction">
      {DIRECTIONS.map(([d, label]) => (
        <button type="button" key={d} aria-pressed={store.filter.value.direction === d} onClick={() => store.setFilter({ direction: d })}>{label}</button>
      ))}
    </div>
  );
}

export function Types({ store }: { store: Store }) {
  return (
    <div class="segmented" role="group" aria-label="Type">
      {TYPES.map(([t, label]) => <button type="button" key={t} aria-pressed={store.filter.value.types[t]} onClick={toggleType(store, t)}>{label}</button>)}
    </div>
  );
}

export function SizeRange({ store }: { store: Store }) {
  const f = store.filter.value;
  return (
    <label class="size-range">Size
      <input type="number" min={0} aria-label="Minimum size in bytes" placeholder="min" value={f.minSize ?? ''}
        onChange={(e) => store.setFilter({ minSize: sizeValue(e.currentTarget.value) })} />
      –
      <input type="number" min={0} aria-label="Maximum size in bytes" placeholder="max" value={f.maxSize ?? ''}
        onChange={(e) => store.setFilter({ maxSize: sizeValue(e.currentTarget.value) })} />
      B
    </label>
  );
}

export function Heartbeats({ store }: { store: Store }) {
  return (
    <label title="Hide pings, pongs and heart-beats of the decoded protocols">
      <input type="checkbox" checked={store.filter.value.hideHeartbeats} onChange={(e) => store.setFilter({ hideHeartbeats: e.currentTarget.checked })} /> Hide heartbeats
    </label>
  );
}

export const sizeText = (f: FilterSpec) => (f.minSize === null && f.maxSize === null ? 'any' : `${f.minSize ?? 0}–${f.maxSize ?? '∞'} B`);
