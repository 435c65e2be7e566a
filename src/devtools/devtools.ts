/** DevTools page: only registers the panel. The panel page does the work once it is shown. */
import { browser } from '../platform/browser';

void browser.devtools.panels.create('WebSockets', '/icons/16.png', '/src/panel/panel.html');
