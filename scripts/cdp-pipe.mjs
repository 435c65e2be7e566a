// A Chrome DevTools Protocol connection over the pipe Chromium opens with --remote-debugging-pipe
// (file descriptors 3 and 4 of the child): the browser is driven without a debugging port that
// any local process could reach. Messages are JSON, each ended by a NUL byte.
import puppeteer from 'puppeteer-core';

/** Puppeteer, connected to a Chromium spawned with --remote-debugging-pipe and stdio [.., .., .., 'pipe', 'pipe']. */
export async function connectOverPipe(child) {
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];
  let pending = '';
  const transport = {
    send(message) { toBrowser.write(`${message}\0`); },
    close() { toBrowser.end(); },
    onmessage: undefined,
    onclose: undefined,
  };
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk) => {
    pending += chunk;
    for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
      const message = pending.slice(0, end);
      pending = pending.slice(end + 1);
      transport.onmessage?.(message);
    }
  });
  fromBrowser.on('close', () => transport.onclose?.());
  return puppeteer.connect({ transport, defaultViewport: null, handleDevToolsAsPage: true, protocolTimeout: 60_000 });
}
