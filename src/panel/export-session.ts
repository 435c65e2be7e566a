/** "Export": the session (or what the filter shows) as a file, in the format and with the masking chosen. */
import { browser } from '../platform/browser';
import { describeFilter } from './filter/describe-filter';
import { saveFile } from './clipboard';
import { buildExport, type ExportFile, type ExportOptions, type ExportSource } from './export/export-file';
import type { FrameRecord, LifecycleRecord } from './model/types';
import type { Store } from './store';
import { foundHandshakes } from './handshake/handshake-source';

/** True when the filter hides something, so "only what the filter shows" means less than everything. */
export function filterActive(store: Store): boolean {
  return describeFilter(store.filter.value) !== 'everything';
}

export function exportSource(store: Store): ExportSource {
  const m = store.model;
  const frames = m.allFrames();
  let filtered: ExportSource['filtered'] = null;
  if (filterActive(store)) {
    const shown: FrameRecord[] = [];
    const shownDispatched: LifecycleRecord[] = [];
    for (let i = 0; i < store.view.count; i++) {
      const row = m.rows.at(store.view.index(i)!);
      if (row?.kind === 'frame') shown.push(row);
      else if (row?.kind === 'lifecycle' && row.dispatch) shownDispatched.push(row);
    }
    filtered = { frames: shown, dispatched: shownDispatched, query: describeFilter(store.filter.value), connectionIds: store.filter.value.connections ?? null };
  }
  return { page: m.page, connections: m.connections, frames, dispatched: m.allDispatches(), filtered, dropped: m.dropped(), notices: m.notices, notes: store.notes, handshakes: foundHandshakes(store.handshakes, m.connections) };
}

export function exportSession(store: Store, opts: ExportOptions): ExportFile {
  let version = '0';
  try { version = browser.runtime.getManifest().version; } catch { /* outside the extension */ }
  const file = buildExport(exportSource(store), opts, new Date(), version);
  saveFile(file.name, file.text, file.mime);
  return file;
}
