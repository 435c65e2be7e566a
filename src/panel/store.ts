/**
 * The panel's state: signals over the pure CaptureModel, the filter, the selection and the
 * settings. Batches are applied as they come; the views re-render at most every
 * RENDER_INTERVAL_MS (a timer, not requestAnimationFrame, which stops while the panel is hidden),
 * at once when the last render is older than that, so a quiet socket's frame shows without waiting.
 * Settings the user would expect to stick (filter, time mode, preserve log) are saved in the
 * panel's localStorage and restored when the panel is opened again.
 */
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { PAIR_TIMEOUT_DEFAULT_MS, PANEL_MAX_BYTES, PANEL_MAX_FRAMES, PANEL_RENDER_INTERVAL_MS as RENDER_INTERVAL_MS } from '../protocol/limits';
import { BinaryTextCache } from './filter/binary-text';
import { compileFilter, DEFAULT_FILTER, deserializeFilter, serializeFilter, type FilterSpec } from './filter/filter-engine';
import { CaptureModel } from './model/capture-model';
import { parseFieldQuery } from './filter/field-query';
import { parsePairTerms } from './filter/pair-terms';
import { parseKeyPath } from '../decoders/pairing/json-key';
import { FilteredView, type RowMatcher } from './model/filtered-view';
import type { Connection, Row } from './model/types';
import type { SocketCommand } from '../protocol/commands';
import { isInterceptRule } from '../protocol/guards';
import type { InterceptRule } from '../protocol/intercept-rules';
import { pageOrigin, rulesInEffect } from '../protocol/rule-scope';
import { loadedRule, ruleSender } from './rules-in-page';
import type { SessionFilterNote, SessionRedaction } from '../session/session-format';
import type { DecodeMode } from '../decoders/connection-decoding';
import type { ComposeMode } from './compose/compose-payload';
import type { PanelBatch, PanelTransport, TransportStatus } from './transport/panel-transport';
import { noHandshakes, type HandshakeSource } from './handshake/handshake-source';

const SETTINGS_KEY = 'sockscope.settings.v1';

export type TimeMode = 'absolute' | 'relative';

/** Whether the filter looks at request/response pairing (then a reply arriving can change an earlier row). */
const usesPairing = (f: FilterSpec) => { const p = parsePairTerms(f.text); return p.ok && p.terms.length > 0; };
/** Whether the filter looks at what decoders found (then frames decoded again mean a re-scan). */
const usesDecoded = (f: FilterSpec) => {
  const p = parsePairTerms(f.text);
  return f.hideHeartbeats || (p.ok && (p.terms.length > 0 || parseFieldQuery(p.rest) !== null));
};

