/**
 * Section 5: what capture costs a socket inside a worker. The same 100 B text round trips as in
 * section 1, run inside a dedicated worker and inside a SharedWorker, in the conditions of
 * bench/lib/conditions.ts:
 *   a   no extension
 *   a'  no extension, DevTools open (Chrome records a dedicated worker's frames itself)
 *   b   extension, DevTools closed (the worker hook records; each frame crosses to the page hook)
 *   c   extension, our panel open and recording (and it must get every frame, or the run fails)
 * Interleaved by round, ratios taken within a round, then their median, as in section 1.
 */
import type { BenchBrowser } from '../lib/bench-browser';
import { CONDITIONS, type CondId } from '../lib/conditions';
import { launchBench } from '../lib/bench-browser';
import { loadBenchPage, sleep, waitForPanel, type BenchWindow, type Ctx } from '../lib/context';

const KINDS = ['dedicated', 'shared'] as const;
const S5 = '5. Sockets in workers';

export async function workers(ctx: Ctx): Promise<void> {
  const { sizes: z, results: R, log } = ctx;
  const sessions = new Map<CondId, BenchBrowser>();
  try {
    for (const c of CONDITIONS) sessions.set(c.id, await launchBench(c));
    const ms = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(CONDITIONS.map((c) => [c.id, [] as number[]]))])) as Record<typeof KINDS[number], Record<CondId, number[]>>;
    for (let rep = 0; rep < z.reps; rep++) {
      for (const kind of KINDS) {
        for (const c of CONDITIONS) {
          const b = sessions.get(c.id)!;
          const page = await loadBenchPage(ctx, b);
          const r = await page.evaluate((k: 'dedicated' | 'shared', n: number, win: number, warm: number) => (window as unknown as BenchWindow).bench.workerText(k, n, win, warm),
            kind, z.workerRoundTrips, z.textWindow, z.textWarmup);
          if (b.panel) await waitForPanel(b, 2 * (z.textWarmup + z.workerRoundTrips), `the ${kind} worker's frames in the panel`, 180_000);
          ms[kind][c.id].push(r.ms);
          log(`workers round ${rep + 1}/${z.reps} ${kind} ${c.id}: ${r.ms.toFixed(0)} ms`);
          await sleep(300);
        }
      }
    }
    const rate = (x: number) => z.workerRoundTrips / (x / 1000);
    for (const kind of KINDS) {
      for (const c of CONDITIONS) R.figure(S5, `${kind}-${c.id}`, `${kind} worker, text 100 B: round trips/s, (${c.id}) ${c.label}`, '/s', ms[kind][c.id].map(rate));
      for (const [num, den] of [['b', 'a'], ['c', 'a'], ['c', "a'"]] as const) {
        R.figure(S5, `${kind}-${num}/${den}`, `${kind} worker: time ratio ${num}/${den}`, '×', ms[kind][num].map((x, i) => x / ms[kind][den][i]!),
          undefined, num === 'c' && den === "a'" ? 'our share with DevTools open' : undefined);
      }
    }
    R.note(S5, `Per run: a fresh worker (a fresh SharedWorker instance) makes ${z.textWarmup.toLocaleString('en')} untimed then ` +
      `${z.workerRoundTrips.toLocaleString('en')} timed round trips of 100 B to an echo server, ${z.textWindow} in flight, timed inside the worker. ` +
      'In (c) the run counts only once the panel holds every frame. No target: the figures say what a worker socket costs, which the README quotes.');
  } finally {
    for (const b of sessions.values()) await b.close();
  }
}
