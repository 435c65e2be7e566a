/**
 * Chromium, the real DevTools panel: the splitters and the column menu work without a mouse, with
 * focus visible; a splitter drags with the mouse; and the layout the user chose (splitter
 * positions, column widths, hidden columns, a folded chart) is there again after the inspected
 * tab and its DevTools are closed and a new one is opened. "Reset layout" brings the defaults back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { waitForCounts } from '../../support/panel';
import { menuItem } from '../../support/panel-controls';
import { startTestServer, type TestServer } from '../../support/test-server';

const FRAMES = 40;

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let devtools: Page;
let panel: Frame;

async function openPanel(): Promise<void> {
  ({ page, devtools } = await newInspectedPage(chrome.browser));
  await page.goto(`${server.origin}/layout`);
  panel = await showPanel(devtools);
  // Sized once the panel shows: sized before, the headless window does not route the mouse to the panel.
  await devtools.setViewport({ width: 1280, height: 720 });
  await panel.waitForFunction(() => innerWidth === 1280);
  await waitForCounts(panel, 1, FRAMES * 2);
  await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
  await panel.waitForSelector('#detail-pane');
  // The panel lays itself out from a ResizeObserver, which runs with rendering: wait until the
  // layout is the one for 1280 px (the pane beside the frames, as wide as its splitter says),
  // not only until the window is that wide. A busy run once read the layout before it followed.
  await panel.waitForFunction(() => {
    const slot = document.querySelector('.main.beside .detail-slot');
    const size = document.querySelector('[role=separator][aria-label="Frame details size"]')?.getAttribute('aria-valuenow');
    return slot !== null && Math.round(slot.getBoundingClientRect().width) === Number(size);
  });
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/layout', `<!doctype html><script>
    const ws = new WebSocket('ws://' + location.host + '/echo');
    ws.onopen = () => { for (let i = 0; i < ${FRAMES}; i++) ws.send(JSON.stringify({ i, text: 'frame ' + i })); };
  </script>`);
  chrome = await launchChrome({ devtools: true });
  await openPanel();
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const press = (key: Parameters<Page['keyboard']['press']>[0]) => devtools.keyboard.press(key);
const active = () => panel.evaluate(() => {
  const a = document.activeElement!;
  const s = getComputedStyle(a);
  return { label: a.getAttribute('aria-label') ?? a.textContent, role: a.getAttribute('role'), focusVisible: a.matches(':focus-visible'), outline: `${s.outlineStyle} ${s.outlineWidth}` };
});
const value = (label: string) => panel.evaluate((l: string) => Number(document.querySelector(`[role=separator][aria-label="${l}"]`)!.getAttribute('aria-valuenow')), label);
const width = (sel: string) => panel.evaluate((s: string) => Math.round(document.querySelector(s)!.getBoundingClientRect().width), sel);
const headers = () => panel.evaluate(() => [...document.querySelectorAll('.frame-head [role=columnheader]')].map((h) => h.getAttribute('aria-label')));

/** Tabs (or Shift+Tabs) until focus is on what `is` accepts, as a keyboard user would; at most 12 presses. */
async function tabTo(is: (a: Awaited<ReturnType<typeof active>>) => boolean, back = false): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if (back) { await devtools.keyboard.down('Shift'); await press('Tab'); await devtools.keyboard.up('Shift'); } else await press('Tab');
    if (is(await active())) return;
  }
  throw new Error(`focus never reached it; it is on ${JSON.stringify(await active())}`);
}

