/**
 * The pages and server of the rules-safety tests (Chromium and Firefox): a page with a main
 * socket and a probe socket (see rules-panel.ts), served by the same real `ws` server under two
 * origins (127.0.0.1 and localhost, one port), which records every frame it receives, by page
 * origin.
 */
import type { Page } from 'puppeteer-core';
import type { TestServer } from './test-server';

export const RULES_PAGE = '/rules';
export const MAIN_PATH = '/rules-main';
export const PROBE_PATH = '/rules-probe';

/** What the server received on main sockets, as text, each with the origin of the page that sent it. */
export interface Received { origin: string; text: string }

/** How many frames an `?early=` page sends. */
export const EARLY_SENDS = 200;
/** The server's pause before it asks an `?early=` page for its next frame: the burst lasts at least 200 × this. */
const EARLY_PACE_MS = 2;

/**
 * Serves the page. `?early=<text>`: from the moment its main socket opens, the page sends
 * "<text> 1" … "<text> 200" on it, each when the server asks for the next: over the time in which
 * the page's relay is given its rules and the panel has not seen the page yet. (Paced by the
 * server, not by the page's timers, which a background tab slows down.) A frame that a rule held
 * would stop the burst.
 */
export function serveRulesPages(server: TestServer): Received[] {
  const received: Received[] = [];
  server.page(RULES_PAGE, `<!doctype html><title>rules</title><script>
    const early = new URLSearchParams(location.search).get('early');
    window.main = new WebSocket('ws://' + location.host + '${MAIN_PATH}' + (early ? '?early' : ''));
    window.probe = new WebSocket('ws://' + location.host + '${PROBE_PATH}');
    let sent = 0;
    const next = () => { if (sent < ${EARLY_SENDS}) main.send(early + ' ' + ++sent); };
    if (early) { main.addEventListener('open', next); main.addEventListener('message', (e) => { if (e.data === 'next') next(); }); }
  </script>`);
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.onSocket(MAIN_PATH, (s, req) => {
    const paced = req.url?.includes('?early') ?? false;
    s.ws.on('message', (d) => {
      received.push({ origin: req.headers.origin ?? '', text: d.toString() });
      if (paced) setTimeout(() => s.ws.send('next'), EARLY_PACE_MS);
    });
  });
  server.onSocket(PROBE_PATH, () => {});
  return received;
}

/** Opens the rules page on `origin` and waits until both its sockets are open. */
export async function openRulesPage(page: Page, origin: string, early?: string): Promise<void> {
  await page.goto(`${origin}${RULES_PAGE}${early ? `?early=${encodeURIComponent(early)}` : ''}`);
  await page.waitForFunction(() => {
    const w = window as unknown as { main?: WebSocket; probe?: WebSocket };
    return w.main?.readyState === 1 && w.probe?.readyState === 1;
  });
}

export const sendMain = (page: Page, text: string) => page.evaluate((t: string) => (window as unknown as { main: WebSocket }).main.send(t), text);
export const sendProbe = (page: Page, text: string) => page.evaluate((t: string) => (window as unknown as { probe: WebSocket }).probe.send(t), text);

/** The probe socket of the page (see rules-panel.ts): a probe frame arrived at the server when no rule held it. */
export const probeOf = (server: TestServer, page: Page) => ({
  send: (text: string) => sendProbe(page, text),
  arrived: (text: string) => server.sockets.some((s) => s.path === PROBE_PATH && s.received.some((r) => r.data.toString() === text)),
});
