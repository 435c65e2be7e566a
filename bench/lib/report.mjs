/**
 * The results JSON as a plain-text table (what `npm run bench` prints on stdout). Plain JS so that
 * bench/run.mjs can import it without a TypeScript step.
 */

/** A figure's value: ratios with 2 decimals, else 3 significant-ish digits, thousands separated. */
function num(x, unit) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (unit === '×') return x.toFixed(2);
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const pad = (s, n) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s, n) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function formatReport(r) {
  const out = [];
  const m = r.machine;
  out.push(`Sockscope bench${r.quick ? ' --quick (smoke sizes: figures are not meaningful)' : ''} · ${r.startedAt} · ${r.durationS} s`);
  // The load at the start is other work on the machine; at the end it includes the bench itself.
  out.push(`machine: ${m.os}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGB} GB; 1-min load average ${m.loadAvgAtStart[0]} before the run` +
    (m.loadAvgAtStart[0] >= 1 ? ' (other work was running: read medians and spreads, not single runs)' : ''));
  out.push(`browser: ${r.browser.version} (${r.browser.path}); node ${m.node}`);
  const sections = [...new Set(r.figures.map((f) => f.section))];
  const W = Math.min(86, Math.max(40, ...r.figures.map((f) => f.name.length + 2)));
  for (const s of sections) {
    out.push('', s);
    out.push(`  ${pad('figure', W)}${lpad('median', 11)}  ${pad('min – max', 23)}${lpad('n', 3)}  ${pad('unit', 6)}${pad('target', 10)}`);
    for (const f of r.figures.filter((x) => x.section === s)) {
      const range = f.n > 1 ? `${num(f.min, f.unit)} – ${num(f.max, f.unit)}` : '';
      const target = f.target ? `≤ ${num(f.target.max, f.unit)} ${f.met ? 'met' : 'MISSED'}` : '';
      out.push(`  ${pad(f.name, W)}${lpad(num(f.median, f.unit), 11)}  ${pad(range, 23)}${lpad(String(f.n), 3)}  ${pad(f.unit, 6)}${target}${f.note ? `   (${f.note})` : ''}`);
    }
    for (const n of r.notes[s] ?? []) out.push(`  · ${n}`);
  }
  if (r.diagnostics.length) {
    out.push('', 'Evidence for missed targets. Each is a smaller run of the same kind, traced (busy time per thread; the trace events with the most',
      'self time, which name the native work — IPC, structured clone, layout — that a JS profile lumps into "(program)"), and JS-profiled',
      '(V8 sampler: self time per function, per process of the data path). Profiling slows these runs: compare within a block, not with the figures.');
    for (const d of r.diagnostics) {
      out.push('', `  [${d.figures.join(', ')}] ${d.title}`);
      for (const n of d.notes) out.push(`    · ${n}`);
      if (d.versus) {
        out.push(`    trace: busy time per thread, this run vs. the same run in ${d.versus.baseline}, and what grew most`);
        for (const t of d.versus.rows.filter((x) => Math.abs(x.deltaMs) >= 10).slice(0, 6)) {
          out.push(`      ${t.thread}: ${num(t.busyMs)} vs ${num(t.baseMs)} ms (${t.deltaMs >= 0 ? '+' : ''}${num(t.deltaMs)})${t.grew.length ? `: ${t.grew.map((g) => `${g.event} +${num(g.deltaMs)}`).join(' · ')}` : ''}`);
        }
      } else {
        out.push('    trace: busiest threads, and their events with the most self time (ms)');
        for (const t of d.threads.slice(0, 6)) out.push(`      ${t.thread}: ${num(t.busyMs)} ms: ${t.top.map((e) => `${e.event} ${num(e.selfMs)}`).join(' · ')}`);
      }
      out.push('    JS profile: self time per function');
      for (const p of d.profiles) {
        out.push(`      ${p.process}: busy ${num(p.busyMs)} ms in ${num(p.wallMs)} ms`);
        for (const h of p.top) out.push(`        ${lpad(num(h.selfMs), 9)} ms ${lpad(h.pct.toFixed(0), 3)}%  ${h.fn}${h.where ? `  ${h.where}` : ''}`);
      }
    }
  }
  const targeted = r.figures.filter((f) => f.target);
  const missed = targeted.filter((f) => !f.met);
  out.push('', `Targets: ${targeted.length - missed.length} met, ${missed.length} missed` +
    (missed.length ? `: ${missed.map((f) => `${f.id} ${num(f.median, f.unit)} > ${num(f.target.max, f.unit)}`).join('; ')}` : ''));
  for (const e of r.errors) out.push(`BROKEN in ${e.section}: ${e.error.split('\n')[0]}`);
  return out.join('\n') + '\n';
}
