/**
 * Every message that crosses a hop, named by direction. Each carries the protocol version `v`.
 * The guards in ./guards.ts check these shapes at every receiving end.
 */
import type { DocInfo, DropCounts, EvictionCounts, HookEvent, WireEvent } from './capture-events';
import type { CommandResult, HookCommand, SocketCommand } from './commands';
import type { InterceptRule } from './intercept-rules';
import type { HookOptions } from './hook-options';
import type { HookEventsBatch } from './hook-columns';

type Versioned<T> = T & { v: number };

/** MAIN-world hook → relay, over the private MessagePort. */
export type HookToRelayMessage = Versioned<
  /** Frames as columns (see hook-columns). `n` numbers the batch: the relay takes each once, and acknowledges it (see InFlight). */
  | HookEventsBatch
  | ({ t: 'result' } & CommandResult)
  /** The page started a SharedWorker: which instance may it join? See SharedConnect. */
  | ({ t: 'shared-connect'; id: number } & SharedConnect)
>;

/**
 * A document's page hook asks the router, through its relay, which instance of a SharedWorker it
 * joins. Tabs share an instance only if they name the same script URL, and a blob: wrapper's URL
 * is new for each document: so the first document's wrapper becomes the one every other document
 * of the same origin (and storage partition) uses for that (url, name), for as long as a document
 * holding it lives. `wrapper` is the asking document's own candidate, or null when it could not
 * wrap (the browser refused the wrapper: its CSP), which makes the worker native for everyone
 * after (one instance, never two).
 */
export interface SharedConnect { url: string; name: string; wrapper: string | null }
export type SharedAnswer =
  | { mode: 'wrapped'; wrapper: string }
  /** Run natively (not captured), for `reason`; `split` when another document already runs a captured instance. */
  | { mode: 'native'; reason: string; split?: boolean };

/**
 * Relay → hook, over the same port. `stop` is sent when the extension context is gone. `ready`
 * carries the key that authenticates the hook's last batch at pagehide (see UNLOAD_HANDOFF_EVENT).
 */
export type RelayToHookMessage = Versioned<
  | { t: 'ready'; key: string } | { t: 'stop' } | { t: 'command'; id: number; cmd: HookCommand } | { t: 'rules'; rules: InterceptRule[] }
  | { t: 'options'; options: HookOptions }
  /** The relay has taken every batch up to `n`. */
  | { t: 'ack'; n: number }
  | { t: 'shared-answer'; id: number; answer: SharedAnswer }
>;

/**
 * Page hook ↔ worker hook, over a MessagePort the page hook hands the worker in the very first
 * message it posts to it (marked WORKER_PORT_MARK), before the page holds the Worker object: so
 * no page or worker script can post on this port or read from it. Socket numbers here are the
 * worker's own; the page hook maps them to the document's.
 */
export type WorkerToPageMessage = Versioned<
  /** The hook runs in the worker: the browser accepted the wrapper (CSP included). */
  | { t: 'hello' }
  /** The worker's own script has loaded (and run its first task): its URL may be revoked now. */
  | { t: 'started' }
  | { t: 'events'; events: HookEvent[]; dropped: DropCounts }
  | ({ t: 'result' } & CommandResult)
  /** A classic worker's script failed to load: the page gets the plain error event native fires. */
  | { t: 'load-failed' }
>;
export type PageToWorkerMessage = Versioned<
  { t: 'command'; id: number; cmd: HookCommand } | { t: 'rules'; rules: InterceptRule[] } | { t: 'options'; options: HookOptions } | { t: 'stop' }
>;
export const WORKER_PORT_MARK = '__sockscope_worker_port_v1__';
/**
 * The first messages on a SharedWorker connection the page hook makes to a wrapped instance,
 * before any page or worker script can reach it: the worker hook says 'hello' (the browser ran
 * the wrapper), and the page hook answers 'join' with the port the page holds, which the worker
 * hook hands to the worker's own script in a `connect` event. The connection itself stays
 * private to the two hooks: it carries capture (`control`), or is closed when this document
 * already has one for this instance.
 */
export const SHARED_CONTROL_MARK = '__sockscope_shared_control_v1__';
export type SharedHandshake =
  /** `failed`: the worker's classic script did not load; the page gets the plain error event native fires. */
  | { [SHARED_CONTROL_MARK]: 'hello'; failed?: true }
  | { [SHARED_CONTROL_MARK]: 'join'; control: boolean };
