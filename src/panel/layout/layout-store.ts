/**
 * The panel's size and the user's layout choices, as signals shared by every session tab. A
 * splitter being dragged changes the settings on every move but saves them once, when let go.
 */
import { signal, type Signal } from '@preact/signals';
import { DEFAULT_LAYOUT, loadLayout, saveLayout, type LayoutSettings } from './layout-settings';

export interface PanelSize { width: number; height: number }

export interface LayoutStore {
  /** The panel's own size, measured on screen. */
  size: Signal<PanelSize>;
  settings: Signal<LayoutSettings>;
  /** Changes settings and saves them; `persist: false` while a drag is still going on. */
  set(patch: Partial<LayoutSettings>, persist?: boolean): void;
  save(): void;
  /** Every choice back to its default: splitters, folds, columns. */
  reset(): void;
}

export function createLayoutStore(storage: Storage | null, size: PanelSize = { width: 1280, height: 720 }): LayoutStore {
  const settings = signal(loadLayout(storage));
  const layout: LayoutStore = {
    size: signal(size),
    settings,
    set(patch, persist = true) {
      settings.value = { ...settings.value, ...patch };
      if (persist) layout.save();
    },
    save() { saveLayout(storage, settings.value); },
    reset() {
      settings.value = structuredClone(DEFAULT_LAYOUT);
      layout.save();
    },
  };
  return layout;
}
