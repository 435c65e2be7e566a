/**
 * Shape checks for every message that crosses a hop. Nothing that arrives from another context
 * is trusted: the relay checks what the page hook posts, the router what relays and panels send,
 * and the panel what the router forwards. A message that fails is dropped whole.
 */
import { FRAME_ORIGINS, type DispatchedType, type DocInfo, type DropCounts, type EvictionCounts, type HookEvent, type WireEvent } from './capture-events';
import type {
  HookToRelayMessage,
  PanelToRouterMessage,
  RelayBatch,
  RelayRequest,
  RelayToHookMessage,
  RouterQuery,
  SharedAnswer,
  RelayToRouterMessage,
  RouterToPanelMessage,
  RouterToRelayMessage,
} from './messages';
import type { CommandResult, SocketCommand } from './commands';
import { MAX_DELAY_MS, MAX_REPLIES, type InterceptRule } from './intercept-rules';
import { isRuleScope } from './rule-scope';
import { MAX_FRAME_FLAGS, type FrameColumns } from './hook-columns';
import { PROTOCOL_VERSION } from './version';
import { isInitiator, isStack, RAW_STACK_MAX_CHARS, STACK_NOTE_MAX } from './stack-frames';
import { isHookOptions } from './hook-options';

type Rec = Record<string, unknown>;

export const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
const isDir = (x: unknown) => x === 'sent' || x === 'received';
const isStrArray = (x: unknown): x is string[] => Array.isArray(x) && x.every(isStr);
const versioned = (x: unknown): x is Rec => isRecord(x) && x.v === PROTOCOL_VERSION && isStr(x.t);

export function isWorkerLabel(x: unknown): boolean {
  return isRecord(x) && (x.kind === 'dedicated' || x.kind === 'shared') && (x.type === 'classic' || x.type === 'module') &&
    isStr(x.url) && (x.name === undefined || isStr(x.name));
}

function isBaseEvent(e: Rec): boolean {
  return isCount(e.sock) && isNum(e.at);
}

/** Lifecycle fields shared by HookEvent and WireEvent. */
function isLifecycle(e: Rec): boolean {
  switch (e.k) {
    case 'create': return isStr(e.url) && isStrArray(e.protocols) && (e.worker === undefined || isWorkerLabel(e.worker)) &&
      (e.stack === undefined || isStack(e.stack)) && (e.stackNote === undefined || (isStr(e.stackNote) && e.stackNote.length <= STACK_NOTE_MAX));
    case 'notice': return e.sock === 0 && isWorkerLabel(e.worker) && isStr(e.reason);
    case 'open': return isStr(e.protocol) && isStr(e.extensions);
    case 'closing': return e.initiator === 'page' || e.initiator === 'server';
    case 'close': return isCount(e.code) && isStr(e.reason) && isBool(e.wasClean);
    case 'error': return true;
    case 'released': return isCount(e.holdId) && isBool(e.forwarded);
    case 'ruleFailed': return isStr(e.ruleId) && isStr(e.error) && (e.error as string).length <= 1000;
    case 'intercept': return isDir(e.dir) && (e.what === 'held' || e.what === 'dropped' || e.what === 'delayed' || e.what === 'answered' || e.what === 'queued') && isStr(e.ruleId) &&
      (e.holdId === undefined || isCount(e.holdId)) && (e.ms === undefined || isCount(e.ms));
    case 'dispatched': return isDispatchedType(e.event) && (e.size === undefined || isCount(e.size)) &&
      (e.truncated === undefined || e.truncated === true) && (e.note === undefined || isStr(e.note));
    default: return false;
  }
}

/** At most this many rules cross a hop: more is a mistake, not a test plan. */
export const MAX_RULES = 200;

export function isInterceptRule(x: unknown): x is InterceptRule {
  if (!isRecord(x) || !isStr(x.id) || !isBool(x.enabled) || !isStr(x.urlPattern) || !isStr(x.match)) return false;
  if (x.direction !== 'sent' && x.direction !== 'received' && x.direction !== 'both') return false;
  if ((x.scope !== undefined && !isRuleScope(x.scope)) || (x.everyFrame !== undefined && x.everyFrame !== true)) return false;
  const a = x.action;
  if (!isRecord(a)) return false;
  switch (a.type) {
    case 'pause': case 'drop': return true;
    case 'delay': return isCount(a.ms) && (a.ms as number) <= MAX_DELAY_MS;
    case 'modify': return isStr(a.find) && isStr(a.replace);
    case 'respond': return Array.isArray(a.replies) && a.replies.length <= MAX_REPLIES && a.replies.every(isStr) &&
      isCount(a.delayMs) && (a.delayMs as number) <= MAX_DELAY_MS && isBool(a.forward) && (a.on === 'frame' || a.on === 'open');
    default: return false;
  }
}
const isRules = (x: unknown): x is InterceptRule[] => Array.isArray(x) && x.length <= MAX_RULES && x.every(isInterceptRule);

/**
 * Tag checks, not instanceof: in Firefox the relay receives the page's ArrayBuffers and Blobs from
 * another compartment, where `instanceof` is false.
 */
