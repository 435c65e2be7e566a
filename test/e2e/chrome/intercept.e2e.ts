/**
 * Chromium, real DevTools panel: intercept rules. A paused outgoing frame, edited in the panel,
 * reaches the server changed and before the frames behind it; a dropped frame never arrives; a
 * delayed one arrives after its delay; held incoming frames reach the page only when forwarded;
 * a modify rule rewrites; rules show an indicator and survive reopening the panel. A new rule is
 * completed and switched on first. Rule 2 is a probe rule on a second socket: each step waits
 * until the page has the rules before it sends (see test/support/rules-panel.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { waitForCounts } from '../../support/panel';
import { startTestServer, type ServerSocket, type TestServer } from '../../support/test-server';
import { addRule, makeProbeRule, rulesReachedPage, setChecked, waitHeldTitle } from '../../support/rules-panel';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let panel: Frame;
let devtools: Page;
let sock: ServerSocket;
const arrivals: { text: string; at: number }[] = [];

const texts = () => sock.received.map((r) => r.data.toString());
const got = () => page.evaluate(() => (window as unknown as { got: string[] }).got);
const send = (t: string) => page.evaluate((x) => (window as unknown as { ws: WebSocket }).ws.send(x), t);
/** Waits until the page has the panel's latest rules (the probe, rule 2). */
const synced = () => rulesReachedPage(panel, {
  send: (t) => page.evaluate((x) => (window as unknown as { probe: WebSocket }).probe.send(x), t),
  arrived: (t) => server.sockets.some((s) => s.path === '/ix-probe' && s.received.some((r) => r.data.toString() === t)),
});

