/**
 * Firefox: each socket's initiator (issue 22). A page's app.js opens a socket in connectFeed() at
 * a known line; the connection list's Initiator column names it, the export carries the stack with
 * no frame of the extension's, and the connecting row's details list the frames.
 * (Opening Sources from a frame is Chromium-only: see the Chrome test.) With "Record send stacks"
 * on, a sent frame names sendOrder in app.js, with its line.
 *
 * This guards the create event's trip through the relay: in Firefox the relay sees the hook's
 * event through an Xray wrapper, and adding the parsed stack to that object threw and lost it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIREFOX_E2E_DIST, exportFromPanelTab, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { showWide } from '../../support/panel';
import { setControl } from '../../support/panel-controls';
import { APP_JS, CALL_LINE, CONNECT_LINE, connectingRowStack, orderOf, SEND_LATER_LINE, SEND_LINE, sendLater } from '../../support/initiator-page';
import { lastOfMore, lastSentBy, SEND_STACKS, sendUntilExported } from '../../support/send-stacks';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/app.js', APP_JS, { 'content-type': 'text/javascript' });
  server.page('/initiator', '<!doctype html><title>initiator</title><script src="/app.js"></script>');
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('Firefox: the connection names connectFeed in app.js, with its file and line', async () => {
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/initiator`);
  const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await showWide(panel, panel);
  await panel.waitForFunction(() => /^2 of 2 frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 60_000 })
    .catch(async (e) => { throw new Error(`panel shows "${await panel.evaluate(() => document.body.innerText)}"`, { cause: e }); });

  // The connection has its create event: its URL, not "opened before the capture history starts".
  const cell = await panel.waitForFunction(() => document.querySelector('tr.conn td.initiator')?.textContent || null);
  expect(await cell.jsonValue()).toBe(`connectFeed app.js:${CONNECT_LINE}`);
  expect(await panel.evaluate(() => document.querySelector('tr.conn')?.textContent ?? '')).toContain('/echo');

  // The export carries the stack: connectFeed, then its caller, with no frame of the extension's.
  const session = await exportFromPanelTab(panel);
  const stack = session.connections[0]!.initiator!.stack;
  expect(stack[0]).toMatchObject({ fn: 'connectFeed', url: `${server.origin}/app.js`, line: CONNECT_LINE });
  expect(stack[1]).toMatchObject({ fn: '', url: `${server.origin}/app.js`, line: CALL_LINE });
  expect(stack.every((f) => f.url.startsWith(server.origin))).toBe(true);

  // The connecting row's details: the whole stack, each frame a link.
  expect(await connectingRowStack(panel)).toEqual([`connectFeed app.js:${CONNECT_LINE}:${stack[0]!.col}`, `(anonymous) app.js:${CALL_LINE}:${stack[1]!.col}`]);
  await page.close();
});

test('Firefox: with "Record send stacks" on, a sent frame names sendOrder in app.js, with its line', async () => {
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/initiator`);
  const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await showWide(panel, panel);
  await setControl(panel, SEND_STACKS, 'toolbar', true);
  // The option reaches the page's hook in its own time: the page sends (orders 2, 3, …) until a frame has its stack.
  let order = 1;
  const { frame } = await sendUntilExported(() => sendLater(page, ++order), () => exportFromPanelTab(panel),
    lastOfMore((f) => orderOf(f) > 1 && f.initiator !== undefined), 'a frame sendLater sent, with its stack');
  const app = `${server.origin}/app.js`;
  const stack = frame.initiator!.stack;
  expect(stack[0]).toMatchObject({ fn: 'sendOrder', url: app, line: SEND_LINE });
  expect(stack[0]!.col).toBeGreaterThan(0);
  expect(stack[1]).toMatchObject({ url: app, line: SEND_LATER_LINE });
  // (SpiderMonkey goes on with the async frames: the timer's setter, and the test's evaluate.)
  expect(stack.some((f) => f.url.startsWith('moz-extension://'))).toBe(false);

  // The last sent frame's details say where it was sent from; Firefox has no openResource for
  // extensions, so its link says where the code is.
  expect(await lastSentBy(panel)).toMatchObject({ link: `sendOrder app.js:${SEND_LINE}` });
  await panel.evaluate(() => (document.querySelector('.sent-by .stack-loc') as HTMLElement).click());
  const message = await panel.waitForFunction(() => document.querySelector('.sent-by .stack-message')?.textContent || null);
  expect(await message.jsonValue()).toContain(`The code is at ${app}:${SEND_LINE}:${stack[0]!.col}.`);
  await page.close();
});
