/**
 * Section 4: the real panel with a million frames. The page sends them through the whole data
 * path (hook → relay → router → panel) with DevTools open, as a user would have it; Chrome's
 * DevTools records every frame too, and that slows the page's sends (section 1, a'/a).
 * Two feeds, each in a fresh browser: mixed (80% 100 B JSON, 20% 1–10 KB JSON), and all 100 B.
 * The mixed feed is ~1.2 GB of payload, more than the panel's 512 MB cap (src/protocol/limits.ts):
 * the panel then holds the newest frames that fit and counts the rest as dropped.
 * In the all-100 B feed, about 1 in 5 frames is JSON-RPC on a second socket (bench-page.ts: the
 * server calls the page; answers at once, after 300 ms, with an error, or never), so the panel
 * detects json-rpc and pairs ~85,000 requests among its million frames: the pairing filters and
 * the Calls view are timed there, with the panel's own objects where the DOM cannot tell
 * (panel-internals.ts).
 */
import type { CDPSession, Frame } from 'puppeteer-core';
import { launchBench, panelSession } from '../lib/bench-browser';
import { loadBenchPage, sleep, waitForPanel, type BenchWindow, type Ctx } from '../lib/context';
import { diagnoseDuring } from '../lib/diagnose';
import { clockOffset, countsLog, countsNow, domNodes, panelHeapMB, recordCounts, timeCallsTab, timeFilter, timeSelect } from '../lib/panel-probes';
import { dropPairing, pairingSummary, reachPanelInternals, timeCallsCompute, timeRepair, type PairingSummary } from '../lib/panel-internals';
import { PANEL_RENDER_INTERVAL_MS } from '../../src/protocol/limits';

const S4 = '4. Panel scale';

/** The pairing filters the issue names, each with the id its figure gets. */
const PAIR_FILTERS: readonly { id: string; text: string }[] = [
  { id: 'latency-slow', text: 'latency:>250ms' },
  { id: 'latency-fast', text: 'latency:<10ms' },
  { id: 'unanswered', text: 'unanswered' },
  { id: 'unpaired', text: 'paired:no' },
];

