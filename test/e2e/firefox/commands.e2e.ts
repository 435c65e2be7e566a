/**
 * Firefox: the panel's send and inject commands go through the relay to the page's socket, over
 * the same private channel as in Chromium (test build; the panel page is opened as a tab).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/act', `<!doctype html><script>
    window.got = [];
    const ws = new WebSocket('ws://' + location.host + '/sink');
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => got.push(typeof e.data === 'string' ? e.data : Object.prototype.toString.call(e.data) + ':' + [...new Uint8Array(e.data)].join(','));
    ws.onopen = () => ws.send('from the page');
  </script>`);
  server.onSocket('/sink', () => {});
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('Firefox: Resend, a composed frame and an injected message, through the relay', async () => {
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/act`);
  await server.waitFor(() => server.sockets[0]?.received.length === 1, 'the page to send');
  const panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '1 of 1 frames', { timeout: 60_000 });

  const clickText = (scope: string, text: string) => panel.evaluate((s: string, t: string) => {
    const b = [...document.querySelectorAll(`${s} button`)].find((x) => x.textContent === t) as HTMLButtonElement | undefined;
    if (!b) throw new Error(`no button ${t}`);
    b.click();
  }, scope, text);
  const waitResult = (text: string) => panel.waitForFunction((t: string) => document.querySelector('.command-result')?.textContent === t, { timeout: 60_000 }, text);

  await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
  await clickText('.detail', 'Resend');
  await waitResult('Resent to the server.');

  await clickText('.toolbar', 'Compose');
  const fill = (text: string) => panel.evaluate((t: string) => {
    const ta = document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement;
    ta.value = t;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await clickText('.composer [aria-label="Payload format"]', 'Hex');
  await fill('01 02 fe');
  await clickText('.composer', 'Send to server');
  await waitResult('Sent to the server.');
  await clickText('.composer', 'Inject as incoming');
  await waitResult('Delivered to the page as an incoming message.');

  await server.waitFor(() => server.sockets[0]!.received.length === 3, 'resent and composed frames');
  expect(server.sockets[0]!.received.map((r) => (r.isBinary ? r.data.toString('hex') : r.data.toString()))).toEqual(['from the page', 'from the page', '0102fe']);
  await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 1);
  expect(await page.evaluate(() => (window as unknown as { got: string[] }).got)).toEqual(['[object ArrayBuffer]:1,2,254']);
});
