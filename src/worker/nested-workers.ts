/**
 * A worker started by a worker: its relative URL is resolved against the parent's script (the
 * parent runs from a blob: wrapper), and it runs natively, not captured, which the panel is told.
 * Its sockets are rare enough that carrying a second hop of private ports is not worth it yet.
 */
import { installConstructor } from '../page/install';
import { bareHandler } from '../page/natives';
import { epochNow, natives } from '../page/natives';
import type { PageChannel } from '../page/page-channel';
import { labelWorker } from '../page/label-worker';

export const NESTED_REASON = 'Sockscope does not capture workers started by a worker yet. It runs unchanged.';

export function patchNestedWorkers(scope: typeof globalThis, resolve: (u: string) => string | null, scriptUrl: string, channel: PageChannel): void {
  const desc = natives.getOwnPropertyDescriptor(scope, 'Worker');
  const NativeWorker = desc?.value as typeof Worker | undefined;
  if (typeof NativeWorker !== 'function') return;
  const proxy = new Proxy(NativeWorker, bareHandler({
    construct(target, args, newTarget) {
      if (typeof args[0] === 'string') {
        const resolved = resolve(args[0]);
        if (resolved !== null) {
          const next: unknown[] = [resolved];
          for (let i = 1; i < args.length; i++) next[i] = args[i];
          args = next;
        }
      }
      const w = natives.construct(target, args, newTarget) as Worker;
      try {
        const label = labelWorker('dedicated', args[0], args[1], scriptUrl);
        channel.emit({ k: 'notice', sock: 0, at: epochNow(), worker: label, reason: NESTED_REASON }, 0);
      } catch { /* never into the worker */ }
      return w;
    },
  }));
  installConstructor(scope, 'Worker', proxy, NativeWorker);
}
