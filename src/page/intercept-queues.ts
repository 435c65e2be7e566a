/**
 * Holding, dropping, delaying and rewriting frames for the intercept rules, per socket and per
 * direction. A frame a rule catches goes into its socket's queue, and every later frame of that
 * direction queues behind it, so order is kept. Incoming frames are caught by the hook's own
 * first listener, which stops the event before any page listener sees it; when a frame's turn
 * comes it is dispatched again as a MessageEvent (not trusted: the browser only trusts its own).
 * A close that arrives while incoming frames wait, waits behind them too. A frame that waits
 * without a rule of its own holding it is reported too ('queued', then 'released' when its turn
 * comes), so the panel can show and count every frame that has not gone.
 *
 * With no rule on and nothing queued, the send and message paths pay one check: `busy(t)`.
 */
import type { Direction, FrameOrigin, HookEvent } from '../protocol/capture-events';
import { compileOpenRules, compileRules, type CompiledAction, type InterceptRule, type JsonNatives, type OpenMatcher, type RuleMatcher } from '../protocol/intercept-rules';
import { byteSize } from './binary-kind';
import { epochNow, natives } from './natives';
import { SafeMap } from './safe-collections';
import type { TakenStack } from './stack-capture';

type Payload = string | ArrayBuffer | Blob;

interface Item {
  state: 'ready' | 'held' | 'waiting' | 'dropped';
  data: Payload;
  origin?: FrameOrigin;
  holdId?: number;
  dueAt?: number;
  /** Incoming only: what the re-dispatched event carries. */
  eventOrigin?: string;
  lastEventId?: string;
  /** Incoming only: a close event waiting behind held frames. */
  close?: { code: number; reason: string; wasClean: boolean };
  /** Reported as queued: the id its 'released' names. */
  queuedId?: number;
  /** Taken off its queue (delivered or discarded). */
  gone?: true;
  /** Outgoing only: the page's send() stack, when send stacks are recorded; goes with every event of this frame. */
  stack?: TakenStack;
}

export interface QueueSocket {
  sock: number;
  out: Item[];
  in: Item[];
  /**
   * The event the hook itself is dispatching (a held frame let go, the panel's injected message),
   * and what its capture is labelled. Compared by identity, not with a flag: an event the page
   * dispatches from a handler of ours is the page's own.
   */
  own: Event | null;
  ownOrigin: FrameOrigin | undefined;
  timer: boolean;
}

export interface QueueDeps {
  emit(ev: HookEvent, bytes: number): void;
  url(ws: WebSocket): string;
  isOpen(ws: WebSocket): boolean;
  nativeSend(ws: WebSocket, data: Payload): void;
  binaryType(ws: WebSocket): BinaryType;
  recordSent(t: QueueSocket, data: Payload, origin: FrameOrigin | undefined, stack?: TakenStack): void;
  /** Posts a sent frame's stack, if any, right before the event it belongs to (the relay joins the two). */
  sendStack(t: QueueSocket, stack: TakenStack | undefined): void;
}

export function newQueueSocket(sock: number): QueueSocket {
  return { sock, out: [], in: [], own: null, ownOrigin: undefined, timer: false };
}

/** Dispatches an event of the hook's own on the socket, marked so the hook's listeners know it. */
export function dispatchOwn(t: QueueSocket, ws: WebSocket, event: Event, origin: FrameOrigin | undefined): void {
  const prev = t.own, prevOrigin = t.ownOrigin;
  t.own = event;
  t.ownOrigin = origin;
  try { natives.apply(natives.dispatchEvent, ws, [event]); } finally { t.own = prev; t.ownOrigin = prevOrigin; }
}

/** What respond rules fill their templates with: the hook's own JSON and clock, never the page's. */
const RULE_NATIVES: JsonNatives = {
  parse: (text) => natives.jsonParse(text),
  stringify: (v) => natives.jsonStringify(v) as string | undefined,
  now: epochNow,
};

export class InterceptQueues {
  private matcher: RuleMatcher | null = null;
  private openMatcher: OpenMatcher | null = null;
  private nextHold = 0;
  private sockets = new SafeMap<number, { t: QueueSocket; ws: WeakRef<WebSocket> }>();

  constructor(private readonly d: QueueDeps) {}

  /** The one check on the hot path. */
  busy(t: QueueSocket): boolean {
    return this.matcher !== null || t.out.length > 0 || t.in.length > 0;
  }

