/**
 * Chromium, real DevTools panel: binary payloads reach the panel as bytes through
 * structured-clone messaging (the normal build), and, in a build without the manifest key (as a
 * Chrome before 148 would run us, where an ArrayBuffer would arrive as `{}`), the channel probe
 * falls back to base64. Either way the export holds exactly what crossed the wire: large frames
 * in parts, both directions, in a socket opened before DevTools and one opened after.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChrome, newInspectedPage, showPanel, CHROME_DIST, type ChromeSession } from '../../support/chrome';
import { exportedPayloads, exportSession, waitForCounts } from '../../support/panel';
import { seededBytes } from '../../support/seeded-random';
import { startTestServer, type TestServer } from '../../support/test-server';

/** From the server: 5 MB (five runtime messages' worth), 1 byte, and 300 KB; text between. */
const FROM_SERVER = [seededBytes(5 * 1024 * 1024 + 7, 1), Buffer.from([0xff]), seededBytes(300 * 1024, 2)];

const PAGE = `<!doctype html><script>
  window.got = 0;
  window.openSocket = () => {
    const ws = new WebSocket('ws://' + location.host + '/bin');
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => {
      window.got++;
      // Each binary frame goes back reversed: the page's own sends, binary, of the same sizes.
      if (typeof e.data !== 'string') ws.send(new Uint8Array(e.data).reverse());
    };
  };
  openSocket();
</script>`;

const builds = [
  { name: 'structured-clone messaging (the normal build)', dist: CHROME_DIST, key: true },
  { name: 'JSON-only messaging (a build without the key)', dist: resolve('dist-e2e/chrome-json'), key: false },
];

describe.each(builds)('binary payloads with $name', ({ dist, key }) => {
  let server: TestServer;
  let chrome: ChromeSession;

  beforeAll(async () => {
    server = await startTestServer();
    server.page('/bin', PAGE);
    server.onSocket('/bin', (s) => {
      s.ws.send('text before');
      for (const b of FROM_SERVER) s.ws.send(b, { binary: true });
      s.ws.send('text after');
    });
    chrome = await launchChrome({ devtools: true, dist });
  });

  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  test('the build asks for structured-clone messaging only where it should', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { message_serialization?: string };
    expect(manifest.message_serialization).toBe(key ? 'structured_clone' : undefined);
  });

  test('the export holds exactly the bytes the server sent and received, by the path the probe chose', async () => {
    const { page, devtools } = await newInspectedPage(chrome.browser);
    await page.goto(`${server.origin}/bin`);
    // This socket's frames are in the relay's history before the panel is shown (a replay);
    // the second socket's come live.
    await page.waitForFunction(() => (window as unknown as { got: number }).got === 5, { timeout: 120_000 });
    const panel = await showPanel(devtools);
    await page.evaluate(() => { (window as unknown as { openSocket(): void }).openSocket(); });
    await server.waitFor(() => server.sockets.filter((s) => s.path === '/bin' && s.received.length === 3).length === 2, 'both sockets echoed every binary frame', 120_000);
    await waitForCounts(panel, 2, 16, 120_000);

    const session = await exportSession(panel, chrome.downloads);
    const sockets = server.sockets.filter((s) => s.path === '/bin');
    expect(session.connections).toHaveLength(2);
    for (const [i, c] of session.connections.entries()) {
      const received = exportedPayloads(session, c.id, 'received');
      expect(received.map((r) => r.type)).toEqual(['text', 'binary', 'binary', 'binary', 'text']);
      expect(received[0]!.bytes.toString()).toBe('text before');
      for (const [j, b] of FROM_SERVER.entries()) expect(received[j + 1]!.bytes.equals(b), `socket ${i}, frame ${j} received`).toBe(true);
      const sent = exportedPayloads(session, c.id, 'sent');
      expect(sent).toHaveLength(3);
      for (const [j, r] of sockets[i]!.received.entries()) expect(sent[j]!.bytes.equals(r.data), `socket ${i}, frame ${j} sent`).toBe(true);
    }

    const arrivals = await panel.evaluate(() => {
      const f = document.querySelector('footer.summary') as HTMLElement;
      return { buffers: Number(f.dataset.binaryBuffers), base64: Number(f.dataset.binaryBase64) };
    });
    // Every binary frame took the path the probe chose, and nothing took the other.
    if (key) expect(arrivals).toEqual({ buffers: expect.any(Number) as number, base64: 0 });
    else expect(arrivals).toEqual({ buffers: 0, base64: expect.any(Number) as number });
    expect(arrivals.buffers + arrivals.base64).toBe(2 * 6); // 2 sockets × 3 binary frames each way
  });
});