export async function scale(ctx: Ctx, mixed: boolean): Promise<void> {
  const { sizes: z, results: R, log } = ctx;
  const total = z.scaleFrames;
  const tag = mixed ? 'mixed' : '100B';
  const label = mixed ? 'mixed' : 'all 100 B';
  const rpcEvery = mixed ? 0 : z.scaleRpcEvery;
  const b = await launchBench({ extension: true, devtools: true, panel: true });
  try {
    const page = await loadBenchPage(ctx, b);
    const panel = b.panel!;
    const heapSession = await panelSession(b.browser);
    const heap0 = await panelHeapMB(heapSession);
    if (rpcEvery) await reachPanelInternals(heapSession);
    await recordCounts(panel);
    const pageOff = await clockOffset(page), panelOff = await clockOffset(panel);
    log(`scale (${label}): feeding ${total.toLocaleString('en')} frames`);
    const sent = await page.evaluate((n: number, m: boolean, r: number) => (window as unknown as BenchWindow).bench.feed(n, m, r), total, mixed, rpcEvery);
    const lagWait = await waitForPanel(b, total, `${total} frames in the panel`, 300_000);
    await sleep(200);
    const obs = await countsLog(panel);
    const done = obs.find((o) => o[1] + o[2] >= total);
    if (!done) throw new Error('the counts log never reached the total');
    const doneAt = done[0] - panelOff + pageOff; // on the page's clock
    const c = await countsNow(panel);
    log(`scale (${label}): in the panel ${((doneAt - sent.t0) / 1000).toFixed(1)} s after the first send (sends took ${((sent.lastSend - sent.t0) / 1000).toFixed(1)} s); ${c.text}, ${c.dropped} dropped; waited ${lagWait} ms after the page`);

    R.figure(S4, `scale-${tag}-ingest`, `${label}: first send → all ${total.toLocaleString('en')} in the panel`, 's', [(doneAt - sent.t0) / 1000]);
    R.figure(S4, `scale-${tag}-send`, `${label}: the page's own send() calls, first → last`, 's', [(sent.lastSend - sent.t0) / 1000], undefined,
      `socket drained ${((sent.drained - sent.lastSend) / 1000).toFixed(2)} s later`);
    R.figure(S4, `scale-${tag}-behind`, `${label}: panel complete after the page's last send()`, 'ms', [doneAt - sent.lastSend]);
    R.figure(S4, `scale-${tag}-held`, `${label}: frames the panel holds (rest dropped by its caps, counted)`, 'frames', [c.held], undefined, `${c.dropped} dropped`);

    await sleep(1000);
    let pairing: PairingSummary | null = null;
    if (sent.rpc) {
      // The requests never answered are marked *no response* once the timeout has passed since they arrived.
      const p0 = await pairingSummary(panel);
      const due = sent.rpc.lastRequestAt + p0.timeoutMs + 2 * PANEL_RENDER_INTERVAL_MS - pageOff; // on Node's clock
      const waited = Math.max(0, due - Date.now());
      if (waited > 0) { log(`scale (${label}): waiting ${(waited / 1000).toFixed(1)} s for the last requests never answered to pass the ${p0.timeoutMs / 1000} s timeout`); await sleep(waited); }
      // The expiry is a timer in the panel: give it a moment to have run.
      for (const t0 = Date.now(); ; await sleep(100)) {
        pairing = await pairingSummary(panel);
        if (pairing.noResponse >= sent.rpc.lost || Date.now() - t0 > 5_000) break;
      }
      const r = sent.rpc, p = pairing;
      log(`scale (${label}): the panel paired ${p.exchanges} requests of ${p.calls} calls (${p.answered} answered, ${p.errors} errors, ${p.noResponse} no response); the page was sent ${r.requests} (${r.requests - r.lost} answered, ${r.errors} errors, ${r.lost} never)`);
      if (p.exchanges === 0) throw new Error(`the panel paired none of the ${r.requests} JSON-RPC requests`);
      const off = p.exchanges !== r.requests || p.answered !== r.requests - r.lost || p.errors !== r.errors || p.noResponse !== r.lost;
      R.note(S4, `${label}: ${r.requests.toLocaleString('en')} JSON-RPC requests to the page (${r.slow} answered after 300 ms, ${r.errors} with an error, ${r.lost} never); ` +
        `the panel paired ${p.exchanges.toLocaleString('en')} requests of ${p.calls} calls: ${p.answered} answered, ${p.errors} errors, ${p.noResponse} no response` +
        (p.untracked || p.orphans || p.reused ? `, ${p.untracked} untracked, ${p.orphans} orphan replies, ${p.reused} ids reused` : '') +
        (off ? ' — NOT what the page sent (see above): the pairing figures below may not measure what they say' : '') +
        (waited > 0 ? `; waited ${(waited / 1000).toFixed(1)} s after the feed for the ${p.timeoutMs / 1000} s timeout` : '') + '.');
    }
    const heap = await panelHeapMB(heapSession);
    R.figure(S4, `scale-${tag}-heap`, `${label}: panel JS heap after GC (before the feed: ${heap0.usedMB.toFixed(1)} MB)`, 'MB', [heap.usedMB],
      mixed ? undefined : { max: 400 }, `${Math.round(((heap.usedMB - heap0.usedMB) * 2 ** 20) / c.held)} B per frame held; Runtime.getHeapUsage on the panel's target` +
      (sent.rpc ? `; ${Math.round(((total - sent.ticks) / total) * 100)}% of the frames are JSON-RPC, decoded and paired` : ''));
    R.figure(S4, `scale-${tag}-dom`, `${label}: elements in the panel document`, 'nodes', [await domNodes(panel)]);

    // Filters: each change must change the count, so a filter and "no filter" alternate.
    const last = sent.ticks - 12_346;
    const substring = `"seq":${last},`, regex = '/"v":"odd"/';
    const filters = [{ id: 'substring', text: substring, what: 'substring filter' }, { id: 'regex', text: regex, what: 'regex filter' },
      ...(sent.rpc ? PAIR_FILTERS.map((f) => ({ ...f, what: 'filter' })) : [])];
    const times = filters.map(() => [] as number[]), counts = filters.map(() => '');
    const clear: number[] = [], selSmall: number[] = [], selLarge: number[] = [];
    for (let i = 0; i < z.scaleOps; i++) {
      for (const [k, f] of filters.entries()) {
        const r = await timeFilter(panel, f.text); times[k]!.push(r.ms); counts[k] = r.counts;
        clear.push((await timeFilter(panel, '')).ms);
      }
    }
    const filterFigs = filters.map((f, k) => R.figure(S4, `scale-${tag}-filter-${f.id}`, `${label}: ${f.what} ${f.text} → counts updated`, 'ms', times[k]!, { max: 200 }, counts[k]));
    R.figure(S4, `scale-${tag}-filter-clear`, `${label}: filter cleared → counts updated`, 'ms', clear);

    await sleep(300);
    for (let i = 0; i < z.scaleOps; i++) {
      selSmall.push((await timeSelect(panel, 'small', i)).ms);
      if (mixed) selLarge.push((await timeSelect(panel, 'large', i)).ms);
    }
    R.figure(S4, `scale-${tag}-select-small`, `${label}: select a 100 B frame → detail rendered`, 'ms', selSmall);
    if (mixed) R.figure(S4, `scale-${tag}-select-large`, `${label}: select a 1–10 KB frame → detail rendered`, 'ms', selLarge);

    const missed = filters.filter((_, k) => !filterFigs[k]!.met);
    if (missed.length) {
      log(`profiling the panel during the filters (${label})`);
      const { profiles, threads } = await diagnoseDuring(page, [{ name: 'panel', session: heapSession }], async () => {
        for (const f of missed) { await timeFilter(panel, f.text); await timeFilter(panel, ''); }
      });
      R.diagnostics.push({ figures: filterFigs.filter((f) => !f.met).map((f) => f.id), title: `the panel during ${missed.map((f) => `${f.text}, clear`).join(', ')} (${label})`, notes: [], profiles, threads });
    }
    if (sent.rpc) await callsAndPairing(ctx, panel, heapSession, label, tag, c.held, pairing!);
    if (!mixed) {
      R.note(S4, `Feeds: ${total.toLocaleString('en')} frames sent by the page in chunks of 5,000 (pausing while over 8 MB are buffered), DevTools open on the panel. ` +
        'Times from the page\'s first send to the first panel render that counts them all (held + dropped); the filter is put in the box as a paste, ' +
        `and timed to the counts text changing; a row is selected as a click does and timed to the detail pane rendering it. ${z.scaleOps} of each, median.`);
      if (sent.rpc) R.note(S4, 'Pairing (all 100 B feed): the Calls computation is callRows + sortCalls on the live model\'s statistics, as CallsView does on every render; ' +
        'the Calls tab is clicked as a user does and timed until its table has rows (then Frames, until the frame table is back); pairing every held frame again ' +
        'is CaptureModel.repair() on the live model, which is pairing\'s whole share of ingest done at once; the heap pairing holds is the panel heap after GC, ' +
        'less the same after dropping the pairing state and each row\'s link to its exchange (the decoded JSON-RPC messages stay: that is decoding). ' +
        'The model is reached with Runtime.queryObjects, no hook in src/ (bench/lib/panel-internals.ts).');
    }
  } finally {
    await b.close();
  }
}

