/**
 * Chromium: the panel follows a dark DevTools, and the README's screenshots (light and dark) are
 * taken here, from the real panel showing the demo's traffic (scripts/demo-server.mjs).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { waitForCounts } from '../../support/panel';

interface DemoServer { url: string; close(): Promise<void> }
// scripts/ is plain JS; a computed specifier keeps tsc from asking for its types.
const DEMO_SERVER = new URL('../../../scripts/demo-server.mjs', import.meta.url).href;

let demo: DemoServer;
const sessions: ChromeSession[] = [];

beforeAll(async () => {
  const { startDemoServer } = (await import(DEMO_SERVER)) as { startDemoServer(o?: { port?: number }): Promise<DemoServer> };
  demo = await startDemoServer({ port: 0 });
});

afterAll(async () => {
  for (const s of sessions) await s.close();
  await demo?.close();
});

async function openOnDemo(dark: boolean): Promise<{ panel: Frame; devtools: Page }> {
  const chrome = await launchChrome({ devtools: true, dark });
  sessions.push(chrome);
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await devtools.setViewport({ width: 1280, height: 760 });
  await page.goto(demo.url);
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 4, 120, 60_000);
  // Show a selected JSON frame in the detail pane, as a user would look at one.
  await panel.evaluate(() => {
    const row = [...document.querySelectorAll('.frame-canvas .row.frame')].find((r) => (r as HTMLElement).innerText.includes('"tick"'));
    row?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  });
  await panel.waitForSelector('[role=tree]');
  return { panel, devtools };
}

const background = (panel: Frame) => panel.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** DevTools docked to the right of a desktop window, as Chrome opens it: ~480 px wide. */
async function dockedRightScreenshot(panel: Frame, devtools: Page, path: string): Promise<void> {
  await devtools.setViewport({ width: 480, height: 860 });
  // The layout has followed: the detail pane sits under the frames, the selected frame still shown.
  await panel.waitForFunction(() => innerWidth <= 480 && document.querySelector('.main.below') !== null && document.querySelector('[role=tree]') !== null);
  await devtools.screenshot({ path: resolve(path) });
}

/**
 * The Calls view on the demo's JSON-RPC socket: getPortfolio slow, audit never answered. The
 * timeout is set to 2 s (from the view's own field), so *no response* shows without a 10 s wait.
 */
async function callsScreenshot(panel: Frame, devtools: Page, path: string): Promise<void> {
  await devtools.setViewport({ width: 1280, height: 520 });
  await panel.evaluate(() => (document.querySelector('[role=tab][aria-label=Calls]') as HTMLElement).click());
  await panel.waitForSelector('[data-testid=calls-table]');
  await panel.evaluate(() => {
    const input = document.querySelector('input[aria-label="No response after (s)"]') as HTMLInputElement;
    input.value = '2';
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await panel.waitForFunction(() => {
    const row = (call: string) => document.querySelector(`[data-testid=calls-table] tr[data-call="${call}"]`);
    return Number(row('getPortfolio')?.getAttribute('data-p50') || 0) >= 600 && Number(row('audit')?.getAttribute('data-no-response') || 0) >= 1
      && Number(row('placeOrder')?.getAttribute('data-errors') || 0) >= 1;
  }, { timeout: 60_000, polling: 200 });
  await devtools.screenshot({ path: resolve(path) });
  await panel.evaluate(() => ([...document.querySelectorAll('[role=tab]')].find((t) => t.textContent === 'Frames') as HTMLElement).click());
}

test('light DevTools: light panel, screenshot for the README', async () => {
  const { panel, devtools } = await openOnDemo(false);
  expect(await panel.evaluate(() => document.documentElement.classList.contains('theme-dark'))).toBe(false);
  expect(await background(panel)).toBe('rgb(255, 255, 255)');
  await devtools.screenshot({ path: resolve('docs/screenshots/panel-light.png') });
  await callsScreenshot(panel, devtools, 'docs/screenshots/calls-view.png');
  await dockedRightScreenshot(panel, devtools, 'docs/screenshots/chrome-docked-right-light.png');
});

test('dark DevTools: the panel follows it, screenshot for the README', async () => {
  const { panel, devtools } = await openOnDemo(true);
  expect(await panel.evaluate(() => document.documentElement.classList.contains('theme-dark'))).toBe(true);
  expect(await background(panel)).toBe('rgb(32, 33, 36)');
  await devtools.screenshot({ path: resolve('docs/screenshots/panel-dark.png') });
  await dockedRightScreenshot(panel, devtools, 'docs/screenshots/chrome-docked-right-dark.png');
});
