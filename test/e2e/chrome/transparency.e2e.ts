/**
 * Chromium: the patched WebSocket is indistinguishable from the native one. The same probe runs in
 * a browser without the extension and in one with it, and every observation must be equal.
 */
import puppeteer, { type Browser, type Frame } from 'puppeteer-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromePath } from '../../support/browsers';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, waitForCounts } from '../../support/panel';
import { setControl } from '../../support/panel-controls';
import { exportUntil, SEND_STACKS, waitForSendStacks } from '../../support/send-stacks';
import { startTestServer, type TestServer } from '../../support/test-server';
import { expectStackProbeInitiators, PROBE_SHARED, PROBE_WORKER, STACK_PROBE_STEPS, stackProbeSends, transparencyPage } from '../../support/transparency-page';
import type { SessionFileV1 } from '../../../src/session/session-format';

let server: TestServer;
let withExt: ChromeSession;
let plain: Browser;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/probe', transparencyPage());
  server.page('/probe-worker.js', PROBE_WORKER);
  server.page('/probe-shared.js', PROBE_SHARED);
  withExt = await launchChrome({ devtools: true });
  plain = await puppeteer.launch({
    executablePath: chromePath(), headless: true, pipe: true, userDataDir: mkdtempSync(join(tmpdir(), 'sockscope-plain-')),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await withExt?.close();
  await plain?.close();
  await server?.close();
});

type ProbeWindow = { runTransparencyProbe(base: string): Promise<Record<string, unknown>> };

test('every observable behaviour of WebSocket is the same with the extension as without it', async () => {
  const base = `ws://127.0.0.1:${new URL(server.origin).port}`;
  const plainPage = await plain.newPage();
  await plainPage.goto(`${server.origin}/probe`);
  const native = await plainPage.evaluate((b) => (window as unknown as ProbeWindow).runTransparencyProbe(b), base);

  const { page, devtools } = await newInspectedPage(withExt.browser);
  await page.goto(`${server.origin}/probe`);
  const patched = await page.evaluate((b) => (window as unknown as ProbeWindow).runTransparencyProbe(b), base);

  // Guard against a probe that observes nothing: a few values are known.
  expect(native.nameLength).toEqual(['WebSocket', 1, 'send', 1, 0]);
  expect((native.toString as unknown as string[])[0]).toBe('function WebSocket() { [native code] }');
  expect(native.listenerOrder).toEqual(['L1', 'on', 'L2 once', 'L3 signal', `L4 one true`, 'L1', 'on replaced', 'L4 two true']);
  expect(native.uncaught).toEqual(['Uncaught Error: listener boom', 'Uncaught Error: listener boom']);
  expect(native.workerStatics).toEqual(['Worker', 1, 'postMessage', 1, 0, 'SharedWorker', 1]);
  expect(native.workerTransfer).toBe(0);
  expect((native.sharedReply as unknown[])[0]).toMatchObject({ k: 1, got: 'shared', bufLength: 8, href: `${server.origin}/probe-shared.js`, name: 'probe', leaked: ['undefined', 'undefined'] });
  expect((native.sharedSubReply as unknown[])[0]).toMatchObject({ k: 2, got: 'sub', connect: ['connect', 'MessageEvent', null, '', '', 1, true, false, false] });
  expect(native.sharedMissing).toEqual(['error', 'Event', false, true]);
  expect(native.pageDispatched).toEqual([false, true, true, true, true, true]);
  expect((native.pageDispatchedEvents as unknown[][])[0]).toHaveLength(6 + 3); // onmessage and a listener for each message
  expect(native.workerMissing).toEqual(['error', 'Event', false, true]);
  expect((native.workerReply as unknown[])[0]).toMatchObject({ got: 'worker', bufLength: 8, href: `${server.origin}/probe-worker.js`, name: 'probe', leaked: ['undefined', 'undefined'] });
  for (const key of Object.keys(native)) {
    // Known, and in the README: this one message names the page's SharedWorker an EventTarget (see patch-shared-worker.ts).
    if (key === 'sharedCloneSelf') {
      expect(native[key]).toContain('DataCloneError');
      expect(patched[key]).toBe((native[key] as string).replace('SharedWorker object', 'EventTarget object'));
    }
    else expect(patched[key], key).toEqual(native[key]);
  }
  expect(Object.keys(patched).sort()).toEqual(Object.keys(native).sort());

  // …and the extension really was recording while the probe ran.
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 2, 18);
  const session = await exportSession(panel, withExt.downloads);
  const texts = session.frames.filter((f) => f.direction === 'sent' && f.type === 'text').map((f) => f.text);
  expect(texts).toEqual(['from subclass', 'one', 'two', '[custom]', '12.5', 'after the fakes']);
  // The probe's page-made events are recorded as that, never as frames the server sent.
  expect(session.dispatched?.map((d) => d.event)).toEqual(['message', 'message', 'message', 'open', 'close', 'error']);
  expect(session.frames.filter((f) => f.direction === 'received' && f.text === 'made up')).toEqual([]);
  // Binary from another realm (the probe's iframe) is recorded as binary, with its exact size.
  const binarySizes = session.frames.filter((f) => f.direction === 'sent' && f.type === 'binary').map((f) => f.size);
  // The last two were sent while the page hooked ArrayBuffer's species: captured all the same.
  expect(binarySizes).toEqual([5, 12, 2, 3, 4, 3, 2]);
  expect(session.connections.find((c) => c.close?.code === 4321)?.close).toEqual({ code: 4321, reason: 'probe done', wasClean: true, initiator: 'page' });
});