/**
 * The Calls view and the cost of pairing, on the all-100 B feed's panel (after the filter and
 * selection timings; the heap figure comes last, because it takes pairing out of the model).
 */
async function callsAndPairing(ctx: Ctx, panel: Frame, heapSession: CDPSession, label: string, tag: string, held: number, p: PairingSummary): Promise<void> {
  const { sizes: z, results: R, log } = ctx;
  const compute = await timeCallsCompute(panel, 4 * z.scaleOps + 1);
  R.figure(S4, `scale-${tag}-calls-compute`, `${label}: one Calls render's computation (callRows + sortCalls, ${compute.rows} calls)`, 'ms', compute.ms, { max: PANEL_RENDER_INTERVAL_MS });

  const tab: number[] = [], back: number[] = [];
  let rows = 0;
  for (let i = 0; i < z.scaleOps; i++) {
    const t = await timeCallsTab(panel);
    if (!t) break;
    tab.push(t.ms); back.push(t.backMs); rows = t.rows;
    await sleep(100);
  }
  if (tab.length) {
    R.figure(S4, `scale-${tag}-calls-tab`, `${label}: click the Calls tab → its table rendered`, 'ms', tab, { max: PANEL_RENDER_INTERVAL_MS }, `${rows} rows`);
    R.figure(S4, `scale-${tag}-calls-back`, `${label}: click the Frames tab → the frame table back`, 'ms', back);
  } else {
    R.note(S4, `${label}: the panel has no Calls tab (role="tab" named "Calls"): the Calls view was not timed through the UI.`);
  }

  const repair: number[] = [];
  for (let i = 0; i < Math.min(3, z.scaleOps); i++) {
    const r = await timeRepair(panel);
    repair.push(r.ms);
    if (r.exchanges !== p.exchanges) log(`scale (${label}): pairing again found ${r.exchanges} requests, not ${p.exchanges}`);
  }
  R.figure(S4, `scale-${tag}-pair-all`, `${label}: pair every held frame again (CaptureModel.repair)`, 'ms', repair, undefined,
    `${held.toLocaleString('en')} frames, ${p.exchanges.toLocaleString('en')} requests`);
  R.figure(S4, `scale-${tag}-pair-per-frame`, `${label}: pairing's work per frame held, on ingest`, 'µs', repair.map((ms) => (ms * 1000) / held));

  await sleep(300);
  const withPairing = await panelHeapMB(heapSession);
  const linked = await dropPairing(panel);
  const without = await panelHeapMB(heapSession);
  const mb = withPairing.usedMB - without.usedMB;
  R.figure(S4, `scale-${tag}-pair-heap`, `${label}: panel heap that pairing holds`, 'MB', [mb], undefined,
    `${Math.round((mb * 2 ** 20) / Math.max(1, p.exchanges))} B per request; ${linked.toLocaleString('en')} frames linked to one`);
}
