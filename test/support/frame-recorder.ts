/**
 * A recording WebSocket proxy on 127.0.0.1 for the protocol tests: a real client connects to it,
 * it connects to the real server with the same path and subprotocols, passes every frame through
 * unchanged, and records each one as the browser's hook would see it (sent = client to server).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { DecodeInput } from '../../src/decoders/types';

export interface RecordedConnection {
  path: string;
  /** The subprotocol the server chose ('' when none). */
  protocol: string;
  frames: DecodeInput[];
}

export interface FrameRecorder {
  /** ws://127.0.0.1:<port>: point the client here instead of at the server. */
  url: string;
  connections: RecordedConnection[];
  close(): Promise<void>;
}

const toInput = (dir: DecodeInput['dir'], data: RawData, isBinary: boolean): DecodeInput => {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
  return isBinary ? { dir, type: 'binary', bytes: new Uint8Array(buf) } : { dir, type: 'text', text: buf.toString('utf8') };
};

/** `upstream` is the server's origin, e.g. ws://127.0.0.1:4000. */
export async function startFrameRecorder(upstream: string): Promise<FrameRecorder> {
  const http: Server = createServer((_, res) => res.writeHead(404).end());
  const connections: RecordedConnection[] = [];
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate: false,
    // Chooses what the real server chose: the client's handshake waits for the upstream one.
    handleProtocols: (protocols) => [...protocols][0] ?? false,
  });
  wss.on('connection', (client, req) => {
    const rec: RecordedConnection = { path: req.url ?? '/', protocol: client.protocol, frames: [] };
    connections.push(rec);
    const protocols = client.protocol ? [client.protocol] : [];
    const server = new WebSocket(upstream + (req.url ?? '/'), protocols, { perMessageDeflate: false });
    const pending: [RawData, boolean][] = [];
    client.on('message', (data, isBinary) => {
      rec.frames.push(toInput('sent', data, isBinary));
      if (server.readyState === WebSocket.OPEN) server.send(data, { binary: isBinary });
      else pending.push([data, isBinary]);
    });
    server.on('open', () => { for (const [d, b] of pending.splice(0)) server.send(d, { binary: b }); });
    server.on('message', (data, isBinary) => {
      rec.frames.push(toInput('received', data, isBinary));
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    });
    const end = (ws: WebSocket, code: number, reason: Buffer) => {
      if (ws.readyState === WebSocket.OPEN) ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    };
    client.on('close', (code, reason) => end(server, code, reason));
    server.on('close', (code, reason) => end(client, code, reason));
    server.on('error', () => client.terminate());
    client.on('error', () => server.terminate());
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    connections,
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.close(() => r());
    }),
  };
}

/** Polls `ok` until it holds (the protocol tests wait on traffic between real clients and servers). */
export async function waitFor(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
