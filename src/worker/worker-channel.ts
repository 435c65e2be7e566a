/**
 * The worker hook's end of its private channel to the page hook: the same contract as the page
 * hook's channel to the relay (PageChannel), so the WebSocket patch runs unchanged in a worker.
 *
 * The port arrives in the first message the worker receives, which the page hook posts inside
 * the Worker constructor, before the page holds the object: our listener, added before the
 * worker's own script runs, takes it and stops it. Anything later is the page's and passes by.
 * Until the port arrives (a classic worker's script runs to its end first), events wait here,
 * under the same caps as in the page; after that each is posted as it happens (see emit).
 */
import type { HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { DEFAULT_HOOK_OPTIONS, type HookOptions } from '../protocol/hook-options';
import { WORKER_PORT_MARK, type WorkerToPageMessage } from '../protocol/messages';
import { HOOK_FLUSH_MS } from '../protocol/limits';
import { PROTOCOL_VERSION } from '../protocol/version';
import { EventBatch, postBatch } from '../page/event-batch';
import { frameEvent } from '../protocol/hook-columns';
import { natives } from '../page/natives';
import { listenerList } from '../page/listener-list';
import type { CommandRunner, PageChannel } from '../page/page-channel';

export function openWorkerChannel(scope: typeof globalThis): PageChannel {
  let port: MessagePort | null = null;
  let live = true;
  const batch = new EventBatch();
  let timer = false;
  let runCommand: CommandRunner | null = null;
  const ruleListeners = listenerList<InterceptRule[]>();
  const optionListeners = listenerList<HookOptions>();

  const flush = () => {
    timer = false;
    if (port && live && !batch.empty) postBatch(port, batch);
  };
  const schedule = () => {
    if (timer) return;
    timer = true;
    natives.setTimeout(flush, HOOK_FLUSH_MS);
  };
  const post = (msg: WorkerToPageMessage) => {
    try { if (port) natives.apply(natives.postMessage, port, [msg]); } catch { /* a closed port: nobody to tell */ }
  };

  const onPortMessage = (e: MessageEvent) => {
    const data = natives.apply(natives.messageData, e, []) as { v?: unknown; t?: unknown; id?: unknown; cmd?: unknown; rules?: unknown; options?: unknown } | null;
    if (!data || data.v !== PROTOCOL_VERSION) return;
    if (data.t === 'stop') { live = false; batch.clear(); ruleListeners.call([]); optionListeners.call(DEFAULT_HOOK_OPTIONS); }
    // From the page hook, which had them from the relay (checked there).
    else if (data.t === 'options' && data.options) optionListeners.call(data.options as HookOptions);
    else if (data.t === 'rules' && natives.isArray(data.rules)) {
      ruleListeners.call(data.rules as InterceptRule[]);
      flush();
    } else if (data.t === 'command' && typeof data.id === 'number' && runCommand) {
      const id = data.id;
      const done = (error: string | null | undefined) => {
        // What the command did (its frame event) goes before its result.
        flush();
        post(error ? { v: PROTOCOL_VERSION, t: 'result', id, ok: false, error } : { v: PROTOCOL_VERSION, t: 'result', id, ok: true });
      };
      try { runCommand(data.cmd as HookCommand, done); } catch (err) { done(`The command failed in the worker: ${String(err)}`); }
    }
  };

  const takePort = (e: MessageEvent) => {
    if (port) return;
    const data = natives.apply(natives.messageData, e, []) as Record<string, unknown> | null;
    const ports = natives.apply(natives.messagePorts, e, []) as readonly MessagePort[];
    if (!data || typeof data !== 'object' || data[WORKER_PORT_MARK] !== true || ports.length !== 1) return;
    natives.apply(natives.stopImmediatePropagation, e, []);
    port = ports[0]!;
    natives.apply(natives.addEventListener, port, ['message', onPortMessage]);
    natives.apply(natives.portStart, port, []);
    // This first message comes after the worker's script has run its first task: it was loaded.
    post({ v: PROTOCOL_VERSION, t: 'started' });
    flush();
  };
  // Capturing: at the target, a worker script's capturing listener would otherwise run before ours.
  natives.apply(natives.addEventListener, scope, ['message', takePort, true]);

  return {
    get live() { return live; },
    onCommand(run) { runCommand = run; },
    onRules: ruleListeners.add,
    onOptions: optionListeners.add,
    lost(d) {
      batch.lost(d);
      schedule();
    },
    frame(sock, at, dir, data, origin, bytes) { this.emit(frameEvent(sock, at, dir, data, origin), bytes); },
    emit(ev, bytes) {
      if (!live) return;
      batch.add(ev, bytes, port === null);
      // Posted at once, before the worker's own code runs on: a page may terminate the worker as
      // soon as the worker tells it something, and whatever the worker still held would be lost,
      // uncounted. (The page hook batches them again on the page's side.)
      if (port) flush();
      else schedule();
    },
  };
}
