/**
 * A real HTTP + WebSocket server (npm `ws`) on 127.0.0.1, port 0. It serves the test pages and
 * records every message it receives, so tests compare the capture with what the server saw.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';

export interface ServerSocket {
  ws: WebSocket;
  path: string;
  protocol: string;
  received: { data: Buffer; isBinary: boolean }[];
}

export type SocketHandler = (s: ServerSocket, req: IncomingMessage) => void;

export interface TestServer {
  origin: string;
  /** Same server under another host name, so pages get a second (cross-origin) site. */
  altOrigin: string;
  /** Same server as a non-secure origin (Chromium maps *.test to 127.0.0.1; see chrome.ts). */
  insecureOrigin: string;
  sockets: ServerSocket[];
  /**
   * Serves `body` at `path`: as JavaScript when the path ends in .js or .mjs, else as HTML, with
   * any extra response headers (a Content-Security-Policy, say).
   */
  page(path: string, body: string, headers?: Record<string, string>): void;
  onSocket(path: string, handler: SocketHandler): void;
  waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const pages = new Map<string, { body: string; headers: Record<string, string> }>();
  const handlers = new Map<string, SocketHandler>();
  const sockets: ServerSocket[] = [];
  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const page = pages.get(path);
    if (page === undefined) { res.writeHead(404).end('not found'); return; }
    const type = /\.m?js$/.test(path) ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...page.headers }).end(page.body);
  });
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate: true,
    handleProtocols: (protocols) => {
      for (const p of protocols) if (p.startsWith('accept-')) return p;
      return false;
    },
  });
  wss.on('connection', (ws, req) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const s: ServerSocket = { ws, path, protocol: ws.protocol, received: [] };
    sockets.push(s);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      s.received.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary });
    });
    const h = handlers.get(path);
    if (h) h(s, req);
    else ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary })); // echo
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    altOrigin: `http://localhost:${port}`,
    insecureOrigin: `http://insecure.test:${port}`,
    sockets,
    page: (path, body, headers = {}) => { pages.set(path, { body, headers }); },
    onSocket: (path, h) => { handlers.set(path, h); },
    async waitFor(fn, what, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close(() => r());
      http.closeAllConnections();
    }),
  };
}
