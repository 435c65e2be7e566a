/**
 * Firefox: the extension installs as a temporary add-on, captures sockets in the page and in a
 * cross-origin iframe, the relay reaches the router and back, and the panel shows the frames.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_DIST, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { showWide } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;

const counts = (p: Page) => p.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');

beforeAll(async () => {
  server = await startTestServer();
  const wsBase = `ws://127.0.0.1:${new URL(server.origin).port}`;
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/inner', `<!doctype html><script>
    const ws = new WebSocket('${wsBase}/echo?from=iframe');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { ws.send('from the iframe'); ws.send(new Uint8Array([0xca, 0xfe])); };
  </script>`);
  server.page('/top', `<!doctype html><html><head><script>
    const ws = new WebSocket('${wsBase}/echo?from=top', ['accept-ff']);
    ws.onopen = () => ws.send('hello from firefox');
    const push = new WebSocket('${wsBase}/push');
  </script></head><body><iframe src="${server.altOrigin}/inner"></iframe></body></html>`);
  server.onSocket('/push', (s) => { s.ws.send('pushed'); setTimeout(() => s.ws.close(4003, 'ff bye'), 50); });
});

afterAll(async () => {
  await server?.close();
});

describe('Firefox', () => {
  let ff: FirefoxSession;
  afterAll(async () => { await ff?.close(); });

  test('dist/firefox installs as a temporary add-on and pages keep working', async () => {
    ff = await launchFirefox({ extension: FIREFOX_DIST });
    const page = await ff.browser.newPage();
    await page.goto(`${server.origin}/top`);
    await server.waitFor(() => server.sockets.filter((s) => s.received.length > 0).length >= 2, 'page and iframe sockets to send');
    expect(await page.evaluate(() => Function.prototype.toString.call(WebSocket))).toBe('function WebSocket() {\n    [native code]\n}');
    await ff.close();
  });

  test('capture in the page and a cross-origin iframe reaches the panel, via the relay round trip', async () => {
    ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
    const page = await ff.browser.newPage();
    await page.goto(`${server.origin}/top`);
    const tabId = await relayTabId(page);
    expect(Number.isInteger(tabId)).toBe(true);

    const panel = await openPanelTab(ff.browser, server.origin, tabId);
    await showWide(panel, panel);
    await panel.waitForFunction(() => /^3 connections$/.test(document.querySelector('[data-testid=connection-count]')?.textContent ?? '') &&
      /^7 of 7 frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 60_000 })
      .catch(async (e) => { throw new Error(`panel shows "${await panel.evaluate(() => document.body.innerText)}"`, { cause: e }); });
    const text = await panel.evaluate(() => document.body.innerText);
    expect(text).toMatch(/echo\?from=top\s+open\s+accept-ff/);
    expect(text).toContain('echo?from=iframe');
    expect(text).toContain(server.altOrigin); // the frame column shows the iframe's origin
    expect(text).toContain('hello from firefox');
    expect(text).toContain('from the iframe');
    expect(text).toContain('ca fe');
    expect(text).toContain('4003 Application: ff bye');
  });
});