async function setField(label: string, value: string): Promise<void> {
  await panel.evaluate((l: string, v: string) => {
    const el = document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) throw new Error(`no field ${l}`);
    el.value = v;
    el.dispatchEvent(new Event(el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input', { bubbles: true }));
  }, label, value);
}
async function clickButton(text: string, scope = 'body'): Promise<void> {
  await panel.evaluate((s: string, t: string) => {
    const b = [...document.querySelectorAll(`${s} button`)].find((x) => x.textContent?.trim() === t) as HTMLButtonElement | undefined;
    if (!b) throw new Error(`no button "${t}" in ${s}`);
    b.click();
  }, scope, text);
}
/** A picture for the docs, of the page's socket alone (the probe's traffic left out). */
async function screenshot(name: string): Promise<void> {
  await panel.evaluate(() => ([...document.querySelectorAll('.connections tbody tr')].find((r) => r.querySelector('td')?.textContent?.endsWith('/ix')) as HTMLElement).click());
  await panel.waitForFunction(() => document.querySelector('.connections tr.selected td')?.textContent?.endsWith('/ix') &&
    ![...document.querySelectorAll('.frame-canvas .row')].some((r) => (r as HTMLElement).innerText.includes('probe')));
  await panel.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await devtools.screenshot({ path: resolve('docs/screenshots', name) });
  await clickButton('All connections', '.connections');
}
const heldTitle = () => panel.evaluate(() => document.querySelector('.held-title')?.textContent ?? '');

beforeAll(async () => {
  server = await startTestServer();
  server.page('/ix', `<!doctype html><script>
    window.got = [];
    window.ws = new WebSocket('ws://' + location.host + '/ix');
    ws.onmessage = (e) => got.push(e.data);
    window.probe = new WebSocket('ws://' + location.host + '/ix-probe');
  </script>`);
  server.onSocket('/ix-probe', () => {});
  server.onSocket('/ix', (s) => {
    sock = s;
    s.ws.on('message', (d) => {
      arrivals.push({ text: d.toString(), at: Date.now() });
      if (d.toString() === 'trigger') { s.ws.send('incoming-1'); s.ws.send('incoming-2'); s.ws.send('plain'); }
    });
  });
  chrome = await launchChrome({ devtools: true });
  const inspected = await newInspectedPage(chrome.browser);
  page = inspected.page;
  await page.goto(`${server.origin}/ix`);
  await server.waitFor(() => sock, 'the socket');
  devtools = inspected.devtools;
  await devtools.setViewport({ width: 1280, height: 720 });
  panel = await showPanel(devtools);
  await waitForCounts(panel, 2, 0);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: intercept rules', () => {
  test('a paused outgoing frame waits, is edited, and reaches the server changed, before the frames behind it', async () => {
    await clickButton('Rules', '.toolbar');
    await clickButton('Add rule', '.rules');
    await setField('Rule 1 payload match', 'secret');
    await setChecked(panel, 'Rule 1 on', true);
    await panel.waitForSelector('.rules-on');
    expect(await panel.evaluate(() => document.querySelector('.rules-on')!.textContent)).toBe('1 rule on');
    expect(await addRule(panel)).toBe(2);
    await makeProbeRule(panel, 2, '/ix-probe');
    await panel.waitForFunction(() => document.querySelector('.rules-on')?.textContent === '2 rules on');
    await synced();
    await send('secret: 1');
    await send('after');
    // "after" matches no rule: it is queued behind the held frame, shown and counted.
    await waitHeldTitle(panel, 'Held: 2 outgoing, 0 incoming (1 queued behind an earlier frame)');
    expect(texts()).toEqual([]);
    await setField('Held payload', 'secret: edited');
    await clickButton('Forward', '.held-frames');
    await server.waitFor(() => sock.received.length === 2, 'the forwarded frame and the one behind it');
    expect(texts()).toEqual(['secret: edited', 'after']);
    await panel.waitForFunction(() => !document.querySelector('.held-title'));
  });

  test('a dropped frame never arrives', async () => {
    await setField('Rule 1 action', 'drop');
    await synced();
    await send('secret: 2');
    await send('ok');
    // Order is kept: had "secret: 2" gone, it would have arrived before "ok".
    await server.waitFor(() => sock.received.length === 3, 'the frame after the dropped one');
    expect(texts()).toEqual(['secret: edited', 'after', 'ok']);
  });

  test('a delayed frame arrives after the delay', async () => {
    await setField('Rule 1 action', 'delay');
    await setField('Rule 1 delay in ms', '800');
    await synced();
    const sentAt = Date.now();
    await send('secret: 3');
    await server.waitFor(() => sock.received.length === 4, 'the delayed frame', 5000);
    const arrived = arrivals.find((a) => a.text === 'secret: 3')!;
    expect(arrived.at - sentAt).toBeGreaterThanOrEqual(800);
  });

  test('a modify rule rewrites the payload, and the frame is marked modified', async () => {
    await setField('Rule 1 action', 'modify');
    await setField('Rule 1 find', '/price=(\\d+)/');
    await setField('Rule 1 replace', 'price=0');
    await synced();
    await send('secret price=42');
    await server.waitFor(() => sock.received.length === 5, 'the modified frame');
    expect(texts().at(-1)).toBe('secret price=0');
    await panel.waitForFunction(() => [...document.querySelectorAll('.frame-canvas .row.frame')].some((r) => (r as HTMLElement).innerText.includes('modified') && (r as HTMLElement).innerText.includes('price=0')));
  });

  test('held incoming frames reach the page only when forwarded, in order', async () => {
    await setField('Rule 1 direction', 'received');
    await setField('Rule 1 action', 'pause');
    await setField('Rule 1 payload match', 'incoming');
    await synced();
    await send('trigger');
    // "plain" matches no rule but waits behind the held frames, so the page's order is kept.
    await waitHeldTitle(panel, 'Held: 0 outgoing, 3 incoming (1 queued behind an earlier frame)');
    await screenshot('paused-frame.png');
    expect(await got()).toEqual([]);
    await clickButton('Forward', '.held-frames');
    await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 1);
    await waitHeldTitle(panel, 'Held: 0 outgoing, 2 incoming (1 queued behind an earlier frame)');
    expect(await got()).toEqual(['incoming-1']);
    await clickButton('Forward', '.held-frames');
    await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 3);
    expect(await got()).toEqual(['incoming-1', 'incoming-2', 'plain']);
  });

  test('rules survive reopening the panel, and switching the last one off clears the indicator', async () => {
    await panel.evaluate(() => location.reload());
    await panel.waitForFunction(() => document.querySelector('.rules-on')?.textContent === '2 rules on');
    await clickButton('Rules', '.toolbar');
    await setChecked(panel, 'Rule 1 on', false);
    await panel.waitForFunction(() => document.querySelector('.rules-on')?.textContent === '1 rule on');
    await synced();
    await send('trigger');
    await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length === 6);
    expect((await got()).slice(3)).toEqual(['incoming-1', 'incoming-2', 'plain']);
    expect(await heldTitle()).toBe('');
    await setChecked(panel, 'Rule 2 on', false);
    await panel.waitForFunction(() => !document.querySelector('.rules-on'));
  });

  test('the composer, for the README', async () => {
    await clickButton('Compose', '.toolbar');
    await clickButton('JSON', '.composer [aria-label="Payload format"]');
    await setField('Message', '{"type":"subscribe","channel":"orders","since":42}');
    await clickButton('Pretty', '.composer');
    await clickButton('Send to server', '.composer');
    await panel.waitForFunction(() => document.querySelector('.command-result')?.textContent === 'Sent to the server.');
    await server.waitFor(() => texts().at(-1)?.includes('"channel": "orders"'), 'the composed frame');
    await screenshot('composer.png');
  });
});
