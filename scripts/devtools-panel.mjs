// Chrome DevTools' own frontend, reached over the Chrome DevTools Protocol: how `npm start` and the
// e2e tests bring the WebSockets panel to the front. `ui/legacy/legacy.js` and `InspectorView`
// are DevTools internals, not a public API, and may change with Chromium: all of that is here.

/**
 * Script to evaluate in a DevTools window: waits for its frontend, then shows the extension's
 * panel; `undock` also undocks DevTools (a test then sizes the window as it likes). Resolves to
 * the id of the tab DevTools then shows (the panel's: `chrome-extension://<id>WebSockets`). A string, not a function: the caller's bundler would rewrite import().
 */
export function showPanelScript({ undock = false } = {}) {
  return `(async () => {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const UI = await import('./ui/legacy/legacy.js');
    let iv;
    for (let i = 0; i < 1200 && !(iv = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance()); i++) await sleep(50);
    let tab;
    for (let i = 0; i < 1200 && !(tab = iv.tabbedPane.tabIds().find((t) => t.startsWith('chrome-extension://'))); i++) await sleep(50);
    if (!tab) throw new Error('the WebSockets panel tab never appeared in DevTools');
    await iv.showPanel(tab);
    ${undock ? "try { UI.DockController.DockController.instance().setDockSide('undocked'); } catch {}" : ''}
    return iv.tabbedPane.selectedTabId;
  })()`;
}

/** The id Chromium gives an unpacked extension: from its absolute path, as Chromium computes it. */
export async function unpackedExtensionId(absolutePath) {
  const { createHash } = await import('node:crypto');
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * A DevTools preference for a fresh profile: the extension's panel first in DevTools' tab strip,
 * so it is in view (not behind the » overflow) when DevTools is docked to the side.
 */
export function panelFirstPreferences(extensionId, panelTitle) {
  return { devtools: { preferences: { 'panel-tab-order': JSON.stringify({ [`chrome-extension://${extensionId}${panelTitle}`]: 5 }) } } };
}
