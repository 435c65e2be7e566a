/**
 * Who listens to whom. Relays are keyed by the tab and frame the browser reported for their port
 * (sender.tab.id, sender.frameId), never by anything the page could write; a panel subscribes to
 * one tab and gets only that tab's batches.
 *
 * Intercept rules reach a tab's relays only when in effect for the origin of the tab's top-level
 * page, as the browser reported it for the top frame's relay (sender.url), not as the panel last
 * saw it: a tab that navigates to another origin gets none of the rules scoped to the page it
 * left, even before its panel has seen the new page. Until a top frame's relay has connected,
 * only all-sites rules go.
 */
import { FRAME_GONE, type CommandResult, type SocketCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { DEFAULT_HOOK_OPTIONS, sameHookOptions, type HookOptions } from '../protocol/hook-options';
import { pageOrigin, rulesInEffect } from '../protocol/rule-scope';
import type { RelayBatch, RouterToPanelMessage, RouterToRelayMessage } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { jsonSafeBatch } from './json-safe-batch';

export interface Outlet<T> {
  postMessage(msg: T): void;
}

interface RelayEntry {
  frameId: number;
  port: Outlet<RouterToRelayMessage>;
  /** The relay's document, from its hello: commands name the document they are for. */
  docId: string | null;
  /** Commands sent to this relay and not answered yet: router id → the panel's port and id. */
  pending: Map<number, { panel: Outlet<RouterToPanelMessage>; panelId: number }>;
}

export interface RelayHandle {
  setDoc(docId: string): void;
  result(r: CommandResult): void;
  remove(): void;
}

export class RouteTable {
  private relays = new Map<number, Set<RelayEntry>>();
  private panels = new Map<number, Set<Outlet<RouterToPanelMessage>>>();
  /** Panels whose channel does not clone buffers (their probe failed): they get binary as base64. */
  private jsonPanels = new WeakSet<Outlet<RouterToPanelMessage>>();
  private nextCommandId = 0;
  /** The intercept rules of each tab with a panel, as the panel sent them; relays get those in effect, on connect and on change. */
  private rules = new Map<number, InterceptRule[]>();
  /** What each tab's panel asks of the hook (send stacks); absent: the defaults. Sent as the rules are. */
  private options = new Map<number, HookOptions>();
  /** Each tab's top-level page: the latest top frame's relay still connected, and its origin. */
  private tops = new Map<number, { entry: RelayEntry; origin: string | null }>();

  /** `url`: the frame's URL as the browser reports it (sender.url); for the top frame, it decides which rules the tab gets. */
  addRelay(tabId: number, frameId: number, port: Outlet<RouterToRelayMessage>, url?: string): RelayHandle {
    const entry: RelayEntry = { frameId, port, docId: null, pending: new Map() };
    setOf(this.relays, tabId).add(entry);
    safePost(port, { v: PROTOCOL_VERSION, t: 'welcome', tabId });
    if (this.panels.get(tabId)?.size) safePost(port, { v: PROTOCOL_VERSION, t: 'attach' });
    if (frameId === 0) this.setTop(tabId, { entry, origin: url === undefined ? null : pageOrigin(url) }, entry);
    const rules = this.rulesFor(tabId);
    if (rules.length) safePost(port, { v: PROTOCOL_VERSION, t: 'rules', rules });
    const options = this.options.get(tabId);
    if (options) safePost(port, { v: PROTOCOL_VERSION, t: 'options', options });
    return {
      setDoc: (docId) => { entry.docId = docId; },
      result: (r) => {
        const p = entry.pending.get(r.id);
        if (!p) return;
        entry.pending.delete(r.id);
        safePost(p.panel, { v: PROTOCOL_VERSION, t: 'result', id: p.panelId, ok: r.ok, ...(r.error !== undefined ? { error: r.error } : {}) });
      },
      remove: () => {
        removeFrom(this.relays, tabId, entry);
        if (this.tops.get(tabId)?.entry === entry) this.setTop(tabId, null, entry);
        // Every command still out gets its answer: the frame is gone.
        for (const p of entry.pending.values()) safePost(p.panel, { v: PROTOCOL_VERSION, t: 'result', id: p.panelId, ok: false, error: FRAME_GONE });
        entry.pending.clear();
      },
    };
  }

  /**
   * Hands a panel's command to the relay of the frame and document that captured the socket.
   * `tabId` is the tab the panel subscribed to, never a value from the command itself.
   */
  command(tabId: number, panel: Outlet<RouterToPanelMessage>, c: { id: number; frameId: number; docId: string; cmd: SocketCommand }): void {
    const relay = [...(this.relays.get(tabId) ?? [])].find((r) => r.frameId === c.frameId && r.docId === c.docId);
    if (!relay) {
      safePost(panel, { v: PROTOCOL_VERSION, t: 'result', id: c.id, ok: false, error: FRAME_GONE });
      return;
    }
    const id = ++this.nextCommandId;
    relay.pending.set(id, { panel, panelId: c.id });
    safePost(relay.port, { v: PROTOCOL_VERSION, t: 'command', id, docId: c.docId, cmd: c.cmd });
  }

  addPanel(tabId: number, port: Outlet<RouterToPanelMessage>, clone: boolean): () => void {
    setOf(this.panels, tabId).add(port);
    if (!clone) this.jsonPanels.add(port);
    safePost(port, { v: PROTOCOL_VERSION, t: 'subscribed', tabId, clone });
    // Every relay replays its history for the new panel; a panel that already had some of it
    // recognises the duplicates by sequence number.
    for (const r of this.relays.get(tabId) ?? []) safePost(r.port, { v: PROTOCOL_VERSION, t: 'attach' });
    return () => {
      removeFrom(this.panels, tabId, port);
      if (!this.panels.get(tabId)?.size) {
        // No panel to forward or drop held frames: rules end with the last panel, and the hook lets
        // anything it holds go on.
        // Send stacks cost the page: they end with the last panel too.
        const hadRules = Boolean(this.rules.get(tabId)?.length);
        const hadOptions = this.options.has(tabId);
        this.rules.delete(tabId);
        this.options.delete(tabId);
        for (const r of this.relays.get(tabId) ?? []) {
          safePost(r.port, { v: PROTOCOL_VERSION, t: 'detach' });
          if (hadRules) safePost(r.port, { v: PROTOCOL_VERSION, t: 'rules', rules: [] });
          if (hadOptions) safePost(r.port, { v: PROTOCOL_VERSION, t: 'options', options: { ...DEFAULT_HOOK_OPTIONS } });
        }
      }
    };
  }

  /** A panel's rules for its tab: those in effect go to every relay of the tab now, and to those that connect later. */
  setRules(tabId: number, rules: InterceptRule[]): void {
    this.rules.set(tabId, rules);
    this.postRules(tabId);
  }

  /** A panel's hook options for its tab: to every relay of the tab now (when they changed), and to those that connect later. */
  setOptions(tabId: number, options: HookOptions): void {
    const before = this.options.get(tabId) ?? DEFAULT_HOOK_OPTIONS;
    if (sameHookOptions(options, DEFAULT_HOOK_OPTIONS)) this.options.delete(tabId);
    else this.options.set(tabId, { sendStacks: options.sendStacks });
    if (sameHookOptions(before, options)) return;
    for (const r of this.relays.get(tabId) ?? []) safePost(r.port, { v: PROTOCOL_VERSION, t: 'options', options: { sendStacks: options.sendStacks } });
  }

  /** The rules in effect for the tab's top-level page now. */
  rulesFor(tabId: number): InterceptRule[] {
    return rulesInEffect(this.rules.get(tabId) ?? [], this.tops.get(tabId)?.origin ?? null);
  }

  /** A new top frame (null: it went); when the origin changed, the tab's other relays get the rules in effect for it. */
  private setTop(tabId: number, top: { entry: RelayEntry; origin: string | null } | null, except: RelayEntry): void {
    const before = this.tops.get(tabId)?.origin ?? null;
    if (top) this.tops.set(tabId, top); else this.tops.delete(tabId);
    if ((top?.origin ?? null) !== before && this.rules.get(tabId)?.length) this.postRules(tabId, except);
  }

  private postRules(tabId: number, except?: RelayEntry): void {
    const rules = this.rulesFor(tabId);
    for (const r of this.relays.get(tabId) ?? []) if (r !== except) safePost(r.port, { v: PROTOCOL_VERSION, t: 'rules', rules });
  }

  forward(tabId: number, frameId: number, batch: RelayBatch): void {
    const panels = this.panels.get(tabId);
    if (!panels) return;
    const msg: RouterToPanelMessage = { ...batch, v: PROTOCOL_VERSION, frameId };
    let json: RouterToPanelMessage | null = null;
    for (const p of panels) safePost(p, this.jsonPanels.has(p) ? (json ??= { ...jsonSafeBatch(batch), v: PROTOCOL_VERSION, frameId }) : msg);
  }

  hasPanel(tabId: number): boolean {
    return Boolean(this.panels.get(tabId)?.size);
  }
}

function setOf<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  return s;
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

/** A port may have closed between the check and the post; that must not stop the others. */
function safePost<T>(port: Outlet<T>, msg: T): void {
  try { port.postMessage(msg); } catch { /* the port's onDisconnect cleans it up */ }
}
