/**
 * Firefox: real client libraries (socket.io-client, graphql-ws, mqtt.js, reconnecting-websocket)
 * and plain WebSockets, against real servers, behave exactly the same with the extension as in a
 * Firefox without it; and the panel captures every message the servers exchanged. The scenarios
 * and servers are in test/support/real-library-scenarios.ts (shared with Chromium).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, expect, test } from 'vitest';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { waitForCounts } from '../../support/panel';
import {
  captureByScenario, expectCompleteLog, frameCount, startScenarioServers, wireByScenario, type AppLog, type ScenarioServers,
} from '../../support/real-library-scenarios';
import type { SessionFileV1 } from '../../../src/session/session-format';

const sessions: FirefoxSession[] = [];
const servers: ScenarioServers[] = [];
let native: AppLog;

afterAll(async () => {
  for (const s of sessions) await s.close();
  for (const s of servers) await s.close();
});

async function fresh(extension?: string): Promise<{ ff: FirefoxSession; s: ScenarioServers }> {
  const ff = await launchFirefox(extension ? { extension } : {});
  sessions.push(ff);
  const s = await startScenarioServers();
  servers.push(s);
  return { ff, s };
}

test('Firefox without the extension: every scenario runs to its end (the reference log)', async () => {
  const { ff, s } = await fresh();
  const t0 = Date.now();
  native = await s.runApp(await ff.browser.newPage());
  console.log(`[measure] firefox without extension: scenarios ran in ${Date.now() - t0} ms, ${frameCount(s.wire())} messages on the wire`);
  await ff.close();
  expectCompleteLog(native);
});

test('Firefox with the extension: the apps observe exactly the same, and the panel captures every message whole', async () => {
  expect(native, 'the reference run').toBeDefined();
  const { ff, s } = await fresh(FIREFOX_E2E_DIST);
  const page = await ff.browser.newPage();
  const t0 = Date.now();
  const patched = await s.runApp(page);
  console.log(`[measure] firefox with extension: scenarios ran in ${Date.now() - t0} ms`);
  expect(patched).toEqual(native);

  const wire = s.wire();
  const panel = await openPanelTab(ff.browser, s.origin, await relayTabId(page));
  const t1 = Date.now();
  await waitForCounts(panel.mainFrame(), wire.length, frameCount(wire), 60_000);
  console.log(`[measure] firefox: the panel showed all ${frameCount(wire)} frames ${Date.now() - t1} ms after it opened`);
  const session = await exportFromPanelTab(panel);
  expect(session.dropped).toEqual({ frames: 0, bytes: 0 });
  expect(captureByScenario(session, s.scenarioOf)).toEqual(wireByScenario(wire));
  expect(session.frames.length).toBe(frameCount(wire));
  // The refused handshake of the reconnecting client is a connection too, one no server saw.
  expect(session.connections.length).toBe(wire.length + 1);
});
