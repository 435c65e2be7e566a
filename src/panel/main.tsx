/**
 * Panel entry. The inspected tab comes from the DevTools API; in the Firefox test build, where
 * the toolbox cannot be driven, the panel page is opened as a tab with `?tabId=N` instead.
 */
import { render } from 'preact';
import { effect } from '@preact/signals';
import { browser } from '../platform/browser';
import { createStore } from './store';
import { extensionTransport } from './transport/extension-transport';
import { App } from './views/App';
import { createWorkspace } from './workspace';
import { liveHandshakes } from './handshake/live-handshakes';
import { createLayoutStore } from './layout/layout-store';
import { createLibraryStore } from './library/library-store';
import { extensionLibraryBackend } from './library/library-storage';
import './panel.css';
import './layout.css';

function inspectedTabId(): number {
  if (import.meta.env.MODE === 'e2e') {
    const q = new URLSearchParams(location.search).get('tabId');
    if (q !== null) return Number(q);
  }
  return browser.devtools.inspectedWindow.tabId;
}

/** localStorage can be switched off by the user's settings; the panel then works without persistence. */
function safeLocalStorage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

/** Follows the DevTools theme, at load and when the user switches it. */
function followTheme(): void {
  const apply = (name: string | undefined) => document.documentElement.classList.toggle('theme-dark', name === 'dark');
  const panels = browser.devtools?.panels as (typeof browser.devtools.panels & {
    onThemeChanged?: { addListener(cb: (name: string) => void): void };
  }) | undefined;
  apply(panels?.themeName);
  panels?.onThemeChanged?.addListener(apply);
  // Chrome's name for the same event.
  const chromePanels = (globalThis as { chrome?: { devtools?: { panels?: { setThemeChangeHandler?: (cb: (name: string) => void) => void } } } }).chrome?.devtools?.panels;
  chromePanels?.setThemeChangeHandler?.(apply);
}

followTheme();

const storage = safeLocalStorage();
const live = createStore(extensionTransport(inspectedTabId()), storage);
live.handshakes = liveHandshakes();
// Looking the connections up is what reads DevTools' network log for new ones.
effect(() => { live.revision.value; live.handshakes.lookup(live.model.connections); });
const ws = createWorkspace(live, storage);
const library = createLibraryStore(extensionLibraryBackend());
render(<App ws={ws} layout={createLayoutStore(storage, { width: innerWidth, height: innerHeight })} library={library} />, document.getElementById('app')!);
