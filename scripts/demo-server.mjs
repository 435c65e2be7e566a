#!/usr/bin/env node
// The Sockscope demo: one page that opens six WebSockets (one of them speaking STOMP, one JSON-RPC) with different kinds of
// traffic, so the panel has something realistic to show. `node scripts/demo-server.mjs` runs it on its own.
import { createServer } from 'node:http';
import { readFileSync, realpathSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const PAGE_FILE = fileURLToPath(new URL('./demo-page.html', import.meta.url));
const SYMBOLS = ['ACME', 'GLOBX', 'INITECH', 'UMBRL'];
export const FLAKY_CLOSE = { code: 4001, reason: 'demo: server closed the session' };

/**
 * The JSON-RPC 2.0 service behind /rpc, for the Calls view: how long each method takes to answer
 * (ms, a random time in [min, max]), or null for never. placeOrder refuses every third order.
 */
export const RPC_METHODS = {
  getQuote: [20, 80],
  getPortfolio: [600, 900],
  placeOrder: [30, 120],
  audit: null,
};
const ORDER_REFUSED = { code: -32010, message: 'Order refused: insufficient buying power' };
const PORTFOLIO = [{ symbol: 'ACME', qty: 120 }, { symbol: 'GLOBX', qty: 40 }, { symbol: 'UMBRL', qty: 15 }];

/** Per-path behaviour. `every` registers a timer that dies with the socket (and with close()). */
const ENDPOINTS = {
  '/chat'(ws) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const raw = data.toString();
      let text = raw;
      try { const m = JSON.parse(raw); if (typeof m?.text === 'string') text = m.text; } catch { /* plain text is fine */ }
      ws.send(JSON.stringify({ type: 'chat', from: 'echo', text: text.slice(0, 500), at: Date.now() }));
    });
  },
  '/ticker'(ws, every) {
    const prices = Object.fromEntries(SYMBOLS.map((s, i) => [s, 50 + 40 * i]));
    let seq = 0;
    every(50, () => {
      const symbol = SYMBOLS[seq % SYMBOLS.length];
      prices[symbol] = Math.max(1, prices[symbol] * (1 + (Math.random() - 0.5) / 100));
      ws.send(JSON.stringify({ type: 'tick', symbol, price: Math.round(prices[symbol] * 100) / 100, seq: ++seq }));
    });
  },
  '/binary'(ws, every) {
    let seq = 0;
    every(1000, () => {
      // 8-byte header ("SS", version, payload length, uint32 seq) so the hex view has a shape to spot.
      const payload = randomBytes(8 + Math.floor(Math.random() * 49));
      const header = Buffer.from([0x53, 0x53, 1, payload.length, 0, 0, 0, 0]);
      header.writeUInt32BE(++seq, 4);
      ws.send(Buffer.concat([header, payload]), { binary: true });
    });
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  },
  // A tiny STOMP 1.2 broker: CONNECTED with heart-beats, then order MESSAGEs to the subscription,
  // so the panel's STOMP decoder and "Hide heartbeats" have real-looking traffic.
  '/stomp'(ws, every) {
    let subscription = null;
    let seq = 0;
    ws.on('message', (data) => {
      const text = data.toString();
      const command = text.slice(0, text.indexOf('\n'));
      const header = (name) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1] ?? '';
      if (command === 'CONNECT' || command === 'STOMP') ws.send('CONNECTED\nversion:1.2\nheart-beat:2000,2000\nserver:sockscope-demo\n\n\0');
      else if (command === 'SUBSCRIBE') subscription = { id: header('id'), destination: header('destination') };
    });
    every(2000, () => ws.send('\n'));
    every(700, () => {
      if (!subscription) return;
      const body = JSON.stringify({ order: ++seq, symbol: SYMBOLS[seq % SYMBOLS.length], qty: 1 + (seq % 5) });
      ws.send(`MESSAGE\nsubscription:${subscription.id}\nmessage-id:${seq}\ndestination:${subscription.destination}\ncontent-type:application/json\n\n${body}\0`);
    });
  },
  // JSON-RPC 2.0: the page calls; getQuote answers quickly, getPortfolio slowly, placeOrder
  // sometimes with an error, and audit never (the panel marks it *no response* after its timeout).
  '/rpc'(ws, _every, after) {
    let orders = 0;
    const prices = Object.fromEntries(SYMBOLS.map((s, i) => [s, 50 + 40 * i]));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let req;
      try { req = JSON.parse(data.toString()); } catch {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
      const { id, method, params } = req ?? {};
      if (id === undefined) return; // a notification: nothing to answer
      const answer = (body) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: '2.0', id, ...body })); };
      if (!Object.hasOwn(RPC_METHODS, method)) { answer({ error: { code: -32601, message: 'Method not found' } }); return; }
      const delay = RPC_METHODS[method];
      if (delay === null) return;
      const [min, max] = delay;
      after(min + Math.random() * (max - min), () => {
        if (method === 'getQuote') {
          const symbol = SYMBOLS.includes(params?.symbol) ? params.symbol : SYMBOLS[0];
          prices[symbol] = Math.max(1, prices[symbol] * (1 + (Math.random() - 0.5) / 50));
          answer({ result: { symbol, price: Math.round(prices[symbol] * 100) / 100 } });
        } else if (method === 'getPortfolio') {
          answer({ result: { positions: PORTFOLIO, cash: 10_000 } });
        } else if (++orders % 3 === 0) {
          answer({ error: { ...ORDER_REFUSED, data: { order: params ?? null } } });
        } else {
          answer({ result: { orderId: `ord-${orders}`, status: 'filled' } });
        }
      });
    });
  },
  '/flaky'(ws, _every, after) {
    ws.send(JSON.stringify({ type: 'hello', note: 'the server will close this session in 2 s' }));
    after(2000, () => ws.close(FLAKY_CLOSE.code, FLAKY_CLOSE.reason));
  },
};

