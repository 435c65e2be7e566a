/**
 * Every buffer on the data path, with its cap. Whatever a cap drops is counted and reaches the
 * panel's "N frames dropped" notice; nothing is dropped silently.
 */

/** Hook: events held in the page before the relay has taken the private port. */
export const HOOK_PENDING_MAX_FRAMES = 20_000;
export const HOOK_PENDING_MAX_BYTES = 64 * 1024 * 1024;
/** Hook: how long events wait before they are posted to the relay, and the batch size that posts at once. */
export const HOOK_FLUSH_MS = 5;
export const HOOK_FLUSH_EVENTS = 512;
/**
 * Hook: of the data of a message event the page dispatched itself (not a frame: nothing crossed
 * the wire), this much is kept; the row and the export give the whole size and say it was cut.
 */
export const DISPATCHED_KEEP_BYTES = 64 * 1024;

/** Relay: the page's history since load, kept so that DevTools opened later sees it all. */
export const RELAY_HISTORY_MAX_BYTES = 128 * 1024 * 1024;
export const RELAY_HISTORY_MAX_FRAMES = 250_000;
/** Relay: lifecycle events (create/open/close/error) are kept apart from frames and capped on their own. */
export const RELAY_HISTORY_MAX_LIFECYCLE = 50_000;
/** Relay: payload characters that lifecycle events may hold (rule interceptions carry the frame they caught). */
export const RELAY_HISTORY_MAX_LIFECYCLE_BYTES = 16 * 1024 * 1024;

/** Relay → router batching, while a panel watches: at most this long, or this many events / characters, per message. */
export const RELAY_BATCH_MS = 16;
export const RELAY_BATCH_MAX_EVENTS = 2_000;
/**
 * Payload per runtime message: characters of text, bytes of binary (base64 characters where the
 * channel is JSON-only). Each message is built and serialized in its own task on the page's main
 * thread, so this bounds the longest task the relay adds. Larger payloads go in parts. (Chrome
 * refuses messages over 64 MiB.)
 */
export const RELAY_BATCH_MAX_CHARS = 1024 * 1024;

/** Panel: frames held in memory; the oldest are dropped (and counted) past this. */
export const PANEL_MAX_FRAMES = 1_000_000;
export const PANEL_MAX_BYTES = 512 * 1024 * 1024;
/** Panel: the views render at most this often while frames stream in. */
export const PANEL_RENDER_INTERVAL_MS = 33;
/** Panel: characters of a payload shown in a one-line preview. */
export const PREVIEW_CHARS = 200;

/**
 * What a SharedWorker's hook keeps of its sockets' history, for documents that connect later
 * (a second tab): they get it first, then live events. Past these caps the oldest frames go, and
 * the next document to connect is told how many it missed (its panel counts them as lost).
 */
export const SHARED_HISTORY_MAX_FRAMES = 10_000;
export const SHARED_HISTORY_MAX_BYTES = 16 * 1024 * 1024;
/** Lifecycle events (create, open, close…) kept; past it the oldest sockets' events go, counted likewise. */
export const SHARED_HISTORY_MAX_LIFECYCLE = 5_000;
/** Payload bytes those events may hold (a rule's interceptions and page-dispatched messages carry data); past it, oldest first. */
export const SHARED_HISTORY_MAX_LIFECYCLE_BYTES = 4 * 1024 * 1024;

/**
 * How long a page's SharedWorker waits for the router to say which instance it joins (a few
 * milliseconds normally; longer while the extension's service worker starts). Past it, the worker
 * starts natively, so a frame whose relay never answers still gets a working SharedWorker.
 */
export const SHARED_ANSWER_TIMEOUT_MS = 10_000;

/**
 * Panel: request/response pairing. Requests waiting for a reply are kept per connection up to
 * PAIR_PENDING_MAX; past it the oldest is no longer waited for (counted, and shown in the Calls
 * view). The Calls view keeps CALLS_MAX distinct calls; further names are counted under one
 * "(other calls)" row. A request with no reply after the timeout is marked *no response*.
 */
export const PAIR_PENDING_MAX = 10_000;
export const CALLS_MAX = 1_000;
export const PAIR_TIMEOUT_DEFAULT_MS = 10_000;
