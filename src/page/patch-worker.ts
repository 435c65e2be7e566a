/**
 * Captures the sockets of the page's dedicated workers. `new Worker(url)` starts the same
 * Worker from a blob: wrapper (worker-wrapper.ts) that runs the worker hook, then the worker's
 * own script from its real URL. The page gets the real Worker object, so `instanceof`, the
 * prototype, postMessage, transfer and events are native; only the constructor is a Proxy.
 *
 * A wrapper the browser refuses (a CSP whose worker-src does not allow blob:) is only known
 * asynchronously, after the page holds the object. So until the worker hook says hello, each
 * message the page posts is also kept as a copy; if the wrapper fails instead, the same Worker
 * is started natively from its real URL, the copies are posted to it, its events are passed on
 * to the page's object, and the panel is told the worker is not captured, and why. The page's
 * worker runs either way.
 */
import type { WorkerLabel } from '../protocol/capture-events';
import { WORKER_HELLO_MARK, WORKER_PORT_MARK } from '../protocol/messages';
import { installConstructor, installMethod } from './install';
import { bareHandler, natives } from './natives';
import type { PageChannel } from './page-channel';
import type { WorkerLink } from './worker-link';
import type { WorkerLinks } from './worker-links';
import type { BlobRefusals, Starting } from './blob-refusals';
import { workerNatives as wn } from './worker-natives';
import { wrappable } from './worker-wrapper';
import { convertWorkerArgs, makeWrapper, notWrappableReason, REFUSED_AT_ONCE, type Wrapper } from './worker-args';
import { SafeMap, SafeWeakMap } from './safe-collections';

type Phase = 'starting' | 'running' | 'fallback' | 'ended';

interface Started {
  phase: Phase;
  label: WorkerLabel;
  link: WorkerLink;
  /** Copies of what the page posted while the worker started, for a native restart. */
  held: unknown[];
  /** After hello: a 'load-failed' may still follow, until the first message of the worker's own. */
  settled: boolean;
  /** Whether the CSP refused the wrapper, reported while it started (blob-refusals.ts). */
  watch: Starting;
  blobUrls: string[];
  fallback: Worker | null;
  /** What native needs to start it again: the converted URL and options. */
  nativeArgs: [string, Record<string, unknown>];
  /** The page's blob: URL this worker loads, until it has loaded it (see revokeProxy). */
  pageBlob: string | null;
}


const CSP_REASON = "The page's Content-Security-Policy does not allow blob: workers (worker-src), which Sockscope needs to run its hook inside the worker. The worker runs unchanged, without capture.";
const START_REASON = "Sockscope's wrapper did not start (no CSP refusal was reported). The worker was started again from its own URL, unchanged, without capture.";

