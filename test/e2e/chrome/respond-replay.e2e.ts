/**
 * Chromium, real DevTools panel: issue 21. Respond rules answer the page in place of the server
 * (swallowing the frame, or forwarding it too), a reply that cannot be filled lets the frame go
 * on as if no rule matched and the rule's row counts it, and a rule answers a socket's opening.
 * A recording opened from a session file replays into a live socket of the page: at 2× faster
 * than recorded yet paced, one frame per Step, nothing after Stop, and a socket the server closes
 * ends the replay with a message while the panel lives on. The scenarios and the tests' list are
 * in test/support/respond-replay.ts (shared with Firefox).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, showWide } from '../../support/panel';
import { openRespondSockets, respondReplayTests, serveRespondReplay, startGate, watchPanelErrors, type Gate, type RespondReplaySuite } from '../../support/respond-replay';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let gate: Gate;
let chrome: ChromeSession;
let suite: RespondReplaySuite;

beforeAll(async () => {
  server = await startTestServer();
  serveRespondReplay(server);
  gate = await startGate();
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/rr`);
  const panel = await showPanel(devtools);
  await showWide(devtools, panel);
  suite = {
    server, page, panel, gate, uncaught: await watchPanelErrors(panel), exportLive: () => exportSession(panel, chrome.downloads),
    screenshot: async (path) => { await devtools.screenshot({ path: resolve(path) }); },
  };
  await openRespondSockets(suite);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
  await gate?.close();
});

respondReplayTests('Chromium', () => suite);
