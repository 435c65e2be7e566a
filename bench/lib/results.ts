/**
 * What a bench run found: figures (median, min–max over runs, the runs themselves), targets and
 * whether they were met, the profile summaries behind a missed target, and anything that broke.
 * Written as JSON; bench/lib/report.mjs prints it as the table.
 */
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { spread } from './stats';
import type { ProcessProfile } from './cpu-profile';
import type { ThreadDelta, ThreadSummary } from './trace';

export interface Figure {
  section: string;
  id: string;
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  n: number;
  runs: number[];
  /** Met when median <= max. */
  target?: { max: number };
  met?: boolean;
  note?: string;
}

export interface Diagnostic {
  figures: string[];
  title: string;
  notes: string[];
  /** JS profile of the condition's run, per process. */
  profiles: ProcessProfile[];
  /** Trace of the condition's run: busy threads and their heaviest events. */
  threads: ThreadSummary[];
  /** The same run in the baseline condition, thread by thread. */
  versus?: { baseline: string; rows: ThreadDelta[] };
}

export class Results {
  readonly startedAt = new Date();
  readonly machine = {
    os: `${osType()} ${release()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGBAtStart: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    loadAvgAtEnd: [] as number[],
    node: process.version,
  };
  browser = { path: '', version: '' };
  figures: Figure[] = [];
  diagnostics: Diagnostic[] = [];
  notes: Record<string, string[]> = {};
  errors: { section: string; error: string }[] = [];

  constructor(readonly quick: boolean, readonly sizes: unknown) {}

  figure(section: string, id: string, name: string, unit: string, runs: number[], target?: { max: number }, note?: string): Figure {
    const s = spread(runs);
    const f: Figure = { section, id, name, unit, median: s.median, min: s.min, max: s.max, n: s.n, runs, ...(target && { target, met: s.median <= target.max }), ...(note && { note }) };
    this.figures.push(f);
    return f;
  }

  note(section: string, text: string): void { (this.notes[section] ??= []).push(text); }

  write(path: string): void {
    this.machine.loadAvgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
    mkdirSync(dirname(path), { recursive: true });
    const finishedAt = new Date();
    writeFileSync(path, JSON.stringify({
      schema: 'sockscope-bench/1',
      quick: this.quick,
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationS: Math.round((finishedAt.getTime() - this.startedAt.getTime()) / 1000),
      machine: this.machine,
      browser: this.browser,
      sizes: this.sizes,
      figures: this.figures,
      notes: this.notes,
      diagnostics: this.diagnostics,
      errors: this.errors,
    }, null, 2));
  }
}
