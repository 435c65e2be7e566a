/**
 * `npm run bench`: Sockscope's cost and speed in real headless Chromium, every figure in one run.
 * Run through bench/run.mjs, which picks the sizes (--quick), then prints the table from the JSON
 * this writes. A test here fails only when something broke (a browser that never started, a panel
 * that never got its frames); no timing is asserted, a missed target is reported instead.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { chromePath } from '../test/support/browsers';
import { startBenchServer, type BenchServer } from './lib/bench-server';
import { BENCH_PAGE, BENCH_WORKER } from './lib/bench-page';
import type { Ctx, Sizes } from './lib/context';
import { Results } from './lib/results';
import { overheadAndBlocking } from './sections/overhead';
import { latency } from './sections/latency';
import { scale } from './sections/scale';
import { workers } from './sections/workers';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const OUT = resolve(process.env.BENCH_OUT ?? 'bench-results/latest.json');
const MB = 2 ** 20;

/**
 * Full sizes fit in 10 minutes on 2 cores; where that is less than the issue asked, the note in
 * the output says so. Quick sizes only prove that every step still works.
 */
const SIZES: Sizes = QUICK
  ? { quick: true, reps: 1, textRoundTrips: 2_000, textWindow: 64, textWarmup: 200, binaryRoundTrips: 10, binaryBytes: MB, binaryWindow: 4, binaryWarmup: 2,
      bigFrameBytes: 8 * MB, workerRoundTrips: 1_000, pushRate: 5_000, pushSeconds: 2, latencyReps: 1, scaleFrames: 20_000, scaleOps: 2, scaleRpcEvery: 5,
      diagTextRoundTrips: 1_000, diagBinaryRoundTrips: 5, diagPushSeconds: 1 }
  : { quick: false, reps: 3, textRoundTrips: 50_000, textWindow: 64, textWarmup: 2_000, binaryRoundTrips: 100, binaryBytes: MB, binaryWindow: 4, binaryWarmup: 5,
      bigFrameBytes: 50 * MB, workerRoundTrips: 10_000, pushRate: 5_000, pushSeconds: 10, latencyReps: 3, scaleFrames: 1_000_000, scaleOps: 5, scaleRpcEvery: 5,
      diagTextRoundTrips: 5_000, diagBinaryRoundTrips: 20, diagPushSeconds: 2 };

const results = new Results(QUICK, SIZES);
let server: BenchServer;
const t0 = Date.now();
const ctx = (): Ctx => ({ server, results, sizes: SIZES, log: (m) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`) });
const section = (name: string, run: () => Promise<void>) =>
  test.skipIf(ONLY.size > 0 && !ONLY.has(name))(name, async () => {
    try {
      await run();
    } catch (e) {
      results.errors.push({ section: name, error: String((e as Error)?.stack ?? e) });
      throw e;
    }
  });

beforeAll(async () => {
  try {
    server = await startBenchServer();
    server.page('/bench', BENCH_PAGE);
    server.page('/bench-worker.js', BENCH_WORKER);
    results.browser.path = chromePath();
    results.browser.version = execFileSync(results.browser.path, ['--version'], { encoding: 'utf8' }).trim();
  } catch (e) {
    results.errors.push({ section: 'setup', error: String((e as Error)?.stack ?? e) });
    throw e;
  }
});

afterAll(async () => {
  results.write(OUT);
  await server?.close();
});

section('overhead', () => overheadAndBlocking(ctx()));
section('latency', () => latency(ctx()));
section('scale', async () => {
  await scale(ctx(), true);
  await scale(ctx(), false);
});
section('workers', () => workers(ctx()));