/**
 * Worker hook → page hook before the port has arrived, as the worker's own postMessage:
 * 'hello' (the wrapper runs) or 'load-failed' (a classic script did not load). The page hook's
 * first listener on the Worker stops these while the worker is starting, so the page never sees them.
 */
export const WORKER_HELLO_MARK = '__sockscope_worker_hello_v1__';

/** The first message on window that hands the hook's port to the relay. */
export const HANDSHAKE_MARK = '__sockscope_handshake_v1__';

/**
 * At pagehide the hook hands its last events over synchronously, as this event on window:
 * Chromium tears a document down in the task that fires pagehide, so a port message posted then
 * is never delivered. The relay's capture listener (added before any page script) stops it, and
 * accepts it only with the key it gave the hook over the private port.
 */
export const UNLOAD_HANDOFF_EVENT = '__sockscope_unload_v1__';

/** The detail of an UNLOAD_HANDOFF_EVENT: the batches not acknowledged yet, then the last one, oldest first. */
export interface UnloadHandoff { key: string; msgs: HookToRelayMessage[] }

export interface RelayBatch {
  t: 'batch';
  doc: DocInfo;
  /** True when this batch starts a full replay of the relay's history. */
  snapshot: boolean;
  events: WireEvent[];
  /** Lost before the relay got them (the hook's pending cap). */
  lost: DropCounts;
  evicted: EvictionCounts;
}

/**
 * Relay (isolated content script) → background router. `hello` carries the channel probe (see
 * channel-probe): whatever arrived in its place is checked, never trusted.
 */
export type RelayToRouterMessage = Versioned<{ t: 'hello'; doc: DocInfo; probe?: unknown } | RelayBatch | ({ t: 'result' } & CommandResult)>;

/** Router → relay. `attach`: a panel watches this tab, send history then live batches. */
export type RouterToRelayMessage = Versioned<
  | { t: 'welcome'; tabId: number }
  /** What the relay's probe showed: `clone`, binary payloads may go as ArrayBuffers; else as base64. */
  | { t: 'channel'; clone: boolean }
  | { t: 'attach' }
  | { t: 'detach' }
  /** For the socket `cmd.sock` of document `docId`; a relay whose document is another answers with an error. */
  | { t: 'command'; id: number; docId: string; cmd: SocketCommand }
  /** The tab's intercept rules, replacing the previous ones; empty when no panel watches. */
  | { t: 'rules'; rules: InterceptRule[] }
  /** What the tab's panel asks of the hook (see HookOptions); the defaults when no panel watches. */
  | { t: 'options'; options: HookOptions }
>;

/** Panel → router. `subscribe` carries the channel probe, as the relay's hello does. */
export type PanelToRouterMessage = Versioned<
  | { t: 'subscribe'; tabId: number; probe?: unknown }
  /** A command for a socket of the subscribed tab, in the frame and document that captured it. */
  | { t: 'command'; id: number; frameId: number; docId: string; cmd: SocketCommand }
  | { t: 'rules'; rules: InterceptRule[] }
  | { t: 'options'; options: HookOptions }
>;

/** Router → panel: a relay batch, stamped with the frame it came from (as the browser reports it). */
export type RouterToPanelMessage = Versioned<
  | (RelayBatch & { frameId: number })
  /** `clone`: the panel's probe arrived intact, so binary payloads reach it as ArrayBuffers (else as base64). */
  | { t: 'subscribed'; tabId: number; clone: boolean }
  | ({ t: 'result' } & CommandResult)
>;

/**
 * Relay → router one-shot request (runtime.sendMessage), answered with a SharedAnswer: the router
 * reads origin, tab and frame from the sender, never from the message.
 */
export type RelayRequest = Versioned<{ t: 'shared-connect' } & SharedConnect>;
/** Router → every relay: does your document hold this SharedWorker key? Answered with a SharedHeld, or not at all. */
export type RouterQuery = Versioned<{ t: 'shared-who'; key: string }>;
export type SharedHeld = { mode: 'wrapped'; wrapper: string } | { mode: 'native' };

export const PORT_RELAY = 'sockscope-relay';
export const PORT_PANEL = 'sockscope-panel';
