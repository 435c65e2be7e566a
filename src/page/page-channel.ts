/**
 * The hook's end of the private channel to the relay.
 *
 * The hook makes a MessageChannel and hands one port to the relay with a window.postMessage that
 * is dispatched before any page script can listen: the relay's capture-phase listener was added
 * at document_start and stops the event, so page listeners never see it or its port. From then
 * on nothing crosses window: page scripts can neither read captured data nor write into the channel.
 *
 * Events are queued and posted in batches (at most HOOK_FLUSH_MS later), so the page's send and
 * message paths only push onto an array. A frame's ArrayBuffer is always the hook's own copy, so
 * it is transferred to the relay, not copied a second time.
 */
import type { Direction, DropCounts, FrameOrigin, HookEvent } from '../protocol/capture-events';
import type { CommandResult, HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { DEFAULT_HOOK_OPTIONS, type HookOptions } from '../protocol/hook-options';
import { HANDSHAKE_MARK, UNLOAD_HANDOFF_EVENT, type SharedAnswer, type SharedConnect, type UnloadHandoff } from '../protocol/messages';
import { HOOK_FLUSH_EVENTS, HOOK_FLUSH_MS } from '../protocol/limits';
import { PROTOCOL_VERSION } from '../protocol/version';
import { ColumnBatch, postBatch, type ColumnsMessage } from './event-batch';
import { listenerList } from './listener-list';
import { InFlight } from './in-flight';
import { natives } from './natives';
import { SafeMap } from './safe-collections';

export interface PageChannel {
  emit(ev: HookEvent, bytes: number): void;
  /** A frame: the same as `emit` of a frame event, without making the object (the per-frame path). */
  frame(sock: number, at: number, dir: Direction, data: string | ArrayBuffer | Blob, origin: FrameOrigin | undefined, bytes: number): void;
  /** Frames lost before they reached this hook (a worker's pending cap): counted, never silent. */
  lost(d: DropCounts): void;
  /**
   * Commands from the panel arrive only through the private port: the page cannot send them.
   * `done` takes the user-facing error, or null; it may be called later (a worker's socket answers
   * through the worker's own port).
   */
  onCommand(run: CommandRunner): void;
  /** The tab's intercept rules, from the panel, through the same private port. Every listener gets them. */
  onRules(apply: (rules: InterceptRule[]) => void): void;
  /** What the panel asks of the hook (send stacks), through the same port; the defaults again when it stops. */
  onOptions(apply: (options: HookOptions) => void): void;
  /** False once the relay said the extension is gone: the hook then stops recording. */
  readonly live: boolean;
}

/** The document's own channel also carries the SharedWorker question to the router (see SharedConnect). */
export interface DocumentChannel extends PageChannel {
  sharedConnect(req: SharedConnect, answer: (a: SharedAnswer) => void): void;
}

export type CommandRunner = (cmd: HookCommand, done: (error: CommandResult['error'] | null) => void) => void;

export function openPageChannel(win: Window): DocumentChannel {
  const channel = new natives.MessageChannel();
  const port = channel.port1;
  let ready = false;
  let live = true;
  const batch = new ColumnBatch();
  /** Posted, not yet acknowledged by the relay: handed over again at pagehide (see InFlight). */
  const inFlight = new InFlight();
  let lastBatch = 0;
  let timer = false;
  let runCommand: CommandRunner | null = null;
  const ruleListeners = listenerList<InterceptRule[]>();
  const optionListeners = listenerList<HookOptions>();
  let unloadKey: string | null = null;
  const asked = new SafeMap<number, (a: SharedAnswer) => void>();
  let lastAsk = 0;
  let unloading = false;

  const flush = () => {
    timer = false;
    if (unloading) { handOffNow(); return; }
    if (!ready || !live || batch.empty) return;
    const posted = postBatch(port, batch, ++lastBatch);
    if (posted) inFlight.add(posted.msg, posted.transfer);
  };

  /**
   * From pagehide on, events are handed over at once and synchronously (a port message posted
   * now may never be delivered: see UNLOAD_HANDOFF_EVENT). Frames the page's own pagehide
   * listeners send still come through here, since `unloading` stays set until pageshow.
   */
  const handOffNow = () => {
    if (unloadKey === null || !ready || !live) return;
    // Batches posted but maybe still queued in the port (never delivered once the page unloads), then the last one.
    const msgs: ColumnsMessage[] = inFlight.takeAll();
    if (!batch.empty) {
      const { msg } = batch.take();
      msg.n = ++lastBatch;
      msgs[msgs.length] = msg;
    }
    if (msgs.length === 0) return;
    const detail: UnloadHandoff = { key: unloadKey, msgs };
    try {
      natives.apply(natives.dispatchEvent, win, [new natives.CustomEvent(UNLOAD_HANDOFF_EVENT, { detail })]);
    } catch {
      for (let i = 0; i < msgs.length; i++) batch.countLost(msgs[i]!);
    }
  };
  natives.apply(natives.addEventListener, win, ['pagehide', () => { unloading = true; handOffNow(); }, true]);
  // Back from the back-forward cache: the port works again, batching resumes.
  natives.apply(natives.addEventListener, win, ['pageshow', () => { unloading = false; }, true]);

  const schedule = () => {
    if (timer) return;
    timer = true;
    natives.setTimeout(flush, HOOK_FLUSH_MS);
  };

  natives.apply(natives.addEventListener, port, ['message', (e: MessageEvent) => {
    const data = natives.apply(natives.messageData, e, []) as { v?: unknown; t?: unknown; id?: unknown; cmd?: unknown; rules?: unknown; key?: unknown; options?: unknown } | null;
    if (!data || data.v !== PROTOCOL_VERSION) return;
    if (data.t === 'ready') { ready = true; unloadKey = typeof data.key === 'string' ? data.key : null; schedule(); }
    else if (data.t === 'ack' && typeof (data as { n?: unknown }).n === 'number') inFlight.ackThrough((data as { n: number }).n);
    else if (data.t === 'stop') { live = false; batch.clear(); ruleListeners.call([]); optionListeners.call(DEFAULT_HOOK_OPTIONS); }
    else if (data.t === 'shared-answer' && typeof data.id === 'number') {
      const answer = asked.get(data.id);
      asked.delete(data.id);
      // The relay checked its shape (isSharedAnswer).
      if (answer) answer((data as unknown as { answer: SharedAnswer }).answer);
    }
    else if (data.t === 'rules' && natives.isArray(data.rules)) {
      // The relay checked them (isInterceptRule); the hook only ever gets them from the relay.
      ruleListeners.call(data.rules as InterceptRule[]);
      flush();
    }
    // The relay checked them (isHookOptions).
    else if (data.t === 'options' && data.options) optionListeners.call(data.options as HookOptions);
    else if (data.t === 'command' && typeof data.id === 'number' && runCommand) {
      const id = data.id;
      let answered = false;
      const done = (error: string | null | undefined) => {
        if (answered) return;
        answered = true;
        // Capture what the command did (its frame event) before its result, so the panel sees both.
        flush();
        const result = error ? { v: PROTOCOL_VERSION, t: 'result', id, ok: false, error } : { v: PROTOCOL_VERSION, t: 'result', id, ok: true };
        natives.apply(natives.postMessage, port, [result]);
      };
      try { runCommand(data.cmd as HookCommand, done); } catch (err) { done(`The command failed in the page: ${String(err)}`); }
    }
  }]);
  natives.apply(natives.portStart, port, []);
  natives.apply(natives.windowPostMessage, win, [{ [HANDSHAKE_MARK]: true }, '*', [channel.port2]]);

  const added = () => {
    if (unloading) handOffNow();
    else if (ready && batch.size >= HOOK_FLUSH_EVENTS) flush();
    else schedule();
  };

  return {
    get live() { return live; },
    sharedConnect(req, answer) {
      const id = ++lastAsk;
      asked.set(id, answer);
      // Queued in the port until the relay takes it, if it has not yet.
      natives.apply(natives.postMessage, port, [{ v: PROTOCOL_VERSION, t: 'shared-connect', id, url: req.url, name: req.name, wrapper: req.wrapper }]);
    },
    onCommand(run) { runCommand = run; },
    onRules: ruleListeners.add,
    onOptions: optionListeners.add,
    lost(d) {
      batch.lost(d);
      schedule();
    },
    emit(ev, bytes) {
      if (!live) return;
      // Before the relay is ready, the batch is capped.
      batch.add(ev, bytes, !ready);
      added();
    },
    frame(sock, at, dir, data, origin, bytes) {
      if (!live) return;
      batch.frame(sock, at, dir, data, origin, bytes, !ready);
      added();
    },
  };
}
