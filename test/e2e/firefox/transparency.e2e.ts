/**
 * Firefox: the same transparency probe as in Chromium; every observation must equal a Firefox
 * without the extension.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { startTestServer, type TestServer } from '../../support/test-server';
import { setPanelFilter } from '../../support/panel';
import { setControl } from '../../support/panel-controls';
import { exportUntil, SEND_STACKS, waitForSendStacks } from '../../support/send-stacks';
import { expectStackProbeInitiators, PROBE_SHARED, PROBE_WORKER, STACK_PROBE_STEPS, stackProbeSends, transparencyPage } from '../../support/transparency-page';

let server: TestServer;
const sessions: FirefoxSession[] = [];

beforeAll(async () => {
  server = await startTestServer();
  server.page('/probe', transparencyPage());
  server.page('/probe-worker.js', PROBE_WORKER);
  server.page('/probe-shared.js', PROBE_SHARED);
  server.page('/blank', '<!doctype html><title>blank</title>');
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await server?.close();
});

type ProbeWindow = { runTransparencyProbe(base: string): Promise<Record<string, unknown>> };

async function probe(extension?: string): Promise<Record<string, unknown>> {
  const ff = await launchFirefox(extension ? { extension } : {});
  sessions.push(ff);
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/probe`);
  const result = await page.evaluate((b) => (window as unknown as ProbeWindow).runTransparencyProbe(b), `ws://127.0.0.1:${new URL(server.origin).port}`);
  if (extension) {
    // The extension was really recording while the probe ran: its panel shows the probe's frames.
    const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
    await panel.waitForFunction(() => document.body.innerText.includes('4321 Application: probe done'), { timeout: 60_000 });
    await setPanelFilter(panel, 'from subclass');
    // Sent by the probe and echoed back: two frames.
    await panel.waitForFunction(() => /^2 of \d+ frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 60_000 });
  }
  await ff.close();
  return result;
}

test('every observable behaviour of WebSocket is the same with the extension as without it', async () => {
  const native = await probe();
  const patched = await probe(FIREFOX_E2E_DIST);
  expect(native.nameLength).toEqual(['WebSocket', 1, 'send', 1, 0]);
  expect((native.listenerOrder as string[]).length).toBe(8);
  expect((native.sharedSubReply as unknown[])[0]).toMatchObject({ k: 2, got: 'sub', href: `${server.origin}/probe-shared.js`, name: 'probe' });
  expect(native.sharedMissing).toEqual(['error', 'Event', false, false]);
  expect(native.workerMissing).toEqual(['error', 'Event', false, false]);
  expect(native.pageDispatched).toEqual([false, true, true, true, true, true]);
  for (const key of Object.keys(native)) {
    // Known, and in the README: this one message names the page's SharedWorker an EventTarget (see patch-shared-worker.ts).
    if (key === 'sharedCloneSelf') {
      expect(native[key]).toContain('DataCloneError');
      expect(patched[key]).toBe((native[key] as string).replace('SharedWorker object', 'EventTarget object'));
    }
    else expect(patched[key], key).toEqual(native[key]);
  }
  expect(Object.keys(patched).sort()).toEqual(Object.keys(native).sort());
});

type StackProbeWindow = { runStackProbe(base: string): Promise<string[]> };
const wsBase = () => `ws://127.0.0.1:${new URL(server.origin).port}`;

/**
 * The stack probe in a fresh page; with the extension, also what its panel exported. With
 * `sendStacks`, the panel is open with *Record send stacks* on, and the page's hook has it,
 * before the probe runs; without, the panel opens afterwards.
 */
async function stackProbe(extension?: string, sendStacks = false): Promise<{ log: string[]; session?: SessionFileV1 }> {
  const ff = await launchFirefox(extension ? { extension } : {});
  sessions.push(ff);
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/probe`);
  let panel: Page | undefined;
  const openPanel = async () => openPanelTab(ff.browser, server.origin, await relayTabId(page));
  const exportNow = () => exportFromPanelTab(panel!);
  if (sendStacks) {
    panel = await openPanel();
    await setControl(panel, SEND_STACKS, 'toolbar', true);
    await waitForSendStacks(page, wsBase(), exportNow);
  }
  const log = await page.evaluate((b) => (window as unknown as StackProbeWindow).runStackProbe(b), wsBase());
  let session: SessionFileV1 | undefined;
  if (extension) {
    panel ??= await openPanel();
    ({ session } = await exportUntil(exportNow, (s) => stackProbeSends(s).at(-1), 'the stack probe\'s last send'));
  }
  await ff.close();
  return { log, session };
}

/** The stack probe's log in a Firefox without the extension: the same every time. */
let nativeStackLog: Promise<string[]> | undefined;
const nativeStackProbe = () => nativeStackLog ??= stackProbe().then((r) => r.log);

test('taking the stack at new WebSocket runs and reveals nothing a page that customises Error can see', async () => {
  const native = await nativeStackProbe();
  const patched = await stackProbe(FIREFOX_E2E_DIST);
  expect(native[0]).toBe('prep-data: opened 1');
  expect(patched.log).toEqual(native);
  // The initiator, with its file and line, where a stack could be taken unseen; else why not.
  // (SpiderMonkey never calls Error.prepareStackTrace, but the hook refuses the same pages in both
  // browsers: one rule, whatever the engine.)
  expectStackProbeInitiators(patched.session!.connections.map((c) => c.initiator), server.origin);
  // "Record send stacks" was off: no send took a stack.
  expect(stackProbeSends(patched.session!).map((f) => f!.initiator)).toEqual(STACK_PROBE_STEPS.map(() => undefined));
});

test('with "Record send stacks" on, taking the stack at send() too runs and reveals nothing such a page can see', async () => {
  const native = await nativeStackProbe();
  const patched = await stackProbe(FIREFOX_E2E_DIST, true);
  expect(patched.log).toEqual(native);
  // The hook took (or refused) a stack at each step's send, as at its new WebSocket.
  expectStackProbeInitiators(stackProbeSends(patched.session!).map((f) => f!.initiator), server.origin);
  expectStackProbeInitiators(patched.session!.connections.filter((c) => c.url.endsWith('/echo')).map((c) => c.initiator), server.origin);
});
