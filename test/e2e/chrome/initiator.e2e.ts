/**
 * Chromium, the real DevTools panel: each socket's initiator (issue 22). A page's app.js opens a
 * socket in connectFeed() at a known line; the connection list's Initiator column names it, the
 * connecting row's details show the whole stack, and a click on a frame opens app.js at that line
 * in DevTools' own Sources panel (checked in the DevTools frontend's UI, not in ours).
 * A socket a dedicated worker opens names the worker's own script and line the same way.
 * *Record send stacks* (off by default): once on, each sent frame names the send() in sendOrder,
 * with the same link to Sources, and `sentby:` filters by it; the panel remembers the setting, and
 * turned off, sends take none.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, openDevTools, showPanel, type ChromeSession } from '../../support/chrome';
import { clickButton, exportSession, setPanelFilter, waitForCounts } from '../../support/panel';
import { controlChecked, setControl } from '../../support/panel-controls';
import { APP_JS, CALL_LINE, CONNECT_LINE, connectingRowStack, orderOf, SEND_LATER_LINE, SEND_LINE, sendLater, WORKER_CALL_LINE, WORKER_CONNECT_LINE, WORKER_JS } from '../../support/initiator-page';
import { lastOfMore, lastSentBy, SEND_STACKS, sendUntilExported } from '../../support/send-stacks';
import type { SessionFrame } from '../../../src/session/session-format';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/app.js', APP_JS, { 'content-type': 'text/javascript' });
  server.page('/initiator', '<!doctype html><title>initiator</title><script src="/app.js"></script>');
  server.page('/feed-worker.js', WORKER_JS, { 'content-type': 'text/javascript' });
  server.page('/initiator-worker', '<!doctype html><title>initiator in a worker</title><script>new Worker("/feed-worker.js");</script>');
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

/** What DevTools' own frontend shows: the selected main panel, and the Sources editor's file and cursor line. */
async function devtoolsState(devtools: Page): Promise<{ panel: string | null; file: string | null; line: string | null }> {
  return devtools.evaluate(() => {
    const all = (root: Document | ShadowRoot, sel: string): Element[] => {
      const out = [...root.querySelectorAll(sel)];
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...all(el.shadowRoot, sel));
      return out;
    };
    const mainTab = all(document, '.tabbed-pane-header-tab.selected').find((t) => t.id.startsWith('tab-'));
    const editorTab = all(document, '.tabbed-pane-header-tab.selected').find((t) => (t.textContent ?? '').includes('.js'));
    // The editor's revealed line: CodeMirror marks it; app.js is short, so every line is rendered from line 1.
    const lines = all(document, '.cm-content .cm-line');
    const at = lines.findIndex((l) => l.classList.contains('cm-highlightedLine') || l.classList.contains('cm-activeLine'));
    return { panel: mainTab?.id ?? null, file: editorTab?.textContent?.trim() ?? null, line: at >= 0 ? String(at + 1) : null };
  });
}

