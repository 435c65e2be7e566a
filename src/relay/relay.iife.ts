/**
 * Relay: the isolated-world content script, one per frame, at document_start. It takes the page
 * hook's private port, turns hook events into wire events, keeps the page's history (capped, see
 * HistoryBuffer) and, while a panel watches this tab, streams batches to the background router.
 * Built as a self-contained classic script for the same reason as the hook: its handshake
 * listener must exist before any page script runs.
 */
import type { DocInfo, DropCounts } from '../protocol/capture-events';
import { RELAY_BATCH_MAX_CHARS, RELAY_BATCH_MAX_EVENTS, RELAY_BATCH_MS, RELAY_HISTORY_MAX_BYTES, RELAY_HISTORY_MAX_FRAMES, RELAY_HISTORY_MAX_LIFECYCLE, RELAY_HISTORY_MAX_LIFECYCLE_BYTES } from '../protocol/limits';
import { FRAME_GONE, type SocketCommand } from '../protocol/commands';
import type { RouterToRelayMessage } from '../protocol/messages';
import { toHookCommand } from './hook-command';
import { PROTOCOL_VERSION } from '../protocol/version';
import { channelProbe } from '../protocol/channel-probe';
import { HistoryBuffer } from './history-buffer';
import { linkToHook } from './hook-link';
import { HookEventPipeline } from './hook-event-pipeline';
import { linkToRouter } from './router-link';
import { Outbox } from './outbox';
import { randomId } from './random-id';
import { relaySharedWorkers } from './shared-workers';

const isTop = window === window.top;
const docId = randomId();
const doc: DocInfo = { docId, url: location.href, title: '', top: isTop };
const history = new HistoryBuffer({
  maxBytes: RELAY_HISTORY_MAX_BYTES, maxFrames: RELAY_HISTORY_MAX_FRAMES,
  maxLifecycle: RELAY_HISTORY_MAX_LIFECYCLE, maxLifecycleBytes: RELAY_HISTORY_MAX_LIFECYCLE_BYTES,
});
const lost: DropCounts = { frames: 0, bytes: 0 };
let attached = false;
/**
 * The router's answer to this port's probe has come (see channel-probe). A panel's attach waits
 * for it, so that no replay goes out as base64 on a channel that clones.
 */
let channelKnown = false;
let attachAsked = false;
const startStreaming = () => {
  if (!attachAsked || !channelKnown || attached) return;
  attached = true;
  outbox.replay(history.snapshot());
};
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const currentDoc = (): DocInfo => {
  doc.url = location.href;
  if (isTop) doc.title = document.title;
  return { ...doc };
};

// A task of its own for each message to the router, without setTimeout's 4 ms clamp.
const tick = new MessageChannel();
let ticks: (() => void)[] = [];
tick.port1.onmessage = () => { const run = ticks; ticks = []; for (const fn of run) fn(); };
const nextTask = (fn: () => void) => { ticks.push(fn); if (ticks.length === 1) tick.port2.postMessage(0); };

const outbox = new Outbox({
  post: (events, snapshot) => router.send({
    v: PROTOCOL_VERSION, t: 'batch', doc: currentDoc(), snapshot, events, lost: { ...lost }, evicted: { ...history.evicted },
  }),
  nextTask,
}, { maxChars: RELAY_BATCH_MAX_CHARS, maxEvents: RELAY_BATCH_MAX_EVENTS });

/** Sends what is queued: from this task on (flush), or all of it in this task (drain, at pagehide). */
const flush = (how: 'flush' | 'drain' = 'flush') => {
  if (flushTimer) { clearTimeout(flushTimer); flushTimer = null; }
  if (attached) outbox[how]();
};

const pipeline = new HookEventPipeline({
  onEvent(ev) {
    history.push(ev);
    if (!attached) return;
    outbox.add(ev);
    if (outbox.pending >= RELAY_BATCH_MAX_EVENTS) flush();
    else if (!flushTimer) flushTimer = setTimeout(() => flush(), RELAY_BATCH_MS);
  },
  onLost(d) { lost.frames += d.frames; lost.bytes += d.bytes; },
});

// Answers the router about this document's SharedWorkers from the start.
const sharedWorkers = relaySharedWorkers();

const hook = linkToHook(window, {
  onEvents: (msg) => pipeline.accept(msg),
  onRejected: (frames) => { lost.frames += frames; },
  onResult: (result) => { router.send({ v: PROTOCOL_VERSION, t: 'result', ...result }); },
  onSharedConnect: (id, req) => sharedWorkers.connect(req, (answer) => hook.sharedAnswer(id, answer)),
  // The document may be gone before the next task: everything to the router now.
  onUnloadHandoff: () => flush('drain'),
});
addEventListener('pagehide', () => flush('drain'), true);

/** A panel command for this document's socket, handed to the hook with binary payloads as bytes. */
function runCommand(id: number, docId: string, cmd: SocketCommand): void {
  const fail = (error: string) => router.send({ v: PROTOCOL_VERSION, t: 'result', id, ok: false, error });
  if (docId !== doc.docId) { fail(FRAME_GONE); return; }
  const hookCmd = toHookCommand(cmd);
  if (!hookCmd.ok) { fail(hookCmd.error); return; }
  if (!hook.command(id, hookCmd.cmd)) fail('The page hook is not running in this frame, so its sockets cannot be commanded.');
}

const router = linkToRouter({
  // Every port's first message probes what the channel does with a buffer; nothing goes to a
  // panel until the router has answered (startStreaming).
  hello: () => ({ v: PROTOCOL_VERSION, t: 'hello', doc: currentDoc(), probe: channelProbe() }),
  onMessage(m: RouterToRelayMessage) {
    if (m.t === 'channel') {
      outbox.setClone(m.clone);
      channelKnown = true;
      startStreaming();
    } else if (m.t === 'attach') {
      // Each attach replays the whole history (a second panel, a reattach).
      attached = false;
      attachAsked = true;
      startStreaming();
    } else if (m.t === 'detach') {
      attached = false;
      attachAsked = false;
      outbox.clear();
    } else if (m.t === 'command') {
      runCommand(m.id, m.docId, m.cmd);
    } else if (m.t === 'rules') {
      hook.rules(m.rules);
    } else if (m.t === 'options') {
      hook.options(m.options);
    } else if (m.t === 'welcome' && import.meta.env.MODE === 'e2e') {
      // Test builds only: shows the page that the router answered this relay (a full round trip).
      document.documentElement.dataset.sockscopeTab = String(m.tabId);
    }
  },
  // A new port is probed afresh.
  onDrop() { attached = false; attachAsked = false; channelKnown = false; outbox.clear(); outbox.setClone(false); },
  onContextGone() { attached = false; hook.stop(); },
});
