/**
 * The panel's state as signals over the pure CaptureModel. Batches can arrive hundreds of times a
 * second; they are applied at once but the views re-render at most every RENDER_INTERVAL_MS (a timer, not requestAnimationFrame, which stops while the panel is hidden).
 */
import { signal, type Signal } from '@preact/signals';
import { PANEL_MAX_BYTES, PANEL_MAX_FRAMES } from '../protocol/limits';
import { CaptureModel } from './model/capture-model';
import type { PanelBatch, PanelTransport, TransportStatus } from './transport/panel-transport';

const RENDER_INTERVAL_MS = 33;

export interface Store {
  model: CaptureModel;
  /** Bumped when the model changed; views read it to subscribe. */
  revision: Signal<number>;
  status: Signal<TransportStatus>;
  selectedConnection: Signal<string | null>;
}

export function createStore(transport: PanelTransport): Store {
  const model = new CaptureModel({ maxFrames: PANEL_MAX_FRAMES, maxBytes: PANEL_MAX_BYTES });
  const store: Store = {
    model,
    revision: signal(0),
    status: signal<TransportStatus>('connecting'),
    selectedConnection: signal<string | null>(null),
  };
  let scheduled = false;
  const bump = () => {
    scheduled = false;
    store.revision.value++;
  };
  transport.start(
    (b: PanelBatch) => {
      if (model.ingest(b) && !scheduled) {
        scheduled = true;
        setTimeout(bump, RENDER_INTERVAL_MS);
      }
    },
    (s) => { store.status.value = s; },
  );
  return store;
}