  setRules(rules: InterceptRule[]): void {
    this.matcher = compileRules(rules, RULE_NATIVES);
    this.openMatcher = compileOpenRules(rules, RULE_NATIVES);
    if (this.matcher) return;
    // No rules: nobody is left to decide about held frames, so they go on as they were.
    this.sockets.forEach(({ t, ws }) => {
      const s = ws.deref();
      if (!s) return;
      for (const q of [t.out, t.in]) for (const it of q) if (it.state === 'held') this.releaseItem(t, it, true);
      this.pump(t, s);
    });
  }

  /**
   * Outgoing: returns true when the frame was taken (the caller must not send it now). `stack`:
   * the send() stack, posted before each event about this frame (see SendStackFields).
   */
  outgoing(t: QueueSocket, ws: WebSocket, data: Payload, stack?: TakenStack): boolean {
    const item = this.classify(t, ws, 'sent', data, stack);
    if (!item) return false;
    if (stack) item.stack = stack;
    t.out.push(item);
    this.pump(t, ws);
    this.reportQueued(t, 'sent', item);
    return true;
  }

  /** Incoming: returns true when the message was taken (the caller stops it reaching the page). */
  incoming(t: QueueSocket, ws: WebSocket, data: Payload, eventOrigin: string, lastEventId: string): boolean {
    const item = this.classify(t, ws, 'received', data);
    if (!item) return false;
    item.eventOrigin = eventOrigin;
    item.lastEventId = lastEventId;
    t.in.push(item);
    this.pump(t, ws);
    this.reportQueued(t, 'received', item);
    return true;
  }

  /** A socket opened: respond rules *on open* give it their welcome. Off the hot path (once per socket). */
  opened(t: QueueSocket, ws: WebSocket): void {
    if (!this.openMatcher) return;
    for (const hit of this.openMatcher(this.d.url(ws))) {
      const r = hit.replies!();
      if (r.ok) this.answer(t, ws, hit, r.texts);
      else this.d.emit({ k: 'ruleFailed', sock: t.sock, at: epochNow(), ruleId: hit.ruleId, error: r.error }, 0);
    }
  }

  /**
   * Delivers a respond rule's replies to the page as incoming messages, in order, after its
   * delay (always in a later task: never inside the page's own send() or open handlers).
   */
  private answer(t: QueueSocket, ws: WebSocket, hit: CompiledAction, texts: string[]): void {
    const delay = hit.action.type === 'respond' ? hit.action.delayMs : 0;
    natives.setTimeout(() => {
      for (const text of texts) {
        if (!this.d.isOpen(ws)) {
          this.d.emit({ k: 'ruleFailed', sock: t.sock, at: epochNow(), ruleId: hit.ruleId, error: 'the socket closed before the reply was due' }, 0);
          return;
        }
        const event = new natives.MessageEvent('message', { data: text, origin: new natives.URL(this.d.url(ws)).origin });
        dispatchOwn(t, ws, event, 'mocked');
      }
    }, delay);
  }

  /** A close arriving while incoming frames wait must reach the page after them. */
  closeWaits(t: QueueSocket, ws: WebSocket, close: { code: number; reason: string; wasClean: boolean }): boolean {
    if (t.in.length === 0) return false;
    t.in.push({ state: 'ready', data: '', close });
    this.pump(t, ws);
    return true;
  }

  /** The panel forwards (maybe edited) or drops a held frame. */
  release(t: QueueSocket, ws: WebSocket, holdId: number, forward: boolean, data?: string | ArrayBuffer): string | null {
    for (const q of [t.out, t.in]) {
      const it = q.find((x) => x.holdId === holdId && x.state === 'held');
      if (!it) continue;
      if (data !== undefined) {
        it.data = q === t.in && typeof data !== 'string' && this.d.binaryType(ws) === 'blob' ? new natives.Blob([data]) : data;
        it.origin = 'modified';
      }
      this.releaseItem(t, it, forward);
      this.pump(t, ws);
      return null;
    }
    return 'That frame is no longer held (it was already forwarded or dropped).';
  }

  private releaseItem(t: QueueSocket, it: Item, forward: boolean): void {
    it.state = forward ? 'ready' : 'dropped';
    this.d.emit({ k: 'released', sock: t.sock, at: epochNow(), holdId: it.holdId!, forwarded: forward }, 0);
  }