function handleProtocols(protocols, req) {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/stomp') return ['v12.stomp', 'v11.stomp'].find((p) => protocols.has(p)) ?? false;
  if (path !== '/chat') return false;
  return ['chat.v1', 'chat.v0'].find((p) => protocols.has(p)) ?? false;
}

/** Starts the demo on 127.0.0.1 only: it is a local toy, not something to expose on a network. */
export async function startDemoServer({ port = 0 } = {}) {
  const page = readFileSync(PAGE_FILE);
  const timers = new Set();
  const http = createServer((req, res) => {
    // No icon: answer without an error, so DevTools' console stays clean for the demo.
    if (new URL(req.url, 'http://x').pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    if (req.method !== 'GET' || new URL(req.url, 'http://x').pathname !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: 64 * 1024 });

  http.on('upgrade', (req, socket, head) => {
    const endpoint = ENDPOINTS[new URL(req.url, 'http://x').pathname];
    if (!endpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const mine = new Set();
      const track = (t) => { mine.add(t); timers.add(t); };
      const every = (ms, fn) => track(setInterval(() => { if (ws.readyState === ws.OPEN) fn(); }, ms));
      const after = (ms, fn) => {
        const t = setTimeout(() => { mine.delete(t); timers.delete(t); fn(); }, ms);
        track(t);
      };
      ws.on('close', () => { for (const t of mine) { clearTimeout(t); timers.delete(t); } });
      ws.on('error', () => {}); // a page that vanishes mid-frame is normal here, not a crash
      endpoint(ws, every, after);
    });
  });

  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => { http.off('error', reject); resolve(); });
  });
  const url = `http://127.0.0.1:${http.address().port}/`;
  return {
    url,
    close: () => new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}

const runDirectly = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (runDirectly) {
  const server = await startDemoServer({ port: Number(process.env.PORT ?? 8787) });
  console.log(`Sockscope demo: ${server.url}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