test('the connection names connectFeed in app.js; its stack opens app.js at that line in Sources', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/initiator`);
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 1, 2);

  // The Initiator column (shown from 900 px; the DevTools window here is wider).
  const cell = await panel.waitForFunction(() => document.querySelector('tr.conn td.initiator')?.textContent || null);
  expect(await cell.jsonValue()).toBe(`connectFeed app.js:${CONNECT_LINE}`);

  // The export carries the stack: connectFeed, then its caller, with no frame of the extension's.
  const session = await exportSession(panel, chrome.downloads);
  const stack = session.connections[0]!.initiator!.stack;
  expect(stack[0]).toEqual({ fn: 'connectFeed', url: `${server.origin}/app.js`, line: CONNECT_LINE, col: 14 });
  expect(stack[1]).toMatchObject({ fn: '', url: `${server.origin}/app.js`, line: CALL_LINE });
  expect(stack.every((f) => !f.url.startsWith('chrome-extension://'))).toBe(true);

  // The connecting row's details: the whole stack, each frame a link.
  expect(await connectingRowStack(panel)).toEqual([`connectFeed app.js:${CONNECT_LINE}:14`, `(anonymous) app.js:${CALL_LINE}:${stack[1]!.col}`]);

  // "Record send stacks" is off by default: the page's send() took no stack.
  expect(await controlChecked(panel, SEND_STACKS, 'toolbar')).toBe(false);
  expect(session.frames.find((f) => f.direction === 'sent')).not.toHaveProperty('initiator');

  // A click opens app.js at that line in DevTools' Sources panel.
  await panel.evaluate(() => (document.querySelector('.stack-trace .stack-loc') as HTMLElement).click());
  await expectSourcesAt(devtools, CONNECT_LINE);
  await page.close();
});

/** Sources may take a while to open on a busy machine: waits on what DevTools shows, up to 60 s, for app.js at `line`. */
async function expectSourcesAt(devtools: Page, line: number): Promise<void> {
  let state = await devtoolsState(devtools);
  const until = Date.now() + 60_000;
  while (!(state.panel === 'tab-sources' && state.file?.includes('app.js') && state.line === String(line)) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    state = await devtoolsState(devtools);
  }
  expect(state).toEqual({ panel: 'tab-sources', file: 'app.js', line: String(line) });
}

test('with "Record send stacks" on, a sent frame names sendOrder in app.js and opens it there in Sources; the setting is remembered', async () => {
  const inspected = await newInspectedPage(chrome.browser);
  const page = inspected.page;
  let devtools = inspected.devtools;
  let panel = await showPanel(devtools);
  await setControl(panel, SEND_STACKS, 'toolbar', true);
  await page.goto(`${server.origin}/initiator`);
  const app = `${server.origin}/app.js`;
  const exportNow = () => exportSession(panel, chrome.downloads);
  // Each send has an order number of its own: 2, 3, … (1 is the page's own, at open).
  let order = 1;
  const send = () => sendLater(page, ++order);
  // A frame sent from `after` on, with a stack or without.
  const sentSince = (after: number, withStack: boolean) => (f: SessionFrame) => orderOf(f) > after && (f.initiator !== undefined) === withStack;

  const { frame } = await sendUntilExported(send, exportNow, lastOfMore(sentSince(1, true)), 'a frame sendLater sent, with its stack');
  const stack = frame.initiator!.stack;
  expect(stack).toEqual([
    { fn: 'sendOrder', url: app, line: SEND_LINE, col: 6 },
    { fn: '', url: app, line: SEND_LATER_LINE, col: stack[1]!.col },
  ]);
  expect(frame.initiator!.note).toBeUndefined();

  // The detail pane of the last frame sent (it has a stack too): a "Sent by" line, and the whole stack in its Stack tab.
  expect(await lastSentBy(panel)).toEqual({ line: `Sent by sendOrder app.js:${SEND_LINE} +1 caller`, link: `sendOrder app.js:${SEND_LINE}` });
  await clickButton(panel, 'Stack', 'tab');
  const frames = await panel.waitForFunction(() => {
    const ls = [...document.querySelectorAll('.stack-trace .stack-frame')].map((l) => (l as HTMLElement).innerText);
    return ls.length > 0 ? ls : null;
  });
  expect(await frames.jsonValue()).toEqual([`sendOrder app.js:${SEND_LINE}:6`, `(anonymous) app.js:${SEND_LATER_LINE}:${stack[1]!.col}`]);
  // Its link opens app.js at the send() in DevTools' Sources panel.
  await panel.evaluate(() => (document.querySelector('.sent-by .stack-loc') as HTMLElement).click());
  await expectSourcesAt(devtools, SEND_LINE);

  // Back on the WebSockets panel, the filter finds frames by the code that sent them: exactly
  // those the export says sendOrder sent with a stack (not the echoes), none for a function that sent nothing.
  panel = await showPanel(devtools);
  const now = await exportNow();
  const bySendOrder = now.frames.filter((f) => f.initiator?.stack.some((x) => x.fn === 'sendOrder')).length;
  expect(bySendOrder).toBeGreaterThan(0);
  expect(bySendOrder).toBeLessThan(now.frames.length);
  // "N of M frames": M may have grown by an echo since the export; N is what the filter shows.
  const expectShown = (n: number) => panel.waitForFunction((k: number) => {
    const m = /^(\d+) of (\d+) frames$/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
    return m !== null && Number(m[1]) === k && Number(m[2]) > k;
  }, {}, n);
  await setPanelFilter(panel, 'sentby:sendOrder');
  await expectShown(bySendOrder);
  await setPanelFilter(panel, `sentby:app.js:${SEND_LINE}`);
  await expectShown(bySendOrder);
  await setPanelFilter(panel, 'sentby:connectFeed');
  await expectShown(0);
  await setPanelFilter(panel, '');

  // Remembered: a DevTools opened after this one closed has it on, and the hook records stacks again
  // (the last panel's closing turned them off in the page).
  const closing = devtools.target();
  await devtools.close();
  await server.waitFor(() => !chrome.browser.targets().includes(closing), 'this DevTools window to close');
  const beforeReopen = order;
  devtools = await openDevTools(chrome.browser, page);
  panel = await showPanel(devtools);
  expect(await controlChecked(panel, SEND_STACKS, 'toolbar')).toBe(true);
  await sendUntilExported(send, exportNow, lastOfMore(sentSince(beforeReopen, true)), 'a stack taken after DevTools reopened');

  // Turned off, the page's sends take no stack again.
  await setControl(panel, SEND_STACKS, 'toolbar', false);
  const beforeOff = order;
  await sendUntilExported(send, exportNow, lastOfMore(sentSince(beforeOff, false)), 'a frame sent without a stack after it was turned off');
  await page.close();
});

test('a socket opened in a dedicated worker names openFeed in the worker\'s script, with its line', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/initiator-worker`);
  const panel = await showPanel(devtools);
  // The worker's send and the echo of it.
  await waitForCounts(panel, 1, 2);
  const cell = await panel.waitForFunction(() => document.querySelector('tr.conn td.initiator')?.textContent || null);
  expect(await cell.jsonValue()).toBe(`openFeed feed-worker.js:${WORKER_CONNECT_LINE}`);

  const session = await exportSession(panel, chrome.downloads);
  const stack = session.connections[0]!.initiator!.stack;
  const worker = `${server.origin}/feed-worker.js`;
  expect(stack[0]).toMatchObject({ fn: 'openFeed', url: worker, line: WORKER_CONNECT_LINE });
  expect(stack[1]).toMatchObject({ fn: '', url: worker, line: WORKER_CALL_LINE });
  // Nothing of the extension's: not its hook, nor the wrapper that loads it into the worker.
  expect(stack.every((f) => f.url === worker)).toBe(true);
  await page.close();
});