export interface Store {
  /** An imported session: nothing arrives, and nothing can be sent, paused or closed. */
  readOnly: boolean;
  /** What an imported file said of itself (redacted, filtered), kept for a re-export. */
  notes: { redacted?: SessionRedaction; filtered?: SessionFilterNote };
  readonly model: CaptureModel;
  readonly view: FilteredView;
  /** Bumped when the model or the filtered view changed; views read it to subscribe. */
  revision: Signal<number>;
  status: Signal<TransportStatus>;
  filter: Signal<FilterSpec>;
  /** Set while the filter box holds an invalid regex; the last good filter stays applied. */
  filterError: Signal<string | null>;
  selectedConnections: Signal<ReadonlySet<string>>;
  selectedRow: Signal<number | null>;
  timeMode: Signal<TimeMode>;
  recording: Signal<boolean>;
  preserveLog: Signal<boolean>;
  /** Changes the filter (the connection part comes from selectedConnections). */
  setFilter(patch: Partial<FilterSpec>): void;
  selectConnections(ids: ReadonlySet<string>): void;
  clear(): void;
  setRecording(on: boolean): void;
  setPreserveLog(on: boolean): void;
  setTimeMode(m: TimeMode): void;
  rowAt(abs: number): Row | undefined;
  /** The user's protocol for a connection ('auto', 'off' or a decoder id); its frames are decoded again. */
  setDecodeMode(connId: string, mode: DecodeMode): void;
  /** Re-renders after the model was changed from outside (an import adding frames); `now` skips the wait. */
  refresh(now?: boolean): void;
  /** The composer, when open: its target connection, mode and text. */
  composer: Signal<ComposerState | null>;
  /** What the last command did, for the user to see. */
  lastCommand: Signal<{ ok: boolean; text: string } | null>;
  /** Sends a command to a connection's socket; the outcome lands in lastCommand. */
  command(conn: Connection, cmd: DistributiveOmit<SocketCommand, 'sock'>, done: string): Promise<boolean>;
  /** Sends a command and resolves to its error for the user, or null (lastCommand untouched: a replay sends many). */
  run(conn: Connection, cmd: DistributiveOmit<SocketCommand, 'sock'>): Promise<string | null>;
  /** Intercept rules; saved with the settings. The page gets those in effect for its origin, as they change. */
  rules: Signal<InterceptRule[]>;
  setRules(rules: InterceptRule[]): void;
  /** The origin of the inspected tab's top-level page (see rule-scope); null until it is known. */
  pageOrigin: Signal<string | null>;
  /** The rules the page gets: on, complete, valid, and scoped to its origin or to all sites. */
  rulesInEffect: ReadonlySignal<InterceptRule[]>;
  /** Which side pane shows: the selected frame, the composer, or the rules. */
  rulesOpen: Signal<boolean>;
  /** A row to scroll into view ("Go to response"); a new object each time, so the same row can be asked twice. */
  revealRow: Signal<{ abs: number } | null>;
  /**
   * Selects the row at `abs` and scrolls it into view. Returns why it cannot be shown (evicted by
   * the panel's cap, or hidden by the filter), or null.
   */
  goToRow(abs: number): string | null;
  /** Frames or Calls: what the main area shows. */
  mainView: Signal<'frames' | 'calls'>;
  /** The key that pairs plain JSON (`rid`, `meta.correlationId`), or '' for none; saved with the settings. */
  pairKey: Signal<string>;
  /** Sets the JSON pairing key; returns an error for a key path that is no good. */
  setPairKey(path: string): string | null;
  /** How long a request waits before it is marked *no response*, in ms; saved with the settings. */
  pairTimeoutMs: Signal<number>;
  setPairTimeout(ms: number): void;
  /** *Record send stacks*: the page hook takes a stack at every send(), shown with the sent frame. Saved with the settings; off by default. */
  sendStacks: Signal<boolean>;
  setSendStacks(on: boolean): void;
  /** Each connection's handshake: from DevTools' network log (live) or the file (opened). */
  handshakes: HandshakeSource;
}

export interface ComposerState { connId: string | null; mode: ComposeMode; text: string }

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Settings { filter: string; timeMode: TimeMode; preserveLog: boolean; rules: InterceptRule[]; pairKey: string; pairTimeoutMs: number; sendStacks: boolean }

function loadSettings(storage: Storage | null): Settings {
  try {
    const raw = JSON.parse(storage?.getItem(SETTINGS_KEY) ?? 'null') as Partial<Settings> | null;
    return {
      filter: typeof raw?.filter === 'string' ? raw.filter : serializeFilter(DEFAULT_FILTER),
      timeMode: raw?.timeMode === 'relative' ? 'relative' : 'absolute',
      preserveLog: raw?.preserveLog === true,
      rules: Array.isArray(raw?.rules) ? raw.rules.filter(isInterceptRule).map(loadedRule) : [],
      pairKey: typeof raw?.pairKey === 'string' && parseKeyPath(raw.pairKey).ok ? raw.pairKey : '',
      pairTimeoutMs: isTimeout(raw?.pairTimeoutMs) ? raw.pairTimeoutMs : PAIR_TIMEOUT_DEFAULT_MS,
      sendStacks: raw?.sendStacks === true,
    };
  } catch {
    return { filter: serializeFilter(DEFAULT_FILTER), timeMode: 'absolute', preserveLog: false, rules: [], pairKey: '', pairTimeoutMs: PAIR_TIMEOUT_DEFAULT_MS, sendStacks: false };
  }
}

