/**
 * The relay's port to the background router. The port is opened at load and reopened at once if
 * it drops while a panel is watching (an MV3 service worker that stopped): the router then asks
 * for the history again and the panel drops what it already has. With no panel watching, the
 * relay does not wake the worker; the router pings it when a panel subscribes.
 */
import { browser, type Runtime } from '../platform/browser';
import { isRouterToRelayMessage } from '../protocol/guards';
import { PORT_RELAY, type RelayToRouterMessage, type RouterToRelayMessage } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';

export interface RouterLink {
  send(msg: RelayToRouterMessage): boolean;
}

export interface RouterLinkHandlers {
  hello(): RelayToRouterMessage;
  onMessage(msg: RouterToRelayMessage): void;
  /** The port dropped; `attached` is false from here until the router says attach again. */
  onDrop(): void;
  /** The extension was reloaded or removed: this relay can never reach it again. */
  onContextGone(): void;
}

const RECONNECT_MS = 50;

export function linkToRouter(h: RouterLinkHandlers): RouterLink {
  let port: Runtime.Port | null = null;
  let wantConnected = true;

  const contextAlive = () => {
    try { return Boolean(browser.runtime?.id); } catch { return false; }
  };

  const connect = () => {
    if (port) return;
    if (!contextAlive()) { h.onContextGone(); return; }
    try {
      port = browser.runtime.connect({ name: PORT_RELAY });
    } catch {
      h.onContextGone();
      return;
    }
    port.onMessage.addListener((m: unknown) => {
      if (isRouterToRelayMessage(m)) {
        if (m.t === 'attach') wantConnected = true;
        if (m.t === 'detach') wantConnected = false;
        h.onMessage(m);
      }
    });
    port.onDisconnect.addListener(() => {
      port = null;
      h.onDrop();
      if (!contextAlive()) h.onContextGone();
      else if (wantConnected) setTimeout(connect, RECONNECT_MS);
    });
    port.postMessage(h.hello());
  };

  // The router pings every frame of a tab when a panel subscribes, so an idle relay reconnects.
  browser.runtime.onMessage.addListener((m: unknown, sender: Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id) return;
    if (typeof m === 'object' && m !== null && (m as { v?: unknown; t?: unknown }).v === PROTOCOL_VERSION &&
        (m as { t?: unknown }).t === 'reconnect') {
      wantConnected = true;
      connect();
    }
  });

  // Back from the back-forward cache: Chromium closed the port when the page went in, but this
  // end may never hear onDisconnect. A fresh port makes the router attach again, and the relay
  // replays its history to a panel that is watching.
  addEventListener('pageshow', (e: PageTransitionEvent) => {
    if (!e.persisted) return;
    const old = port;
    port = null;
    try { old?.disconnect(); } catch { /* already closed */ }
    h.onDrop();
    connect();
  }, true);

  connect();
  return {
    send(msg) {
      if (!port) return false;
      try { port.postMessage(msg); return true; } catch { return false; }
    },
  };
}
