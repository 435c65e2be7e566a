/**
 * Firefox's real DevTools toolbox, with the real dist/firefox build (no test hooks): the toolbox
 * docked on a page with live sockets, the WebSockets panel selected in it, its frame rows visible
 * in the panel's viewport, and an export through the panel's Export… dialog, saved by Firefox,
 * whose frames are the ones the server saw. How the toolbox is driven: test/support/firefox-toolbox.ts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { FIREFOX_DIST, clickSessionExport } from '../../support/firefox';
import { launchFirefoxToolbox, openToolboxOnPanel, waitForDownload, type FirefoxToolboxSession, type ToolboxPanel } from '../../support/firefox-toolbox';
import { exportedPayloads } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';

const TEXT_FRAMES = 20; // the page sends "live 1" … "live 20", and 2 bytes after every fifth
const PUSHES = 10;
const FRAMES = 2 * (TEXT_FRAMES + TEXT_FRAMES / 5) + PUSHES; // echoed both ways, plus the pushes
/** Rows that must be in view at Firefox's default bottom dock (250 px of toolbox: the panel gets ~221 px). */
const MIN_ROWS = 5;

let server: TestServer;
let ff: FirefoxToolboxSession | undefined;
const pushed: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  server.page('/live', `<!doctype html><title>live sockets</title><script>
    const base = 'ws://' + location.host;
    const echo = new WebSocket(base + '/echo');
    echo.binaryType = 'arraybuffer';
    let n = 0;
    echo.onopen = () => {
      const t = setInterval(() => {
        echo.send('live ' + ++n);
        if (n % 5 === 0) echo.send(new Uint8Array([n, 0xff]));
        if (n === ${TEXT_FRAMES}) clearInterval(t);
      }, 25);
    };
    const push = new WebSocket(base + '/push');
  </script>`);
  server.onSocket('/push', (s) => {
    let i = 0;
    const t = setInterval(() => {
      const m = `tick ${++i}`;
      pushed.push(m);
      s.ws.send(m);
      if (i === PUSHES) clearInterval(t);
    }, 30);
    s.ws.on('close', () => clearInterval(t));
  });
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

/** The live page in a fresh Firefox, with its toolbox open on the WebSockets panel at the default dock. */
async function openLive(theme: 'light' | 'dark') {
  await ff?.close();
  pushed.length = 0;
  ff = await launchFirefoxToolbox({ extension: FIREFOX_DIST, prefs: { 'devtools.theme': theme } });
  // The window's only tab: a background tab would spoil the screenshot (see captureWindow).
  const page = (await ff.browser.pages())[0]!;
  await page.goto(`${server.origin}/live`);
  const panel = await openToolboxOnPanel(ff, page);
  await panel.waitForFunction((frames: number) =>
    document.querySelector('[data-testid=connection-count]')?.textContent === '2 connections' &&
    document.querySelector('[data-testid=counts]')?.textContent === `${frames} of ${frames} frames`, { timeout: 60_000 }, FRAMES)
    .catch(async (e) => { throw new Error(`the panel shows "${await panel.evaluate(() => document.body.innerText)}"`, { cause: e }); });
  return panel;
}

/** Frame rows really visible at the default dock: inside the panel's viewport, and hit by a click at their centre. */
async function visibleRows(panel: ToolboxPanel): Promise<string[]> {
  return panel.waitForFunction((min: number) => {
    const rows = [...document.querySelectorAll<HTMLElement>('.frame-canvas .row.frame')].filter((r) => {
      const b = r.getBoundingClientRect();
      if (b.height === 0 || b.top < 0 || b.bottom > innerHeight || b.left >= innerWidth || b.right <= 0) return false;
      const x = (Math.max(b.left, 0) + Math.min(b.right, innerWidth)) / 2;
      return r.contains(document.elementFromPoint(x, (b.top + b.bottom) / 2));
    });
    return rows.length >= min && rows.map((r) => r.innerText);
  }, { timeout: 60_000 }, MIN_ROWS).catch(async (e) => {
    throw new Error(`fewer than ${MIN_ROWS} frame rows are visible in the ${JSON.stringify(await panel.viewport())} panel at the default dock`, { cause: e });
  });
}

/** Page, toolbox and panel as Firefox paints them, for the README. */
async function screenshot(panel: ToolboxPanel, theme: 'light' | 'dark'): Promise<void> {
  const png = await panel.screenshot();
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  writeFileSync(resolve(`docs/screenshots/firefox-docked-bottom-${theme}.png`), png);
}

test('the real toolbox at its default bottom dock shows the live frames, and its export is what the server saw', async () => {
  const panel = await openLive('light');
  expect(panel.opened).toMatchObject({ label: 'WebSockets', hostType: 'bottom' });
  expect(panel.opened.selectedToolId).toBe(panel.opened.toolId);
  expect(panel.opened.toolId).toMatch(/^webext-devtools-panel-/);
  expect(panel.opened.url).toMatch(/^moz-extension:\/\/[0-9a-f-]+\/src\/panel\/panel\.html$/);
  // The real panel: no ?tabId= in its URL; the tab comes from devtools.inspectedWindow.
  expect(await panel.evaluate(() => typeof (globalThis as unknown as { browser: { devtools: { inspectedWindow: { tabId: unknown } } } })
    .browser.devtools.inspectedWindow.tabId)).toBe('number');
  const viewport = await panel.viewport();
  const visible = await visibleRows(panel);
  console.log(`[measure] Firefox toolbox at its default bottom dock: the panel is ${viewport.width} × ${viewport.height}; ${visible.length} frame rows in view`);
  expect(viewport.height).toBeLessThan(260); // really the default dock, not a taller one
  // The page's own frames: its texts, the pushes, and its two-byte binaries shown in hex.
  expect(visible.filter((t) => /live \d+|tick \d+|\b[0-9a-f]{2} ff\b/.test(t)).length).toBeGreaterThanOrEqual(MIN_ROWS);
  await screenshot(panel, 'light');

  // Export… as a user does; Firefox saves the file itself.
  await clickSessionExport(panel);
  const session = JSON.parse((await waitForDownload(ff!.downloads, '.json')).text) as SessionFileV1;
  const conn = (path: string) => session.connections.find((c) => new URL(c.url).pathname === path)!;
  const echo = conn('/echo');
  const push = conn('/push');
  expect(echo.close).toBeNull(); // still live when exported
  expect(push.close).toBeNull();
  const serverEcho = server.sockets.find((s) => s.path === '/echo')!;
  const saw = serverEcho.received.map((r) => ({ type: r.isBinary ? 'binary' : 'text', bytes: r.data }));
  expect(saw).toHaveLength(TEXT_FRAMES + TEXT_FRAMES / 5);
  expect(exportedPayloads(session, echo.id, 'sent')).toEqual(saw);
  expect(exportedPayloads(session, echo.id, 'received')).toEqual(saw); // the server echoed each one
  expect(exportedPayloads(session, push.id, 'received').map((f) => f.bytes.toString())).toEqual(pushed);
  expect(session.frames).toHaveLength(FRAMES);

  await panel.close();
});

test('with Firefox\'s dark theme the panel is dark, and its frames are in view at the default dock', async () => {
  const panel = await openLive('dark');
  expect(await panel.evaluate(() => document.documentElement.classList.contains('theme-dark'))).toBe(true);
  expect((await visibleRows(panel)).length).toBeGreaterThanOrEqual(MIN_ROWS);
  await screenshot(panel, 'dark');
  await panel.close();
});