const tagOf = (x: unknown) => Object.prototype.toString.call(x);
export const isArrayBufferLike = (x: unknown): x is ArrayBuffer => tagOf(x) === '[object ArrayBuffer]';
export const isBlobLike = (x: unknown): x is Blob => tagOf(x) === '[object Blob]' || tagOf(x) === '[object File]';
const isBinaryPayload = (x: unknown) => isArrayBufferLike(x) || isBlobLike(x);

export const isDispatchedType = (x: unknown): x is DispatchedType => x === 'message' || x === 'open' || x === 'error' || x === 'close';

const isOrigin = (x: unknown) => x === undefined || (FRAME_ORIGINS as readonly unknown[]).includes(x);

export function isHookEvent(x: unknown): x is HookEvent {
  if (!isRecord(x) || !isBaseEvent(x)) return false;
  if (x.k === 'intercept') return isLifecycle(x) && (isStr(x.data) || isBinaryPayload(x.data));
  if (x.k === 'frame') return isDir(x.dir) && (isStr(x.data) || isBinaryPayload(x.data)) && isOrigin(x.origin);
  if (x.k === 'dispatched') return isLifecycle(x) && (x.data === undefined || isStr(x.data) || isBinaryPayload(x.data));
  // The hook passes stack text, never frames: the relay parses it (see stack-frames.ts).
  if (x.k === 'create') return isLifecycle(x) && x.stack === undefined && isRawStack(x);
  if (x.k === 'sendStack') return isRawStack(x);
  return isLifecycle(x);
}

const isRawStack = (x: Rec) => (x.rawStack === undefined || (isStr(x.rawStack) && x.rawStack.length <= RAW_STACK_MAX_CHARS)) &&
  (x.stackNote === undefined || (isStr(x.stackNote) && x.stackNote.length <= STACK_NOTE_MAX));
const isFrameInitiator = (x: Rec) => x.initiator === undefined || isInitiator(x.initiator);

/** Text is a string; binary is a buffer (a cloning channel) or base64 text (a JSON-only one). */
const isTypedData = (type: unknown, data: unknown) => (type === 'text' && isStr(data)) || (type === 'binary' && (isStr(data) || isArrayBufferLike(data)));

export function isWireEvent(x: unknown): x is WireEvent {
  if (!isRecord(x) || !isBaseEvent(x) || !isCount(x.seq)) return false;
  if (x.k === 'intercept') return isLifecycle(x) && isTypedData(x.type, x.data) && isCount(x.size) && isFrameInitiator(x);
  if (x.k === 'dispatched') return isLifecycle(x) && (x.data === undefined ? x.type === undefined : isTypedData(x.type, x.data) && isCount(x.size));
  if (x.k === 'create') return isLifecycle(x) && x.rawStack === undefined;
  if (x.k !== 'frame') return isLifecycle(x);
  if (!isDir(x.dir) || !isTypedData(x.type, x.data) || !isCount(x.size) || !isOrigin(x.origin) || !isFrameInitiator(x)) return false;
  if (x.part === undefined) return true;
  const p = x.part;
  return isRecord(p) && isCount(p.i) && isCount(p.n) && (p.i as number) < (p.n as number);
}

const isDropCounts = (x: unknown): x is DropCounts => isRecord(x) && isCount(x.frames) && isCount(x.bytes);
const isEvictionCounts = (x: unknown): x is EvictionCounts =>
  isDropCounts(x) && isCount((x as unknown as Rec).throughSeq) && isCount((x as unknown as Rec).lifecycle);

export const isDocInfo = (x: unknown): x is DocInfo =>
  isRecord(x) && isStr(x.docId) && x.docId.length > 0 && x.docId.length <= 64 && isStr(x.url) && isStr(x.title) && isBool(x.top);

function isRelayBatch(x: Rec): x is Rec & RelayBatch {
  return x.t === 'batch' && isDocInfo(x.doc) && isBool(x.snapshot) && Array.isArray(x.events) &&
    x.events.every(isWireEvent) && isDropCounts(x.lost) && isEvictionCounts(x.evicted);
}

/** Only what WebSocket.close accepts reaches it; anything else is refused before it gets there. */
const isCloseCode = (x: unknown) => x === undefined || (Number.isInteger(x) && (x === 1000 || ((x as number) >= 3000 && (x as number) <= 4999)));
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isSocketCommand(x: unknown): x is SocketCommand {
  if (!isRecord(x) || !isCount(x.sock)) return false;
  const p = x.payload;
  const payloadOk = isRecord(p) && ((p.type === 'text' && isStr(p.text)) || (p.type === 'binary' && isStr(p.base64) && BASE64.test(p.base64)));
  switch (x.op) {
    case 'send': return payloadOk && (x.origin === 'resent' || x.origin === 'composed' || x.origin === 'replayed');
    case 'inject': return payloadOk && (x.origin === undefined || x.origin === 'replayed');
    case 'close': return isCloseCode(x.code) && (x.reason === undefined || isStr(x.reason));
    case 'release': return isCount(x.holdId) && isBool(x.forward) && (p === undefined || payloadOk);
    default: return false;
  }
}

