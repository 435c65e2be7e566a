/**
 * Where the saved-message library lives: the extension's own storage.local (the "storage"
 * permission), never the inspected page's. It outlives DevTools and the panel, and every panel of
 * the browser profile shares it.
 */
import { browser } from '../../platform/browser';
import type { LibraryBackend } from './library-store';

const KEY = 'sockscope.library';

/** The backend, or null when this browser gives the panel no storage.local. */
export function extensionLibraryBackend(): LibraryBackend | null {
  let storage: typeof browser.storage | undefined;
  try {
    // Without the permission the API is simply absent; the panel must open all the same.
    storage = (browser as Partial<typeof browser>).storage;
  } catch { /* treated as absent */ }
  const area = storage?.local;
  if (!storage || !area) return null;
  return {
    load: async () => (await area.get(KEY))[KEY],
    save: (file) => area.set({ [KEY]: file }),
    onChange(listener) {
      storage.onChanged.addListener((changes, areaName) => {
        if (areaName === 'local' && KEY in changes) listener(changes[KEY]!.newValue);
      });
    },
  };
}
