/**
 * Pages and helpers shared by the fault tests of both browsers (test/e2e/{chrome,firefox}/faults).
 */
import type { Page } from 'puppeteer-core';

/**
 * Streams both ways until it is navigated away: up every 5 ms from the page, while the server
 * (/stream?doc=a) sends down every 5 ms. The page notes in sessionStorage (which outlives the
 * navigation) how many it sent and how many its own onmessage saw: what it really received, as
 * opposed to what the server sent.
 */
export const NAV_A_PAGE = `<!doctype html><script>
  const ws = new WebSocket('ws://' + location.host + '/stream?doc=a');
  let up = 0, down = 0;
  ws.onmessage = (e) => {
    if (e.data !== 'a down ' + down) throw new Error('out of order: ' + e.data);
    sessionStorage.setItem('a-received', String(++down));
  };
  ws.onopen = () => setInterval(() => { if (ws.readyState === 1) { ws.send('a up ' + up++); sessionStorage.setItem('a-sent', String(up)); } }, 5);
</script>`;

/** The page navigated to: 200 frames each way (/stream?doc=b&limit=200), counted in window.received. */
export const NAV_B_PAGE = `<!doctype html><script>
  window.received = 0;
  const ws = new WebSocket('ws://' + location.host + '/stream?doc=b&limit=200');
  ws.onmessage = () => { window.received++; };
  ws.onopen = () => { let up = 0; const t = setInterval(() => { ws.send('b up ' + up++); if (up === 200) clearInterval(t); }, 5); };
</script>`;

/** Collects the page's uncaught exceptions and console errors: a fault must cause none. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${(e as Error).message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  return problems;
}
