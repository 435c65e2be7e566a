/**
 * The relay's part in capturing SharedWorkers (see src/page/patch-shared-worker.ts): it carries
 * the page hook's "which instance do I join?" to the router, and it tells the router, when asked,
 * which SharedWorker instances this document holds, so that the next document of the origin joins
 * the same one. The router keeps no list of its own: a document that is gone no longer answers,
 * which is exactly when its instance may be gone too.
 */
import { browser, type Runtime } from '../platform/browser';
import { isRouterQuery, isSharedAnswer } from '../protocol/guards';
import type { RelayRequest, SharedAnswer, SharedConnect, SharedHeld } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';

export const NO_ANSWER = 'The extension did not answer which instance to join.';

export interface SharedWorkerRelay {
  /** The hook asks which instance to join; `answer` goes back to it. */
  connect(req: SharedConnect, answer: (a: SharedAnswer) => void): void;
}

export function relaySharedWorkers(): SharedWorkerRelay {
  const held = new Map<string, SharedHeld>();

  browser.runtime.onMessage.addListener((m: unknown, sender: Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || !isRouterQuery(m)) return undefined;
    const h = held.get(m.key);
    return h ? Promise.resolve(h) : undefined;
  });

  return {
    connect(req, answer) {
      const ask: RelayRequest = { v: PROTOCOL_VERSION, t: 'shared-connect', ...req };
      browser.runtime.sendMessage(ask).then((a: unknown) => {
        const r = a as (SharedAnswer & { key?: unknown }) | undefined;
        if (!isSharedAnswer(r)) { answer({ mode: 'native', reason: NO_ANSWER }); return; }
        // A later answer for the same key (this document fell back to native) replaces the earlier.
        if (typeof r.key === 'string') held.set(r.key, r.mode === 'wrapped' ? { mode: 'wrapped', wrapper: r.wrapper } : { mode: 'native' });
        answer(r.mode === 'wrapped' ? { mode: 'wrapped', wrapper: r.wrapper } : { mode: 'native', reason: r.reason, ...(r.split && { split: true }) });
      }, () => answer({ mode: 'native', reason: NO_ANSWER }));
    },
  };
}
