/**
 * Firefox: request/response pairing (issue 20) in the panel, opened as a tab of the test build.
 * The JSON-RPC scenario of the Chromium test: a `ws` server on 127.0.0.1 answers `slow` after
 * SLOW_MS, `fast` at once, `broken` with an error and `lost` never. The Calls view's numbers are
 * read from its rows' data attributes; the filters' results from exports of what they show; every
 * latency is compared with the page's own timestamps in a full export.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { setPanelFilter } from '../../support/panel';
import {
  clickNamed, filterText, latencyInText, pollUntil, readCallCounts, readDetail, rpcLatencies, rpcRequest, RPC_CALLS, RPC_FRAMES,
  selectedView, serveJsonRpc, setNoResponseSeconds, shownOfTotal, showView, texts, waitForCall, waitForShown,
} from '../../support/pairing';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let ff: FirefoxSession;
let page: Page;
let panel: Page;
let full: SessionFileV1;
let lat: ReturnType<typeof rpcLatencies>;

/**
 * Exports what the filter shows, through the Export… dialog as a user does it. The download
 * cannot be steered over BiDi: the click on the file's link is caught and its blob read instead.
 */
async function exportShown(): Promise<SessionFileV1> {
  await panel.evaluate(() => {
    const w = window as unknown as { exported?: Promise<string>; catching?: boolean };
    w.exported = undefined;
    if (w.catching) return;
    w.catching = true;
    document.addEventListener('click', (e) => {
      const a = e.target;
      if (a instanceof HTMLAnchorElement && a.download) { e.preventDefault(); w.exported = fetch(a.href).then((r) => r.text()); }
    }, { capture: true });
  });
  await clickNamed(panel, 'Export…');
  await panel.waitForSelector('[role=dialog][aria-label=Export]');
  // Session format, only what the filter shows, nothing masked.
  await panel.evaluate(() => {
    const d = document.querySelector('[role=dialog][aria-label=Export]')!;
    const radios = d.querySelectorAll<HTMLInputElement>('input[type=radio]');
    radios[0]!.click();
    radios[3]!.click();
    const redact = d.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    if (redact.checked) redact.click();
  });
  await panel.waitForFunction(() => {
    const radios = document.querySelectorAll<HTMLInputElement>('[role=dialog][aria-label=Export] input[type=radio]');
    return radios[0]?.checked && radios[3]?.checked;
  });
  await clickNamed(panel, 'Save export');
  const text = await panel.evaluate(async () => {
    const w = window as unknown as { exported?: Promise<string> };
    for (let i = 0; i < 1200 && !w.exported; i++) await new Promise((r) => setTimeout(r, 50));
    return w.exported!;
  });
  return JSON.parse(text) as SessionFileV1;
}

