/**
 * Background router (MV3 service worker in Chrome, event page in Firefox). It keeps no capture
 * data: relays hold the history, so a worker that stops loses nothing. When it starts again, the
 * ports reconnect and the relays replay.
 */
import { browser, type Runtime } from '../platform/browser';
import { isPanelToRouterMessage, isRelayRequest, isRelayToRouterMessage } from '../protocol/guards';
import { PORT_PANEL, PORT_RELAY } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { probeCloned } from '../protocol/channel-probe';
import { RouteTable } from './route-table';
import { arbitrate } from './shared-arbiter';

const routes = new RouteTable();
const extensionOrigin = browser.runtime.getURL('');

// One-shot questions from relays (content scripts in web pages): answered from what the browser
// says about the sender, never from what the message claims.
browser.runtime.onMessage.addListener((m: unknown, sender: Runtime.MessageSender) => {
  if (sender.id !== browser.runtime.id || !isRelayRequest(m)) return undefined;
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || typeof sender.frameId !== 'number' || !sender.url) return undefined;
  return arbitrate({ url: m.url, name: m.name, wrapper: m.wrapper }, sender);
});

browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  if (port.name === PORT_RELAY) acceptRelay(port);
  else if (port.name === PORT_PANEL) acceptPanel(port);
  else port.disconnect();
});

function acceptRelay(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  const frameId = port.sender?.frameId;
  if (typeof tabId !== 'number' || tabId < 0 || typeof frameId !== 'number') { port.disconnect(); return; }
  // The top frame's URL as the browser reports it decides which intercept rules the tab gets.
  const relay = routes.addRelay(tabId, frameId, port, port.sender?.url);
  port.onDisconnect.addListener(() => relay.remove());
  port.onMessage.addListener((m: unknown) => {
    if (!isRelayToRouterMessage(m)) return;
    if (m.t === 'batch') routes.forward(tabId, frameId, m);
    else if (m.t === 'hello') {
      relay.setDoc(m.doc.docId);
      // Binary goes as buffers on this port only if the relay's probe came through as one.
      port.postMessage({ v: PROTOCOL_VERSION, t: 'channel', clone: probeCloned(m.probe) });
    }
    else if (m.t === 'result') relay.result(m);
  });
}

function acceptPanel(port: Runtime.Port): void {
  // Only our own extension pages (the DevTools panel) may subscribe; content scripts run in web
  // pages and have a page URL as sender.url.
  if (port.sender?.id !== browser.runtime.id || !port.sender.url?.startsWith(extensionOrigin)) { port.disconnect(); return; }
  let remove: (() => void) | null = null;
  let subscribedTab: number | null = null;
  port.onMessage.addListener((m: unknown) => {
    if (!isPanelToRouterMessage(m)) return;
    if (m.t === 'command') {
      // Commands only reach the tab this panel inspects.
      if (subscribedTab !== null) routes.command(subscribedTab, port, m);
      return;
    }
    if (m.t === 'rules') {
      if (subscribedTab !== null) routes.setRules(subscribedTab, m.rules);
      return;
    }
    if (m.t === 'options') {
      if (subscribedTab !== null) routes.setOptions(subscribedTab, m.options);
      return;
    }
    if (remove) return;
    subscribedTab = m.tabId;
    remove = routes.addPanel(m.tabId, port, probeCloned(m.probe));
    // Relays that went idle while no panel watched reconnect on this ping.
    browser.tabs.sendMessage(m.tabId, { v: PROTOCOL_VERSION, t: 'reconnect' }).catch(() => { /* a tab with no relay */ });
  });
  port.onDisconnect.addListener(() => remove?.());
}
