/**
 * The longest task on the page's main thread while `run` runs, from a CDP trace: the same
 * "RunTask" events the DevTools Performance panel draws as tasks (it marks those over 50 ms as
 * long). The Long Tasks API would see only tasks over 50 ms; the target here is 16 ms.
 * Content scripts (our relay) run on that same thread, so their tasks count; the extension's
 * service worker and the panel run in other processes and do not.
 * Also says what the longest task was made of: the JS functions it called (from the trace's
 * FunctionCall events, named with their source file) and the events with the most self time.
 */
import type { Page } from 'puppeteer-core';
import { sourceOf } from './cpu-profile';
import { pageProcess, selfTimes, SUMMARY_CATEGORIES, threadOf, topOf, traceDuring, type TraceEvent } from './trace';

export interface LongestTask {
  ms: number;
  tasksOver16ms: number;
  tasksOver50ms: number;
  traced: number;
  /** JS entry points called in the longest task, by total time. */
  calls: { fn: string; ms: number }[];
  /** Trace events with the most self time inside it. */
  parts: { event: string; ms: number }[];
  /** The longest task entered through extension code (relay, or the hook's own timers), if any. */
  ours: { ms: number; fn: string } | null;
}

export async function longestTaskDuring(page: Page, run: () => Promise<unknown>): Promise<LongestTask> {
  const { events } = await traceDuring(page, SUMMARY_CATEGORIES, run);
  return longestTask(events, page.url());
}

/** From a trace that holds the SUMMARY_CATEGORIES. */
export function longestTask(events: TraceEvent[], pageUrl: string): LongestTask {
  const pid = pageProcess(events, pageUrl);
  if (pid === undefined) throw new Error(`the trace does not name the process of ${pageUrl}`);
  const tid = threadOf(events, pid, 'CrRendererMain');
  if (tid === undefined) throw new Error('no CrRendererMain thread in the trace for the page');
  const main = events.filter((e) => e.ph === 'X' && e.pid === pid && e.tid === tid && e.dur);
  const tasks = main.filter((e) => e.name === 'RunTask');
  if (tasks.length === 0) throw new Error('no RunTask events on the page main thread');
  const L = tasks.reduce((a, b) => (b.dur! > a.dur! ? b : a));
  const inside = main.filter((e) => e !== L && e.ts >= L.ts && e.ts + e.dur! <= L.ts + L.dur!);
  const calls = new Map<string, number>();
  for (const e of inside) {
    if (e.name !== 'FunctionCall') continue;
    const d = (e.args?.data ?? {}) as { functionName?: string; url?: string; lineNumber?: number };
    const key = `${d.functionName || '(anonymous)'}${d.url ? ` ${sourceOf(d.url, (d.lineNumber ?? 1) - 1)}` : ''}`;
    calls.set(key, (calls.get(key) ?? 0) + e.dur! / 1000);
  }
  // Tasks whose JS entry point is ours: FunctionCall events name the outermost function only, so
  // the hook's code running inside the page's own send() or onmessage is not counted here.
  let ours: LongestTask['ours'] = null;
  for (const e of main) {
    if (e.name !== 'FunctionCall') continue;
    const d = (e.args?.data ?? {}) as { functionName?: string; url?: string; lineNumber?: number };
    if (!d.url?.startsWith('chrome-extension://')) continue;
    const task = tasks.find((t) => t.ts <= e.ts && e.ts < t.ts + t.dur!);
    if (task && (!ours || task.dur! / 1000 > ours.ms)) ours = { ms: task.dur! / 1000, fn: `${d.functionName || '(anonymous)'} ${sourceOf(d.url, (d.lineNumber ?? 1) - 1)}` };
  }
  const durs = tasks.map((e) => e.dur! / 1000);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    ms: L.dur! / 1000,
    tasksOver16ms: durs.filter((d) => d > 16).length,
    tasksOver50ms: durs.filter((d) => d > 50).length,
    traced: durs.length,
    calls: topOf(calls, 3).map(([fn, ms]) => ({ fn, ms: r1(ms) })),
    parts: topOf(selfTimes([L, ...inside]).self, 4).map(([event, ms]) => ({ event, ms: r1(ms) })),
    ours: ours && { ms: r1(ours.ms), fn: ours.fn },
  };
}
