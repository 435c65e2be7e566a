/**
 * Replaces window.WebSocket with a Proxy of the native constructor, and send/close with Proxies of
 * the native methods. A Proxy forwards everything we do not trap, so the prototype, `instanceof`,
 * the static constants, `name`, `length`, subclassing and calling without `new` all behave as
 * native. Incoming traffic is observed by one listener per socket, added before the page can add
 * its own: the page's listeners, `onmessage`, their order, options and exceptions are untouched.
 *
 * The send/message path only copies what must be copied (binary data the page may mutate after
 * the call) and queues it; encoding and sizing happen later in the relay.
 */
import type { FrameOrigin, HookEvent } from '../protocol/capture-events';
import type { HookCommand } from '../protocol/commands';
import { binaryKind, byteSize, isDataViewBrand } from './binary-kind';
import { dispatchedEvent } from './dispatched-event';
import { dispatchOwn, InterceptQueues, newQueueSocket, type QueueSocket } from './intercept-queues';
import { installConstructor, installMethod } from './install';
import { bareHandler, copyBytes, epochNow, natives } from './natives';
import type { PageChannel } from './page-channel';
import { nextSockId } from './sock-ids';
import { SafeMap, SafeWeakMap } from './safe-collections';
import { takeStack, type TakenStack } from './stack-capture';

const STACK_FAILED = 'stack not recorded: taking it failed in this browser';
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;

interface Tracked extends QueueSocket {
  sock: number;
  opened: boolean;
  closingSeen: boolean;
}

export interface PatchOptions {
  /**
   * Resolves a relative socket URL. Inside a worker the hook runs from a blob: wrapper, whose
   * base URL is not the worker script's: the worker hook passes the script's URL here.
   */
  resolveUrl?: (url: string) => string | null;
}

