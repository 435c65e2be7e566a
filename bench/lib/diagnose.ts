/**
 * The evidence behind a missed target: one smaller run of the same kind with both a JS profile
 * of the data path's processes (which functions) and a browser-wide trace (which threads were
 * busy, and with what native work). Both add overhead: these runs are never the figures.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { profileDuring, type ProcessProfile } from './cpu-profile';
import { summarizeThreads, SUMMARY_CATEGORIES, traceDuring, type ThreadSummary, type TraceEvent } from './trace';

export async function diagnoseDuring<T>(page: Page, targets: { name: string; session: CDPSession }[], run: () => Promise<T>): Promise<{ result: T; profiles: ProcessProfile[]; threads: ThreadSummary[]; events: TraceEvent[] }> {
  let profiles: ProcessProfile[] = [];
  const { result, events } = await traceDuring(page, SUMMARY_CATEGORIES, async () => {
    const r = await profileDuring(targets, run);
    profiles = r.profiles;
    return r.result;
  });
  return { result, profiles, threads: summarizeThreads(events, page.url()), events };
}