type StackProbeWindow = { runStackProbe(base: string): Promise<string[]> };

/** The stack probe in a fresh page of the browser without the extension: its log, the same every time. */
let nativeStackLog: Promise<string[]> | undefined;
function nativeStackProbe(): Promise<string[]> {
  return nativeStackLog ??= (async () => {
    const plainPage = await plain.newPage();
    await plainPage.goto(`${server.origin}/probe`);
    const log = await plainPage.evaluate((b) => (window as unknown as StackProbeWindow).runStackProbe(b), wsBase());
    await plainPage.close();
    return log;
  })();
}
const wsBase = () => `ws://127.0.0.1:${new URL(server.origin).port}`;

/**
 * The stack probe in a fresh page with the extension, and what the panel then exports. With
 * `sendStacks`, the panel is open with *Record send stacks* on, and the page's hook has it, before
 * the probe runs; without, the panel is shown only afterwards.
 */
async function extensionStackProbe(sendStacks: boolean): Promise<{ log: string[]; session: SessionFileV1 }> {
  const { page, devtools } = await newInspectedPage(withExt.browser);
  let panel: Frame | undefined;
  const exportNow = () => exportSession(panel!, withExt.downloads);
  if (sendStacks) {
    panel = await showPanel(devtools);
    await setControl(panel, SEND_STACKS, 'toolbar', true);
  }
  await page.goto(`${server.origin}/probe`);
  if (sendStacks) await waitForSendStacks(page, wsBase(), exportNow);
  const log = await page.evaluate((b) => (window as unknown as StackProbeWindow).runStackProbe(b), wsBase());
  panel ??= await showPanel(devtools);
  const { session } = await exportUntil(exportNow, (s) => stackProbeSends(s).at(-1), 'the stack probe\'s last send');
  await page.close();
  return { log, session };
}

test('taking the stack at new WebSocket runs and reveals nothing a page that customises Error can see', async () => {
  const native = await nativeStackProbe();
  const patched = await extensionStackProbe(false);
  // The probe observes what it should: the page's own stack ran its prepareStackTrace once.
  expect(native).toContain('prep calls after the page\'s own 1');
  expect(native).toContain('prep calls 1'); // the frozen step: the hook called none
  expect(patched.log).toEqual(native);

  // What the panel recorded for each step: a stack where it could take one unseen, else why not.
  expectStackProbeInitiators(patched.session.connections.map((c) => c.initiator), server.origin);
  // "Record send stacks" was off: no send took a stack.
  expect(stackProbeSends(patched.session).map((f) => f!.initiator)).toEqual(STACK_PROBE_STEPS.map(() => undefined));
});

test('with "Record send stacks" on, taking the stack at send() too runs and reveals nothing such a page can see', async () => {
  const native = await nativeStackProbe();
  const patched = await extensionStackProbe(true);
  expect(patched.log).toEqual(native);
  // The hook took (or refused) a stack at each step's send, as at its new WebSocket.
  expectStackProbeInitiators(stackProbeSends(patched.session).map((f) => f!.initiator), server.origin);
  expectStackProbeInitiators(patched.session.connections.filter((c) => c.url.endsWith('/echo')).map((c) => c.initiator), server.origin);
});
