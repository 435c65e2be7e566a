/**
 * The filter bar: one row at every width. The filter box and the counts always stay; the other
 * controls move into "Filters ▾" in the order bars.ts gives, as the panel narrows.
 */
import type { Store } from '../store';
import { filterInline, type FilterControl } from '../layout/bars';
import type { LayoutStore } from '../layout/layout-store';
import { Direction, Heartbeats, Invert, SizeRange, Types } from './filter/FilterControls';
import { FiltersMenu } from './filter/FiltersMenu';
import { ViewTabs } from './filter/ViewTabs';

const ROW_ORDER: readonly FilterControl[] = ['invert', 'direction', 'types', 'size', 'heartbeats'];
const CONTROLS = { invert: Invert, direction: Direction, types: Types, size: SizeRange, heartbeats: Heartbeats };

export function FilterBar({ store, layout }: { store: Store; layout: LayoutStore }) {
  store.revision.value;
  const f = store.filter.value;
  const error = store.filterError.value;
  const total = store.model.frameCount;
  const hidden = store.view.heartbeatsHidden;
  const heartbeats = f.hideHeartbeats ? `${hidden} heartbeat${hidden === 1 ? '' : 's'} hidden ·` : '';
  const counts = `${store.view.frameMatches} of ${total} frames`;
  const inline = filterInline(layout.size.value.width, { counts: `${heartbeats} ${counts}` });
  const overflow = ROW_ORDER.filter((c) => !inline.has(c));
  return (
    <div class="filterbar" role="search" aria-label="Filter frames">
      <ViewTabs store={store} />
      <input type="search" class={`filter-text ${error ? 'invalid' : ''}`} aria-label="Filter" placeholder="Filter: text, /regex/flags or event:name"
        title="Text or /regex/flags over payloads; or decoded fields: event:chat:message topic:sensors/# op:OnPrice protocol:mqtt; or pairing: latency:>500ms unanswered paired:no call:getUser; or send stacks: sentby:sendOrder sentby:app.js:8 (README: Filter)"
        aria-invalid={error !== null} aria-describedby={error ? 'filter-error' : undefined}
        value={f.text} onInput={(e) => store.setFilter({ text: e.currentTarget.value })} spellcheck={false} />
      {error && <span id="filter-error" class="filter-error shrink" role="alert" title={error}>{error} (showing the last valid filter)</span>}
      {ROW_ORDER.filter((c) => inline.has(c)).map((c) => {
        const Control = CONTROLS[c];
        return <Control key={c} store={store} />;
      })}
      {overflow.length > 0 && <FiltersMenu store={store} hidden={overflow} />}
      <span class="spacer" />
      {heartbeats && <span class="counts" data-testid="heartbeats-hidden">{heartbeats}</span>}
      <span class="counts" data-testid="counts" aria-live="polite">{counts}</span>
    </div>
  );
}
