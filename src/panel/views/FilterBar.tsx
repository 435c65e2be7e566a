import type { Store } from '../store';
import type { FilterSpec } from '../filter/filter-engine';

const toggle = (store: Store, key: keyof FilterSpec['types']) => () =>
  store.setFilter({ types: { ...store.filter.value.types, [key]: !store.filter.value.types[key] } });

const sizeValue = (v: string): number | null => (v.trim() === '' || !Number.isFinite(Number(v)) ? null : Math.max(0, Number(v)));

export function FilterBar({ store }: { store: Store }) {
  store.revision.value;
  const f = store.filter.value;
  const error = store.filterError.value;
  const total = store.model.frameCount;
  return (
    <div class="filterbar" role="search" aria-label="Filter frames">
      <input type="search" class={`filter-text ${error ? 'invalid' : ''}`} aria-label="Filter" placeholder="Filter: text, /regex/flags or event:name"
        title="Text or /regex/flags over payloads; or decoded fields: event:chat:message topic:sensors/# op:OnPrice protocol:mqtt (README: Filter)"
        aria-invalid={error !== null} aria-describedby={error ? 'filter-error' : undefined}
        value={f.text} onInput={(e) => store.setFilter({ text: e.currentTarget.value })} spellcheck={false} />
      <label title="Show what does not match">
        <input type="checkbox" checked={f.invert} onChange={(e) => store.setFilter({ invert: e.currentTarget.checked })} /> Invert
      </label>
      <div class="segmented" role="group" aria-label="Direction">
        {(['all', 'sent', 'received'] as const).map((d) => (
          <button type="button" key={d} aria-pressed={f.direction === d} onClick={() => store.setFilter({ direction: d })}>
            {d === 'all' ? 'All' : d === 'sent' ? '↑ Sent' : '↓ Received'}
          </button>
        ))}
      </div>
      <div class="segmented" role="group" aria-label="Type">
        <button type="button" aria-pressed={f.types.text} onClick={toggle(store, 'text')}>Text</button>
        <button type="button" aria-pressed={f.types.binary} onClick={toggle(store, 'binary')}>Binary</button>
        <button type="button" aria-pressed={f.types.lifecycle} onClick={toggle(store, 'lifecycle')}>Lifecycle</button>
      </div>
      <label class="size-range">Size
        <input type="number" min={0} aria-label="Minimum size in bytes" placeholder="min" value={f.minSize ?? ''}
          onChange={(e) => store.setFilter({ minSize: sizeValue(e.currentTarget.value) })} />
        –
        <input type="number" min={0} aria-label="Maximum size in bytes" placeholder="max" value={f.maxSize ?? ''}
          onChange={(e) => store.setFilter({ maxSize: sizeValue(e.currentTarget.value) })} />
        B
      </label>
      <label title="Hide pings, pongs and heart-beats of the decoded protocols">
        <input type="checkbox" checked={f.hideHeartbeats} onChange={(e) => store.setFilter({ hideHeartbeats: e.currentTarget.checked })} /> Hide heartbeats
      </label>
      <span class="spacer" />
      {f.hideHeartbeats && <span class="counts" data-testid="heartbeats-hidden">{store.view.heartbeatsHidden} heartbeat{store.view.heartbeatsHidden === 1 ? '' : 's'} hidden ·</span>}
      <span class="counts" data-testid="counts" aria-live="polite">{store.view.frameMatches} of {total} frames</span>
      {error && <span id="filter-error" class="filter-error" role="alert">{error} (showing the last valid filter)</span>}
    </div>
  );
}
