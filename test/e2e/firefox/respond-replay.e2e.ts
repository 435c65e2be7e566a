/**
 * Firefox: issue 21, the same tests as in Chromium (their scenarios and list are in
 * test/support/respond-replay.ts), with the panel page opened as a tab of the test build.
 * Respond rules answer the page in place of the server, or beside it; a reply that cannot be
 * filled lets the frame go on and the rule's row counts it; a rule answers a socket's opening. A
 * recording opened from a session file replays into a live socket: at 2× faster than recorded
 * yet paced, one frame per Step, nothing after Stop, and a socket the server closes ends the
 * replay with a message while the panel lives on.
 */
import { afterAll, beforeAll } from 'vitest';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { showWide } from '../../support/panel';
import { openRespondSockets, respondReplayTests, serveRespondReplay, startGate, watchPanelErrors, type Gate, type RespondReplaySuite } from '../../support/respond-replay';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let gate: Gate;
let ff: FirefoxSession;
let suite: RespondReplaySuite;

beforeAll(async () => {
  server = await startTestServer();
  serveRespondReplay(server);
  gate = await startGate();
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/rr`);
  // The panel's tab opens in front, where its replay timers run at full rate (a background tab's
  // run at most once a second); the page needs no timer of its own to time what it receives.
  const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await showWide(panel, panel);
  suite = { server, page, panel, gate, uncaught: await watchPanelErrors(panel), exportLive: () => exportFromPanelTab(panel) };
  await openRespondSockets(suite);
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
  await gate?.close();
});

respondReplayTests('Firefox', () => suite);