export function patchWorkers(win: Window & typeof globalThis, channel: PageChannel, links: WorkerLinks, refusals: BlobRefusals): void {
  const NativeWorker = wn.Worker;
  if (!NativeWorker || !wn.workerPostMessage || !wn.workerTerminate) return;
  const nativePost = wn.workerPostMessage;
  const nativeTerminate = wn.workerTerminate;
  const started = new SafeWeakMap<Worker, Started>();
  /**
   * A page that starts a worker from a blob: URL may revoke that URL at once: native resolved it
   * in the constructor, but the wrapper loads it later, from inside the worker. So a revocation
   * of a URL a wrapped worker has yet to load waits until it has loaded it (or failed to).
   */
  const loading = new SafeMap<string, number>();
  const revokeLater = new SafeMap<string, true>();
  const nativeRevoke = wn.revokeObjectURL;
  const loaded = (s: Started) => {
    const url = s.pageBlob;
    if (url === null) return;
    s.pageBlob = null;
    const n = (loading.get(url) ?? 1) - 1;
    if (n > 0) { loading.set(url, n); return; }
    loading.delete(url);
    if (revokeLater.delete(url)) natives.apply(nativeRevoke, natives.URL, [url]);
  };
  const revokeProxy = new Proxy(nativeRevoke, bareHandler({
    apply(target, self, args) {
      if (typeof args[0] === 'string' && loading.has(args[0])) { revokeLater.set(args[0], true); return undefined; }
      return natives.apply(target, self, args);
    },
  }));
  installMethod(natives.URL, 'revokeObjectURL', revokeProxy, nativeRevoke);

  /** The worker runs (in the wrapper, or natively from `replayTo`): what it started with is settled. */
  const release = (w: Worker, s: Started, replayTo: Worker | null) => {
    const held = s.held;
    s.held = [];
    for (let i = 0; replayTo && i < held.length; i++) {
      try { natives.apply(nativePost, replayTo, [held[i]]); } catch { /* as native: a message that cannot be delivered is lost */ }
    }
    for (let i = 0; i < s.blobUrls.length; i++) natives.apply(wn.revokeObjectURL, natives.URL, [s.blobUrls[i]!]);
    refusals.end(s.watch);
  };

  /** The wrapper never ran: start the worker natively and make the page's object its face. */
  const fallBack = (w: Worker, s: Started) => {
    s.phase = 'fallback';
    natives.apply(nativeTerminate, w, []);
    let fb: Worker;
    try { fb = natives.construct(NativeWorker, s.nativeArgs) as Worker; }
    catch { s.phase = 'ended'; refusals.end(s.watch); loaded(s); return; }
    // Native resolved the page's blob: URL in its constructor.
    loaded(s);
    s.fallback = fb;
    const pass = (e: Event) => {
      const type = natives.apply(wn.eventType, e, []) as string;
      let copy: Event;
      if (type === 'error' && e instanceof wn.ErrorEvent) {
        copy = new wn.ErrorEvent('error', {
          message: natives.apply(wn.errorMessage, e, []) as string, filename: natives.apply(wn.errorFilename, e, []) as string,
          lineno: natives.apply(wn.errorLineno, e, []) as number, colno: natives.apply(wn.errorColno, e, []) as number,
          error: natives.apply(wn.errorError, e, []), cancelable: true,
        });
      } else if (type === 'error') {
        copy = new wn.Event('error', wn.loadErrorInit);
      } else {
        const ports = natives.apply(natives.messagePorts, e, []) as readonly MessagePort[];
        const list: MessagePort[] = [];
        for (let i = 0; i < ports.length; i++) list[i] = ports[i]!;
        copy = new natives.MessageEvent(type, { data: natives.apply(natives.messageData, e, []), ports: list });
      }
      natives.apply(natives.dispatchEvent, w, [copy]);
      if (copy.defaultPrevented) e.preventDefault();
    };
    natives.apply(natives.addEventListener, fb, ['message', pass]);
    natives.apply(natives.addEventListener, fb, ['messageerror', pass]);
    natives.apply(natives.addEventListener, fb, ['error', pass]);
    release(w, s, fb);
    links.notice(s.label, s.watch.refused ? CSP_REASON : START_REASON);
  };

  // Both capturing: at the target, a page's capturing listener would otherwise see our hello first.
  const watch = (w: Worker, s: Started) => {
    natives.apply(natives.addEventListener, w, ['message', (e: MessageEvent) => {
      if (s.settled && s.phase !== 'starting') return;
      const data = natives.apply(natives.messageData, e, []) as Record<string, unknown> | null;
      const mark = typeof data === 'object' && data !== null ? data[WORKER_HELLO_MARK] : undefined;
      if (s.phase === 'starting') {
        s.phase = 'running';
        release(w, s, null);
        // A module's whole graph, the page's blob: URL included, is fetched before the hook runs.
        if (mark === 'hello' && s.label.type === 'module') loaded(s);
        if (mark === 'hello') { natives.apply(natives.stopImmediatePropagation, e, []); return; }
      }
      if (s.phase === 'running' && mark === 'load-failed') {
        // A classic script that did not load: native fires a plain error event and runs nothing.
        natives.apply(natives.stopImmediatePropagation, e, []);
        s.settled = true;
        s.phase = 'ended';
        natives.apply(nativeTerminate, w, []);
        links.forget(s.link);
        loaded(s);
        natives.apply(natives.dispatchEvent, w, [new wn.Event('error', wn.loadErrorInit)]);
        return;
      }
      s.settled = true;
    }, true]);
    natives.apply(natives.addEventListener, w, ['error', (e: Event) => {
      if (s.phase !== 'starting') return;
      // The wrapper did not start: this error is ours, not the page's worker's.
      natives.apply(natives.stopImmediatePropagation, e, []);
      fallBack(w, s);
    }, true]);
  };

  const WorkerProxy = new Proxy(NativeWorker, bareHandler({
    construct(target, args, newTarget) {
      if (!channel.live) return natives.construct(target, args, newTarget);
      const converted = convertWorkerArgs(args, 'dedicated');
      if (!converted.ok) return natives.construct(target, converted.nativeArgs, newTarget);
      const { urlString, url, options, type, label } = converted.a;
      if (!wrappable(url, wn.locationOrigin())) {
        // Native gives the page its usual outcome (an error, or an opaque-origin worker).
        const w = natives.construct(target, [urlString, options], newTarget) as Worker;
        links.notice(label, notWrappableReason(url));
        return w;
      }
      let wrapper: Wrapper;
      try { wrapper = makeWrapper({ url: url.href, type }); }
      catch { return natives.construct(target, [urlString, options], newTarget); }
      const blobUrls = wrapper.blobs;
      let w: Worker;
      try { w = natives.construct(target, [wrapper.url, options], newTarget) as Worker; }
      catch {
        // Refused at once (Trusted Types, say): native decides for the real URL.
        for (let i = 0; i < blobUrls.length; i++) natives.apply(wn.revokeObjectURL, natives.URL, [blobUrls[i]!]);
        // The page's own first argument: a TrustedScriptURL must reach native as one.
        const w2 = natives.construct(target, [args[0], options], newTarget) as Worker;
        links.notice(label, REFUSED_AT_ONCE);
        return w2;
      }
      const pipe = new natives.MessageChannel();
      const pageBlob = url.protocol === 'blob:' ? url.href : null;
      if (pageBlob !== null) loading.set(pageBlob, (loading.get(pageBlob) ?? 0) + 1);
      let s: Started; // made below, with the link whose callback names it
      // Through the native getters: a page that replaced them would be handed our ports.
      const ours = natives.apply(natives.channelPort1, pipe, []) as MessagePort;
      const theirs = natives.apply(natives.channelPort2, pipe, []) as MessagePort;
      const link = links.open(ours, label, () => loaded(s));
      s = { phase: 'starting', label, link, held: [], settled: type === 'module', watch: refusals.begin(), blobUrls, fallback: null, nativeArgs: [urlString, options], pageBlob };
      started.set(w, s);
      watch(w, s);
      // The first message the worker gets, before the page can post any: the hook's private port.
      natives.apply(nativePost, w, [{ [WORKER_PORT_MARK]: true }, [theirs]]);
      return w;
    },
  }));

  const postProxy = new Proxy(nativePost, bareHandler({
    apply(target, self, args) {
      const s = started.get(self as Worker);
      if (!s || s.phase === 'running' || s.phase === 'ended') return natives.apply(target, self, args);
      if (s.phase === 'fallback') return natives.apply(target, s.fallback!, args);
      // Starting: a copy first (before a transfer detaches anything), then the native post, which
      // clones, transfers and throws exactly as native. A message that cannot be copied (one that
      // transfers a MessagePort) cannot be replayed if the wrapper fails; the native post decides.
      let copy: unknown;
      let copied = false;
      try { copy = natives.apply(wn.structuredClone, globalThis, [args[0]]); copied = true; } catch { /* see above */ }
      const result = natives.apply(target, self, args);
      if (copied) s.held[s.held.length] = copy;
      return result;
    },
  }));

  const terminateProxy = new Proxy(nativeTerminate, bareHandler({
    apply(target, self, args) {
      const s = started.get(self as Worker);
      const result = natives.apply(target, self, args);
      if (s) {
        if (s.fallback) natives.apply(target, s.fallback, []);
        s.phase = 'ended';
        s.held = [];
        refusals.end(s.watch);
        links.forget(s.link);
        loaded(s);
      }
      return result;
    },
  }));

  installMethod(NativeWorker.prototype, 'postMessage', postProxy, nativePost);
  installMethod(NativeWorker.prototype, 'terminate', terminateProxy, nativeTerminate);
  installConstructor(win, 'Worker', WorkerProxy, NativeWorker);
}
