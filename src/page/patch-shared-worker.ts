/**
 * Captures the sockets of the page's SharedWorkers, with tabs sharing one instance as natively.
 *
 * Tabs share an instance only if they name the same script URL, and a blob: wrapper's URL is new
 * for each document. So the router arbitrates (src/background/shared-arbiter.ts): the first
 * document's wrapper (the worker hook, then the real script, as for dedicated workers) is the URL
 * every document of the origin joins, for as long as one that holds it lives.
 *
 * The constructor cannot wait for that answer. So the page gets its SharedWorker at once, with a
 * real MessagePort whose other end the page hook holds (messages the page posts wait in it). When
 * the answer comes, the page hook connects to the instance itself; the worker hook answers
 * 'hello' (the browser ran the wrapper), and the page hook hands the held port over. The worker
 * hook gives it to the worker's script in a `connect` event: from then on the page and the worker
 * talk port to port, with nothing of ours in between. The hooks keep their own connection for
 * capture (SHARED_CONTROL_MARK).
 *
 * If the browser refuses the wrapper (a CSP whose worker-src does not allow blob:), the page hook
 * starts the worker natively from its real URL instead, and pipes the page's port to it; the panel
 * is told why it is not captured. The page's port works either way.
 *
 * The page's SharedWorker is an EventTarget with SharedWorker's prototype: native SharedWorker
 * objects always start a connection. The two accessors of SharedWorker.prototype (`port`,
 * `onerror`) answer for it as native answers for its own.
 */
import type { WorkerLabel } from '../protocol/capture-events';
import { SHARED_CONTROL_MARK, type SharedAnswer } from '../protocol/messages';
import { SHARED_ANSWER_TIMEOUT_MS } from '../protocol/limits';
import { installConstructor } from './install';
import { bareHandler } from './natives';
import { maskAs } from './mask-native';
import { natives } from './natives';
import type { DocumentChannel } from './page-channel';
import type { BlobRefusals } from './blob-refusals';
import type { WorkerLinks } from './worker-links';
import { SafeMap, SafeWeakMap } from './safe-collections';
import { workerNatives as wn } from './worker-natives';
import { wrappable } from './worker-wrapper';
import { convertWorkerArgs, makeWrapper, notWrappableReason, REFUSED_AT_ONCE, type Wrapper } from './worker-args';

export const SHARED_BLOB_REASON = 'A SharedWorker started from a blob: URL is not captured: its wrapper would load that URL later, from inside the worker, after the page may have revoked it. It runs unchanged.';
const CSP_REASON = "The page's Content-Security-Policy does not allow blob: workers (worker-src), which Sockscope needs to run its hook inside the worker. It runs unchanged, without capture.";
const START_REASON = "Sockscope's wrapper did not start (no CSP refusal was reported). The worker was started from its own URL, unchanged, without capture.";
const NO_ANSWER = `Sockscope's router did not say within ${SHARED_ANSWER_TIMEOUT_MS / 1000} s which instance to join, so the worker was started from its own URL, unchanged, without capture.`;
const SPLIT_NOTE = ' Other tabs of this site run a captured instance of it, which this page does not share, as it would without Sockscope.';

/** What the page's SharedWorker object stands for. */
interface Face {
  port: MessagePort;
  /** The `onerror` event handler, as an EventHandler attribute keeps it. */
  onerror: unknown;
  onerrorListener: ((e: Event) => void) | null;
  /** The connections it stands on, kept as long as it lives. */
  real: SharedWorker | null;
}

