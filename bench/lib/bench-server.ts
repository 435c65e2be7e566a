/**
 * The bench's own HTTP + WebSocket server (npm `ws`) on 127.0.0.1, port 0. Unlike the e2e
 * test server it has permessage-deflate off, so compressing 1 MB–50 MB payloads in Node does not
 * become the figure, and it keeps nothing it receives (a 1M-frame feed would hold it all).
 *   /echo   sends every message back as it came (text stays text, binary stays binary)
 *   /sink   reads and drops
 *   /push   on "start <rate> <seconds>" pushes ~100 B JSON frames at <rate>/s, each with its
 *           seq and the server's send time; answers "done <n>" when finished
 *   /rpc    JSON-RPC 2.0, the server calling the page: on the page's notification
 *           {"method":"more","params":{"from":<id>,"n":<k>}} it sends k requests, ids from <id>
 *           (7 digits), methods m00–m63, each frame 100 B; the page's answers are dropped
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface BenchServer {
  origin: string;
  page(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const pages = new Map<string, string>();
  const http: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    if (html === undefined) { res.writeHead(404).end('not found'); return; }
    // Browsers refuse a worker script served as HTML.
    const type = (req.url ?? '').split('?')[0]!.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(html);
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  wss.on('connection', (ws, req) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/echo') ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data as Buffer, { binary: isBinary }));
    else if (path === '/push') ws.on('message', (data: RawData) => push(ws, String(data)));
    else if (path === '/rpc') ws.on('message', (data: RawData) => rpcCalls(ws, String(data)));
    // '/sink' and anything else: read and drop.
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    page: (path, html) => { pages.set(path, html); },
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close(() => r());
      http.closeAllConnections();
    }),
  };
}

/**
 * Sustained push: a 5 ms tick sends however many frames keep the total on rate × elapsed, so the
 * rate holds even when a tick comes late (Node timers are not 1 ms accurate under load).
 */
function push(ws: WebSocket, cmd: string): void {
  const m = /^start (\d+) (\d+(?:\.\d+)?)$/.exec(cmd);
  if (!m) return;
  const rate = Number(m[1]), seconds = Number(m[2]);
  const total = Math.round(rate * seconds);
  const pad = 'p'.repeat(40);
  const t0 = performance.now();
  let n = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; n < due; n++) ws.send(`{"seq":${n},"sentAt":${(performance.timeOrigin + performance.now()).toFixed(3)},"pad":"${pad}"}`);
    if (n < total) setTimeout(tick, 5);
    else ws.send(`done ${n}`);
  };
  tick();
}

/** The page asked for more calls: k JSON-RPC requests, 100 B each (ids of 7 digits). */
function rpcCalls(ws: WebSocket, text: string): void {
  if (!text.includes('"method":"more"')) return;
  const { from, n } = (JSON.parse(text) as { params: { from: number; n: number } }).params;
  for (let id = from; id < from + n; id++) {
    const head = `{"jsonrpc":"2.0","id":${id},"method":"m${String(id % 64).padStart(2, '0')}","params":{"p":"`;
    ws.send(`${head}${'q'.repeat(100 - head.length - 3)}"}}`);
  }
}
