/**
 * Worker hook: runs first inside a worker the page hook started from a blob: wrapper (see
 * src/page/worker-wrapper.ts), then the worker's own script runs. It captures the worker's
 * sockets exactly as the page hook captures the page's, and hands them to the page hook over a
 * private port; the page hook labels them with the worker and passes them on to the relay.
 *
 * Bundled on its own into one classic script (vite.config.ts, `virtual:sockscope-worker-hook`)
 * and embedded in the page hook as text. The wrapper declares SOCKSCOPE_WORKER in a scope the
 * worker's script cannot see.
 */
import { WORKER_HELLO_MARK } from '../protocol/messages';
import { installToStringMask } from '../page/mask-native';
import { natives } from '../page/natives';
import { patchWebSocket } from '../page/patch-websocket';
import { openWorkerChannel } from './worker-channel';
import { openSharedChannel } from './shared-channel';
import { maskLocation, resolveRelativeUrls, resolverFor } from './worker-scope';
import { watchScriptLoad } from './script-load';
import { patchNestedWorkers } from './nested-workers';

declare const SOCKSCOPE_WORKER: { url: string; type: 'classic' | 'module'; kind?: 'shared'; loadLine?: number };

(() => {
  const scope = globalThis;
  try {
    const config = SOCKSCOPE_WORKER;
    const shared = config.kind === 'shared';
    // A SharedWorker has no postMessage of its own: it says hello on each connection (shared-channel.ts).
    let loadFailed = false;
    if (!shared) {
      // First of all: tell the page hook the browser ran the wrapper (its CSP check passed).
      natives.apply(natives.windowPostMessage, scope, [{ [WORKER_HELLO_MARK]: 'hello' }]);
    }
    if (config.type === 'classic' && config.loadLine) {
      watchScriptLoad(scope, config.loadLine, shared ? () => { loadFailed = true; }
        : () => natives.apply(natives.windowPostMessage, scope, [{ [WORKER_HELLO_MARK]: 'load-failed' }]));
    }
    installToStringMask();
    const resolve = resolverFor(config.url);
    maskLocation(scope, config.url);
    resolveRelativeUrls(scope, resolve);
    const channel = shared ? openSharedChannel(scope, () => loadFailed) : openWorkerChannel(scope);
    const runCommand = patchWebSocket(scope, channel, { resolveUrl: resolve });
    channel.onCommand((cmd, done) => done(runCommand(cmd)));
    patchNestedWorkers(scope, resolve, config.url, channel);
  } catch {
    // Whatever fails, the worker's own script still runs, with the worker's native globals.
  }
})();
