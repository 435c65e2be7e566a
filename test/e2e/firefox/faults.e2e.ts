/**
 * Firefox: a navigation while sockets stream, and 500 sockets opened at once. The panel (opened
 * as a tab for the inspected tab, see support/firefox.ts) ends with exactly as many frames, per
 * page and direction, as the server's own log and the page's own onmessage saw; the page sees no
 * exception.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from '../../support/browsers';
import { EXTENSION_UUID, FIREFOX_E2E_DIST, GECKO_ID, openPanelTab, relayTabId } from '../../support/firefox';
import { setPanelFilter } from '../../support/panel';
import { startTestServer, type ServerSocket, type TestServer } from '../../support/test-server';
import { NAV_A_PAGE, NAV_B_PAGE, watchPage } from '../../support/fault-pages';

let server: TestServer;
let browser: Browser;
let profile: string;
const serverSent = new Map<ServerSocket, number>();

beforeAll(async () => {
  server = await startTestServer();
  server.page('/favicon.ico', '');
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/nav-a', NAV_A_PAGE);
  server.page('/nav-b', NAV_B_PAGE);
  server.onSocket('/stream', (s, req) => {
    serverSent.set(s, 0);
    const q = new URL(req.url!, 'http://x').searchParams;
    const limit = Number(q.get('limit') ?? Infinity);
    const t = setInterval(() => {
      if (s.ws.readyState !== 1) return;
      const n = serverSent.get(s)!;
      s.ws.send(`${q.get('doc')} down ${n}`);
      serverSent.set(s, n + 1);
      if (n + 1 >= limit) clearInterval(t);
    }, 5);
    s.ws.on('close', () => clearInterval(t));
  });
  server.page('/many', `<!doctype html><script>
    window.done = 0;
    for (let i = 0; i < 500; i++) {
      const ws = new WebSocket('ws://' + location.host + '/many?i=' + i);
      let got = 0;
      ws.onopen = () => { for (let k = 0; k < 3; k++) ws.send('s' + i + ' m' + k); };
      ws.onmessage = () => { if (++got === 4) window.done++; };
    }
  </script>`);
  server.onSocket('/many', (s) => {
    s.ws.send('hello');
    s.ws.on('message', (d) => s.ws.send(String(d)));
  });

  // As support/firefox.ts launches it, plus one pref: Firefox allows 200 WebSockets by default
  // (network.websocket.max-connections), and this test needs 500 open at once.
  profile = mkdtempSync(join(tmpdir(), 'sockscope-ff-faults-'));
  browser = await puppeteer.launch({
    browser: 'firefox', executablePath: firefoxPath(), headless: true, userDataDir: profile,
    extraPrefsFirefox: {
      'network.http.http3.enable': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'datareporting.policy.dataSubmissionEnabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'network.websocket.max-connections': 1000,
    },
  });
  await browser.installExtension(FIREFOX_E2E_DIST);
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.close();
});

const countsText = (panel: Page) => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');

/** Waits until the panel, filtered by `filter`, reads exactly "n of total frames"; fails showing what it read. */
async function expectFiltered(panel: Page, filter: string, n: number, total: number): Promise<void> {
  await setPanelFilter(panel, filter);
  await panel.waitForFunction((want: string) => document.querySelector('[data-testid=counts]')?.textContent === want, { timeout: 60_000 }, `${n} of ${total} frames`)
    .catch(async (e) => { throw new Error(`filter ${filter}: wanted "${n} of ${total} frames", the panel shows "${await countsText(panel)}"`, { cause: e }); });
}

async function inspectedTab(): Promise<{ page: Page; panel: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.origin}/blank`);
  const panel = await openPanelTab(browser, server.origin, await relayTabId(page));
  return { page, panel, problems };
}

test('Firefox: navigating while sockets stream loses no frame of either page (Preserve log on)', async () => {
  const { page, panel, problems } = await inspectedTab();
  const box = (await panel.waitForSelector('::-p-aria(Preserve log[role="checkbox"])'))!;
  if (!(await box.evaluate((e) => (e as HTMLInputElement).checked))) await box.click();

  // The panel's tab opened in front; a background tab's timers run at most once a second.
  await page.bringToFront();
  await page.goto(`${server.origin}/nav-a`);
  const a = await server.waitFor(() => server.sockets.find((s) => s.path === '/stream' && s.received[0]?.data.toString().startsWith('a ')), 'page a streaming');
  await server.waitFor(() => a.received.length >= 150, 'page a streaming');
  await page.goto(`${server.origin}/nav-b`);
  const b = await server.waitFor(() => server.sockets.find((s) => s.path === '/stream' && s.received[0]?.data.toString().startsWith('b ')), 'page b streaming');
  await server.waitFor(() => b.received.length === 200, 'page b\'s 200 frames at the server', 60_000);
  await page.waitForFunction(() => (window as unknown as { received: number }).received === 200);
  const aSent = Number(await page.evaluate(() => sessionStorage.getItem('a-sent')));
  const aReceived = Number(await page.evaluate(() => sessionStorage.getItem('a-received')));
  console.log(`[measure] Firefox navigation mid-stream: page a sent ${aSent} (server got ${a.received.length}), received ${aReceived} (server sent ${serverSent.get(a)})`);
  expect(aSent, 'the browser delivered every send() of the unloaded page').toBe(a.received.length);

  const total = a.received.length + aReceived + 400;
  await panel.bringToFront();
  await expectFiltered(panel, '', total, total);
  await expectFiltered(panel, 'a up', a.received.length, total);
  await expectFiltered(panel, 'a down', aReceived, total);
  await expectFiltered(panel, 'b up', 200, total);
  await expectFiltered(panel, 'b down', 200, total);
  // The newest of each, so the counts are the right frames, not just as many.
  await expectFiltered(panel, `/^a up ${a.received.length - 1}$/`, 1, total);
  await expectFiltered(panel, `/^a down ${aReceived - 1}$/`, 1, total);
  await setPanelFilter(panel, '');
  expect(await panel.evaluate(() => document.querySelector('[data-testid=dropped]')?.textContent ?? null)).toBeNull();
  expect(problems).toEqual([]);
  await panel.close();
  await page.close();
});

test('Firefox: 500 sockets opened at once: every socket and every frame is in the panel', async () => {
  const { page, panel, problems } = await inspectedTab();
  await page.goto(`${server.origin}/many`);
  await page.waitForFunction(() => (window as unknown as { done: number }).done === 500, { timeout: 60_000, polling: 100 });
  expect(server.sockets.filter((s) => s.path === '/many')).toHaveLength(500);
  await panel.waitForFunction(() => document.querySelector('[data-testid=connection-count]')?.textContent === '500 connections', { timeout: 60_000 });
  await expectFiltered(panel, '', 3500, 3500);
  await expectFiltered(panel, '/^hello$/', 500, 3500);
  await expectFiltered(panel, '/^s499 m2$/', 2, 3500); // sent and echoed
  expect(await panel.evaluate(() => document.querySelector('[data-testid=dropped]')?.textContent ?? null)).toBeNull();
  expect(problems).toEqual([]);
  await panel.close();
  await page.close();
});
