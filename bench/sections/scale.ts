/**
 * Section 4: the real panel with a million frames. The page sends them through the whole data
 * path (hook → relay → router → panel) with DevTools open, as a user would have it; Chrome's
 * DevTools records every frame too, and that slows the page's sends (section 1, a'/a).
 * Two feeds, each in a fresh browser: mixed (80% 100 B JSON, 20% 1–10 KB JSON), and all 100 B.
 * The mixed feed is ~1.2 GB of payload, more than the panel's 512 MB cap (src/protocol/limits.ts):
 * the panel then holds the newest frames that fit and counts the rest as dropped.
 */
import { launchBench, panelSession } from '../lib/bench-browser';
import { loadBenchPage, sleep, waitForPanel, type BenchWindow, type Ctx } from '../lib/context';
import { diagnoseDuring } from '../lib/diagnose';
import { clockOffset, countsLog, countsNow, domNodes, panelHeapMB, recordCounts, timeFilter, timeSelect } from '../lib/panel-probes';

const S4 = '4. Panel scale';

export async function scale(ctx: Ctx, mixed: boolean): Promise<void> {
  const { sizes: z, results: R, log } = ctx;
  const total = z.scaleFrames;
  const tag = mixed ? 'mixed' : '100B';
  const label = mixed ? 'mixed' : 'all 100 B';
  const b = await launchBench({ extension: true, devtools: true, panel: true });
  try {
    const page = await loadBenchPage(ctx, b);
    const panel = b.panel!;
    const heapSession = await panelSession(b.browser);
    const heap0 = await panelHeapMB(heapSession);
    await recordCounts(panel);
    const pageOff = await clockOffset(page), panelOff = await clockOffset(panel);
    log(`scale (${label}): feeding ${total.toLocaleString('en')} frames`);
    const sent = await page.evaluate((n: number, m: boolean) => (window as unknown as BenchWindow).bench.feed(n, m), total, mixed);
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
    const heap = await panelHeapMB(heapSession);
    R.figure(S4, `scale-${tag}-heap`, `${label}: panel JS heap after GC (before the feed: ${heap0.usedMB.toFixed(1)} MB)`, 'MB', [heap.usedMB],
      mixed ? undefined : { max: 400 }, `${Math.round(((heap.usedMB - heap0.usedMB) * 2 ** 20) / c.held)} B per frame held; Runtime.getHeapUsage on the panel's target`);
    R.figure(S4, `scale-${tag}-dom`, `${label}: elements in the panel document`, 'nodes', [await domNodes(panel)]);

    // Filters: each change must change the count, so a filter and "no filter" alternate.
    const last = total - 12_346;
    const substring = `"seq":${last},`, regex = '/"v":"odd"/';
    const sub: number[] = [], re: number[] = [], clear: number[] = [], selSmall: number[] = [], selLarge: number[] = [];
    let subCounts = '', reCounts = '';
    for (let i = 0; i < z.scaleOps; i++) {
      const s1 = await timeFilter(panel, substring); sub.push(s1.ms); subCounts = s1.counts;
      clear.push((await timeFilter(panel, '')).ms);
      const s2 = await timeFilter(panel, regex); re.push(s2.ms); reCounts = s2.counts;
      clear.push((await timeFilter(panel, '')).ms);
    }
    const f1 = R.figure(S4, `scale-${tag}-filter-substring`, `${label}: substring filter ${substring} → counts updated`, 'ms', sub, { max: 200 }, subCounts);
    const f2 = R.figure(S4, `scale-${tag}-filter-regex`, `${label}: regex filter ${regex} → counts updated`, 'ms', re, { max: 200 }, reCounts);
    R.figure(S4, `scale-${tag}-filter-clear`, `${label}: filter cleared → counts updated`, 'ms', clear);

    await sleep(300);
    for (let i = 0; i < z.scaleOps; i++) {
      selSmall.push((await timeSelect(panel, 'small', i)).ms);
      if (mixed) selLarge.push((await timeSelect(panel, 'large', i)).ms);
    }
    R.figure(S4, `scale-${tag}-select-small`, `${label}: select a 100 B frame → detail rendered`, 'ms', selSmall);
    if (mixed) R.figure(S4, `scale-${tag}-select-large`, `${label}: select a 1–10 KB frame → detail rendered`, 'ms', selLarge);

    if (!f1.met || !f2.met) {
      log(`profiling the panel during the filters (${label})`);
      const { profiles, threads } = await diagnoseDuring(page, [{ name: 'panel', session: heapSession }], async () => {
        await timeFilter(panel, substring); await timeFilter(panel, '');
        await timeFilter(panel, regex); await timeFilter(panel, '');
      });
      R.diagnostics.push({ figures: [f1, f2].filter((f) => !f.met).map((f) => f.id), title: `the panel during substring, clear, regex, clear (${label})`, notes: [], profiles, threads });
    }
    if (!mixed) {
      R.note(S4, `Feeds: ${total.toLocaleString('en')} frames sent by the page in chunks of 5,000 (pausing while over 8 MB are buffered), DevTools open on the panel. ` +
        'Times from the page\'s first send to the first panel render that counts them all (held + dropped); the filter is put in the box as a paste, ' +
        `and timed to the counts text changing; a row is selected as a click does and timed to the detail pane rendering it. ${z.scaleOps} of each, median.`);
    }
  } finally {
    await b.close();
  }
}
