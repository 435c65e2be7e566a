/**
 * Chromium: the extension is reloaded while a page keeps its sockets. The old relay's context is
 * gone; the page must keep working with no error of ours in its console.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChrome, serviceWorker, type ChromeSession } from '../../support/chrome';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/keep', `<!doctype html><script>
    window.echoes = 0;
    const ws = new WebSocket('ws://' + location.host + '/echo');
    ws.binaryType = 'arraybuffer';
    ws.onmessage = () => echoes++;
    ws.onopen = () => setInterval(() => { ws.send('tick'); ws.send(new Uint8Array([1, 2])); ws.send(new Blob(['b'])); }, 20);
  </script>`);
  chrome = await launchChrome({ devtools: false });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

test('reloading the extension under a live page throws nothing into the page and breaks nothing', async () => {
  const page = await chrome.browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${(e as Error).message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`); });
  await page.goto(`${server.origin}/keep`);
  await page.waitForFunction(() => (window as unknown as { echoes: number }).echoes > 30);

  const cdp = await chrome.browser.target().createCDPSession();
  const workerIds = async () => (await cdp.send('Target.getTargets')).targetInfos
    .filter((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')).map((t) => t.targetId);
  const [oldWorker] = await workerIds();
  const sw = await serviceWorker(chrome.browser);
  await sw.evaluate(() => { setTimeout(() => (globalThis as unknown as { chrome: { runtime: { reload(): void } } }).chrome.runtime.reload(), 10); }).catch(() => { /* the worker goes away */ });
  for (let i = 0; i < 1200 && (await workerIds()).includes(oldWorker!); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await workerIds(), 'the extension really reloaded (its old worker is gone)').not.toContain(oldWorker);
  await new Promise((r) => setTimeout(r, 1000));

  const before = await page.evaluate(() => (window as unknown as { echoes: number }).echoes);
  await page.waitForFunction((n: number) => (window as unknown as { echoes: number }).echoes > n + 60, {}, before);
  // A socket opened after the reload still works too.
  const fresh = await page.evaluate(() => new Promise<string>((res) => {
    const ws = new WebSocket(`ws://${location.host}/echo`);
    ws.onopen = () => ws.send('after reload');
    ws.onmessage = (e) => res(e.data as string);
  }));
  expect(fresh).toBe('after reload');
  expect(problems.filter((p) => !p.includes('favicon') && !p.includes('404'))).toEqual([]);
});
