/**
 * The panel's sessions: the live capture of the inspected tab, and files the user opened beside
 * it. Each has its own store (model, filter, selection), so every inspection feature works the
 * same on both; an imported one is read-only. The export options are shared and remembered.
 */
import { batch, signal, type Signal } from '@preact/signals';
import { DEFAULT_REDACT_KEYS } from '../session/redact';
import type { SessionFileKind } from '../session/read-session-file';
import type { ExportOptions } from './export/export-file';
import type { ImportProgress } from './import/import-messages';
import { importSessionFile, type ImportHandle } from './import/import-session';
import { SessionLoader } from './model/session-loader';
import { createStore, type Store } from './store';
import { fileHandshakes } from './handshake/handshake-source';
import type { PanelTransport } from './transport/panel-transport';
import type { ReplaySession } from './replay/replay-session';

const EXPORT_SETTINGS_KEY = 'sockscope.export.v1';
export const LIVE = 'live';

export interface ImportedSession {
  id: string;
  /** The file's name. */
  name: string;
  kind: Signal<SessionFileKind | null>;
  store: Store;
  /** Set while the file is still loading. */
  progress: Signal<ImportProgress | null>;
  cancel(): void;
}

export interface Workspace {
  live: Store;
  imported: Signal<ImportedSession[]>;
  /** LIVE, or the id of an imported session. */
  active: Signal<string>;
  /** The last import that failed: the file and exactly why. */
  importError: Signal<{ file: string; error: string } | null>;
  current(): Store;
  open(file: File): void;
  close(id: string): void;
  exportOptions: Signal<ExportOptions>;
  setExportOptions(patch: Partial<ExportOptions>): void;
  /** The replay running (or last run) into the live page, if any. */
  replay: Signal<ReplaySession | null>;
}

/** Imported sessions never receive anything; sending from one is refused before it leaves the panel. */
const readOnlyTransport: PanelTransport = {
  start() {},
  command: () => Promise.resolve({ ok: false, error: 'This is an imported session: it has no live sockets.' }),
  setRules() {},
  setOptions() {},
};

function loadExportOptions(storage: Storage | null): ExportOptions {
  const fallback: ExportOptions = { format: 'session', onlyFiltered: false, redact: false, redactKeys: [...DEFAULT_REDACT_KEYS] };
  try {
    const raw = JSON.parse(storage?.getItem(EXPORT_SETTINGS_KEY) ?? 'null') as Partial<ExportOptions> | null;
    if (!raw) return fallback;
    return {
      format: raw.format === 'har' ? 'har' : 'session',
      onlyFiltered: raw.onlyFiltered === true,
      redact: raw.redact === true,
      redactKeys: Array.isArray(raw.redactKeys) && raw.redactKeys.every((k) => typeof k === 'string') ? raw.redactKeys : fallback.redactKeys,
    };
  } catch {
    return fallback;
  }
}

export function createWorkspace(live: Store, storage: Storage | null): Workspace {
  let next = 1;
  const ws: Workspace = {
    live,
    imported: signal([]),
    active: signal(LIVE),
    importError: signal(null),
    current() {
      const id = ws.active.value;
      return id === LIVE ? live : ws.imported.value.find((s) => s.id === id)?.store ?? live;
    },
    open(file) {
      const id = `import-${next++}`;
      const store = createStore(readOnlyTransport, null, { readOnly: true });
      const session: ImportedSession = {
        id, name: file.name, kind: signal(null), store, cancel: () => handle.cancel(),
        progress: signal<ImportProgress | null>({ phase: 'reading', done: 0, total: file.size }),
      };
      let loader: SessionLoader | null = null;
      const handle: ImportHandle = importSessionFile(file, {
        progress(p) { session.progress.value = p; },
        header(kind, header) {
          session.kind.value = kind;
          store.notes = { ...(header.redacted && { redacted: header.redacted }), ...(header.filtered && { filtered: header.filtered }) };
          store.handshakes = fileHandshakes(header.connections);
          loader = new SessionLoader(store.model, header);
          store.refresh();
        },
        frames(frames) { loader?.addFrames(frames); store.refresh(); },
        done() {
          loader?.finish();
          // Rendered before the progress goes: "loaded" means everything is on screen.
          store.refresh(true);
          session.progress.value = null;
        },
        error(message) {
          batch(() => {
            ws.importError.value = { file: file.name, error: message };
            ws.close(id);
          });
        },
      });
      batch(() => {
        ws.importError.value = null;
        ws.imported.value = [...ws.imported.value, session];
        ws.active.value = id;
      });
    },
    close(id) {
      const s = ws.imported.value.find((x) => x.id === id);
      if (!s) return;
      s.cancel();
      batch(() => {
        ws.imported.value = ws.imported.value.filter((x) => x.id !== id);
        if (ws.active.value === id) ws.active.value = LIVE;
      });
    },
    replay: signal<ReplaySession | null>(null),
    exportOptions: signal(loadExportOptions(storage)),
    setExportOptions(patch) {
      ws.exportOptions.value = { ...ws.exportOptions.value, ...patch };
      try { storage?.setItem(EXPORT_SETTINGS_KEY, JSON.stringify(ws.exportOptions.value)); } catch { /* settings just do not persist */ }
    },
  };
  return ws;
}
