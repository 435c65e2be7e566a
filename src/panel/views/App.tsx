import { useState } from 'preact/hooks';
import type { Store } from '../store';
import { ConnectionTable } from './ConnectionTable';
import { DetailPane } from './detail/DetailPane';
import { FilterBar } from './FilterBar';
import { FrameTable } from './FrameTable';
import { StatusBar } from './StatusBar';
import { ThroughputChart } from './ThroughputChart';
import { Toolbar } from './Toolbar';

export function App({ store }: { store: Store }) {
  const [jump, setJump] = useState<{ at: number } | null>(null);
  return (
    <div class="app">
      <Toolbar store={store} />
      <ConnectionTable store={store} />
      <FilterBar store={store} />
      <div class="main">
        <div class="list">
          <ThroughputChart store={store} onJump={(at) => setJump({ at })} />
          <FrameTable store={store} jumpTo={jump} />
        </div>
        <DetailPane store={store} />
      </div>
      <StatusBar store={store} />
    </div>
  );
}
