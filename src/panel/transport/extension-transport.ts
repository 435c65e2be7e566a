/**
 * Connects to the background router for one tab. When the port drops (the MV3 service worker was
 * stopped), it reconnects and subscribes again; the relays then replay and the model skips what
 * it already has, so a stop loses nothing.
 */
import { browser, type Runtime } from '../../platform/browser';
import { isRouterToPanelMessage } from '../../protocol/guards';
import { PORT_PANEL } from '../../protocol/messages';
import { PROTOCOL_VERSION } from '../../protocol/version';
import type { PanelBatch, PanelTransport, TransportStatus } from './panel-transport';

const RECONNECT_MS = 100;

export function extensionTransport(tabId: number): PanelTransport {
  return {
    start(onBatch: (b: PanelBatch) => void, onStatus: (s: TransportStatus) => void) {
      const connect = () => {
        let port: Runtime.Port;
        try {
          port = browser.runtime.connect({ name: PORT_PANEL });
        } catch {
          setTimeout(connect, RECONNECT_MS);
          return;
        }
        port.onMessage.addListener((m: unknown) => {
          if (!isRouterToPanelMessage(m)) return;
          if (m.t === 'subscribed') onStatus('live');
          else onBatch(m);
        });
        port.onDisconnect.addListener(() => {
          onStatus('reconnecting');
          setTimeout(connect, RECONNECT_MS);
        });
        port.postMessage({ v: PROTOCOL_VERSION, t: 'subscribe', tabId });
      };
      onStatus('connecting');
      connect();
    },
  };
}
