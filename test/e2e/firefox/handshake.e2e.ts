/**
 * Firefox's real toolbox: its devtools.network.getHAR gives the panel the WebSocket's handshake
 * (a ws: URL, status 101, both sides' headers; no _resourceType), so the Handshake tab shows it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIREFOX_DIST } from '../../support/firefox';
import { launchFirefoxToolbox, openToolboxOnPanel, type FirefoxToolboxSession } from '../../support/firefox-toolbox';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxToolboxSession | undefined;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/favicon.ico', '');
  server.page('/hs-run', `<!doctype html><title>hs</title><script>
    const ws = new WebSocket('ws://' + location.host + '/hs-echo', ['accept-hs', 'v1']);
    ws.onopen = () => ws.send('hello handshake');</script>`);
});
afterAll(async () => { await ff?.close(); await server?.close(); });

test('toolbox open before the page loads: the Handshake tab shows the subprotocols asked and agreed', async () => {
  ff = await launchFirefoxToolbox({ extension: FIREFOX_DIST });
  const page = (await ff.browser.pages())[0]!;
  await page.goto(`${server.origin}/blank`);
  const panel = await openToolboxOnPanel(ff, page);
  await page.goto(`${server.origin}/hs-run`);
  await server.waitFor(() => server.sockets.find((s) => s.path === '/hs-echo')?.received.length, 'the frame at the server');
  // Select the sent frame (the filter narrows the virtualized table to it), then the tab.
  await panel.waitForFunction(() => {
    const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
    if (box.value !== 'hello handshake') { box.value = 'hello handshake'; box.dispatchEvent(new Event('input', { bubbles: true })); }
    const row = [...document.querySelectorAll('.frame-canvas .row.frame')].find((r) => (r as HTMLElement).innerText.includes('hello handshake'));
    row?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    const tab = [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent === 'Handshake') as HTMLButtonElement | undefined;
    tab?.click();
    return tab?.getAttribute('aria-selected') === 'true';
  }, { timeout: 60_000, polling: 200 });
  const text = await panel.waitForFunction(() => {
    const t = (document.querySelector('[role=tabpanel]') as HTMLElement | null)?.innerText ?? '';
    return t.includes('Response headers') && t;
  }, { timeout: 60_000, polling: 200 }).catch(async (e) => {
    throw new Error(`the Handshake tab reads ${JSON.stringify(await panel.evaluate(() => (document.querySelector('[role=tabpanel]') as HTMLElement | null)?.innerText))}`, { cause: e });
  });
  expect(text).toContain('101 Switching Protocols');
  expect(text).toMatch(/Request headers[\s\S]*Sec-WebSocket-Protocol\s+accept-hs, v1/);
  expect(text).toMatch(/Response headers[\s\S]*Sec-WebSocket-Protocol\s+accept-hs/);
});
