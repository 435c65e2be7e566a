/**
 * Chromium: real client libraries (socket.io-client, graphql-ws, mqtt.js, reconnecting-websocket)
 * and plain WebSockets, against real servers, behave exactly the same with the extension as in a
 * browser without it; and the real DevTools panel captures every message the servers exchanged.
 * The scenarios and servers are in test/support/real-library-scenarios.ts (shared with Firefox).
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromePath } from '../../support/browsers';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, waitForCounts } from '../../support/panel';
import {
  captureByScenario, expectCompleteLog, frameCount, startScenarioServers, wireByScenario, type AppLog, type ScenarioServers,
} from '../../support/real-library-scenarios';

let plain: Browser;
let plainProfile: string;
let withExt: ChromeSession;
const servers: ScenarioServers[] = [];
let native: AppLog;

beforeAll(async () => {
  // The same Chromium, without the extension: the reference behaviour.
  plainProfile = mkdtempSync(join(tmpdir(), 'sockscope-plain-'));
  plain = await puppeteer.launch({
    executablePath: chromePath(), headless: true, pipe: true, userDataDir: plainProfile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  withExt = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await plain?.close();
  rmSync(plainProfile, { recursive: true, force: true });
  await withExt?.close();
  for (const s of servers) await s.close();
});

async function freshServers(): Promise<ScenarioServers> {
  const s = await startScenarioServers();
  servers.push(s);
  return s;
}

test('without the extension, every scenario runs to its end (the reference log)', async () => {
  const s = await freshServers();
  const t0 = Date.now();
  native = await s.runApp(await plain.newPage());
  console.log(`[measure] chromium without extension: scenarios ran in ${Date.now() - t0} ms, ${frameCount(s.wire())} messages on the wire`);
  expectCompleteLog(native);
});

test('with the extension and DevTools open, the apps observe exactly the same, and the panel captures every message whole', async () => {
  expect(native, 'the reference run').toBeDefined();
  const s = await freshServers();
  const { page, devtools } = await newInspectedPage(withExt.browser);
  const t0 = Date.now();
  const patched = await s.runApp(page);
  console.log(`[measure] chromium with extension: scenarios ran in ${Date.now() - t0} ms`);
  expect(patched).toEqual(native);

  // Every message any server exchanged, with the same payload, in the same order per connection and direction.
  const wire = s.wire();
  const panel = await showPanel(devtools);
  const t1 = Date.now();
  await waitForCounts(panel, wire.length, frameCount(wire), 60_000);
  console.log(`[measure] chromium: the panel showed all ${frameCount(wire)} frames ${Date.now() - t1} ms after it was shown`);
  const session = await exportSession(panel, withExt.downloads);
  expect(session.dropped).toEqual({ frames: 0, bytes: 0 });
  expect(captureByScenario(session, s.scenarioOf)).toEqual(wireByScenario(wire));
  expect(session.frames.length).toBe(frameCount(wire));
  // The refused handshake of the reconnecting client is a connection too, one no server saw.
  expect(session.connections.length).toBe(wire.length + 1);
});
