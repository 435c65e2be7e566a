/** The one place that imports the WebExtension API: `browser` in Firefox, polyfilled over `chrome` in Chrome. */
import browser from 'webextension-polyfill';

export { browser };
export type { Runtime } from 'webextension-polyfill';
