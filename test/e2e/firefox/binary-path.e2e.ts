/**
 * Firefox: its runtime messaging always clones, so binary payloads reach the panel as bytes; a
 * 5 MB binary frame (in parts) and a small one, each way, export exactly as the server saw them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FIREFOX_E2E_DIST, exportFromPanelTab, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { exportedPayloads } from '../../support/panel';
import { seededBytes } from '../../support/seeded-random';
import { startTestServer, type TestServer } from '../../support/test-server';

const BIG = seededBytes(5 * 1024 * 1024 + 3, 5);
const SMALL = Buffer.from([0, 1, 0xfe, 0xff]);

let server: TestServer;
let ff: FirefoxSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  server.page('/bin', `<!doctype html><script>
    window.got = 0;
    const ws = new WebSocket('ws://' + location.host + '/bin');
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => { window.got++; ws.send(new Uint8Array(e.data).reverse()); };
  </script>`);
  server.onSocket('/bin', (s) => { s.ws.send(BIG, { binary: true }); s.ws.send(SMALL, { binary: true }); });
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

test('a 5 MB binary frame each way exports exactly, and binary arrived as bytes', async () => {
  const page = await ff.browser.newPage();
  await page.goto(`${server.origin}/bin`);
  const tabId = await relayTabId(page);
  await server.waitFor(() => server.sockets.find((s) => s.path === '/bin' && s.received.length === 2), 'both frames echoed', 120_000);
  const panel = await openPanelTab(ff.browser, server.origin, tabId);
  await panel.waitForFunction(() => /^4 of 4 frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 120_000 });

  const session = await exportFromPanelTab(panel);
  const id = session.connections[0]!.id;
  const received = exportedPayloads(session, id, 'received');
  const sent = exportedPayloads(session, id, 'sent');
  expect(received.map((r) => r.bytes.equals(BIG) || r.bytes.equals(SMALL))).toEqual([true, true]);
  expect(received[0]!.bytes.length).toBe(BIG.length);
  const echoed = server.sockets.find((s) => s.path === '/bin')!.received;
  expect(sent).toHaveLength(2);
  for (const [i, r] of echoed.entries()) expect(sent[i]!.bytes.equals(r.data), `sent frame ${i}`).toBe(true);

  const arrivals = await panel.evaluate(() => {
    const f = document.querySelector('footer.summary') as HTMLElement;
    return { buffers: Number(f.dataset.binaryBuffers), base64: Number(f.dataset.binaryBase64) };
  });
  expect(arrivals.base64).toBe(0);
  expect(arrivals.buffers).toBe(4); // two binary frames each way
});
