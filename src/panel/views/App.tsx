import type { Store } from '../store';
import { ConnectionTable } from './ConnectionTable';
import { FrameTable } from './FrameTable';
import { Toolbar } from './Toolbar';

export function App({ store }: { store: Store }) {
  return (
    <div class="app">
      <Toolbar store={store} />
      <ConnectionTable store={store} />
      <FrameTable store={store} />
    </div>
  );
}
