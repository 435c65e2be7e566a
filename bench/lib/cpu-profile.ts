/**
 * The "profile pointer" for a missed target: V8's sampling profiler on the processes of the data
 * path (page: hook + relay; service worker: router; panel), summarized as the functions with the
 * most self time. Our bundles are not minified, and each bundled module starts with a
 * `// src/...` comment: a function in dist/ is named with the source file it came from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { CHROME_DIST } from '../../test/support/chrome';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface HotFunction { fn: string; where: string; selfMs: number; pct: number }
export interface ProcessProfile { process: string; busyMs: number; wallMs: number; top: HotFunction[] }

export async function profileDuring<T>(targets: { name: string; session: CDPSession }[], run: () => Promise<T>, topN = 8): Promise<{ result: T; profiles: ProcessProfile[] }> {
  for (const t of targets) {
    await t.session.send('Profiler.enable');
    await t.session.send('Profiler.setSamplingInterval', { interval: 250 });
    await t.session.send('Profiler.start');
  }
  const t0 = Date.now();
  const stop = () => Promise.all(targets.map(async (t) => ({ name: t.name, profile: (await t.session.send('Profiler.stop')).profile as unknown as Profile })));
  let result: T;
  try {
    result = await run();
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  const stopped = await stop();
  const wallMs = Date.now() - t0;
  return { result, profiles: stopped.map((s) => summarize(s.name, s.profile, wallMs, topN)) };
}

function summarize(name: string, p: Profile, wallMs: number, topN: number): ProcessProfile {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let busy = 0;
  // A sample's time is the gap to the next sample.
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i + 1] ?? 0;
    const cf = byId.get(p.samples[i]!)!.callFrame;
    if (cf.functionName === '(idle)') continue;
    busy += us;
    const where = cf.url ? `${sourceOf(cf.url, cf.lineNumber)}` : '';
    const key = `${cf.functionName}|${where}`;
    const e = self.get(key) ?? { fn: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    self.set(key, e);
  }
  const top = [...self.values()].sort((a, b) => b.us - a.us).slice(0, topN)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: round(e.us / 1000), pct: round((100 * e.us) / Math.max(1, busy)) }));
  return { process: name, busyMs: round(busy / 1000), wallMs, top };
}

const round = (x: number) => Math.round(x * 10) / 10;
const bundles = new Map<string, string[]>();

/** "src/relay/relay.iife.ts (relay.iife.js:123)" for our files; the URL's last part otherwise. */
export function sourceOf(url: string, line0: number): string {
  const m = /^chrome-extension:\/\/[^/]+\/(.+)$/.exec(url);
  const file = url.split('/').pop() ?? url;
  if (!m) return `${file}:${line0 + 1}`;
  let lines = bundles.get(m[1]!);
  if (!lines) {
    try { lines = readFileSync(join(CHROME_DIST, m[1]!), 'utf8').split('\n'); } catch { lines = []; }
    bundles.set(m[1]!, lines);
  }
  for (let i = Math.min(line0, lines.length - 1); i >= 0; i--) {
    const src = /^\s*\/\/ (\S*src\/\S+|\S*node_modules\/\S+)$/.exec(lines[i]!)?.[1];
    if (src) return `${src.replace(/^.*?node_modules\//, 'node_modules/').replace(/^(\.\.\/)+/, '')} (${file}:${line0 + 1})`;
  }
  return `${file}:${line0 + 1}`;
}
