/** What every section gets: the server, where figures go, the sizes of this run, and a progress log. */
import type { Page } from 'puppeteer-core';
import type { BenchServer } from './bench-server';
import type { Results } from './results';
import type { BenchBrowser } from './bench-browser';
import { countsNow } from './panel-probes';

export interface Sizes {
  quick: boolean;
  /** Interleaved runs per condition (overhead, blocking) and latency runs. */
  reps: number;
  textRoundTrips: number; textWindow: number; textWarmup: number;
  binaryRoundTrips: number; binaryBytes: number; binaryWindow: number; binaryWarmup: number;
  bigFrameBytes: number;
  workerRoundTrips: number;
  pushRate: number; pushSeconds: number; latencyReps: number;
  scaleFrames: number; scaleOps: number;
  /** In the all-100 B feed, about 1 in this many frames is JSON-RPC (requests and answers), for pairing. */
  scaleRpcEvery: number;
  /** Smaller runs, only for the profiles behind a missed target. */
  diagTextRoundTrips: number; diagBinaryRoundTrips: number; diagPushSeconds: number;
}

export interface Ctx { server: BenchServer; results: Results; sizes: Sizes; log(msg: string): void }

/** The bench page's API (bench/lib/bench-page.ts). */
export interface BenchApi {
  text(n: number, win: number): Promise<{ ms: number; n: number }>;
  binary(n: number, size: number, win: number): Promise<{ ms: number; n: number }>;
  prepareBig(size: number): Promise<void>;
  bigRoundTrip(): Promise<{ ms: number; bytes: number }>;
  push(rate: number, seconds: number): Promise<{ at: number[]; kind: ('start' | 'data' | 'done')[]; sentAt: number[] }>;
  feed(total: number, mixed: boolean, rpcEvery?: number): Promise<FeedResult>;
  workerText(kind: 'dedicated' | 'shared', n: number, win: number, warm: number): Promise<{ ms: number; n: number }>;
}
/** What the feed sent: `ticks` plain frames on /sink, and with rpcEvery the JSON-RPC calls it was made. */
export interface FeedResult {
  t0: number; lastSend: number; drained: number;
  ticks: number;
  /** Requests the server made, those never answered, answered after 300 ms, answered with an error; when the last arrived. */
  rpc: { requests: number; lost: number; slow: number; errors: number; lastRequestAt: number } | null;
}

/**
 * In `page.evaluate(fn)`, write `(window as unknown as BenchWindow).bench`: fn is sent as source,
 * so it must not call anything imported (vitest renames imports; only types are erased).
 */
export type BenchWindow = Window & { bench: BenchApi };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Loads the bench page; with a panel, waits until the panel has let go of the previous page's frames. */
export async function loadBenchPage(ctx: Ctx, b: BenchBrowser): Promise<Page> {
  await b.page.goto(`${ctx.server.origin}/bench`);
  if (b.panel) await waitForPanel(b, 0, 'the panel to clear after the page loaded', 15_000, true);
  return b.page;
}

/**
 * Waits until the panel has every one of `frames` frames (held, or dropped by a cap and counted);
 * with `exactlyZero`, until it holds none. Returns the wait in ms. Throws when the panel falls
 * short: that is the bench finding something broken, not a slow figure.
 */
export async function waitForPanel(b: BenchBrowser, frames: number, what: string, timeoutMs: number, exactlyZero = false): Promise<number> {
  const t0 = Date.now();
  let last = { held: 0, dropped: 0, text: '' };
  while (Date.now() - t0 < timeoutMs) {
    last = await countsNow(b.panel!);
    if (exactlyZero ? last.held === 0 && last.dropped === 0 : last.held + last.dropped >= frames) return Date.now() - t0;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: the panel shows "${last.text}", ${last.dropped} dropped (expected ${frames})`);
}
