/**
 * Measuring inside the real panel without touching product code: everything here reads the
 * panel's DOM from the panel frame (functions, not strings: the extension's CSP forbids eval).
 * The panel applies batches to its model at once and renders at most every 33 ms
 * (RENDER_INTERVAL_MS in src/panel/store.ts); a MutationObserver callback runs right after that
 * render's DOM commit. So "in the panel" here means "in the model and rendered", which is later
 * than "in the model" by at most one render interval (~33 ms) plus the render itself.
 */
import type { CDPSession, Frame } from 'puppeteer-core';

type Win = Window & { __bench?: { obs: [number, number, number][]; stop(): void } };

/** Starts logging [epoch ms, frames held ("y" of "x of y frames"), frames dropped] at every change. */
export async function recordCounts(panel: Frame): Promise<void> {
  await panel.evaluate(() => {
    const w = window as Win;
    w.__bench?.stop();
    const obs: [number, number, number][] = [];
    const read = () => {
      const c = /(\d+) of (\d+) frames/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
      const d = /(\d+) frames dropped/.exec(document.querySelector('[data-testid=dropped]')?.textContent ?? '');
      obs.push([performance.timeOrigin + performance.now(), c ? Number(c[2]) : 0, d ? Number(d[1]) : 0]);
    };
    const mo = new MutationObserver(read);
    const opts = { subtree: true, characterData: true, childList: true };
    mo.observe(document.querySelector('.filterbar')!, opts);
    mo.observe(document.querySelector('.summary')!, opts);
    w.__bench = { obs, stop: () => mo.disconnect() };
    read();
  });
}

export async function countsLog(panel: Frame, stop = true): Promise<[number, number, number][]> {
  return panel.evaluate((s: boolean) => {
    const b = (window as Win).__bench!;
    if (s) b.stop();
    return b.obs;
  }, stop);
}

/** The panel's counts now: frames held and frames dropped. */
export async function countsNow(panel: Frame): Promise<{ held: number; dropped: number; text: string }> {
  return panel.evaluate(() => {
    const text = document.querySelector('[data-testid=counts]')?.textContent ?? '';
    const c = /(\d+) of (\d+) frames/.exec(text);
    const d = /(\d+) frames dropped/.exec(document.querySelector('[data-testid=dropped]')?.textContent ?? '');
    return { held: c ? Number(c[2]) : 0, dropped: d ? Number(d[1]) : 0, text };
  });
}

/**
 * Puts `text` in the filter box at once (as a paste does) and times it until the counts text
 * changes: the filter runs synchronously over every held row, then the panel renders. Callers
 * alternate filters so that each one changes the count.
 */
export async function timeFilter(panel: Frame, text: string): Promise<{ ms: number; counts: string }> {
  return panel.evaluate((t: string) => new Promise<{ ms: number; counts: string }>((resolve, reject) => {
    const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
    const counts = document.querySelector('[data-testid=counts]')!;
    const before = counts.textContent;
    let t0 = 0;
    const timer = setTimeout(() => { mo.disconnect(); reject(new Error(`filter ${t}: the counts stayed "${before}"`)); }, 60_000);
    const mo = new MutationObserver(() => {
      if (counts.textContent === before) return;
      const ms = performance.now() - t0;
      mo.disconnect();
      clearTimeout(timer);
      resolve({ ms, counts: counts.textContent ?? '' });
    });
    mo.observe(counts, { subtree: true, characterData: true, childList: true });
    t0 = performance.now();
    box.value = t;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }), text);
}

/**
 * Selects a visible frame row as a click does (the table selects on mousedown) and times it until
 * the detail pane has rendered it. `which` picks the row by its preview: a 100 B "tick" frame
 * ("small") or a 1–10 KB "big" one ("large"); `skip` picks another row of that kind.
 */
