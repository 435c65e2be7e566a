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
import type { DropCounts, HookEvent } from '../protocol/capture-events';
import type { CommandResult, HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { HANDSHAKE_MARK, UNLOAD_HANDOFF_EVENT, type HookToRelayMessage, type UnloadHandoff } from '../protocol/messages';
import { HOOK_FLUSH_EVENTS, HOOK_FLUSH_MS, HOOK_PENDING_MAX_BYTES, HOOK_PENDING_MAX_FRAMES } from '../protocol/limits';
import { PROTOCOL_VERSION } from '../protocol/version';
import { binaryKind } from './binary-kind';
import { natives } from './natives';

export interface PageChannel {
  emit(ev: HookEvent, bytes: number): void;
  /** Commands from the panel arrive only through the private port: the page cannot send them. */
  onCommand(run: (cmd: HookCommand) => CommandResult['error'] | null): void;
  /** The tab's intercept rules, from the panel, through the same private port. */
  onRules(apply: (rules: InterceptRule[]) => void): void;
  /** False once the relay said the extension is gone: the hook then stops recording. */
  readonly live: boolean;
}

type EventsMessage = Extract<HookToRelayMessage, { t: 'events' }>;

export function openPageChannel(win: Window): PageChannel {
  const channel = new natives.MessageChannel();
  const port = channel.port1;
  let ready = false;
  let live = true;
  let queue: HookEvent[] = [];
  let transfers: ArrayBuffer[] = [];
  let queuedFrames = 0;
  let queuedBytes = 0;
  let dropped: DropCounts = { frames: 0, bytes: 0 };
  let timer = false;
  let runCommand: ((cmd: HookCommand) => string | undefined | null) | null = null;
  let applyRules: ((rules: InterceptRule[]) => void) | null = null;
  let unloadKey: string | null = null;
  let unloading = false;

  /** A batch that could not be handed over: its frames are counted as lost, never dropped silently. */
  const countLost = (msg: EventsMessage) => {
    for (let i = 0; i < msg.events.length; i++) if (msg.events[i]!.k === 'frame') dropped.frames++;
  };

  /** Takes what is queued as one message, or null when there is nothing to hand over. */
  const take = (): { msg: EventsMessage; transfer: ArrayBuffer[] } | null => {
    if (!ready || !live || (queue.length === 0 && dropped.frames === 0)) return null;
    const msg: EventsMessage = { v: PROTOCOL_VERSION, t: 'events', events: queue, dropped };
    const transfer = transfers;
    queue = [];
    transfers = [];
    queuedFrames = 0;
    queuedBytes = 0;
    dropped = { frames: 0, bytes: 0 };
    return { msg, transfer };
  };

  const flush = () => {
    timer = false;
    if (unloading) { handOffNow(); return; }
    const next = take();
    if (!next) return;
    const { msg, transfer } = next;
    try {
      natives.apply(natives.postMessage, port, [msg, transfer]);
    } catch {
      try {
        // Not transferable after all (a buffer listed twice, say): copied instead.
        natives.apply(natives.postMessage, port, [msg]);
      } catch {
        // A payload that cannot be cloned must not break the page; the batch is counted as lost.
        countLost(msg);
      }
    }
  };

  /**
   * From pagehide on, events are handed over at once and synchronously (a port message posted
   * now may never be delivered: see UNLOAD_HANDOFF_EVENT). Frames the page's own pagehide
   * listeners send still come through here, since `unloading` stays set until pageshow.
   */
  const handOffNow = () => {
    const next = unloadKey === null ? null : take();
    if (!next) return;
    const detail: UnloadHandoff = { key: unloadKey!, msg: next.msg };
    try {
      natives.apply(natives.dispatchEvent, win, [new natives.CustomEvent(UNLOAD_HANDOFF_EVENT, { detail })]);
    } catch {
      countLost(next.msg);
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
    const data = natives.apply(natives.messageData, e, []) as { v?: unknown; t?: unknown; id?: unknown; cmd?: unknown; rules?: unknown; key?: unknown } | null;
    if (!data || data.v !== PROTOCOL_VERSION) return;
    if (data.t === 'ready') { ready = true; unloadKey = typeof data.key === 'string' ? data.key : null; schedule(); }
    else if (data.t === 'stop') { live = false; queue = []; transfers = []; applyRules?.([]); }
    else if (data.t === 'rules' && natives.isArray(data.rules)) {
      // The relay checked them (isInterceptRule); the hook only ever gets them from the relay.
      try { applyRules?.(data.rules as InterceptRule[]); } catch { /* a bad rule never breaks the page */ }
      flush();
    }
    else if (data.t === 'command' && typeof data.id === 'number' && runCommand) {
      // Capture what the command did (its frame event) before its result, so the panel sees both.
      let error: string | null | undefined;
      try { error = runCommand(data.cmd as HookCommand); } catch (err) { error = `The command failed in the page: ${String(err)}`; }
      flush();
      const result = error ? { v: PROTOCOL_VERSION, t: 'result', id: data.id, ok: false, error } : { v: PROTOCOL_VERSION, t: 'result', id: data.id, ok: true };
      natives.apply(natives.postMessage, port, [result]);
    }
  }]);
  natives.apply(natives.portStart, port, []);
  natives.apply(natives.windowPostMessage, win, [{ [HANDSHAKE_MARK]: true }, '*', [channel.port2]]);

  return {
    get live() { return live; },
    onCommand(run) { runCommand = run; },
    onRules(apply) { applyRules = apply; },
    emit(ev, bytes) {
      if (!live) return;
      if (ev.k === 'frame') {
        // Before the relay is ready the queue is capped; lifecycle events always stay (they are small
        // and every frame needs its socket's create event to make sense).
        if (!ready && (queuedFrames >= HOOK_PENDING_MAX_FRAMES || queuedBytes + bytes > HOOK_PENDING_MAX_BYTES)) {
          dropped.frames++;
          dropped.bytes += bytes;
          return;
        }
        queuedFrames++;
        queuedBytes += bytes;
        const data = ev.data;
        if (typeof data !== 'string' && binaryKind(data) === 'arraybuffer') transfers[transfers.length] = data as ArrayBuffer;
      }
      queue[queue.length] = ev;
      if (unloading) handOffNow();
      else if (ready && queue.length >= HOOK_FLUSH_EVENTS) flush();
      else schedule();
    },
  };
}
