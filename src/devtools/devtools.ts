/**
 * DevTools page: registers the panel, and tells it when DevTools was opened on the tab. This page
 * loads as DevTools opens, when the browser's network log for the tab starts too, so a socket
 * created before this moment has no handshake in that log (src/session/handshake.ts).
 */
import { browser } from '../platform/browser';
import type { DevtoolsOpenedHook } from '../panel/handshake/live-handshakes';

const openedAt = Date.now();

void browser.devtools.panels.create('WebSockets', '/icons/16.png', '/src/panel/panel.html').then((panel) => {
  panel.onShown.addListener((win) => {
    // The panel's window is ours (same extension origin); it may not have run its script yet.
    const w = win as Window & DevtoolsOpenedHook;
    w.sockscopeDevtoolsOpenedAt = openedAt;
    w.sockscopeOnDevtoolsOpened?.(openedAt);
  });
});