async function filteredExport(query: string, n: number): Promise<SessionFileV1> {
  await setPanelFilter(panel, query);
  await waitForShown(panel, n, `"${query}"`);
  const s = await exportShown();
  expect(s.filtered?.query).toBe(`matching ${query}`);
  return s;
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  serveJsonRpc(server);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  page = await ff.browser.newPage();
  await page.goto(`${server.origin}/rpc`);
  await page.waitForFunction((n: number) => (window as unknown as { answered: number }).answered === n, { timeout: 60_000, polling: 100 }, RPC_FRAMES - RPC_CALLS.length);
  panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await pollUntil(() => shownOfTotal(panel), (c) => c !== null && c[1] === RPC_FRAMES, `${RPC_FRAMES} frames in the panel`);
  // Every frame, to compare with.
  full = await exportFromPanelTab(panel);
  expect(full.frames).toHaveLength(RPC_FRAMES);
  lat = rpcLatencies(full);
  for (const l of lat.filter((y) => y.method === 'slow')) expect(l.latency!).toBeGreaterThanOrEqual(300);
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

describe('Firefox: JSON-RPC calls paired with their results', () => {
  test('the Calls view: slow calls take ≥ 300 ms, longer than the fast ones; every answered call is answered', async () => {
    await showView(panel, 'Calls');
    const slow = await waitForCall(panel, 'slow', (r) => r.count === 3 && r.pending === 0 && r.p50 !== null, 'with its 3 calls answered');
    const fast = await waitForCall(panel, 'fast', (r) => r.count === 4 && r.pending === 0, 'with its 4 calls answered');
    await waitForCall(panel, 'broken', (r) => r.count === 1 && r.errors === 1 && r.pending === 0, 'with its error');
    const lost = await waitForCall(panel, 'lost', (r) => r.count === 1, 'counted');
    expect(slow).toMatchObject({ protocol: 'json-rpc', errors: 0, noResponse: 0 });
    expect(fast).toMatchObject({ protocol: 'json-rpc', errors: 0, noResponse: 0 });
    expect(slow.p50!).toBeGreaterThanOrEqual(300);
    expect(slow.max!).toBeGreaterThan(fast.max!);
    const max = (m: string) => Math.max(...lat.filter((l) => l.method === m && l.dir === 'sent').map((l) => l.latency!));
    expect(Math.abs(slow.max! - max('slow'))).toBeLessThanOrEqual(1);
    expect(Math.abs(fast.max! - max('fast'))).toBeLessThanOrEqual(1);
    expect(lost).toMatchObject({ p50: null, max: null });
    expect(lost.pending + lost.noResponse).toBe(1);
    expect(await readCallCounts(panel)).toMatchObject({ exchanges: RPC_CALLS.length, untracked: 0, orphans: 0, reused: 0, merged: 0 });
  });

  test('with the timeout at 1 s, the call nobody answered shows as no response', async () => {
    await showView(panel, 'Calls');
    await setNoResponseSeconds(panel, 1);
    const lost = await waitForCall(panel, 'lost', (r) => r.noResponse === 1, 'marked no response');
    expect(lost.pending).toBe(0);
  });

  test('latency:>250ms is the slow calls and their results; unanswered is the lost call', async () => {
    await showView(panel, 'Frames');
    const over = lat.filter((l) => l.latency !== null && l.latency > 250).map((l) => l.text);
    expect(over).toEqual(expect.arrayContaining(lat.filter((l) => l.method === 'slow').map((l) => l.text)));
    expect(texts(await filteredExport('latency:>250ms', over.length))).toEqual(over);
    expect(texts(await filteredExport('unanswered', 1))).toEqual([rpcRequest('lost', 6)]);
    await setPanelFilter(panel, '');
  });

  test('"Show frames of slow" shows that call\'s frames', async () => {
    await showView(panel, 'Calls');
    await clickNamed(panel, 'Show frames of slow');
    await pollUntil(() => selectedView(panel), (v) => v === 'Frames', 'the Frames view');
    expect(await filterText(panel)).toBe('call:slow');
    await waitForShown(panel, 6, 'call:slow');
    await setPanelFilter(panel, '');
  });

  test('a selected slow call shows its latency; "Go to response" selects its result', async () => {
    await showView(panel, 'Frames');
    await setPanelFilter(panel, 'call:slow "id":4');
    await waitForShown(panel, 2, 'call:slow "id":4');
    await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.frame').length === 2, { timeout: 60_000, polling: 100 });
    await panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame')]
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))[0]!
      .dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    const req = await pollUntil(() => readDetail(panel), (d) => d.head.includes('↑ sent') && d.pair !== null, 'the request selected, with its pair detail');
    const exact = lat.find((l) => l.text === rpcRequest('slow', 4))!.latency!;
    const shown = [...req.pair!.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(ms|s)\b/g)].map((m) => latencyInText(m[0])!);
    expect(shown.some((ms) => ms >= 300 && Math.abs(ms - exact) <= exact * 0.02 + 1), `pair detail "${req.pair}" against ${exact} ms`).toBe(true);
    await clickNamed(panel, 'Go to response');
    await pollUntil(() => readDetail(panel), (d) => d.head.includes('↓ received') && d.text.includes('slow 4 done'), 'the result selected');
    await setPanelFilter(panel, '');
  });
});