describe('Chromium: the layout by keyboard, and remembered', () => {
  test('the detail splitter: reached with Tab, focus visible, moved with the arrow keys, Home and End', async () => {
    await panel.focus('.frame-viewport');
    await press('ArrowDown');
    await tabTo((a) => a.label === 'Frame details size');
    const a = await active();
    expect(a).toMatchObject({ role: 'separator', focusVisible: true, outline: 'solid 2px' });
    const v0 = await value('Frame details size');
    expect(await width('.detail-slot')).toBe(v0);
    await press('ArrowLeft'); // the pane is on the right: moving the splitter left widens it
    expect(await value('Frame details size')).toBe(v0 + 10);
    await devtools.keyboard.down('Shift');
    await press('ArrowLeft');
    await devtools.keyboard.up('Shift');
    expect(await value('Frame details size')).toBe(v0 + 60);
    expect(await width('.detail-slot')).toBe(v0 + 60);
    await press('Home');
    const min = await value('Frame details size');
    await press('End');
    const max = await value('Frame details size');
    expect(min).toBeLessThan(v0);
    expect(max).toBeGreaterThan(v0 + 60);
    await press('Home');
    await devtools.keyboard.down('Shift');
    for (let i = 0; i < 4; i++) await press('ArrowLeft');
    await devtools.keyboard.up('Shift');
    expect(await value('Frame details size')).toBe(min + 200);
  });

  test('the connection list splitter drags with the mouse, and moves with the keys', async () => {
    const before = await value('Connection list size');
    const box = (await (await panel.$('[role=separator][aria-label="Connection list size"]'))!.boundingBox())!;
    await devtools.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await devtools.mouse.down();
    await devtools.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 4 });
    await devtools.mouse.up();
    expect(await value('Connection list size')).toBe(before + 40);
    expect(await panel.evaluate(() => Math.round(document.getElementById('connections')!.getBoundingClientRect().height))).toBe(before + 40);
    // And by keyboard: it is above the frames, so ↑ makes the list shorter.
    await panel.focus('[role=separator][aria-label="Connection list size"]');
    await press('ArrowUp');
    expect(await value('Connection list size')).toBe(before + 30);
  });

  test('the column menu: from its button and from a header cell, by keyboard; Escape returns focus', async () => {
    await panel.focus('.frame-viewport');
    await press('ArrowDown');
    await tabTo((a) => a.label === 'Columns', true);
    await press('Enter');
    await panel.waitForSelector('[role=menu][aria-label=Columns]');
    expect(await active()).toMatchObject({ role: 'menuitemcheckbox', label: 'Direction', focusVisible: true });
    await press('ArrowDown');
    await press('ArrowDown');
    expect((await active()).label).toBe('Size');
    await press('Enter');
    await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
    expect(await headers()).toEqual(['Direction', 'Time', 'Type', 'Data']);
    expect((await active()).label).toBe('Columns');

    // Back to a header cell, then ←/→ between cells, and Shift+F10 or the context-menu key there.
    await tabTo((a) => a.role === 'columnheader', true);
    await press('ArrowRight');
    expect(await active()).toMatchObject({ role: 'columnheader', label: 'Time', focusVisible: true });
    await devtools.keyboard.down('Shift');
    await press('F10');
    await devtools.keyboard.up('Shift');
    await panel.waitForSelector('[role=menu][aria-label=Columns]');
    await press('Escape');
    await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
    expect((await active()).label).toBe('Time');
    await press('ContextMenu');
    await (await panel.waitForSelector('[role=menu][aria-label=Columns]'))!.evaluate(() => {});
    const type = await menuItem(panel, 'Type');
    expect(await type.evaluate((e) => e.getAttribute('aria-checked'))).toBe('true');
    for (let i = 0; i < 3; i++) await press('ArrowDown');
    expect((await active()).label).toBe('Type');
    await press('Enter');
    await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
    expect(await headers()).toEqual(['Direction', 'Time', 'Data']);
  });

  test('a column edge: resized with the arrow keys; the rows follow the header', async () => {
    await panel.focus('.frame-head [role=columnheader][aria-label=Time]');
    await tabTo((a) => a.label === 'Time column width');
    expect((await active()).focusVisible).toBe(true);
    for (let i = 0; i < 3; i++) await press('ArrowRight');
    expect(await width('.frame-head .time')).toBe(126);
    expect(await width('.frame-canvas .row.frame .time')).toBe(126);
  });

  test('the frame details close with ×, leaving the frames the whole width, and come back with ◧ or Enter', async () => {
    await (await panel.waitForSelector('::-p-aria(Close frame details[role="button"])'))!.click();
    await panel.waitForFunction(() => !document.querySelector('#detail-pane'));
    expect(await width('.list')).toBe(await panel.evaluate(() => innerWidth));
    expect(await panel.$('.frame-canvas .row.selected')).not.toBeNull();
    await (await panel.waitForSelector('::-p-aria(Show frame details[role="button"])'))!.click();
    await panel.waitForSelector('#detail-pane .detail-frame');
    await (await panel.waitForSelector('::-p-aria(Close frame details[role="button"])'))!.click();
    await panel.waitForFunction(() => !document.querySelector('#detail-pane'));
    await panel.focus('.frame-viewport');
    await press('ArrowDown');
    expect(await panel.$('#detail-pane')).toBeNull(); // closed stays closed while the user moves through the rows
    await press('Enter');
    await panel.waitForSelector('#detail-pane .detail-frame');
  });

  test('everything chosen is there again after closing DevTools and opening a new one', async () => {
    await (await panel.waitForSelector('.summary [aria-controls=throughput-chart]'))!.click();
    await panel.waitForFunction(() => !document.querySelector('.chart'));
    const chosen = { detail: await value('Frame details size'), conns: await value('Connection list size') };
    await page.close();
    await openPanel();
    expect(await value('Frame details size')).toBe(chosen.detail);
    expect(await width('.detail-slot')).toBe(chosen.detail);
    expect(await value('Connection list size')).toBe(chosen.conns);
    expect(await headers()).toEqual(['Direction', 'Time', 'Data']);
    expect(await width('.frame-head .time')).toBe(126);
    expect(await panel.$('.chart')).toBeNull();
    expect(await panel.evaluate(() => document.querySelector('.summary [aria-controls=throughput-chart]')!.getAttribute('aria-expanded'))).toBe('false');

    await (await panel.waitForSelector('.toolbar .more'))!.click();
    await (await menuItem(panel, 'Reset layout')).click();
    await panel.waitForSelector('.chart');
    expect(await headers()).toEqual(['Direction', 'Time', 'Size', 'Type', 'Data']);
    expect(await width('.frame-head .time')).toBe(96);
  });
});
