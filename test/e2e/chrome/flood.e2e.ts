/**
 * Chromium, real DevTools panel: the server floods a page with 20,000 messages a second (200
 * every 10 ms, ~100 B each). The counts are exact: what the panel holds plus what it says was
 * dropped equals what the server sent, and both stay within the caps of src/protocol/limits.ts.
 * The page's input latency, its longest task and the heaps are printed as [measure], not asserted.
 * Run once with the panel open from the start, once with DevTools opened after the flood (then
 * the relay's history caps apply: the oldest frames past RELAY_HISTORY_MAX_FRAMES are dropped and counted).
 */
import { afterEach, beforeAll, afterAll, expect, test } from 'vitest';
import type { Browser, CDPSession, Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, openDevTools, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter } from '../../support/panel';
import { startTestServer, type ServerSocket, type TestServer } from '../../support/test-server';
import { watchPage } from '../../support/fault-pages';
import { PANEL_MAX_FRAMES, RELAY_HISTORY_MAX_FRAMES } from '../../../src/protocol/limits';

const PER_MS = 20; // 20,000 messages a second
const BURST_MS = 10;
/** With the panel open: 10 s of flood. */
const LIVE_TOTAL = 200_000;
/** DevTools opened late: 13 s, so that the relay's history (RELAY_HISTORY_MAX_FRAMES) overflows. */
const LATE_TOTAL = RELAY_HISTORY_MAX_FRAMES + 10_000;

let server: TestServer;
let chrome: ChromeSession | undefined;
/** Per flood: messages the server has sent, and when it started and finished; `socket` holds what it received. */
const floods: { sent: number; total: number; t0: number; t1: number; pageDone: number; socket: ServerSocket }[] = [];
/** Every frame on the flood's socket by the server's own log: what it sent plus what it received (the page's one request). */
const framesOnWire = () => { const f = floods.at(-1)!; return f.sent + f.socket.received.length; };

/** One message: ~100 B of JSON, its sequence number first so that a filter can pick one out. */
const message = (n: number) => {
  const head = `{"seq":${n},"pad":"`;
  return `${head}${'x'.repeat(96 - head.length)}"}`;
};

beforeAll(async () => {
  server = await startTestServer();
  server.page('/favicon.ico', '');
  // The page counts what its own onmessage sees, and records how late its input handlers run.
  server.page('/flood', `<!doctype html><body style="margin:0;height:100vh"><script>
    window.received = 0;
    window.inputDelays = [];
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    addEventListener('mousedown', (e) => { inputDelays.push(performance.now() - e.timeStamp); });
    window.flood = (total) => new Promise((done) => {
      const ws = new WebSocket('ws://' + location.host + '/flood');
      ws.onopen = () => ws.send(String(total));
      ws.onmessage = () => { if (++window.received === total) done(window.received); };
    });
  </script></body>`);
  // Sends in timed bursts, catching up when a timer fires late, so the rate holds on a busy machine.
  server.onSocket('/flood', (s) => {
    s.ws.once('message', (d) => {
      const f = { sent: 0, total: Number(String(d)), t0: Date.now(), t1: 0, pageDone: 0, socket: s };
      floods.push(f);
      const t = setInterval(() => {
        const due = Math.min(f.total, (Date.now() - f.t0 + BURST_MS) * PER_MS);
        while (f.sent < due) s.ws.send(message(f.sent++));
        if (f.sent === f.total) { clearInterval(t); f.t1 = Date.now(); }
      }, BURST_MS);
      s.ws.on('close', () => clearInterval(t));
    });
  });
});

afterEach(async () => {
  await chrome?.close();
  chrome = undefined;
});

afterAll(async () => {
  await server?.close();
});

/**
 * Clicks the page every 100 ms (CDP Input.dispatchMouseEvent) while `during` runs; the page's
 * handler records how long each click waited for its main thread (performance.now() - timeStamp).
 */
