/**
 * A SharedWorker hook's channel: the same contract as the page hook's (PageChannel), so the
 * WebSocket patch runs unchanged, but with one private port per connected document. The instance
 * outlives any one tab, so every event goes to every document connected, and the sockets' history
 * is kept (capped, see SHARED_HISTORY_*) for documents that connect later: a second tab sees the
 * socket the first tab's page made the worker open, and its frames so far.
 *
 * Each connection to the instance is a page hook's own (see src/page/patch-shared-worker.ts):
 * the worker's script never sees it. It says hello, gets the page's port and hands that to the
 * worker's script in a `connect` event, and stays as the private channel to that document.
 */
import type { DropCounts, HookEvent } from '../protocol/capture-events';
import type { HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import type { HookOptions } from '../protocol/hook-options';
import { SHARED_CONTROL_MARK, type SharedHandshake, type WorkerToPageMessage } from '../protocol/messages';
import { HOOK_FLUSH_MS, SHARED_HISTORY_MAX_BYTES, SHARED_HISTORY_MAX_FRAMES, SHARED_HISTORY_MAX_LIFECYCLE, SHARED_HISTORY_MAX_LIFECYCLE_BYTES } from '../protocol/limits';
import { PROTOCOL_VERSION } from '../protocol/version';
import { natives } from '../page/natives';
import { listenerList } from '../page/listener-list';
import { frameEvent } from '../protocol/hook-columns';
import type { CommandRunner, PageChannel } from '../page/page-channel';
import { SafeMap, SafeWeakMap } from '../page/safe-collections';
import { SharedHistory } from './shared-history';

/** `loadFailed`: the worker's classic script did not load, so each document gets the error event native fires instead of a connection. */
export function openSharedChannel(scope: typeof globalThis, loadFailed: () => boolean): PageChannel {
  const ports: MessagePort[] = [];
  const rulesOf = new SafeMap<MessagePort, InterceptRule[]>();
  let runCommand: CommandRunner | null = null;
  const ruleListeners = listenerList<InterceptRule[]>();
  const optionsOf = new SafeMap<MessagePort, HookOptions>();
  const optionListeners = listenerList<HookOptions>();

  const history = new SharedHistory({
    frames: SHARED_HISTORY_MAX_FRAMES, bytes: SHARED_HISTORY_MAX_BYTES, lifecycle: SHARED_HISTORY_MAX_LIFECYCLE, lifecycleBytes: SHARED_HISTORY_MAX_LIFECYCLE_BYTES,
  });

  const post = (port: MessagePort, msg: WorkerToPageMessage) => {
    try { natives.apply(natives.postMessage, port, [msg]); } catch { /* a closed port: nobody to tell */ }
  };
  const none: DropCounts = { frames: 0, bytes: 0 };

  /**
   * Events go to the connected documents in batches, at most HOOK_FLUSH_MS later, as the page
   * hook's do: one message per document per batch, not per frame. (A dedicated worker posts each
   * at once, because its page may terminate it at any moment; a SharedWorker outlives any one tab,
   * and once the last tab is gone nobody is left to see what it still held.)
   */
  let pending: HookEvent[] = [];
  let timer = false;
  const flush = () => {
    timer = false;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    for (let i = 0; i < ports.length; i++) post(ports[i]!, { v: PROTOCOL_VERSION, t: 'events', events, dropped: none });
  };

  const applyRules = () => {
    // Every connected document's panel rules at once: a frame held for one tab is held for all.
    const all: InterceptRule[] = [];
    for (let i = 0; i < ports.length; i++) {
      const r = rulesOf.get(ports[i]!);
      for (let j = 0; r && j < r.length; j++) all[all.length] = r[j]!;
    }
    ruleListeners.call(all);
  };

  /** Send stacks are taken while any connected document's panel asks for them. */
  const applyOptions = () => {
    let sendStacks = false;
    for (let i = 0; i < ports.length; i++) if (optionsOf.get(ports[i]!)?.sendStacks === true) sendStacks = true;
    optionListeners.call({ sendStacks });
  };

  const drop = (port: MessagePort) => {
    let j = 0;
    for (let i = 0; i < ports.length; i++) if (ports[i] !== port) ports[j++] = ports[i]!;
    ports.length = j;
    if (rulesOf.delete(port)) applyRules();
    if (optionsOf.delete(port)) applyOptions();
  };

  const adopt = (port: MessagePort) => {
    // The history below already holds what is pending: the documents connected before get it first.
    flush();
    natives.apply(natives.addEventListener, port, ['message', (e: MessageEvent) => {
      const data = natives.apply(natives.messageData, e, []) as { v?: unknown; t?: unknown; id?: unknown; cmd?: unknown; rules?: unknown; options?: unknown } | null;
      if (!data || data.v !== PROTOCOL_VERSION) return;
      if (data.t === 'stop') drop(port);
      else if (data.t === 'rules' && natives.isArray(data.rules)) { rulesOf.set(port, data.rules as InterceptRule[]); applyRules(); }
      else if (data.t === 'options' && data.options) { optionsOf.set(port, data.options as HookOptions); applyOptions(); }
      else if (data.t === 'command' && typeof data.id === 'number' && runCommand) {
        const id = data.id;
        const done = (error: string | null | undefined) => {
          // What the command did (its frame event) goes before its result.
          flush();
          post(port, error ? { v: PROTOCOL_VERSION, t: 'result', id, ok: false, error } : { v: PROTOCOL_VERSION, t: 'result', id, ok: true });
        };
        try { runCommand(data.cmd as HookCommand, done); } catch (err) { done(`The command failed in the worker: ${String(err)}`); }
      }
    }]);
    // A tab that is gone: Chromium says so with the port's close event; elsewhere posting to it does nothing.
    natives.apply(natives.addEventListener, port, ['close', () => drop(port)]);
    natives.apply(natives.portStart, port, []);
    post(port, { v: PROTOCOL_VERSION, t: 'started' });
    post(port, { v: PROTOCOL_VERSION, t: 'events', events: history.events(), dropped: { frames: history.missed.frames, bytes: history.missed.bytes } });
    ports[ports.length] = port;
  };

  // Every connection to this instance is a page hook's (only page hooks know the wrapper's URL).
  // Its `connect` is ours: the worker's script gets the page's own port, in a `connect` of its
  // own, once the page hook has handed it over.
  const ours = new SafeWeakMap<Event, true>();
  // Capturing: at the target, a worker script's capturing listener would otherwise run before ours.
  natives.apply(natives.addEventListener, scope, ['connect', (c: MessageEvent) => {
    if (ours.has(c)) return;
    natives.apply(natives.stopImmediatePropagation, c, []);
    const connection = (natives.apply(natives.messagePorts, c, []) as readonly MessagePort[])[0];
    if (!connection) return;
    const join = (e: MessageEvent) => {
      const data = natives.apply(natives.messageData, e, []) as Record<string, unknown> | null;
      const page = (natives.apply(natives.messagePorts, e, []) as readonly MessagePort[])[0];
      if (!data || typeof data !== 'object' || data[SHARED_CONTROL_MARK] !== 'join' || !page) return;
      natives.apply(natives.removeEventListener, connection, ['message', join]);
      // As the browser's own (its data is null in Chromium, '' in Firefox), with the page's port.
      const connect = new natives.MessageEvent('connect', {
        data: natives.apply(natives.messageData, c, []), origin: natives.apply(natives.messageOrigin, c, []) as string,
        lastEventId: natives.apply(natives.messageLastEventId, c, []) as string, source: page, ports: [page],
      });
      ours.set(connect, true);
      if (data.control === true) adopt(connection);
      else natives.apply(natives.portClose, connection, []);
      natives.apply(natives.dispatchEvent, scope, [connect]);
    };
    natives.apply(natives.addEventListener, connection, ['message', join]);
    natives.apply(natives.portStart, connection, []);
    const hello: SharedHandshake = loadFailed() ? { [SHARED_CONTROL_MARK]: 'hello', failed: true } : { [SHARED_CONTROL_MARK]: 'hello' };
    try { natives.apply(natives.postMessage, connection, [hello]); } catch { /* a closed port: nobody to tell */ }
  }, true]);

  return {
    // The instance serves documents that come and go; it records for the next one even when none is connected.
    get live() { return true; },
    onCommand(run) { runCommand = run; },
    onRules: ruleListeners.add,
    onOptions: optionListeners.add,
    lost(d) {
      history.lost(d);
      flush();
      for (let i = 0; i < ports.length; i++) post(ports[i]!, { v: PROTOCOL_VERSION, t: 'events', events: [], dropped: d });
    },
    frame(sock, at, dir, data, origin, b) { this.emit(frameEvent(sock, at, dir, data, origin), b); },
    emit(ev, b) {
      // A send stack belongs to the event posted right after it, live; a document that connects
      // later gets the history's frames without their stacks (one evicted would misplace the other).
      if (ev.k !== 'sendStack') history.add(ev, b);
      if (ports.length === 0) return;
      pending[pending.length] = ev;
      if (!timer) { timer = true; natives.setTimeout(flush, HOOK_FLUSH_MS); }
    },
  };
}
