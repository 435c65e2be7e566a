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
import { WorkerLinks } from './worker-links';
import { BlobRefusals } from './blob-refusals';

(() => {
  const win = window as Window & typeof globalThis;
  if (typeof win.WebSocket !== 'function') return;
  try {
    const channel = openPageChannel(win);
    installToStringMask();
    const runLocal = patchWebSocket(win, channel);
    // One registry of worker links and one CSP-refusal watcher for both kinds of worker.
    const links = new WorkerLinks(channel);
    const refusals = new BlobRefusals(win);
    try { patchWorkers(win, channel, links, refusals); } catch { /* the page keeps its native workers */ }
    try { patchSharedWorker(win, channel, links, refusals); } catch { /* the page keeps its native SharedWorker */ }
    channel.onCommand((cmd, done) => {
      if (links.owns(cmd.sock)) links.run(cmd, done);
      else done(runLocal(cmd));
    });
  } catch {
    // Whatever fails, the page keeps its native WebSocket.
  }
})();
