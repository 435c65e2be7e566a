/**
 * SharedWorkers are not captured yet; this says so in the panel, for each one the page starts,
 * instead of leaving a silent gap. The constructor is a Proxy that constructs natively with the
 * page's own arguments, untouched (so sharing, CSP and errors are exactly native); the label is
 * read without running page code (label-worker.ts).
 *
 * Why not wrapped like a dedicated worker: every tab that shares the worker must name the same
 * script URL, and a blob: wrapper's URL is new for each document. See README, "Workers".
 */
import { installConstructor } from './install';
import { epochNow, natives } from './natives';
import type { PageChannel } from './page-channel';
import { labelWorker } from './label-worker';
import { workerNatives as wn } from './worker-natives';

export const SHARED_WORKER_REASON = 'Sockscope does not capture SharedWorker sockets yet: every tab sharing the worker must start it from the same script URL, which a per-page wrapper cannot keep. It runs unchanged. Its sockets show in chrome://inspect/#workers (Chrome) or about:debugging (Firefox).';

export function patchSharedWorker(win: Window & typeof globalThis, channel: PageChannel): void {
  const NativeShared = (win as unknown as { SharedWorker?: typeof SharedWorker }).SharedWorker;
  if (typeof NativeShared !== 'function') return;
  const proxy = new Proxy(NativeShared, {
    construct(target, args, newTarget) {
      const sw = natives.construct(target, args, newTarget) as SharedWorker;
      if (channel.live) {
        try {
          const label = labelWorker('shared', args[0], args[1], natives.apply(wn.documentBaseURI, document, []) as string);
          channel.emit({ k: 'notice', sock: 0, at: epochNow(), worker: label, reason: SHARED_WORKER_REASON }, 0);
        } catch { /* never into the page */ }
      }
      return sw;
    },
  });
  installConstructor(win, 'SharedWorker', proxy, NativeShared);
}
