/**
 * The panel's own objects, for the figures the DOM cannot give (what one Calls render computes,
 * pairing every held frame again, the heap that pairing holds), reached without any hook in
 * src/: Runtime.queryObjects (what DevTools' `queryObjects()` does) lists the live functions of
 * the panel's realm, and the bundle is not minified, so the CaptureModel class and the Calls
 * view's callRows and sortCalls are found by their names; the live CaptureModel then by its
 * prototype. They are kept on the panel's window as __sockscopeBench, for panel.evaluate().
 * Found once, on a fresh panel: queryObjects walks the whole heap. A name the bundle no longer
 * has is an error that names it (the probe is broken, not the product), never a silent skip.
 */
import type { CDPSession, Frame } from 'puppeteer-core';
import type { CaptureModel } from '../../src/panel/model/capture-model';
import type { callRows, sortCalls } from '../../src/panel/model/call-rows';

interface Internals { models: CaptureModel[]; callRows: typeof callRows; sortCalls: typeof sortCalls }
type Win = Window & { __sockscopeBench?: Internals };

/** Finds the panel's CaptureModel(s), callRows and sortCalls and keeps them on the panel's window. */
export async function reachPanelInternals(session: CDPSession): Promise<void> {
  const group = 'sockscope-bench';
  try {
    const fnProto = await session.send('Runtime.evaluate', { expression: 'Function.prototype', objectGroup: group });
    const fns = await session.send('Runtime.queryObjects', { prototypeObjectId: fnProto.result.objectId!, objectGroup: group });
    // Rolldown renames a clashing name to name$1: accept that too.
    const proto = await session.send('Runtime.callFunctionOn', {
      objectId: fns.objects.objectId!,
      objectGroup: group,
      functionDeclaration: `function () {
        const named = (n) => this.find((f) => f.name === n || (f.name.startsWith(n + '$') && /^\\d+$/.test(f.name.slice(n.length + 1))));
        const missing = ['callRows', 'sortCalls', 'CaptureModel'].filter((n) => !named(n));
        if (missing.length) throw new Error('not in the panel bundle: ' + missing.join(', '));
        globalThis.__sockscopeBench = { models: [], callRows: named('callRows'), sortCalls: named('sortCalls') };
        return named('CaptureModel').prototype;
      }`,
    });
    if (proto.exceptionDetails) throw new Error(`panel internals: ${proto.exceptionDetails.exception?.description ?? proto.exceptionDetails.text}`);
    const models = await session.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId!, objectGroup: group });
    const n = await session.send('Runtime.callFunctionOn', {
      objectId: models.objects.objectId!,
      returnByValue: true,
      functionDeclaration: 'function () { globalThis.__sockscopeBench.models = Array.from(this); return this.length; }',
    });
    if (!n.result.value) throw new Error('panel internals: no live CaptureModel in the panel');
  } finally {
    await session.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => {});
  }
}

export interface PairingSummary {
  frames: number; exchanges: number; calls: number; answered: number; errors: number; noResponse: number;
  untracked: number; orphans: number; reused: number; timeoutMs: number;
}

/** What the pairing of the live model (the one holding the most frames) found. */
export const pairingSummary = (panel: Frame): Promise<PairingSummary> => panel.evaluate(() => {
  const h = (window as Win).__sockscopeBench!;
  const m = h.models.reduce((a, b) => (b.frameCount > a.frameCount ? b : a));
  const p = m.pairing;
  const s = { frames: m.frameCount, exchanges: p.exchanges, calls: 0, answered: 0, errors: 0, noResponse: 0, ...p.counts, timeoutMs: p.timeoutMs };
  for (const c of p.calls.list()) { s.calls++; s.answered += c.answered; s.errors += c.errors; s.noResponse += c.noResponse; }
  return s;
});

/**
 * What one render of the Calls view computes: the rows from the per-call statistics, sorted as
 * the view sorts them at first (by count, descending). Each run is the mean of `batch` in a row,
 * because the panel's clock has a 0.1 ms grain.
 */
export const timeCallsCompute = (panel: Frame, runs: number, batch = 20): Promise<{ ms: number[]; rows: number }> => panel.evaluate((n: number, k: number) => {
  const h = (window as Win).__sockscopeBench!;
  const m = h.models.reduce((a, b) => (b.frameCount > a.frameCount ? b : a));
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    for (let j = 0; j < k; j++) rows = h.sortCalls(h.callRows(m.pairing.calls.list()), 'count', true).length;
    ms.push((performance.now() - t0) / k);
  }
  return { ms, rows };
}, runs, batch);

/**
 * Pairs every held frame again from the first (CaptureModel.repair: what changing the timeout or
 * the JSON key does), timed: the whole of pairing's work on ingest, done at once.
 */
export const timeRepair = (panel: Frame): Promise<{ ms: number; frames: number; exchanges: number }> => panel.evaluate(() => {
  const h = (window as Win).__sockscopeBench!;
  const m = h.models.reduce((a, b) => (b.frameCount > a.frameCount ? b : a));
  const t0 = performance.now();
  m.repair();
  return { ms: performance.now() - t0, frames: m.frameCount, exchanges: m.pairing.exchanges };
});

/**
 * Takes pairing out of the live model (its state, and each row's link to its exchange), for the
 * heap it held. Destructive: the last thing done to a panel.
 */
export const dropPairing = (panel: Frame): Promise<number> => panel.evaluate(() => {
  const h = (window as Win).__sockscopeBench!;
  const m = h.models.reduce((a, b) => (b.frameCount > a.frameCount ? b : a));
  let linked = 0;
  for (const r of m.rows) {
    if (r.kind !== 'frame') continue;
    if (r.pair || r.unpaired) linked++;
    delete r.pair;
    delete r.pairsMore;
    delete r.unpaired;
  }
  m.pairing.clear();
  return linked;
});
