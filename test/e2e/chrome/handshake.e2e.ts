/**
 * Chromium: the *Handshake* tab, read from DevTools' own network log through the extension API.
 * DevTools open before the page loads: the tab shows the request's Sec-WebSocket-Protocol and the
 * page's cookie by name. DevTools opened after the socket: the tab says the handshake happened
 * before DevTools was open. A redacted export has the handshake with no cookie value.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame } from 'puppeteer-core';
import { launchChrome, newInspectedPage, openDevTools, showPanel, type ChromeSession } from '../../support/chrome';
import { exportFile, selectFrameRow, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import type { SessionFileV1 } from '../../../src/session/session-format';

const COOKIE = 'sockscope_probe';
const SECRET = 'c00kie-v4lue-77';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/hs', '<!doctype html><title>hs</title><p>handshake page</p>', { 'set-cookie': `${COOKIE}=${SECRET}; Path=/; SameSite=Lax` });
  // The socket opens only once the cookie is set, from a second script run after the page loaded.
  server.page('/hs.js', `const ws = new WebSocket('ws://' + location.host + '/hs-echo', ['accept-hs', 'v1']);
    ws.onopen = () => ws.send('hello handshake');`);
  server.page('/hs-run', `<!doctype html><script src="/hs.js"></script>`);
  server.page('/favicon.ico', '');
});

afterAll(async () => { await server?.close(); });

/** Selects the socket's frame, opens the Handshake tab, and waits until it reads `text`. */
async function handshakeTab(panel: Frame, text: string): Promise<string> {
  await selectFrameRow(panel, 'hello handshake');
  const tab = (await panel.waitForSelector('::-p-aria(Handshake[role="tab"])'))!;
  await tab.evaluate((b) => (b as HTMLButtonElement).click());
  const read = () => panel.evaluate(() => (document.querySelector('[role=tabpanel]') as HTMLElement | null)?.innerText ?? '');
  await panel.waitForFunction((t: string) => (document.querySelector('[role=tabpanel]') as HTMLElement | null)?.innerText.includes(t), { timeout: 60_000 }, text)
    .catch(async (e) => { throw new Error(`the Handshake tab never read "${text}"; it reads ${JSON.stringify(await read())}`, { cause: e }); });
  return read();
}

test('DevTools open before the page: the Handshake tab shows the protocols asked and the cookie sent; a redacted export has no cookie value', async () => {
  const chrome: ChromeSession = await launchChrome({ devtools: true });
  try {
    const { page, devtools } = await newInspectedPage(chrome.browser);
    const panel = await showPanel(devtools);
    await page.goto(`${server.origin}/hs`); // sets the cookie
    await page.goto(`${server.origin}/hs-run`);
    await server.waitFor(() => server.sockets.find((s) => s.path === '/hs-echo')?.received.length, 'the frame at the server');
    await waitForCounts(panel, 1, 2);
    const text = await handshakeTab(panel, 'Sec-WebSocket-Protocol');
    expect(text).toContain('101 Switching Protocols');
    expect(text).toMatch(/Request headers[\s\S]*Sec-WebSocket-Protocol\s+accept-hs, v1/);
    expect(text).toMatch(/Response headers[\s\S]*Sec-WebSocket-Protocol\s+accept-hs/);
    expect(text).toContain(COOKIE);

    const file = await exportFile(panel, chrome.downloads, { redact: true });
    const session = JSON.parse(file.text) as SessionFileV1;
    const hs = session.connections.find((c) => c.url.endsWith('/hs-echo'))!.handshake!;
    expect(hs.status).toBe(101);
    const cookie = hs.requestHeaders.find((h) => h.name.toLowerCase() === 'cookie')!;
    expect(cookie.value).toBe(`${COOKIE}=[redacted]`);
    expect(file.text).not.toContain(SECRET);
    expect(hs.requestHeaders).toContainEqual({ name: 'Sec-WebSocket-Protocol', value: 'accept-hs, v1' });
  } finally {
    await chrome.close();
  }
});

test('DevTools opened after the socket: the Handshake tab says the handshake happened before DevTools was open', async () => {
  const chrome: ChromeSession = await launchChrome({ devtools: false });
  try {
    const page = await chrome.browser.newPage();
    const before = server.sockets.filter((s) => s.path === '/hs-echo').length;
    await page.goto(`${server.origin}/hs-run`);
    await server.waitFor(() => server.sockets.filter((s) => s.path === '/hs-echo').length > before && server.sockets.at(-1)?.received.length, 'the frame at the server');
    const panel = await showPanel(await openDevTools(chrome.browser, page));
    await waitForCounts(panel, 1, 2);
    const text = await handshakeTab(panel, 'before DevTools was open');
    expect(text).toContain('The handshake happened before DevTools was open');
    expect(text).not.toContain('Sec-WebSocket-Protocol');
  } finally {
    await chrome.close();
  }
});
