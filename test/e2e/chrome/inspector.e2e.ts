/**
 * Chromium, real DevTools panel: what a user does with the inspector. Filter by text, regex,
 * invert and direction; a bad regex; the JSON tree and the hex dump of a selected frame; keyboard
 * selection; a closed connection's code and reason; the filter kept across panel reopen.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter, waitForCounts } from '../../support/panel';
import { showConnectionColumn, useControl } from '../../support/panel-controls';
import { startTestServer, type TestServer } from '../../support/test-server';

const ORDER = JSON.stringify({ type: 'order', id: 1, items: [{ sku: 'A-1', qty: 2 }], note: 'first' });

let server: TestServer;
let chrome: ChromeSession;
let panel: Frame;

const counts = () => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');
const frameRows = () => panel.evaluate(() =>
  [...document.querySelectorAll('.frame-canvas .row.frame')].map((r) => (r.querySelector('.preview') as HTMLElement).innerText));
const filterBox = async () => (await panel.waitForSelector('::-p-aria(Filter)'))!;
async function setFilter(text: string): Promise<void> {
  const box = await filterBox();
  await box.click({ count: 3 });
  await box.press('Backspace');
  if (text) await box.type(text);
}
const waitCounts = (expected: string) => panel.waitForFunction((e: string) => document.querySelector('[data-testid=counts]')?.textContent === e, { timeout: 5000 }, expected)
  .catch(async (e) => { throw new Error(`counts stayed "${await counts()}", expected "${expected}"`, { cause: e }); });
const pasteFilter = (text: string) => setPanelFilter(panel, text);
async function clickButton(name: string): Promise<void> {
  await (await panel.waitForSelector(`::-p-aria(${name}[role="button"])`))!.click();
}
async function selectRow(previewText: string): Promise<void> {
  await panel.evaluate((t: string) => {
    const row = [...document.querySelectorAll('.frame-canvas .row')].find((r) => (r as HTMLElement).innerText.includes(t));
    row?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  }, previewText);
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/inspect', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/feed');
    ws.onopen = () => { ws.send('subscribe orders'); ws.send(JSON.stringify({ op: 'sub', topic: 'orders' })); };
    const maint = new WebSocket('ws://' + location.host + '/maint');
  </script>`);
  server.onSocket('/feed', (s) => {
    let sent = false;
    s.ws.on('message', () => {
      if (sent || s.received.length < 2) return;
      sent = true;
      s.ws.send(ORDER);
      s.ws.send('ping');
      s.ws.send('pong');
      s.ws.send(Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from('hello')]), { binary: true });
    });
  });
  server.onSocket('/maint', (s) => setTimeout(() => s.ws.close(4100, 'maintenance'), 50));
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/inspect`);
  await server.waitFor(() => server.sockets.find((s) => s.path === '/feed')?.received.length === 2, 'the page to send');
  panel = await showPanel(devtools);
  await waitForCounts(panel, 2, 6);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: the inspector panel', () => {
  test('a substring filter changes the count and the rows', async () => {
    await waitCounts('6 of 6 frames');
    await setFilter('PING');
    await waitCounts('1 of 6 frames');
    expect(await frameRows()).toEqual(['ping']);
  });

  test('a regex filter, and invert', async () => {
    await setFilter('/^p(i|o)ng$/');
    await waitCounts('2 of 6 frames');
    expect(await frameRows()).toEqual(['ping', 'pong']);
    await useControl(panel, 'Invert', 'filters');
    await waitCounts('4 of 6 frames');
    expect(await frameRows()).not.toContain('ping');
    await useControl(panel, 'Invert', 'filters');
    await waitCounts('2 of 6 frames');
  });

  test('a bad regex shows an inline error and keeps the last good filter', async () => {
    await pasteFilter('/(ping/');
    const alert = await panel.waitForSelector('[role=alert]');
    expect(await alert!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/Invalid regex.*showing the last valid filter/);
    expect(await counts()).toBe('2 of 6 frames');
    await setFilter('');
    await waitCounts('6 of 6 frames');
    expect(await panel.$('[role=alert]')).toBeNull();
  });

  test('the direction filter', async () => {
    await clickButton('↑ Sent');
    await waitCounts('2 of 6 frames');
    expect(await frameRows()).toEqual(['subscribe orders', '{"op":"sub","topic":"orders"}']);
    await clickButton('All');
    await waitCounts('6 of 6 frames');
  });

  test('a JSON frame opens as a collapsible tree', async () => {
    await selectRow('"order"');
    const tree = await panel.waitForSelector('[role=tree]');
    expect(await panel.evaluate(() => document.querySelector('.detail [role=tab][aria-selected=true]')?.textContent)).toBe('JSON');
    const text = await tree!.evaluate((e) => (e as HTMLElement).innerText);
    expect(text).toMatch(/type\s+"order"/);
    expect(text).toMatch(/items\s+\[…\] 1 item/);
    expect(text).not.toContain('sku');
    await (await panel.waitForSelector('::-p-aria(Expand items)'))!.click();
    await (await panel.waitForSelector('::-p-aria(Expand 0)'))!.click();
    expect(await tree!.evaluate((e) => (e as HTMLElement).innerText)).toMatch(/sku\s+"A-1"/);
  });

  test('a binary frame opens as a hex dump, and as UTF-8 and base64', async () => {
    await selectRow('de ad be ef');
    const hex = await panel.waitForSelector('[aria-label="Hex dump"]');
    expect((await hex!.evaluate((e) => (e as HTMLElement).innerText)).replace(/\s+/g, ' ').trim())
      .toBe('00000000 de ad be ef 68 65 6c 6c 6f ....hello');
    const tab = async (name: string) => (await panel.waitForSelector(`::-p-aria(${name}[role="tab"])`))!.click();
    const shown = () => panel.evaluate(() => document.querySelector('.payload-text')?.textContent);
    await tab('Base64');
    expect(await shown()).toBe(Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from('hello')]).toString('base64'));
    await tab('UTF-8');
    expect(await shown()).toBe(Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from('hello')]).toString('utf8'));
  });

  test('↑/↓, Home and End move the selection', async () => {
    const grid = (await panel.waitForSelector('[role=grid]'))!;
    await grid.focus();
    await grid.press('Home');
    const selected = () => panel.evaluate(() => (document.querySelector('.frame-canvas .row.selected') as HTMLElement | null)?.innerText.replace(/\s+/g, ' ') ?? '');
    expect(await selected()).toMatch(/connecting ws:\/\/.*\/feed/);
    await grid.press('ArrowDown');
    expect(await selected()).toMatch(/connecting ws:\/\/.*\/maint|open/);
    await grid.press('End');
    expect(await selected()).toMatch(/de ad be ef|close 4100/);
  });

  test('a closed connection shows its code, name and reason, dimmed', async () => {
    // A narrow panel leaves the Close column out; its header's menu brings it back.
    await showConnectionColumn(panel, 'Close');
    const row = (await panel.waitForSelector('tr.conn.closed'))!;
    expect(await row.evaluate((e) => (e as HTMLElement).innerText)).toContain('4100 Application: maintenance');
    expect(await row.evaluate((e) => getComputedStyle(e).opacity)).toBe('0.55');
  });

  test('the filter is kept when the panel is opened again', async () => {
    await setFilter('pong');
    await waitCounts('1 of 6 frames');
    await panel.evaluate(() => location.reload());
    await panel.waitForSelector('.app');
    await panel.waitForFunction(() => (document.querySelector('input[aria-label=Filter]') as HTMLInputElement | null)?.value === 'pong');
    await waitCounts('1 of 6 frames');
  });
});
