/**
 * Decides which instance a document's SharedWorker joins (see SharedConnect in
 * src/protocol/messages.ts). The key is what the browser shares an instance by: the storage
 * partition (incognito, top-level origin), the document's origin, the script URL and the name;
 * all but the URL and name come from the sender, which the page cannot forge.
 *
 * The arbiter keeps no registry a service-worker restart could lose: it asks every tab's relays
 * whether their document holds the key, and a document that is gone does not answer. Questions
 * for one key are answered one at a time, so two tabs starting the same worker together still
 * end up in one instance: the asking relay records its answer before the next question's
 * broadcast goes out. Nothing is cached here: a remembered answer would outlive the documents
 * that held it (a tab reloaded within seconds would be sent to a dead wrapper).
 */
import { browser, type Runtime } from '../platform/browser';
import type { RouterQuery, SharedAnswer, SharedConnect, SharedHeld } from '../protocol/messages';
import { decide } from './shared-decision';
import { PROTOCOL_VERSION } from '../protocol/version';

const queues = new Map<string, Promise<unknown>>();

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try { const o = new URL(url).origin; return o === 'null' ? null : o; } catch { return null; }
}

async function whoHolds(key: string): Promise<SharedHeld | null> {
  const query: RouterQuery = { v: PROTOCOL_VERSION, t: 'shared-who', key };
  const tabs = await browser.tabs.query({});
  const answers = await Promise.all(tabs.map((t) => t.id === undefined ? null
    : browser.tabs.sendMessage(t.id, query).catch(() => null)));
  const held = answers as (SharedHeld | null | undefined)[];
  // A captured instance first: after a split, joining it keeps capture (either choice splits from someone).
  const wrapped = held.find((h) => h?.mode === 'wrapped' && typeof h.wrapper === 'string' && h.wrapper.startsWith('blob:'));
  if (wrapped) return wrapped;
  return held.some((h) => h?.mode === 'native') ? { mode: 'native' } : null;
}

export async function arbitrate(req: SharedConnect, sender: Runtime.MessageSender): Promise<SharedAnswer & { key?: string }> {
  const origin = originOf(sender.url);
  const tab = sender.tab;
  if (!origin || !tab || originOf(req.url) !== origin || (req.wrapper !== null && !req.wrapper.startsWith(`blob:${origin}/`))) {
    return { mode: 'native', reason: 'Sockscope could not tell which page started it.' };
  }
  const key = JSON.stringify([Boolean(tab.incognito), originOf(tab.url) ?? '', origin, req.url, req.name]);
  const before = queues.get(key) ?? Promise.resolve();
  const turn = before.then(async (): Promise<SharedAnswer & { key: string }> => {
    const held = await whoHolds(key);
    return { ...decide(held, req.wrapper), key };
  });
  const settled = turn.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => { if (queues.get(key) === settled) queues.delete(key); });
  return turn.catch(() => ({ mode: 'native', reason: 'Sockscope could not ask the other tabs.' }) as SharedAnswer);
}
