/**
 * Chromium, real DevTools panel: acting on the page's live sockets. The server receives resent,
 * edited and composed frames byte for byte; the page receives injected messages typed by its
 * binaryType; closing from the panel gives the page the chosen code and reason; failures are
 * said in words; and commands forged by the page do nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { clickButton, composeMessage, expectCommandResult, exportSession, selectFrameRow, waitForCounts } from '../../support/panel';
import { startTestServer, type ServerSocket, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let panel: Frame;

type Got = { sock: string; kind: string; value: string; origin: string; trusted: boolean }[];
const got = () => page.evaluate(() => (window as unknown as { got: Got }).got);
const serverSocket = (path: string) => server.sockets.find((s) => s.path === path)!;
const received = (s: ServerSocket) => s.received.map((r) => (r.isBinary ? `bin:${r.data.toString('hex')}` : r.data.toString()));

const click = (name: string, role = 'button') => clickButton(panel, name, role);
const selectRow = (text: string) => selectFrameRow(panel, text);
const compose = (socketPath: string, mode: string, text: string) => composeMessage(panel, socketPath, text, mode);
const expectResult = (expected: string) => expectCommandResult(panel, expected);

beforeAll(async () => {
  server = await startTestServer();
  server.page('/act', `<!doctype html><script>
    window.got = [];
    const record = (sock) => async (e) => {
      const d = e.data;
      const kind = typeof d === 'string' ? 'string' : Object.prototype.toString.call(d);
      const bytes = typeof d === 'string' ? d : [...new Uint8Array(d instanceof Blob ? await d.arrayBuffer() : d)].map((b) => b.toString(16).padStart(2, '0')).join('');
      got.push({ sock, kind, value: bytes, origin: e.origin, trusted: e.isTrusted });
    };
    window.blobSock = new WebSocket('ws://' + location.host + '/blobsock');
    blobSock.onmessage = record('blob');
    blobSock.onopen = () => { blobSock.send('hello'); blobSock.send(new Uint8Array([1, 2, 3])); };
    window.abSock = new WebSocket('ws://' + location.host + '/absock');
    abSock.binaryType = 'arraybuffer';
    abSock.onmessage = record('ab');
    window.closeSock = new WebSocket('ws://' + location.host + '/closesock');
    closeSock.onclose = (e) => { window.closedWith = [e.code, e.reason, e.wasClean]; };
    window.doneSock = new WebSocket('ws://' + location.host + '/donesock');
    doneSock.onopen = () => { doneSock.send('last words'); doneSock.close(1000, 'done'); };
  </script>`);
  for (const p of ['/blobsock', '/absock', '/closesock', '/donesock']) server.onSocket(p, () => {});
  chrome = await launchChrome({ devtools: true });
  const inspected = await newInspectedPage(chrome.browser);
  page = inspected.page;
  await page.goto(`${server.origin}/act`);
  await server.waitFor(() => serverSocket('/blobsock')?.received.length === 2 && serverSocket('/donesock')?.received.length === 1, 'the page to send');
  panel = await showPanel(inspected.devtools);
  await waitForCounts(panel, 4, 3);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: commands from the panel', () => {
  test('Resend sends a captured text frame and a binary frame again, byte for byte, marked "resent"', async () => {
    await selectRow('hello');
    await click('Resend');
    await expectResult('status: Resent to the server.');
    await selectRow('01 02 03');
    await click('Resend');
    await server.waitFor(() => serverSocket('/blobsock').received.length === 4, 'two resent frames');
    expect(received(serverSocket('/blobsock'))).toEqual(['hello', 'bin:010203', 'hello', 'bin:010203']);
    await panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .origin-tag').length === 2);
  });

  test('Edit and resend sends the edited text', async () => {
    await selectRow('hello');
    await click('Edit and resend');
    await panel.waitForFunction(() => (document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement | null)?.value === 'hello');
    await compose('/blobsock', 'Text', 'hello, edited');
    await click('Send to server');
    await expectResult('status: Sent to the server.');
    await server.waitFor(() => serverSocket('/blobsock').received.length === 5, 'the edited frame');
    expect(received(serverSocket('/blobsock')).at(-1)).toBe('hello, edited');
  });

  test('a composed binary frame (hex) reaches the server byte for byte', async () => {
    await compose('/absock', 'Hex', 'de ad be ef 00 ff');
    await click('Send to server');
    await expectResult('status: Sent to the server.');
    await server.waitFor(() => serverSocket('/absock').received.length === 1, 'the composed frame');
    expect(received(serverSocket('/absock'))).toEqual(['bin:deadbeef00ff']);
  });

  test('injected messages reach the page as its binaryType asks, with the socket origin', async () => {
    const wsOrigin = `ws://127.0.0.1:${new URL(server.origin).port}`;
    await compose('/blobsock', 'Text', 'injected text');
    await click('Inject as incoming');
    await expectResult('status: Delivered to the page as an incoming message.');
    await compose('/blobsock', 'Hex', 'ca fe');
    await click('Inject as incoming');
    await compose('/absock', 'Base64', 'yv4=');
    await click('Inject as incoming');
    await page.waitForFunction(() => (window as unknown as { got: Got }).got.length === 3);
    expect((await got()).map(({ trusted: _t, ...g }) => g)).toEqual([
      { sock: 'blob', kind: 'string', value: 'injected text', origin: wsOrigin },
      { sock: 'blob', kind: '[object Blob]', value: 'cafe', origin: wsOrigin },
      { sock: 'ab', kind: '[object ArrayBuffer]', value: 'cafe', origin: wsOrigin },
    ]);
    // Nothing was sent to the server by an injection.
    expect(serverSocket('/absock').received).toHaveLength(1);
  });

  test('closing from the panel gives the page the chosen code and reason', async () => {
    await compose('/closesock', 'Text', '');
    await panel.evaluate(() => {
      const set = (sel: string, v: string) => { const i = document.querySelector(sel) as HTMLInputElement; i.value = v; i.dispatchEvent(new Event('input', { bubbles: true })); };
      set('input[aria-label="Close code"]', '4321');
      set('input[aria-label="Close reason"]', 'closed from the panel');
    });
    await click('Close socket');
    await page.waitForFunction(() => (window as unknown as { closedWith?: unknown }).closedWith);
    expect(await page.evaluate(() => (window as unknown as { closedWith: unknown }).closedWith)).toEqual([4321, 'closed from the panel', true]);
  });

  test('clear errors: a closed socket, a bad close code, invalid hex', async () => {
    await compose('/donesock', 'Text', 'too late');
    await click('Send to server');
    await expectResult('alert: The socket is closed; nothing was sent.');
    await compose('/absock', 'Hex', 'zz');
    expect(await panel.evaluate(() => document.querySelector('.composer [role=alert]')?.textContent)).toBe('Invalid hex: "z" is not a hex digit');
    expect(await panel.evaluate(() => [...document.querySelectorAll('.composer button')].find((b) => b.textContent === 'Send to server')!.hasAttribute('disabled'))).toBe(true);
    await compose('/absock', 'JSON', '{"a":');
    expect(await panel.evaluate(() => document.querySelector('.composer [role=alert]')?.textContent)).toMatch(/^Invalid JSON: /);
  });

  test('the export marks what the panel did', async () => {
    await click('Close composer');
    const session = await exportSession(panel, chrome.downloads);
    const origins = session.frames.filter((f) => f.origin).map((f) => `${f.direction} ${f.origin} ${f.text ?? f.base64}`);
    expect(origins).toEqual([
      'sent resent hello', 'sent resent AQID', 'sent composed hello, edited', 'sent composed 3q2+7wD/',
      'received injected injected text', 'received injected yv4=', 'received injected yv4=',
    ]);
  });

  test('commands forged by the page do nothing', async () => {
    const before = server.sockets.map((s) => s.received.length);
    await page.evaluate(() => {
      const cmd = { v: 1, t: 'command', id: 1, cmd: { op: 'send', sock: 1, data: 'FORGED', origin: 'composed' } };
      const routerCmd = { v: 1, t: 'command', id: 1, docId: 'x', cmd: { op: 'send', sock: 1, payload: { type: 'text', text: 'FORGED' }, origin: 'composed' } };
      postMessage(cmd, '*');
      postMessage(routerCmd, '*');
      const ch = new MessageChannel();
      postMessage({ __sockscope_handshake_v1__: true }, '*', [ch.port2]);
      ch.port1.postMessage(cmd);
      document.dispatchEvent(new CustomEvent('sockscope-command', { detail: routerCmd }));
      for (let sock = 1; sock <= 4; sock++) postMessage({ ...cmd, cmd: { ...cmd.cmd, sock } }, '*');
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(server.sockets.map((s) => s.received.length)).toEqual(before);
    expect(server.sockets.flatMap((s) => s.received.map((r) => r.data.toString()))).not.toContain('FORGED');
  });
});