export function patchSharedWorker(win: Window & typeof globalThis, channel: DocumentChannel, links: WorkerLinks, refusals: BlobRefusals): void {
  const NativeShared = wn.SharedWorker;
  const proto = NativeShared?.prototype;
  const portDesc = proto && natives.getOwnPropertyDescriptor(proto, 'port');
  const onerrorDesc = proto && natives.getOwnPropertyDescriptor(proto, 'onerror');
  if (typeof NativeShared !== 'function' || !proto || !portDesc?.get || !onerrorDesc?.get || !onerrorDesc.set) return;
  const portOf = portDesc.get as (this: SharedWorker) => MessagePort;
  const faces = new SafeWeakMap<object, Face>();
  /** The wrapper URLs this document already streams an instance's capture from (one link each, however many connections). */
  const streamed = new SafeMap<string, true>();
  /** After a refusal, this document starts its SharedWorkers natively at once (one report is enough). */
  let refusedHere = false;

  const revoke = (url: string) => natives.apply(wn.revokeObjectURL, natives.URL, [url]);
  const fire = (target: object) => { natives.apply(natives.dispatchEvent, target, [new wn.Event('error', wn.loadErrorInit)]); };
  const listen = (target: EventTarget, type: string, f: (e: MessageEvent) => void) => natives.apply(natives.addEventListener, target, [type, f]);

  /** Each message, with its ports, from one port to the other: the page's port and a native instance's. */
  const pipe = (a: MessagePort, b: MessagePort) => {
    const forward = (to: MessagePort) => (e: MessageEvent) => {
      const ports = natives.apply(natives.messagePorts, e, []) as readonly MessagePort[];
      const list: MessagePort[] = [];
      for (let i = 0; i < ports.length; i++) list[i] = ports[i]!;
      try { natives.apply(natives.postMessage, to, [natives.apply(natives.messageData, e, []), list]); } catch { /* as native: not deliverable */ }
    };
    listen(a, 'message', forward(b));
    listen(b, 'message', forward(a));
    natives.apply(natives.portStart, a, []);
    natives.apply(natives.portStart, b, []);
  };

  /** Natively, from the real URL: the page's port is piped to it. */
  const runNatively = (face: Face, page: object, held: MessagePort, label: WorkerLabel, options: Record<string, unknown>, reason: string | null) => {
    let real: SharedWorker | null = null;
    try { real = natives.construct(NativeShared, [label.url, options]) as SharedWorker; }
    catch { fire(page); }
    if (real) {
      face.real = real;
      listen(real, 'error', () => fire(page));
      pipe(held, natives.apply(portOf, real, []) as MessagePort);
    }
    if (reason !== null) links.notice(label, reason);
  };

  const join = (face: Face, page: object, held: MessagePort, label: WorkerLabel, options: Record<string, unknown>, candidate: Wrapper, a: SharedAnswer) => {
    if (a.mode !== 'wrapped' || a.wrapper !== candidate.url) for (let i = 0; i < candidate.blobs.length; i++) revoke(candidate.blobs[i]!);
    if (a.mode === 'native') { runNatively(face, page, held, label, options, a.reason); return; }
    const wrapper = a.wrapper;
    let real: SharedWorker;
    try { real = natives.construct(NativeShared, [wrapper, options]) as SharedWorker; }
    catch { runNatively(face, page, held, label, options, START_REASON); return; }
    face.real = real;
    const watch = refusals.begin();
    let phase: 'starting' | 'joined' | 'native' = 'starting';
    const control = natives.apply(portOf, real, []) as MessagePort;
    listen(real, 'error', () => {
      if (phase === 'joined') { fire(page); return; }
      if (phase !== 'starting') return;
      // The browser refused the wrapper: the page's port is still ours, so the worker starts natively.
      phase = 'native';
      refusals.end(watch);
      const csp = watch.refused;
      if (csp) refusedHere = true;
      natives.apply(natives.portClose, control, []);
      runNatively(face, page, held, label, options, null);
      // Recorded for this site, so tabs after this one join the native instance too. The notice
      // waits for that answer, which says whether other tabs run a captured instance (a split).
      const reason = csp ? CSP_REASON : START_REASON;
      let told = false;
      const tell = (split: boolean) => { if (!told) { told = true; links.notice(label, reason + (split ? SPLIT_NOTE : '')); } };
      channel.sharedConnect({ url: label.url, name: label.name ?? '', wrapper: null }, (b) => tell(b.mode === 'native' && b.split === true));
      natives.setTimeout(() => tell(false), SHARED_ANSWER_TIMEOUT_MS);
    });
    const hello = (e: MessageEvent) => {
      const data = natives.apply(natives.messageData, e, []) as Record<string, unknown> | null;
      if (phase !== 'starting' || !data || typeof data !== 'object' || data[SHARED_CONTROL_MARK] !== 'hello') return;
      phase = 'joined';
      refusals.end(watch);
      natives.apply(natives.removeEventListener, control, ['message', hello]);
      if (data.failed === true) {
        // The script did not load: native fires a plain error event on the page's SharedWorker, and nothing runs.
        natives.apply(natives.portClose, control, []);
        fire(page);
        return;
      }
      const first = !streamed.has(wrapper);
      natives.apply(natives.postMessage, control, [{ [SHARED_CONTROL_MARK]: 'join', control: first }, [held]]);
      // The worker hook closes a connection it does not keep: closing it here could lose the port in flight.
      if (!first) return;
      streamed.set(wrapper, true);
      links.open(control, label);
    };
    listen(control, 'message', hello);
    natives.apply(natives.portStart, control, []);
  };

  const SharedProxy = new Proxy(NativeShared, bareHandler({
    construct(target, args, newTarget) {
      if (!channel.live) return natives.construct(target, args, newTarget);
      const converted = convertWorkerArgs(args, 'shared');
      if (!converted.ok) return natives.construct(target, converted.nativeArgs, newTarget);
      const { url, options, type, label } = converted.a;
      const name = label.name ?? '';
      const native = (reason: string) => {
        // The page's own first argument: a TrustedScriptURL must reach native as one.
        const sw = natives.construct(target, [args[0], options], newTarget) as SharedWorker;
        links.notice(label, reason);
        return sw;
      };
      if (!wrappable(url, wn.locationOrigin())) return native(notWrappableReason(url));
      if (url.protocol === 'blob:') return native(SHARED_BLOB_REASON);
      if (refusedHere) {
        const sw = native(CSP_REASON);
        // Recorded for the site, so later tabs join this native instance rather than start a captured one.
        channel.sharedConnect({ url: url.href, name, wrapper: null }, () => { /* recorded */ });
        return sw;
      }
      let candidate: Wrapper;
      try { candidate = makeWrapper({ url: url.href, type, kind: 'shared' }); }
      catch { return native(REFUSED_AT_ONCE); }
      // Not a native SharedWorker (that would connect now): an EventTarget of the page's class.
      const page = natives.construct(natives.EventTarget, [], newTarget) as object;
      const ports = new natives.MessageChannel();
      const face: Face = { port: natives.apply(natives.channelPort1, ports, []) as MessagePort, onerror: null, onerrorListener: null, real: null };
      const held = natives.apply(natives.channelPort2, ports, []) as MessagePort;
      faces.set(page, face);
      // The page's worker waits for the router, but never for ever: without an answer (no relay in
      // this frame, say) it starts natively, and the site is recorded as running it natively.
      let answered = false;
      const answer = (a: SharedAnswer) => {
        if (answered) return;
        answered = true;
        try { join(face, page, held, label, options, candidate, a); } catch { /* never into the page */ }
      };
      channel.sharedConnect({ url: url.href, name, wrapper: candidate.url }, answer);
      natives.setTimeout(() => {
        if (answered) return;
        answer({ mode: 'native', reason: NO_ANSWER });
        channel.sharedConnect({ url: url.href, name, wrapper: null }, () => { /* recorded */ });
      }, SHARED_ANSWER_TIMEOUT_MS);
      return page;
    },
  }));

  // `port` and `onerror` answer for the page's objects; for any other `this`, the native accessor does.
  const portGet = new Proxy(portOf, bareHandler({
    apply(target, self, args) {
      const face = faces.get(self as object);
      return face ? face.port : natives.apply(target, self, args);
    },
  }));
  const errorGet = new Proxy(onerrorDesc.get, bareHandler({
    apply(target, self, args) {
      const face = faces.get(self as object);
      return face ? face.onerror : natives.apply(target, self, args);
    },
  }));
  const errorSet = new Proxy(onerrorDesc.set, bareHandler({
    apply(target, self, args) {
      const face = faces.get(self as object);
      if (!face) return natives.apply(target, self, args);
      // An EventHandler attribute: a non-object is null; the listener keeps its place while set.
      const value = args[0];
      face.onerror = typeof value === 'object' || typeof value === 'function' ? value : null;
      if (face.onerror === null && face.onerrorListener) {
        natives.apply(natives.removeEventListener, self, ['error', face.onerrorListener]);
        face.onerrorListener = null;
      } else if (face.onerror !== null && !face.onerrorListener) {
        const listener = function (this: unknown, e: Event) {
          const h = face.onerror;
          if (typeof h !== 'function') return;
          if (natives.apply(h, self, [e]) === false) natives.apply(natives.preventDefault, e, []);
        };
        face.onerrorListener = listener;
        natives.apply(natives.addEventListener, self, ['error', listener]);
      }
      return undefined;
    },
  }));
  maskAs(portGet, portOf);
  maskAs(errorGet, onerrorDesc.get);
  maskAs(errorSet, onerrorDesc.set);
  natives.defineProperty(proto, 'port', { ...portDesc, get: portGet });
  natives.defineProperty(proto, 'onerror', { ...onerrorDesc, get: errorGet, set: errorSet });
  installConstructor(win, 'SharedWorker', SharedProxy, NativeShared);
}
