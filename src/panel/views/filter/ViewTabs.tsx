/**
 * Frames or Calls: the two views of a session's traffic, at the start of the filter row (the
 * filter's `call:` terms are how the Calls view hands a call to the frames).
 */
import type { Store } from '../../store';

export function ViewTabs({ store }: { store: Store }) {
  const v = store.mainView.value;
  const problems = store.model.pairing.counts.untracked > 0;
  return (
    <div class="segmented view-tabs" role="tablist" aria-label="Views">
      <button type="button" role="tab" aria-selected={v === 'frames'} onClick={() => { store.mainView.value = 'frames'; }}>Frames</button>
      <button type="button" role="tab" aria-selected={v === 'calls'} aria-label="Calls" title={problems ? 'Requests and their replies (some no longer tracked: see the counts below the table)' : 'Requests and their replies: latency per call'}
        onClick={() => { store.mainView.value = 'calls'; }}>Calls{problems ? ' ⚠' : ''}</button>
    </div>
  );
}