const isResult = (x: Rec): x is Rec & CommandResult =>
  x.t === 'result' && isCount(x.id) && isBool(x.ok) && (x.error === undefined || isStr(x.error));

export function isHookToRelayMessage(x: unknown): x is HookToRelayMessage {
  if (!versioned(x)) return false;
  if (x.t === 'result') return isResult(x);
  if (x.t === 'shared-connect') return isCount(x.id) && isSharedConnect(x);
  return x.t === 'events' && isFrameColumns(x.frames) && Array.isArray(x.events) && x.events.every(isHookEvent) &&
    isAfter(x.after, x.events.length, x.frames.n) && isDropCounts(x.dropped) && (x.n === undefined || isCount(x.n));
}

/**
 * The hook's frame columns (see hook-columns), checked value by value rather than by type: in
 * Firefox the relay sees the page compartment's typed arrays through Xrays, and a forged plain
 * array must fail or pass on its values alike.
 */
function isFrameColumns(x: unknown): x is FrameColumns {
  if (!isRecord(x) || !isCount(x.n) || !Array.isArray(x.data) || x.data.length !== x.n) return false;
  const { sock, at, flags, data } = x as unknown as FrameColumns;
  if (typeof sock !== 'object' || sock === null || typeof at !== 'object' || at === null || typeof flags !== 'object' || flags === null) return false;
  for (let i = 0; i < x.n; i++) {
    const d = data[i], f = flags[i];
    if ((typeof d !== 'string' && !isBinaryPayload(d)) || !isCount(sock[i]) || !isNum(at[i]) || !isCount(f) || f > MAX_FRAME_FLAGS) return false;
  }
  return true;
}

/** One count per event, never decreasing, none past the frames. */
function isAfter(x: unknown, events: number, frames: number): boolean {
  if (!Array.isArray(x) || x.length !== events) return false;
  for (let i = 0, last = 0; i < events; i++) {
    const a: unknown = x[i];
    if (!isCount(a) || a < last || a > frames) return false;
    last = a;
  }
  return true;
}

export function isRelayToHookMessage(x: unknown): x is RelayToHookMessage {
  if (!versioned(x)) return false;
  if (x.t === 'command') return isCount(x.id) && isRecord(x.cmd);
  if (x.t === 'rules') return isRules(x.rules);
  if (x.t === 'options') return isHookOptions(x.options);
  if (x.t === 'ready') return isStr(x.key);
  if (x.t === 'ack') return isCount(x.n);
  if (x.t === 'shared-answer') return isCount(x.id) && isSharedAnswer(x.answer);
  return x.t === 'stop';
}

export function isSharedConnect(x: Record<string, unknown>): boolean {
  return isStr(x.url) && x.url.length <= 8192 && isStr(x.name) && x.name.length <= 8192 && (x.wrapper === null || isStr(x.wrapper) && x.wrapper.startsWith('blob:'));
}

export function isSharedAnswer(x: unknown): x is SharedAnswer {
  if (!isRecord(x)) return false;
  if (x.mode === 'wrapped') return isStr(x.wrapper) && x.wrapper.startsWith('blob:');
  return x.mode === 'native' && isStr(x.reason) && (x.split === undefined || typeof x.split === 'boolean');
}

export function isRelayRequest(x: unknown): x is RelayRequest {
  if (!versioned(x)) return false;
  return x.t === 'shared-connect' && isSharedConnect(x);
}

export function isRouterQuery(x: unknown): x is RouterQuery {
  return versioned(x) && x.t === 'shared-who' && isStr(x.key);
}

export function isRelayToRouterMessage(x: unknown): x is RelayToRouterMessage {
  if (!versioned(x)) return false;
  if (x.t === 'hello') return isDocInfo(x.doc);
  if (x.t === 'result') return isResult(x);
  return isRelayBatch(x);
}

export function isRouterToRelayMessage(x: unknown): x is RouterToRelayMessage {
  if (!versioned(x)) return false;
  if (x.t === 'welcome') return isCount(x.tabId);
  if (x.t === 'channel') return isBool(x.clone);
  if (x.t === 'command') return isCount(x.id) && isStr(x.docId) && isSocketCommand(x.cmd);
  if (x.t === 'rules') return isRules(x.rules);
  if (x.t === 'options') return isHookOptions(x.options);
  return x.t === 'attach' || x.t === 'detach';
}

export function isPanelToRouterMessage(x: unknown): x is PanelToRouterMessage {
  if (!versioned(x)) return false;
  if (x.t === 'command') return isCount(x.id) && Number.isSafeInteger(x.frameId) && isStr(x.docId) && isSocketCommand(x.cmd);
  if (x.t === 'rules') return isRules(x.rules);
  if (x.t === 'options') return isHookOptions(x.options);
  return x.t === 'subscribe' && isCount(x.tabId);
}

export function isRouterToPanelMessage(x: unknown): x is RouterToPanelMessage {
  if (!versioned(x)) return false;
  if (x.t === 'subscribed') return isCount(x.tabId) && isBool(x.clone);
  if (x.t === 'result') return isResult(x);
  return isRelayBatch(x) && Number.isSafeInteger(x.frameId);
}