/** Patches the global's WebSocket; returns what runs a panel command on one of its sockets. */
export function patchWebSocket(win: typeof globalThis, channel: PageChannel, opts: PatchOptions = {}): (cmd: HookCommand) => string | null {
  const NativeWS = natives.WebSocket;
  const proto = NativeWS.prototype;
  const tracked = new SafeWeakMap<WebSocket, Tracked>();
  // Weak: a socket the page dropped must be collectable; the panel then gets "no longer exists".
  const bySock = new SafeMap<number, WeakRef<WebSocket>>();
  /** *Record send stacks*, as the panel asks (HookOptions): the one check it adds to send(). */
  let sendStacks = false;
  channel.onOptions((o) => { sendStacks = o.sendStacks === true; });
  /** The page's send() stack, posted right before the event it belongs to (see SendStackFields). */
  const sendStackEvent = (t: { sock: number }, stack: TakenStack | undefined, at = epochNow()) => {
    if (stack) channel.emit({ k: 'sendStack', sock: t.sock, at, ...stack }, 0);
  };
  const recordSent = (t: { sock: number }, data: string | ArrayBuffer | Blob, origin: FrameOrigin | undefined, stack?: TakenStack) => {
    const at = epochNow();
    sendStackEvent(t, stack, at);
    channel.frame(t.sock, at, 'sent', data, origin, typeof data === 'string' ? data.length : byteSize(data));
  };
  const queues = new InterceptQueues({
    emit: (ev, bytes) => channel.emit(ev, bytes),
    url: (ws) => natives.apply(natives.wsUrl, ws, []) as string,
    isOpen: (ws) => natives.apply(natives.wsReadyState, ws, []) === OPEN,
    nativeSend: (ws, data) => natives.apply(natives.wsSend, ws, [data]),
    binaryType: (ws) => natives.apply(natives.wsBinaryType, ws, []) as BinaryType,
    recordSent,
    sendStack: sendStackEvent,
  });
  channel.onRules((rules) => queues.setRules(rules));

  const emit = (ev: HookEvent, bytes = 0) => channel.emit(ev, bytes);

  const readProtocols = (p: unknown): string[] => {
    if (p === undefined) return [];
    if (typeof p === 'string') return [p];
    // Arrays are read by index: iterating would call page-visible iterators a second time.
    if (natives.isArray(p)) {
      const out: string[] = [];
      for (let i = 0; i < p.length; i++) out[i] = `${p[i] as string}`;
      return out;
    }
    return [];
  };

  const copyBinary = (data: unknown, kind = binaryKind(data)): ArrayBuffer | Blob | null => {
    if (kind === 'arraybuffer') return copyBytes(data as ArrayBuffer, 0, natives.apply(natives.arrayBufferByteLength, data, []) as number);
    if (kind === 'blob') return data as Blob;
    if (kind === 'view') {
      const isDataView = isDataViewBrand(data as ArrayBufferView);
      const buf = natives.apply(isDataView ? natives.dataViewBuffer : natives.viewBuffer, data, []) as ArrayBuffer;
      const off = natives.apply(isDataView ? natives.dataViewOffset : natives.viewOffset, data, []) as number;
      const len = natives.apply(isDataView ? natives.dataViewLength : natives.viewLength, data, []) as number;
      return copyBytes(buf, off, len);
    }
    return null;
  };

  const track = (ws: WebSocket, args: unknown[], stack: TakenStack) => {
    const t: Tracked = { ...newQueueSocket(nextSockId()), opened: false, closingSeen: false };
    tracked.set(ws, t);
    bySock.set(t.sock, new natives.WeakRef(ws));
    const sock = t.sock;
    emit({
      k: 'create', sock, at: epochNow(),
      url: natives.apply(natives.wsUrl, ws, []) as string,
      protocols: readProtocols(args[1]),
      ...stack,
    });
    const listen = (type: string, fn: (e: Event) => void) =>
      natives.apply(natives.addEventListener, ws, [type, (e: Event) => { try { fn(e); } catch { /* never into the page */ } }]);
    /**
     * The page dispatched this event itself (a test harness, a mock library): its handlers run as
     * without us, but nothing crossed the wire. Recorded as what it is, never as the socket's own.
     */
    const byPage = (type: 'message' | 'open' | 'error' | 'close', e: Event): boolean => {
      if (e === t.own || natives.apply(natives.eventIsTrusted, e, [])) return false;
      const ev = dispatchedEvent(sock, type, e);
      // Its kept payload counts against the caps that hold it (a SharedWorker's history).
      emit(ev, ev.data === undefined ? 0 : typeof ev.data === 'string' ? ev.data.length : byteSize(ev.data));
      return true;
    };
    listen('open', (e) => {
      if (byPage('open', e)) return;
      t.opened = true;
      emit({
        k: 'open', sock, at: epochNow(),
        protocol: natives.apply(natives.wsProtocol, ws, []) as string,
        extensions: natives.apply(natives.wsExtensions, ws, []) as string,
      });
      queues.opened(t, ws);
    });
    listen('message', (e) => {
      if (byPage('message', e)) return;
      const at = epochNow();
      const data = natives.apply(natives.messageData, e, []);
      const ours = e === t.own;
      const origin: FrameOrigin | undefined = ours ? t.ownOrigin : undefined;
      // The page may mutate a received ArrayBuffer later: keep our own copy.
      const payload = typeof data === 'string' ? data : copyBinary(data);
      if (payload === null) return;
      if (!ours && queues.busy(t) &&
          queues.incoming(t, ws, payload, natives.apply(natives.messageOrigin, e, []) as string, natives.apply(natives.messageLastEventId, e, []) as string)) {
        // Held back from the page; it is dispatched again (and captured then) when its turn comes.
        natives.apply(natives.stopImmediatePropagation, e, []);
        return;
      }
      channel.frame(sock, at, 'received', payload, origin, typeof payload === 'string' ? payload.length : byteSize(payload));
    });
    listen('error', (e) => { if (!byPage('error', e)) emit({ k: 'error', sock, at: epochNow() }); });
    listen('close', (e) => {
      if (e === t.own) return; // a close the hook held back behind intercepted frames: captured already
      if (byPage('close', e)) return;
      const at = epochNow();
      const close = {
        code: natives.apply(natives.closeCode, e, []) as number,
        reason: natives.apply(natives.closeReason, e, []) as string,
        wasClean: natives.apply(natives.closeWasClean, e, []) as boolean,
      };
      // The server began a clean close: the socket went through CLOSING without an event to show it.
      if (t.opened && !t.closingSeen && close.wasClean) emit({ k: 'closing', sock, at, initiator: 'server' });
      emit({ k: 'close', sock, at, ...close });
      if (queues.closeWaits(t, ws, close)) natives.apply(natives.stopImmediatePropagation, e, []);
    });
  };

  /** A stack that cannot be taken costs the frame its stack (with the reason), never the send. */
  const sendStack = (): TakenStack => {
    try { return takeStack(); } catch { return { stackNote: STACK_FAILED }; }
  };

  const WSProxy = new Proxy(NativeWS, bareHandler({
    construct(target, args, newTarget) {
      if (opts.resolveUrl && args.length > 0 && typeof args[0] !== 'symbol') {
        // Converted to a string once, as WebIDL would, so the page's toString runs exactly once.
        const asString = `${args[0] as string}`;
        const resolved = opts.resolveUrl(asString);
        const next: unknown[] = [resolved ?? asString];
        for (let i = 1; i < args.length; i++) next[i] = args[i]; // by index: no page-visible iterator
        args = next;
      }
      const ws = natives.construct(target, args, newTarget) as WebSocket;
      if (channel.live) {
        // Taken here, one call below the page's `new WebSocket`: parseStack drops this script's frames.
        // Its own try: a stack that cannot be taken costs the socket its initiator, never its create event.
        let stack: TakenStack;
        try { stack = takeStack(); } catch { stack = { stackNote: STACK_FAILED }; }
        try { track(ws, args, stack); } catch { /* capture must never break the page */ }
      }
      return ws;
    },
  }));

  const sendProxy = new Proxy(natives.wsSend, bareHandler({
    apply(target, self, args) {
      const t = tracked.get(self as WebSocket);
      if (!t || !channel.live) return natives.apply(target, self, args);
      // First, one call below the page's send(), and only while the panel asks for it.
      const stack = sendStacks ? sendStack() : undefined;
      let data = args[0];
      const kind = typeof data === 'string' ? null : binaryKind(data);
      // Convert as WebIDL would (USVString via ToString) once, here, so that the page's toString
      // runs exactly once and we record the very string that was sent.
      if (args.length > 0 && typeof data !== 'string' && typeof data !== 'symbol' && kind === null) {
        data = `${data as string}`;
        args = [data];
      }
      const wasOpen = natives.apply(natives.wsReadyState, self, []) === OPEN;
      // Copied before the native call: the page may reuse its buffer the moment send() returns.
      let payload: string | ArrayBuffer | Blob | null = null;
      if (wasOpen) {
        try { payload = typeof data === 'string' ? data : copyBinary(data, kind); } catch { /* never into the page */ }
        // Taken by a rule (or queued behind a held frame): native send() on an open socket
        // returns undefined and throws nothing, so neither does this.
        if (payload !== null && queues.busy(t) && queues.outgoing(t, self as WebSocket, payload, stack)) return undefined;
      }
      const result = natives.apply(target, self, args);
      // Native send on a CLOSING/CLOSED socket discards the data without throwing: nothing was sent.
      if (payload !== null) {
        try { recordSent(t, payload, undefined, stack); } catch { /* never into the page */ }
      }
      return result;
    },
  }));

  const closeProxy = new Proxy(natives.wsClose, bareHandler({
    apply(target, self, args) {
      const t = tracked.get(self as WebSocket);
      const before = t ? (natives.apply(natives.wsReadyState, self, []) as number) : -1;
      const result = natives.apply(target, self, args);
      if (t && !t.closingSeen && (before === OPEN || before === CONNECTING) && channel.live) {
        t.closingSeen = true;
        emit({ k: 'closing', sock: t.sock, at: epochNow(), initiator: 'page' });
      }
      return result;
    },
  }));

  /** Runs a panel command on the page's socket; returns an error for the user, or null. */
  const runCommand = (cmd: HookCommand): string | null => {
    const ws = bySock.get(cmd.sock)?.deref();
    const t = ws && tracked.get(ws);
    if (!ws || !t) return 'This socket no longer exists in the page.';
    const state = natives.apply(natives.wsReadyState, ws, []) as number;
    if (cmd.op === 'close') {
      if (state >= CLOSING) return 'The socket is already closed.';
      const args = cmd.code === undefined ? [] : cmd.reason === undefined ? [cmd.code] : [cmd.code, cmd.reason];
      try { natives.apply(closeProxy, ws, args); } catch (e) { return `The browser refused to close it: ${(e as Error).message}`; }
      return null;
    }
    if (cmd.op === 'release') return queues.release(t, ws, cmd.holdId, cmd.forward, cmd.data);
    if (state === CONNECTING) return 'The socket is still connecting; it can be used once it is open.';
    if (state !== OPEN) return 'The socket is closed; nothing was sent.';
    if (cmd.op === 'send') {
      try { natives.apply(natives.wsSend, ws, [cmd.data]); } catch (e) { return `The browser refused to send it: ${(e as Error).message}`; }
      recordSent(t, cmd.data, cmd.origin);
      return null;
    }
    // Inject: a MessageEvent as the browser would fire it, with the data type that binaryType asks for.
    const binaryType = natives.apply(natives.wsBinaryType, ws, []) as BinaryType;
    const data = typeof cmd.data === 'string' || binaryType === 'arraybuffer' ? cmd.data : new natives.Blob([cmd.data]);
    const event = new natives.MessageEvent('message', { data, origin: new natives.URL(natives.apply(natives.wsUrl, ws, []) as string).origin });
    dispatchOwn(t, ws, event, cmd.origin ?? 'injected');
    return null;
  };

  installMethod(proto, 'send', sendProxy, natives.wsSend);
  installMethod(proto, 'close', closeProxy, natives.wsClose);
  installConstructor(win, 'WebSocket', WSProxy, NativeWS);
  return runCommand;
}