async function probeInput<T>(page: Page, during: Promise<T>): Promise<T> {
  const cdp = await page.createCDPSession();
  let over = false;
  const probing = (async () => {
    while (!over) {
      for (const type of ['mousePressed', 'mouseReleased'] as const) {
        await cdp.send('Input.dispatchMouseEvent', { type, x: 20, y: 20, button: 'left', clickCount: 1 });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return await during;
  } finally {
    floods.at(-1)!.pageDone = Date.now();
    over = true;
    await probing;
    await cdp.detach();
  }
}

async function printPageFigures(page: Page, label: string): Promise<void> {
  const { delays, tasks } = await page.evaluate(() => ({
    delays: (window as unknown as { inputDelays: number[] }).inputDelays,
    tasks: (window as unknown as { longTasks: number[] }).longTasks,
  }));
  const sorted = [...delays].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]?.toFixed(1) ?? '-';
  const f = floods.at(-1)!;
  console.log(`[measure] ${label}: server sent ${f.sent} in ${((f.t1 - f.t0) / 1000).toFixed(1)} s (${Math.round(f.sent / ((f.t1 - f.t0) / 1000))}/s); the page had them all ${((f.pageDone - f.t1) / 1000).toFixed(1)} s after the last send`);
  console.log(`[measure] ${label}: page input delay over ${delays.length} clicks: median ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${sorted.at(-1)?.toFixed(1) ?? '-'} ms`);
  console.log(`[measure] ${label}: page long tasks (>50 ms): ${tasks.length}, longest ${tasks.length ? Math.max(...tasks).toFixed(0) : 0} ms`);
}

/** The JS heap after a full GC, in MB, of a target's own isolate (as bench/lib/panel-probes.ts reads it). */
async function heapMB(session: CDPSession): Promise<string> {
  await session.send('HeapProfiler.collectGarbage');
  const h = await session.send('Runtime.getHeapUsage');
  return (h.usedSize / 2 ** 20).toFixed(1);
}

async function panelSession(browser: Browser): Promise<CDPSession> {
  const t = await browser.waitForTarget((x) => x.url().startsWith('chrome-extension://') && x.url().endsWith('/src/panel/panel.html'), { timeout: 60_000 });
  return t.createCDPSession();
}

/** The panel's counts as a user reads them: "x of y frames" and, if any, "N frames dropped". */
async function readCounts(panel: Frame): Promise<{ held: number; dropped: number; text: string }> {
  return panel.evaluate(() => {
    const text = document.querySelector('[data-testid=counts]')?.textContent ?? '';
    const c = /(\d+) of (\d+) frames/.exec(text);
    const d = /(\d+) frames dropped/.exec(document.querySelector('[data-testid=dropped]')?.textContent ?? '');
    return { held: c ? Number(c[2]) : -1, dropped: d ? Number(d[1]) : 0, text };
  });
}

/** Waits until held + dropped reaches `total` (never passing it: a surplus would fail the caller's equality). */
async function waitForAccounted(panel: Frame, total: number): Promise<{ held: number; dropped: number; text: string }> {
  await panel.waitForFunction((t: number) => {
    const c = /(\d+) of (\d+) frames/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
    const d = /(\d+) frames dropped/.exec(document.querySelector('[data-testid=dropped]')?.textContent ?? '');
    return c !== null && Number(c[2]) + (d ? Number(d[1]) : 0) >= t;
  }, { timeout: 300_000, polling: 250 }, total);
  await new Promise((r) => setTimeout(r, 500)); // anything still arriving would show as a surplus
  return readCounts(panel);
}

/**
 * The filter finds exactly the frames with the `present` sequence numbers and none with the
 * `absent` ones: one regular expression over every held frame (checks content, not just counts).
 */
async function expectSeqs(panel: Frame, held: number, present: number[], absent: number[]): Promise<void> {
  await setPanelFilter(panel, `/^\\{"seq":(${[...present, ...absent].join('|')}),/`);
  const want = `${present.length} of ${held} frames`;
  await panel.waitForFunction((w: string) => document.querySelector('[data-testid=counts]')?.textContent === w, { timeout: 60_000 }, want)
    .catch(async (e) => { throw new Error(`wanted "${want}", the panel shows "${(await readCounts(panel)).text}"`, { cause: e }); });
}

test('20,000 msg/s for 10 s with the panel open: held + dropped = sent, within the panel caps', async () => {
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  const problems = watchPage(page);
  await page.goto(`${server.origin}/flood`);
  const panel = await showPanel(devtools);
  const heapPanel = await panelSession(chrome.browser);
  const panelBefore = await heapMB(heapPanel);

  const received = await probeInput(page, page.evaluate((n: number) => (window as unknown as { flood(n: number): Promise<number> }).flood(n), LIVE_TOTAL));
  expect(received).toBe(LIVE_TOTAL);
  expect(floods.at(-1)!.sent).toBe(LIVE_TOTAL);
  await printPageFigures(page, 'flood, panel open');

  const wire = framesOnWire();
  const c = await waitForAccounted(panel, wire);
  console.log(`[measure] flood, panel open: panel complete ${((Date.now() - floods.at(-1)!.t1) / 1000).toFixed(1)} s after the server's last send; holds ${c.held}, dropped ${c.dropped}; panel heap ${panelBefore} → ${await heapMB(heapPanel)} MB`);
  expect(c.held + c.dropped).toBe(wire);
  expect(c.held).toBeLessThanOrEqual(PANEL_MAX_FRAMES);
  expect(c.dropped, 'under every cap, nothing is dropped').toBe(0);
  await expectSeqs(panel, c.held, [0, 1, LIVE_TOTAL - 1], [LIVE_TOTAL]);
  expect(problems).toEqual([]);
}, 420_000);

test('the same flood with DevTools opened after it ends: the relay history cap drops the oldest, and counts them', async () => {
  chrome = await launchChrome({ devtools: false });
  const page = await chrome.browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${server.origin}/flood`);
  const heapPage = await page.createCDPSession();

  const received = await probeInput(page, page.evaluate((n: number) => (window as unknown as { flood(n: number): Promise<number> }).flood(n), LATE_TOTAL));
  expect(received).toBe(LATE_TOTAL);
  expect(floods.at(-1)!.sent).toBe(LATE_TOTAL);
  await printPageFigures(page, 'flood, no DevTools');
  console.log(`[measure] flood, no DevTools: page heap (page + relay history) ${await heapMB(heapPage)} MB`);

  const t = Date.now();
  const panel = await showPanel(await openDevTools(chrome.browser, page));
  console.log(`[measure] flood, DevTools opened late: DevTools and the panel up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const wire = framesOnWire();
  const opened = Date.now();
  const c = await waitForAccounted(panel, wire);
  console.log(`[measure] flood, DevTools opened late: panel complete ${((Date.now() - opened) / 1000).toFixed(1)} s after it was shown; holds ${c.held}, dropped ${c.dropped}; panel heap ${await heapMB(await panelSession(chrome.browser))} MB`);
  expect(c.held + c.dropped).toBe(wire);
  expect(c.held).toBe(RELAY_HISTORY_MAX_FRAMES);
  expect(c.dropped).toBe(wire - RELAY_HISTORY_MAX_FRAMES);
  // The oldest went first: the page's request, then seq 0, 1, …; the first kept is right after the last dropped.
  const firstKept = c.dropped - floods.at(-1)!.socket.received.length;
  const tf = Date.now();
  await expectSeqs(panel, c.held, [firstKept, LATE_TOTAL - 1], [0, firstKept - 1]);
  console.log(`[measure] flood, DevTools opened late: a regex filter over ${c.held} frames took ${((Date.now() - tf) / 1000).toFixed(1)} s`);
  expect(problems).toEqual([]);
}, 420_000);