  /** A frame the pump could not deliver yet, held by no rule: it waits behind an earlier one. */
  private reportQueued(t: QueueSocket, dir: Direction, it: Item): void {
    if (it.state !== 'ready' || it.gone) return;
    it.queuedId = ++this.nextHold;
    const size = typeof it.data === 'string' ? it.data.length : byteSize(it.data);
    this.d.sendStack(t, it.stack);
    this.d.emit({ k: 'intercept', sock: t.sock, at: epochNow(), dir, what: 'queued', ruleId: '', holdId: it.queuedId, data: it.data }, size);
  }

  /** What a rule does to this frame, as a queue item; null when the frame goes straight through. */
  private classify(t: QueueSocket, ws: WebSocket, dir: Direction, data: Payload, stack?: TakenStack): Item | null {
    const queue = dir === 'sent' ? t.out : t.in;
    const text = typeof data === 'string' ? data : null;
    const hit = this.matcher ? this.matcher(this.d.url(ws), dir, text) : null;
    if (!hit) return queue.length > 0 ? { state: 'ready', data } : null;
    if (!this.sockets.has(t.sock)) this.sockets.set(t.sock, { t, ws: new natives.WeakRef(ws) });
    const base = { sock: t.sock, at: epochNow(), dir, ruleId: hit.ruleId };
    const size = typeof data === 'string' ? data.length : byteSize(data);
    switch (hit.action.type) {
      case 'pause': {
        const holdId = ++this.nextHold;
        this.d.sendStack(t, stack);
        this.d.emit({ k: 'intercept', ...base, what: 'held', holdId, data }, size);
        return { state: 'held', data, holdId };
      }
      case 'drop':
        this.d.sendStack(t, stack);
        this.d.emit({ k: 'intercept', ...base, what: 'dropped', data }, size);
        return { state: 'dropped', data };
      case 'delay':
        this.d.sendStack(t, stack);
        this.d.emit({ k: 'intercept', ...base, what: 'delayed', ms: hit.action.ms, data }, size);
        return { state: 'waiting', data, dueAt: epochNow() + hit.action.ms };
      case 'modify':
        return { state: 'ready', data: hit.rewrite!(text!), origin: 'modified' };
      case 'respond': {
        const r = hit.replies!();
        if (!r.ok) {
          // The frame goes on as if no rule had matched; the panel shows why on the rule's row.
          this.d.emit({ k: 'ruleFailed', ...base, error: r.error }, 0);
          return queue.length > 0 ? { state: 'ready', data } : null;
        }
        this.answer(t, ws, hit, r.texts);
        if (hit.action.forward) return { state: 'ready', data };
        this.d.sendStack(t, stack);
        this.d.emit({ k: 'intercept', ...base, what: 'answered', data }, size);
        return { state: 'dropped', data };
      }
    }
  }

  private pump(t: QueueSocket, ws: WebSocket): void {
    this.pumpOut(t, ws);
    this.pumpIn(t, ws);
  }

  /** Waits for the first due delay, once per socket. */
  private wake(t: QueueSocket, ws: WebSocket, dueAt: number): void {
    if (t.timer) return;
    t.timer = true;
    natives.setTimeout(() => { t.timer = false; this.pump(t, ws); }, Math.max(0, dueAt - epochNow()));
  }

  private pumpOut(t: QueueSocket, ws: WebSocket): void {
    this.drain(t, ws, t.out, (it) => {
      if (!this.d.isOpen(ws)) return false; // closed meanwhile: as native send on a closed socket, nothing goes out
      this.d.nativeSend(ws, it.data);
      this.d.recordSent(t, it.data, it.origin, it.stack);
      return true;
    });
  }

  private pumpIn(t: QueueSocket, ws: WebSocket): void {
    this.drain(t, ws, t.in, (it) => {
      const event = it.close
        ? new natives.CloseEvent('close', it.close)
        : new natives.MessageEvent('message', { data: it.data, origin: it.eventOrigin ?? '', lastEventId: it.lastEventId ?? '' });
      dispatchOwn(t, ws, event, it.origin);
      return true;
    });
  }

  /** Delivers a queue's items in order, stopping at a held frame or a delay not yet due. */
  private drain(t: QueueSocket, ws: WebSocket, q: Item[], deliver: (it: Item) => boolean): void {
    while (q.length > 0) {
      const it = q[0]!;
      if (it.state === 'held') return;
      if (it.state === 'waiting' && it.dueAt! > epochNow()) { this.wake(t, ws, it.dueAt!); return; }
      q.shift();
      it.gone = true;
      const went = it.state !== 'dropped' && deliver(it);
      if (it.queuedId !== undefined) this.d.emit({ k: 'released', sock: t.sock, at: epochNow(), holdId: it.queuedId, forwarded: went }, 0);
    }
  }
}
