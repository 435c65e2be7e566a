/**
 * Page hook: runs in the page's MAIN world at document_start, in every frame, before any page
 * script. Built as one self-contained classic script (the `.iife.ts` name tells crxjs not to use
 * its async loader), because a socket opened by the first inline <script> must be captured.
 */
import { installToStringMask } from './mask-native';
import { openPageChannel } from './page-channel';
import { patchWebSocket } from './patch-websocket';
import { patchWorkers } from './patch-worker';
import { patchSharedWorker } from './patch-shared-worker';

(() => {
  const win = window as Window & typeof globalThis;
  if (typeof win.WebSocket !== 'function') return;
  try {
    const channel = openPageChannel(win);
    installToStringMask();
    const runLocal = patchWebSocket(win, channel);
    let workers: ReturnType<typeof patchWorkers> | null = null;
    try { workers = patchWorkers(win, channel); } catch { /* the page keeps its native workers */ }
    let shared: ReturnType<typeof patchSharedWorker> | null = null;
    try { shared = patchSharedWorker(win, channel); } catch { /* the page keeps its native SharedWorker */ }
    channel.onCommand((cmd, done) => {
      if (workers?.owns(cmd.sock)) workers.run(cmd, done);
      else if (shared?.owns(cmd.sock)) shared.run(cmd, done);
      else done(runLocal(cmd));
    });
  } catch {
    // Whatever fails, the page keeps its native WebSocket.
  }
})();
