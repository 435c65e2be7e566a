/**
 * The relay's end of the private channel. The capture-phase listener is added at document_start,
 * before any page script, and it stops the handshake event so no page listener ever sees the
 * port. Only the first handshake is taken: a page posting look-alikes later gets nothing.
 */
import { isRecord, isHookToRelayMessage } from '../protocol/guards';
import type { CommandResult, HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import type { HookOptions } from '../protocol/hook-options';
import { HANDSHAKE_MARK, UNLOAD_HANDOFF_EVENT, type HookToRelayMessage, type RelayToHookMessage, type SharedAnswer, type SharedConnect } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { randomId } from './random-id';

export interface HookLink {
  stop(): void;
  /** Hands a command to the hook; false when the hook has not connected (yet). */
  command(id: number, cmd: HookCommand): boolean;
  /** The tab's intercept rules; kept and handed over as soon as the hook connects. */
  rules(rules: InterceptRule[]): void;
  /** What the panel asks of the hook (send stacks); kept and handed over as the rules are. */
  options(options: HookOptions): void;
  sharedAnswer(id: number, answer: SharedAnswer): void;
}

export type HookEventsMessage = Extract<HookToRelayMessage, { t: 'events' }>;

/** Frames in a message that failed validation: they are reported as dropped, not lost silently. */
function countFrames(data: unknown): number {
  if (!isRecord(data)) return 0;
  const events = Array.isArray(data.events) ? data.events : [];
  const columns = isRecord(data.frames) && Number.isSafeInteger(data.frames.n) && (data.frames.n as number) > 0 ? data.frames.n as number : 0;
  return columns + events.filter((e) => isRecord(e) && e.k === 'frame').length;
}

export interface HookLinkHandlers {
  onEvents(msg: HookEventsMessage): void;
  /** A message that failed validation, with the frames it held (counted as lost). */
  onRejected(frames: number): void;
  onResult(r: CommandResult): void;
  /** The page started a SharedWorker: the hook asks which instance it may join. */
  onSharedConnect(id: number, req: SharedConnect): void;
  /** The hook's synchronous handoff at pagehide was taken: send everything now, not later. */
  onUnloadHandoff(): void;
}

export function linkToHook(win: Window, h: HookLinkHandlers): HookLink {
  let port: MessagePort | null = null;
  let stopped = false;
  let pendingRules: InterceptRule[] | null = null;
  let pendingOptions: HookOptions | null = null;
  const post = (m: RelayToHookMessage) => port?.postMessage(m);
  // Given to the hook only over the private port: a page cannot forge an unload handoff.
  const unloadKey = randomId();
  /** The hook's last numbered batch taken: one handed over again at pagehide is not taken twice. */
  let lastBatch = 0;

  const accept = (data: unknown, ack = true) => {
    if (!isHookToRelayMessage(data)) h.onRejected(countFrames(data));
    else if (data.t === 'result') h.onResult({ id: data.id, ok: data.ok, ...(data.error !== undefined ? { error: data.error } : {}) });
    else if (data.t === 'shared-connect') h.onSharedConnect(data.id, { url: data.url, name: data.name, wrapper: data.wrapper });
    else if (data.n === undefined) h.onEvents(data);
    else if (data.n > lastBatch) {
      lastBatch = data.n;
      h.onEvents(data);
      if (ack) post({ v: PROTOCOL_VERSION, t: 'ack', n: lastBatch });
    }
  };

  const onHandshake = (e: MessageEvent) => {
    // A page script can dispatch a synthetic MessageEvent carrying its own port: only the browser's
    // (trusted) delivery of the hook's postMessage may open the link.
    if (port || !e.isTrusted || e.source !== win || !isRecord(e.data) || e.data[HANDSHAKE_MARK] !== true || e.ports.length !== 1) return;
    e.stopImmediatePropagation();
    win.removeEventListener('message', onHandshake, true);
    port = e.ports[0]!;
    port.onmessage = (m: MessageEvent) => accept(m.data);
    post(stopped ? { v: PROTOCOL_VERSION, t: 'stop' } : { v: PROTOCOL_VERSION, t: 'ready', key: unloadKey });
    if (pendingRules) post({ v: PROTOCOL_VERSION, t: 'rules', rules: pendingRules });
    if (pendingOptions) post({ v: PROTOCOL_VERSION, t: 'options', options: pendingOptions });
  };
  win.addEventListener('message', onHandshake, true);

  // Added before any page script, so this listener runs first and no page listener sees the event.
  win.addEventListener(UNLOAD_HANDOFF_EVENT, (e: Event) => {
    e.stopImmediatePropagation();
    const detail: unknown = (e as CustomEvent<unknown>).detail;
    if (!port || stopped || !isRecord(detail) || detail.key !== unloadKey || !Array.isArray(detail.msgs)) return;
    for (const msg of detail.msgs as unknown[]) accept(msg, false);
    // Delivered after a return from the back-forward cache, if the page is kept there.
    post({ v: PROTOCOL_VERSION, t: 'ack', n: lastBatch });
    h.onUnloadHandoff();
  }, true);

  return {
    stop() {
      stopped = true;
      post({ v: PROTOCOL_VERSION, t: 'stop' });
    },
    rules(rules) {
      pendingRules = rules;
      post({ v: PROTOCOL_VERSION, t: 'rules', rules });
    },
    options(options) {
      pendingOptions = options;
      post({ v: PROTOCOL_VERSION, t: 'options', options });
    },
    sharedAnswer(id, answer) {
      post({ v: PROTOCOL_VERSION, t: 'shared-answer', id, answer });
    },
    command(id, cmd) {
      if (!port || stopped) return false;
      post({ v: PROTOCOL_VERSION, t: 'command', id, cmd });
      return true;
    },
  };
}
