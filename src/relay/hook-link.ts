/**
 * The relay's end of the private channel. The capture-phase listener is added at document_start,
 * before any page script, and it stops the handshake event so no page listener ever sees the
 * port. Only the first handshake is taken: a page posting look-alikes later gets nothing.
 */
import { isRecord, isHookToRelayMessage } from '../protocol/guards';
import type { CommandResult, HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { HANDSHAKE_MARK, type HookToRelayMessage, type RelayToHookMessage } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';

export interface HookLink {
  stop(): void;
  /** Hands a command to the hook; false when the hook has not connected (yet). */
  command(id: number, cmd: HookCommand): boolean;
  /** The tab's intercept rules; kept and handed over as soon as the hook connects. */
  rules(rules: InterceptRule[]): void;
}

export type HookEventsMessage = Extract<HookToRelayMessage, { t: 'events' }>;

/** Frames in a message that failed validation: they are reported as dropped, not lost silently. */
function countFrames(data: unknown): number {
  const events = isRecord(data) && Array.isArray(data.events) ? data.events : [];
  return events.filter((e) => isRecord(e) && e.k === 'frame').length;
}

export function linkToHook(win: Window, onMessage: (msg: HookEventsMessage) => void, onRejected: (frames: number) => void, onResult: (r: CommandResult) => void): HookLink {
  let port: MessagePort | null = null;
  let stopped = false;
  let pendingRules: InterceptRule[] | null = null;
  const post = (m: RelayToHookMessage) => port?.postMessage(m);

  const onHandshake = (e: MessageEvent) => {
    if (port || e.source !== win || !isRecord(e.data) || e.data[HANDSHAKE_MARK] !== true || e.ports.length !== 1) return;
    e.stopImmediatePropagation();
    win.removeEventListener('message', onHandshake, true);
    port = e.ports[0]!;
    port.onmessage = (m: MessageEvent) => {
      if (!isHookToRelayMessage(m.data)) onRejected(countFrames(m.data));
      else if (m.data.t === 'result') onResult({ id: m.data.id, ok: m.data.ok, ...(m.data.error !== undefined ? { error: m.data.error } : {}) });
      else onMessage(m.data);
    };
    post({ v: PROTOCOL_VERSION, t: stopped ? 'stop' : 'ready' });
    if (pendingRules) post({ v: PROTOCOL_VERSION, t: 'rules', rules: pendingRules });
  };
  win.addEventListener('message', onHandshake, true);

  return {
    stop() {
      stopped = true;
      post({ v: PROTOCOL_VERSION, t: 'stop' });
    },
    rules(rules) {
      pendingRules = rules;
      post({ v: PROTOCOL_VERSION, t: 'rules', rules });
    },
    command(id, cmd) {
      if (!port || stopped) return false;
      post({ v: PROTOCOL_VERSION, t: 'command', id, cmd });
      return true;
    },
  };
}
