/**
 * Firefox: events the page dispatches on its own socket are not frames. The export's received
 * frames are exactly what the server sent; the page-made events are exported apart, and the
 * page's handlers see everything as without the extension.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { expectDispatchExport, PAGE_SAW, serveDispatchPage } from '../../support/dispatch-page';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  serveDispatchPage(server);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('page-dispatched message, open and close events are never exported as received frames', async () => {
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/dispatch`);
  await server.waitFor(() => server.sockets[0]?.received.some((r) => r.data.toString() === 'done'), 'the page to say done');
  expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(PAGE_SAW);

  const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  // "done" is the last thing the page did: once its frame is in, every event before it is too.
  await panel.waitForFunction(() => /^\d+ of 5 frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 60_000 })
    .catch(async (e) => { throw new Error(`panel shows "${await panel.evaluate(() => document.body.innerText)}"`, { cause: e }); });
  expect(await panel.evaluate(() => document.querySelector('.connections tbody tr .num')?.textContent)).toBe('↑2 ↓3');
  expectDispatchExport(await exportFromPanelTab(panel));
});
