/**
 * Firefox: protocol decoding in the panel. A page speaks JSON-RPC 2.0 over a real socket (the
 * server echoes); the panel detects it from the frames, shows the calls in the Message column, and
 * a decoded-field filter finds them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { decoderChoice } from '../../support/panel-controls';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;
let panel: Page;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/rpc', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/echo');
    ws.onopen = () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_blockNumber', params: [], id: 1 }));
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_getBalance', params: ['0xabc', 'latest'], id: 2 }));
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'log', params: ['no id: a notification'] }));
    };
  </script>`);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/rpc`);
  panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

const messages = () => panel.evaluate(() =>
  [...document.querySelectorAll('.frame-canvas .row.frame')]
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((r) => (r.querySelector('.message') as HTMLElement | null)?.innerText ?? ''));

test('Firefox: JSON-RPC is detected from the frames and its calls show in the Message column', async () => {
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '6 of 6 frames', { timeout: 60_000 });
  await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.frame .message').length === 6, { timeout: 60_000 });
  const shown = await messages();
  expect(shown.filter((m) => m.includes('eth_getBalance'))).toHaveLength(2);
  expect(shown.filter((m) => m.startsWith('notify log'))).toHaveLength(2);
  expect(await decoderChoice(panel)).toBe('Auto: JSON-RPC 2.0');
});

test('Firefox: a decoded-field filter finds the calls of one method', async () => {
  await panel.evaluate(() => {
    const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
    box.value = 'method:eth_getBalance';
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await panel.waitForFunction(() => document.querySelector('[data-testid=counts]')?.textContent === '2 of 6 frames', { timeout: 60_000 });
});