/** The *no response* timeout may be set from 100 ms to 10 minutes. */
export const PAIR_TIMEOUT_MIN_MS = 100;
export const PAIR_TIMEOUT_MAX_MS = 600_000;
const isTimeout = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= PAIR_TIMEOUT_MIN_MS && v <= PAIR_TIMEOUT_MAX_MS;

export interface StoreOptions { readOnly?: boolean }

export function createStore(transport: PanelTransport, storage: Storage | null = null, opts: StoreOptions = {}): Store {
  const model = new CaptureModel({ maxFrames: PANEL_MAX_FRAMES, maxBytes: PANEL_MAX_BYTES });
  const binaryText = new BinaryTextCache();
  const settings = loadSettings(storage);
  // Connection ids change with every page load, so the connection part of a filter is not restored.
  const filter = signal<FilterSpec>({ ...deserializeFilter(settings.filter), connections: null });
  const selectedConnections = signal<ReadonlySet<string>>(new Set());
  const compile = (spec: FilterSpec) => compileFilter(spec, binaryText);
  const first = compile(filter.value);
  const view = new FilteredView(first.ok ? (first.matches as RowMatcher) : () => true);
  const rules = signal(settings.rules);
  const origin = signal<string | null>(null);
  const sendRules = ruleSender((r) => transport.setRules(r));

  const store: Store = {
    readOnly: opts.readOnly === true,
    notes: {},
    handshakes: noHandshakes('No network log is attached to this capture.'),
    model,
    view,
    revision: signal(0),
    status: signal<TransportStatus>('connecting'),
    filter,
    filterError: signal(first.ok ? null : first.error),
    selectedConnections,
    selectedRow: signal<number | null>(null),
    timeMode: signal(settings.timeMode),
    recording: signal(true),
    preserveLog: signal(settings.preserveLog),
    setFilter(patch) {
      const next = { ...filter.value, ...patch };
      const compiled = compile(next);
      batch(() => {
        filter.value = next;
        if (!compiled.ok) { store.filterError.value = compiled.error; return; }
        store.filterError.value = null;
        view.setMatcher(compiled.matches as RowMatcher, model.rows);
        store.revision.value++;
      });
      save();
    },
    selectConnections(ids) {
      selectedConnections.value = ids;
      store.setFilter({ connections: ids.size ? [...ids] : null });
    },
    clear() {
      model.clear();
      store.selectedRow.value = null;
      render();
    },
    setRecording(on) { model.recording = on; store.recording.value = on; store.revision.value++; },
    setPreserveLog(on) { model.preserveLog = on; store.preserveLog.value = on; save(); },
    setTimeMode(m) { store.timeMode.value = m; save(); },
    rowAt: (abs) => model.rows.at(abs),
    setDecodeMode(connId, mode) {
      model.setDecodeMode(connId, mode);
      render();
    },
    refresh(now = false) {
      if (now) { render(); return; }
      if (scheduled) return;
      scheduled = true;
      setTimeout(render, Math.max(0, lastRender + RENDER_INTERVAL_MS - performance.now()));
    },
    composer: signal<ComposerState | null>(null),
    lastCommand: signal<{ ok: boolean; text: string } | null>(null),
    async run(conn, cmd) {
      const r = await transport.command(conn.frameId, conn.docId, { ...cmd, sock: conn.sock } as SocketCommand);
      return r.ok ? null : r.error ?? 'The command failed.';
    },
    async command(conn, cmd, done) {
      const r = await transport.command(conn.frameId, conn.docId, { ...cmd, sock: conn.sock } as SocketCommand);
      store.lastCommand.value = r.ok ? { ok: true, text: done } : { ok: false, text: r.error ?? 'The command failed.' };
      return r.ok;
    },
    rules,
    setRules(next) {
      rules.value = next;
      sendRules(next, origin.value);
      save();
    },
    pageOrigin: origin,
    rulesInEffect: computed(() => rulesInEffect(rules.value, origin.value)),
    rulesOpen: signal(false),
    revealRow: signal<{ abs: number } | null>(null),
    goToRow(abs) {
      if (model.rows.at(abs) === undefined) return 'That frame is no longer held: the panel dropped it to stay under its cap.';
      if (view.positionOf(abs) < 0) return 'That frame is hidden by the current filter.';
      batch(() => {
        store.mainView.value = 'frames';
        store.selectedRow.value = abs;
        store.revealRow.value = { abs };
      });
      return null;
    },
    mainView: signal<'frames' | 'calls'>('frames'),
    pairKey: signal(settings.pairKey),
    setPairKey(path) {
      const t = path.trim();
      const parsed = t === '' ? null : parseKeyPath(t);
      if (parsed && !parsed.ok) return parsed.error;
      store.pairKey.value = t;
      model.setJsonKey(parsed ? parsed.path : null);
      save();
      render();
      return null;
    },
    pairTimeoutMs: signal(settings.pairTimeoutMs),
    setPairTimeout(ms) {
      if (!isTimeout(ms)) return;
      store.pairTimeoutMs.value = ms;
      model.setPairTimeout(ms);
      save();
      render();
    },
    sendStacks: signal(settings.sendStacks),
    setSendStacks(on) {
      store.sendStacks.value = on;
      transport.setOptions({ sendStacks: on });
      save();
    },
  };
  // Until a batch says which page this is, only all-sites rules go.
  sendRules(rules.value, null);
  if (settings.sendStacks) transport.setOptions({ sendStacks: true });
  model.preserveLog = settings.preserveLog;
  model.pairing.timeoutMs = settings.pairTimeoutMs;
  if (settings.pairKey) model.pairing.jsonKey = settings.pairKey.split('.');

  function save() {
    try {
      storage?.setItem(SETTINGS_KEY, JSON.stringify({
        filter: serializeFilter({ ...filter.value, connections: null }),
        timeMode: store.timeMode.value,
        preserveLog: store.preserveLog.value,
        rules: store.rules.value,
        pairKey: store.pairKey.value,
        pairTimeoutMs: store.pairTimeoutMs.value,
        sendStacks: store.sendStacks.value,
      } satisfies Settings));
    } catch { /* storage full or unavailable: settings just do not persist */ }
  }

  let scheduled = false;
  let lastRender = -Infinity;
  let seenEpoch = model.decodeEpoch;
  const render = () => {
    scheduled = false;
    lastRender = performance.now();
    // Frames decoded again (a protocol found or chosen): a filter on decoded data must look again.
    if (model.decodeEpoch !== seenEpoch && usesDecoded(filter.value)) {
      const compiled = compile(filter.value);
      if (compiled.ok) view.setMatcher(compiled.matches as RowMatcher, model.rows);
    }
    seenEpoch = model.decodeEpoch;
    view.sync(model.rows);
    // Requests answered, or marked unanswered, since the last render: a pairing filter looks again.
    model.pairing.expire(Date.now());
    const changed = model.pairing.takeChanged();
    if (changed.length && usesPairing(filter.value)) view.retest(changed, model.rows);
    scheduleExpiry();
    const sel = store.selectedRow.value;
    // A navigation (without Preserve log) or a Clear can remove selected connections.
    const selected = selectedConnections.value;
    if (selected.size) {
      const alive = new Set(model.connections.map((c) => c.id));
      const kept = [...selected].filter((id) => alive.has(id));
      if (kept.length !== selected.size) store.selectConnections(new Set(kept));
    }
    batch(() => {
      if (sel !== null && model.rows.at(sel) === undefined) store.selectedRow.value = null;
      store.revision.value++;
    });
  };
  // A request's timeout passes with no frame arriving: render then, so *no response* shows on time.
  let expiryTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleExpiry() {
    const due = model.pairing.nextDeadline();
    if (due === null || expiryTimer !== null) return;
    expiryTimer = setTimeout(() => { expiryTimer = null; store.refresh(); }, Math.max(RENDER_INTERVAL_MS, due - Date.now() + 1));
  }
  let pageUrl = '';
  transport.start(
    (b: PanelBatch) => {
      if (model.ingest(b)) store.refresh();
      if (model.page.url === pageUrl) return;
      pageUrl = model.page.url;
      const o = pageOrigin(pageUrl);
      if (o === origin.value) return;
      // The tab is on another origin: the rules follow (the router checks too, see route-table).
      origin.value = o;
      sendRules(rules.value, o);
    },
    (s) => { store.status.value = s; },
  );
  return store;
}
