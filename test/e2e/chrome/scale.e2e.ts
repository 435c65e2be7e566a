/**
 * Chromium, real DevTools panel: a page sends 1,000,000 frames through the whole data path. The
 * panel holds them all, its DOM stays bounded whatever the count, and it stays usable: filtering
 * all of them and jumping to the end work. (How fast is measured by `npm run bench`, not here:
 * the waits below are generous bounds for a busy 2-core machine, about 3× the time a quiet one takes.)
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

const TOTAL = 1_000_000;
let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blast', `<!doctype html><script>
    window.blast = () => new Promise((done) => {
      const ws = new WebSocket('ws://' + location.host + '/sink');
      ws.onopen = () => {
        let n = 0;
        const chunk = () => {
          for (const end = Math.min(n + 20000, ${TOTAL}); n < end; n++) ws.send('{"seq":' + n + ',"kind":"tick","v":"' + (n % 7 === 0 ? 'odd' : 'even') + '"}');
          if (n < ${TOTAL}) setTimeout(chunk, 0); else done(n);
        };
        chunk();
      };
    });
  </script>`);
  server.onSocket('/sink', () => {});
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('1,000,000 frames in the real panel: all held, DOM bounded, filter and End still work', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/blast`);
  const panel = await showPanel(devtools);
  const domRows = () => panel.evaluate(() => document.querySelectorAll('.frame-canvas [role=row]').length);
  const rowsBefore = await domRows();

  expect(await page.evaluate(() => (window as unknown as { blast(): Promise<number> }).blast())).toBe(TOTAL);
  await panel.waitForFunction((t: number) => document.querySelector('[data-testid=counts]')?.textContent === `${t} of ${t} frames`,
    { timeout: 300_000, polling: 1000 }, TOTAL);

  const rows = await domRows();
  expect(rows).toBeLessThan(80);
  expect(rows).toBeGreaterThan(rowsBefore);
  expect(await panel.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2000);
  expect(await panel.evaluate(() => document.querySelector('[data-testid=dropped]'))).toBeNull();

  // The newest frame comes into view (follow mode renders it on the scroll that follows the
  // count), and a filter over all of them narrows to one.
  await panel.waitForFunction((t: number) => document.querySelector('.frame-canvas')!.textContent!.includes(`"seq":${t - 1},`), { timeout: 60_000 }, TOTAL);
  await setPanelFilter(panel, '"seq":424242,');
  await panel.waitForFunction((t: number) => document.querySelector('[data-testid=counts]')?.textContent === `1 of ${t} frames`, { timeout: 60_000 }, TOTAL);
  expect(await panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame .preview')].map((e) => e.textContent)))
    .toEqual([`{"seq":424242,"kind":"tick","v":"${424242 % 7 === 0 ? 'odd' : 'even'}"}`]);
  await setPanelFilter(panel, '/"v":"odd"/');
  await panel.waitForFunction((t: number) => document.querySelector('[data-testid=counts]')?.textContent === `${Math.ceil(t / 7)} of ${t} frames`, { timeout: 60_000 }, TOTAL);
  const grid = (await panel.waitForSelector('[role=grid]'))!;
  await grid.focus();
  await grid.press('End');
  const last = `{"seq":${Math.floor((TOTAL - 1) / 7) * 7},"kind":"tick","v":"odd"}`;
  await panel.waitForFunction((t: string) => document.querySelector('.frame-canvas .row.selected .preview')?.textContent === t, { timeout: 60_000 }, last)
    .catch(async (e) => { throw new Error(`End selected "${await panel.evaluate(() => document.querySelector('.frame-canvas .row.selected .preview')?.textContent)}"`, { cause: e }); });
  expect(await domRows()).toBeLessThan(80);
}, 480_000);