export async function timeSelect(panel: Frame, which: 'small' | 'large', skip: number): Promise<{ ms: number; head: string }> {
  return panel.evaluate((w: string, k: number) => new Promise<{ ms: number; head: string }>((resolve, reject) => {
    const rows = [...document.querySelectorAll('.frame-canvas .row.frame:not(.selected)')]
      .filter((r) => (r.querySelector('.preview')?.textContent ?? '').includes(w === 'small' ? '"kind":"tick"' : '"kind":"big"'));
    const row = rows[Math.min(k, rows.length - 1)];
    if (!row) {
      const seen = [...document.querySelectorAll('.frame-canvas .row.frame')].slice(0, 3).map((r) => (r.querySelector('.preview')?.textContent ?? r.textContent ?? '').slice(0, 60));
      reject(new Error(`no visible ${w} frame row to select; the visible rows begin ${JSON.stringify(seen)}`));
      return;
    }
    // The detail pane takes room only once a frame is selected: before the first selection, watch where it will appear.
    const pane = document.querySelector('aside.detail') ?? document.querySelector('.main')!;
    let t0 = 0;
    const timer = setTimeout(() => { mo.disconnect(); reject(new Error('the detail pane never rendered the selected frame')); }, 30_000);
    const mo = new MutationObserver(() => {
      const head = pane.querySelector('.detail-frame .detail-head')?.textContent;
      if (!head) return;
      const ms = performance.now() - t0;
      mo.disconnect();
      clearTimeout(timer);
      resolve({ ms, head });
    });
    mo.observe(pane, { subtree: true, characterData: true, childList: true });
    t0 = performance.now();
    row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  }), which, skip);
}

/** Elements in the panel document. */
export const domNodes = (panel: Frame) => panel.evaluate(() => document.getElementsByTagName('*').length);

/** The panel's JS heap after a full GC, in MB (the panel's renderer isolate: its own process). */
export async function panelHeapMB(session: CDPSession): Promise<{ usedMB: number; totalMB: number }> {
  await session.send('HeapProfiler.collectGarbage');
  const h = await session.send('Runtime.getHeapUsage');
  return { usedMB: h.usedSize / 2 ** 20, totalMB: h.totalSize / 2 ** 20 };
}

/** Epoch-ms clock of a context minus the Node process's Date.now() (median of 5 samples). */
export async function clockOffset(ctx: Frame | { evaluate: Frame['evaluate'] }): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = Date.now();
    const t = await ctx.evaluate(() => performance.timeOrigin + performance.now());
    const after = Date.now();
    xs.push(t - (before + after) / 2);
  }
  return xs.sort((a, b) => a - b)[2]!;
}

/**
 * Shows the Calls view as a click on its tab does, timed until its table has rendered a row; then
 * shows the frames again, timed until the frame table is back. Null when the panel has no Calls
 * tab (role="tab" named "Calls").
 */
export async function timeCallsTab(panel: Frame): Promise<{ ms: number; backMs: number; rows: number } | null> {
  return panel.evaluate(() => new Promise<{ ms: number; backMs: number; rows: number } | null>((resolve, reject) => {
    const tabs = [...document.querySelectorAll<HTMLElement>('[role=tab]')];
    const named = (n: string) => tabs.find((t) => t.getAttribute('aria-label') === n || new RegExp(`^${n}\\b`).test((t.textContent ?? '').trim()));
    const calls = named('Calls'), frames = named('Frames');
    if (!calls || !frames) { resolve(null); return; }
    // Resolves at the first DOM commit after which `done()` holds.
    const until = (done: () => boolean, what: string, act: () => void) => new Promise<number>((ok) => {
      let t0 = 0;
      const timer = setTimeout(() => { mo.disconnect(); reject(new Error(`${what} never rendered`)); }, 30_000);
      const mo = new MutationObserver(() => {
        if (!done()) return;
        const ms = performance.now() - t0;
        mo.disconnect();
        clearTimeout(timer);
        ok(ms);
      });
      mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      t0 = performance.now();
      act();
    });
    const table = () => document.querySelector('[data-testid=calls-table] tbody tr') !== null;
    void (async () => {
      const ms = await until(table, 'the Calls table', () => calls.click());
      const rows = document.querySelectorAll('[data-testid=calls-table] tbody tr').length;
      const backMs = await until(() => !table() && document.querySelector('.frame-canvas') !== null, 'the frame table', () => frames.click());
      resolve({ ms, backMs, rows });
    })();
  }));
}
