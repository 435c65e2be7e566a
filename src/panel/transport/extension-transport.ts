/**
 * Connects to the background router for one tab. When the port drops (the MV3 service worker was
 * stopped), it reconnects and subscribes again; the relays then replay and the model skips what
 * it already has, so a stop loses nothing. Commands in flight when the port drops are answered
 * with an error rather than left hanging.
 */
import { browser, type Runtime } from '../../platform/browser';
import type { CommandResult } from '../../protocol/commands';
import type { InterceptRule } from '../../protocol/intercept-rules';
import { DEFAULT_HOOK_OPTIONS, type HookOptions } from '../../protocol/hook-options';
import { isRouterToPanelMessage } from '../../protocol/guards';
import { PORT_PANEL } from '../../protocol/messages';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { channelProbe } from '../../protocol/channel-probe';
import { NOT_CONNECTED, type PanelBatch, type PanelTransport, type TransportStatus } from './panel-transport';

const RECONNECT_MS = 100;
const PORT_DROPPED = 'The connection to the extension dropped before the page answered; try again.';

export function extensionTransport(tabId: number): PanelTransport {
  let port: Runtime.Port | null = null;
  let nextId = 0;
  const pending = new Map<number, (r: Omit<CommandResult, 'id'>) => void>();
  let rules: InterceptRule[] = [];
  let options: HookOptions = DEFAULT_HOOK_OPTIONS;

  return {
    start(onBatch: (b: PanelBatch) => void, onStatus: (s: TransportStatus) => void) {
      const connect = () => {
        try {
          port = browser.runtime.connect({ name: PORT_PANEL });
        } catch {
          setTimeout(connect, RECONNECT_MS);
          return;
        }
        port.onMessage.addListener((m: unknown) => {
          if (!isRouterToPanelMessage(m)) return;
          if (m.t === 'subscribed') onStatus('live');
          else if (m.t === 'result') {
            pending.get(m.id)?.({ ok: m.ok, ...(m.error !== undefined ? { error: m.error } : {}) });
            pending.delete(m.id);
          } else onBatch(m);
        });
        port.onDisconnect.addListener(() => {
          port = null;
          for (const resolve of pending.values()) resolve({ ok: false, error: PORT_DROPPED });
          pending.clear();
          onStatus('reconnecting');
          setTimeout(connect, RECONNECT_MS);
        });
        port.postMessage({ v: PROTOCOL_VERSION, t: 'subscribe', tabId, probe: channelProbe() });
        // A restarted service worker forgot the rules: they go with every subscription.
        port.postMessage({ v: PROTOCOL_VERSION, t: 'rules', rules });
        port.postMessage({ v: PROTOCOL_VERSION, t: 'options', options });
      };
      onStatus('connecting');
      connect();
    },
    setRules(next) {
      rules = next;
      port?.postMessage({ v: PROTOCOL_VERSION, t: 'rules', rules });
    },
    setOptions(next) {
      options = { ...next };
      port?.postMessage({ v: PROTOCOL_VERSION, t: 'options', options });
    },
    command(frameId, docId, cmd) {
      return new Promise((resolve) => {
        if (!port) { resolve({ ok: false, error: NOT_CONNECTED }); return; }
        const id = ++nextId;
        pending.set(id, resolve);
        port.postMessage({ v: PROTOCOL_VERSION, t: 'command', id, frameId, docId, cmd });
      });
    },
  };
}
