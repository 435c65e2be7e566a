/**
 * Chromium, real DevTools panel: "Preserve log" across a reload. Ticked, the frames of the page
 * before the reload stay, a row naming the page separates them from the new document's frames,
 * and both connections are kept. Unticked, the reload starts the log afresh.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, setPanelFilter, setPreserveLog, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import type { SessionFileV1 } from '../../../src/session/session-format';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  // sessionStorage outlives a reload of the tab, so the same URL tells its first load from the next.
  server.page('/app', `<!doctype html><script>
    const load = Number(sessionStorage.getItem('loads') ?? 0);
    sessionStorage.setItem('loads', String(load + 1));
    const tag = load === 0 ? 'before reload' : 'after reload';
    const ws = new WebSocket('ws://' + location.host + '/echo?load=' + load);
    ws.onopen = () => { for (let i = 0; i < 3; i++) ws.send(tag + ' ' + i); };
  </script>`);
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

/** The frame table's rows as shown, top to bottom: "↑ text" / "↓ text" for frames, "separator: <its text>" for a navigation row. */
const tableRows = (panel: Frame) => panel.evaluate(() =>
  [...document.querySelectorAll('.frame-canvas .row')]
    .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
    .map((r) => {
      const el = r as HTMLElement;
      if (el.classList.contains('navigation')) return `separator: ${el.innerText.trim()}`;
      const dir = el.querySelector('.dir')?.textContent ?? '';
      return `${dir} ${(el.querySelector('.preview') as HTMLElement).innerText}`;
    }));

/** Polls the table until `done` holds for its rows; fails showing the rows it saw last. */
async function waitForRows(panel: Frame, what: string, done: (rows: string[]) => boolean): Promise<string[]> {
  let rows: string[] = [];
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    rows = await tableRows(panel);
    if (done(rows)) return rows;
  }
  throw new Error(`the frame table never showed ${what}; it shows ${JSON.stringify(rows)}`);
}

const counts = (panel: Frame) => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');
const connectionCount = (panel: Frame) => panel.evaluate(() => document.querySelector('[data-testid=connection-count]')?.textContent ?? '');

async function loadApp(): Promise<{ page: Page; panel: Frame }> {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/app`);
  const panel = await showPanel(devtools);
  return { page, panel };
}

const sent = (tag: string) => [0, 1, 2].map((i) => `${tag} ${i}`);
/** The rows one load shows: its three sends (one task, so before any echo), then their echoes. */
const frames = (tag: string) => [...sent(tag).map((t) => `↑ ${t}`), ...sent(tag).map((t) => `↓ ${t}`)];
const texts = (s: SessionFileV1, connId: string, dir: 'sent' | 'received') => exportedPayloads(s, connId, dir).map((f) => f.bytes.toString());

test('with Preserve log ticked, a reload keeps the earlier frames, separated by a row naming the page', async () => {
  const { page, panel } = await loadApp();
  await setPreserveLog(panel, true);
  await waitForCounts(panel, 1, 6);

  await page.reload();
  await waitForCounts(panel, 2, 12);
  // Narrows the table to this test's frames; navigation rows show whatever the filter.
  await setPanelFilter(panel, 'reload');
  const rows = await waitForRows(panel, 'the last echo after the reload', (r) => r.includes('↓ after reload 2'));
  expect(rows.slice(0, 6)).toEqual(frames('before reload'));
  expect(rows[6]).toMatch(/^separator: Navigated to (\S+) at \d\d:\d\d:\d\d\.\d{3}$/);
  expect(/Navigated to (\S+)/.exec(rows[6]!)![1]).toBe(`${server.origin}/app`);
  expect(rows.slice(7)).toEqual(frames('after reload'));
  expect(rows).toHaveLength(13);
  expect(await connectionCount(panel)).toBe('2 connections');

  const session = await exportSession(panel, chrome.downloads);
  expect(session.connections.map((c) => new URL(c.url).search)).toEqual(['?load=0', '?load=1']);
  const [before, after] = session.connections.map((c) => c.id) as [string, string];
  // The browser closed the old page's socket as it unloaded it; the panel says so instead of "open".
  expect(session.connections[0]!.close).toMatchObject({ code: 1001 });
  expect(session.connections[1]!.close).toBeNull();
  expect(texts(session, before, 'sent')).toEqual(sent('before reload'));
  expect(texts(session, before, 'received')).toEqual(sent('before reload'));
  expect(texts(session, after, 'sent')).toEqual(sent('after reload'));
  expect(texts(session, after, 'received')).toEqual(sent('after reload'));
  await page.close();
});

test('with Preserve log unticked, a reload starts the log afresh', async () => {
  const { page, panel } = await loadApp();
  await setPreserveLog(panel, false);
  await waitForCounts(panel, 1, 6);

  await page.reload();
  await setPanelFilter(panel, 'reload');
  // The echo of the last frame is the new document's last event: after it nothing else arrives.
  const rows = await waitForRows(panel, 'the last echo after the reload', (r) => r.includes('↓ after reload 2'));
  expect(rows).toEqual(frames('after reload'));
  expect(await counts(panel)).toBe('6 of 6 frames');
  expect(await connectionCount(panel)).toBe('1 connection');

  const session = await exportSession(panel, chrome.downloads);
  expect(session.connections.map((c) => new URL(c.url).search)).toEqual(['?load=1']);
  expect(session.frames).toHaveLength(6);
  expect(texts(session, session.connections[0]!.id, 'sent')).toEqual(sent('after reload'));
  expect(texts(session, session.connections[0]!.id, 'received')).toEqual(sent('after reload'));
  await page.close();
});
