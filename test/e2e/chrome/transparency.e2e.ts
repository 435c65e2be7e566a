/**
 * Chromium: the patched WebSocket is indistinguishable from the native one. The same probe runs in
 * a browser without the extension and in one with it, and every observation must be equal.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromePath } from '../../support/browsers';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { PROBE_SHARED, PROBE_WORKER, transparencyPage } from '../../support/transparency-page';

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

test('taking the stack at new WebSocket runs and reveals nothing a page that customises Error can see', async () => {
  const base = `ws://127.0.0.1:${new URL(server.origin).port}`;
  const plainPage = await plain.newPage();
  await plainPage.goto(`${server.origin}/probe`);
  const native = await plainPage.evaluate((b) => (window as unknown as StackProbeWindow).runStackProbe(b), base);

  const { page, devtools } = await newInspectedPage(withExt.browser);
  await page.goto(`${server.origin}/probe`);
  const patched = await page.evaluate((b) => (window as unknown as StackProbeWindow).runStackProbe(b), base);
  // The probe observes what it should: the page's own stack ran its prepareStackTrace once.
  expect(native).toContain('prep calls after the page\'s own 1');
  expect(native).toContain('prep calls 1'); // the frozen step: the hook called none
  expect(patched).toEqual(native);

  // What the panel recorded for each step: a stack where it could take one unseen, else why not.
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 5, 10);
  const session = await exportSession(panel, withExt.downloads);
  const initiators = session.connections.map((c) => c.initiator);
  expect(initiators[0]!.stack[0]).toMatchObject({ fn: 'stackProbeConnect', url: `${server.origin}/probe` });
  expect(initiators[1]).toEqual({ stack: [], note: 'stack not recorded: the page made Error.stackTraceLimit an accessor' });
  expect(initiators[2]).toEqual({ stack: [], note: 'stack not recorded: the page made Error.prepareStackTrace an accessor' });
  expect(initiators[3]!.stack[0]).toMatchObject({ fn: 'stackProbeConnect', url: `${server.origin}/probe` });
  expect(initiators[4]).toEqual({ stack: [], note: 'stack not recorded: the page fixed Error.prepareStackTrace to a function (frozen)' });
  await page.close();
});
