/**
 * CDP traces: recording one around a step, and summarizing where each busy thread's time went.
 * The JS profile (cpu-profile.ts) cannot see native work — IPC, structured clone, style and
 * layout — which it lumps into "(program)"; the trace names it.
 */
import type { Page } from 'puppeteer-core';

export interface TraceEvent {
  name: string; cat: string; ph: string; pid: number; tid: number; ts: number; dur?: number;
  args?: { name?: string; data?: { frames?: { url?: string; processId?: number }[]; url?: string; processId?: number } };
}

/** Records a browser-wide trace (started on `page`'s session) while `run` runs. */
export async function traceDuring<T>(page: Page, categories: string[], run: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  await page.tracing.start({ categories: [...categories, '__metadata'] });
  let result: T;
  try {
    result = await run();
  } catch (e) {
    await page.tracing.stop().catch(() => {});
    throw e;
  }
  const buf = await page.tracing.stop();
  if (!buf) throw new Error('the trace came back empty');
  return { result, events: (JSON.parse(Buffer.from(buf).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents };
}

/** The renderer process of the page at `url` (the browser names it when tracing starts). */
export function pageProcess(events: TraceEvent[], url: string): number | undefined {
  for (const e of events) {
    if (e.name === 'TracingStartedInBrowser') { const p = e.args?.data?.frames?.find((f) => f.url === url)?.processId; if (p) return p; }
    if (e.name === 'FrameCommittedInBrowser' && e.args?.data?.url === url && e.args.data.processId) return e.args.data.processId;
  }
  return undefined;
}

export function threadOf(events: TraceEvent[], pid: number, name: string): number | undefined {
  return events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === name)?.tid;
}

/** Categories for the thread summary: tasks, JS calls, timers, layout and paint, GC, IPC. */
export const SUMMARY_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'mojom'];

export interface ThreadSummary { thread: string; busyMs: number; top: { event: string; selfMs: number }[]; self: Record<string, number> }

const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);
export const isTask = (e: TraceEvent) => TASK.has(e.name);

/**
 * Self time per event name over one thread's complete events (an event's time minus that of
 * the events nested in it), in ms, and the time in top-level tasks. Task wrappers' own time is
 * native work no nested event names.
 */
export function selfTimes(threadEvents: TraceEvent[]): { busyMs: number; self: Map<string, number> } {
  const evs = threadEvents.filter((e) => e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  const stack: { end: number; name: string; child: number; dur: number }[] = [];
  let busy = 0;
  const pop = () => { const f = stack.pop()!; self.set(f.name, (self.get(f.name) ?? 0) + (f.dur - f.child) / 1000); };
  for (const e of evs) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.child += e.dur!;
    else if (isTask(e)) busy += e.dur!;
    stack.push({ end: e.ts + e.dur!, name: isTask(e) ? '(task time outside any named event)' : e.name, child: 0, dur: e.dur! });
  }
  while (stack.length) pop();
  return { busyMs: busy / 1000, self };
}

export const topOf = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Per thread that was busy: the time in tasks, and the trace events with the most self time
 * (an event's time minus that of the events nested in it). Processes are named by what ran in
 * them: the page's URL, chrome-extension:// (panel, service worker) or devtools:// (Chrome's own
 * DevTools frontend), from the script URLs of their JS calls.
 */
export function summarizeThreads(events: TraceEvent[], pageUrl: string, topN = 6, minBusyMs = 20): ThreadSummary[] {
  const pagePid = pageProcess(events, pageUrl);
  const procName = new Map<number, string>(), threadName = new Map<string, string>(), role = new Map<number, Set<string>>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'process_name') procName.set(e.pid, e.args?.name ?? '');
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
    const u = e.name === 'FunctionCall' ? (e.args?.data as { url?: string } | undefined)?.url : undefined;
    if (u) {
      const r = u.startsWith('devtools://') ? 'DevTools frontend' : u.startsWith('chrome-extension://') ? 'extension' : undefined;
      if (r) (role.get(e.pid) ?? role.set(e.pid, new Set()).get(e.pid)!).add(r);
    }
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const k = `${e.pid}:${e.tid}`;
    (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(e);
  }
  // Threads of one kind (thread-pool workers) are added up under one name.
  const merged = new Map<string, { busyMs: number; self: Map<string, number> }>();
  for (const [k, evs] of byThread) {
    const pid = Number(k.split(':')[0]);
    const what = pid === pagePid ? 'page renderer' : role.get(pid)?.has('DevTools frontend') ? 'DevTools frontend renderer'
      : role.get(pid)?.has('extension') || procName.get(pid) === 'Extension Renderer' ? 'extension renderer (panel, service worker)' : (procName.get(pid) ?? `pid ${pid}`);
    const label = `${what} · ${threadName.get(k) ?? 'thread'}`;
    const t = selfTimes(evs);
    const m = merged.get(label) ?? merged.set(label, { busyMs: 0, self: new Map() }).get(label)!;
    m.busyMs += t.busyMs;
    for (const [n, ms] of t.self) m.self.set(n, (m.self.get(n) ?? 0) + ms);
  }
  const out: ThreadSummary[] = [];
  for (const [thread, t] of merged) {
    if (t.busyMs < minBusyMs) continue;
    out.push({ thread, busyMs: r1(t.busyMs), top: topOf(t.self, topN).map(([event, ms]) => ({ event, selfMs: r1(ms) })), self: Object.fromEntries([...t.self].map(([n, ms]) => [n, r1(ms)])) });
  }
  return out.sort((a, b) => b.busyMs - a.busyMs);
}

export interface ThreadDelta { thread: string; busyMs: number; baseMs: number; deltaMs: number; grew: { event: string; deltaMs: number }[] }

/** Busy time per thread in a run against the same run in the baseline condition, and which events grew most. */
export function compareThreads(run: ThreadSummary[], base: ThreadSummary[], topN = 4): ThreadDelta[] {
  const names = new Set([...run.map((t) => t.thread), ...base.map((t) => t.thread)]);
  const rows: ThreadDelta[] = [];
  for (const name of names) {
    const a = run.find((t) => t.thread === name), b = base.find((t) => t.thread === name);
    const delta = new Map<string, number>();
    for (const [e, ms] of Object.entries(a?.self ?? {})) delta.set(e, ms);
    for (const [e, ms] of Object.entries(b?.self ?? {})) delta.set(e, (delta.get(e) ?? 0) - ms);
    rows.push({
      thread: name, busyMs: a?.busyMs ?? 0, baseMs: b?.busyMs ?? 0, deltaMs: r1((a?.busyMs ?? 0) - (b?.busyMs ?? 0)),
      grew: topOf(delta, topN).filter(([, ms]) => ms > 0).map(([event, ms]) => ({ event, deltaMs: r1(ms) })),
    });
  }
  return rows.sort((x, y) => y.deltaMs - x.deltaMs);
}
