/**
 * Firefox: each socket's initiator (issue 22). A page's app.js opens a socket in connectFeed() at
 * a known line; the connection list's Initiator column names it, the export carries the stack with
 * no frame of the extension's, and the connecting row's details list the frames.
 * (Opening Sources from a frame is Chromium-only: see the Chrome test.)
 *
 * This guards the create event's trip through the relay: in Firefox the relay sees the hook's
 * event through an Xray wrapper, and adding the parsed stack to that object threw and lost it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIREFOX_E2E_DIST, exportFromPanelTab, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { showWide } from '../../support/panel';
import { APP_JS, CALL_LINE, CONNECT_LINE, connectingRowStack } from '../../support/initiator-page';
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
