/**
 * Chromium, real DevTools panel: request/response pairing (issue 20). Real servers on 127.0.0.1
 * and real client libraries: a JSON-RPC server that answers `slow` late, `fast` at once and `lost`
 * never; socket.io acknowledgements; a graphql-ws subscription; an MQTT QoS 1 publish to aedes;
 * and plain JSON paired by the key the panel suggests.
 *
 * What the panel holds is read from the Calls view's data attributes (the model's numbers) and
 * from exports of what a filter shows, never from whichever frame rows happen to be rendered.
 * Latencies are compared with the page's own timestamps in a full export, so a machine that is
 * slow to deliver a "fast" answer changes the expectation with it instead of failing the test.
 * Each scenario runs in its own tab with its own DevTools window and panel.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { useServer } from 'graphql-ws/use/ws';
import type { Frame, Page } from 'puppeteer-core';
import { Server as SocketIoServer } from 'socket.io';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import type { SessionFileV1 } from '../../../src/session/session-format';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportFile, exportSession, setPanelFilter, showWide, waitForCounts } from '../../support/panel';
import {
  clickNamed, filterText, latencyInText, pairJsonByKey, pollUntil, readCallCounts, readCallRows, readDetail, rpcLatencies, rpcRequest,
  RPC_CALLS, RPC_FRAMES, selectedView, selectRowShowing, serveJsonRpc, setNoResponseSeconds, showView, texts, waitForCall,
  waitForShown,
} from '../../support/pairing';
import { startAedes } from '../../support/real-library-scenarios';
import { startTestServer, type TestServer } from '../../support/test-server';

// graphql through require, as in real-library-scenarios.ts: graphql-ws loads graphql's CommonJS build.
const { execute, subscribe, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

let server: TestServer;
let chrome: ChromeSession;
let sioHttp: Server;
let io: SocketIoServer;
let gqlHttp: Server;
let gqlWss: WebSocketServer;
let broker: Awaited<ReturnType<typeof startAedes>>;

/** The subscription's values: N `next` messages, then `complete`. */
const GREETINGS = ['hello', 'bonjour', 'hallo', 'ciao'];
/** Socket.IO: emits the page makes with an acknowledgement, and without. */
const WORK_EMITS = 5;
const NOTE_EMITS = 2;
/** Plain JSON: requests the page sends before a key is chosen. */
const QUOTES = 5;
const MQTT_TOPIC = 'pairing/qos1';

async function listen(http: Server): Promise<number> {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return (http.address() as AddressInfo).port;
}

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');

  // (a) JSON-RPC, on the test server itself.
  serveJsonRpc(server);

  // (b) Socket.IO: acks both ways (the server's own emit with an ack is a request the page answers).
  sioHttp = createServer();
  io = new SocketIoServer(sioHttp, { transports: ['websocket'], pingTimeout: 600_000 });
  io.on('connection', (socket) => {
    socket.on('work', (n: number, ack: (r: number) => void) => ack(n * 2));
    socket.on('note', () => {});
    socket.on('ready', () => socket.emit('ask', 'why?', (answer: string) => socket.emit('asked', answer)));
  });
  const sioPort = await listen(sioHttp);
  server.page('/lib/socket.io.min.js', readFileSync(resolve('node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8'));
  server.page('/sio', `<!doctype html><title>sio</title><script src="/lib/socket.io.min.js"></script><script>
    window.acks = 0;
    const socket = io('http://127.0.0.1:${sioPort}', { transports: ['websocket'], reconnection: false });
    socket.on('ask', (q, cb) => cb('because'));
    socket.on('asked', () => { window.asked = true; });
    socket.on('connect', () => {
      for (let n = 1; n <= ${WORK_EMITS}; n++) socket.emit('work', n, () => { window.acks++; });
      for (let n = 1; n <= ${NOTE_EMITS}; n++) socket.emit('note', n);
      socket.emit('ready');
    });
  </script>`);

  // (c) graphql-ws: a subscription that yields GREETINGS and completes.
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: { greetings: { type: GraphQLString, subscribe: async function* () { for (const greetings of GREETINGS) yield { greetings }; } } },
    }),
  });
  gqlHttp = createServer();
  gqlWss = new WebSocketServer({ server: gqlHttp, path: '/graphql' });
  useServer({ schema, execute, subscribe }, gqlWss);
  const gqlPort = await listen(gqlHttp);
  server.page('/lib/graphql-ws.min.js', readFileSync(resolve('node_modules/graphql-ws/umd/graphql-ws.min.js'), 'utf8'));
  server.page('/gql', `<!doctype html><title>gql</title><script src="/lib/graphql-ws.min.js"></script><script>
    const client = graphqlWs.createClient({ url: 'ws://127.0.0.1:${gqlPort}/graphql', retryAttempts: 0 });
    const got = [];
    client.subscribe({ query: 'subscription OnGreeting { greetings }' }, {
      next: (v) => got.push(v.data.greetings),
      error: (e) => { window.failed = String(e && (e.message || e.code || e)); },
      complete: () => { window.greetings = got; },
    });
  </script>`);

  // (d) MQTT: aedes, and mqtt.js's browser build.
  broker = await startAedes();
  server.page('/lib/mqtt.min.js', readFileSync(resolve('node_modules/mqtt/dist/mqtt.min.js'), 'utf8'));
  server.page('/mqtt', `<!doctype html><title>mqtt</title><script src="/lib/mqtt.min.js"></script><script>
    const client = mqtt.connect('ws://127.0.0.1:${broker.port}', { protocolVersion: 4, clientId: 'pairing-page', reconnectPeriod: 0, keepalive: 600 });
    client.on('connect', () => client.publish(${JSON.stringify(MQTT_TOPIC)}, 'one', { qos: 1 }, (err) => { window.acked = !err; }));
  </script>`);

  // (e) Plain JSON: the server answers {"rid": n, …} with the same rid.
  server.onSocket('/custom', (s) => {
    s.ws.on('message', (data) => {
      const { rid } = JSON.parse(data.toString()) as { rid: number };
      s.ws.send(JSON.stringify({ rid, price: rid * 10 }));
    });
  });
  server.page('/custom', `<!doctype html><title>custom</title><script>
    window.replies = 0;
    const ws = new WebSocket('ws://' + location.host + '/custom');
    window.quote = (rid) => ws.send(JSON.stringify({ rid, op: 'quote', sym: 'ACME' }));
    ws.onopen = () => { for (let rid = 1; rid <= ${QUOTES}; rid++) quote(rid); };
    ws.onmessage = () => { window.replies++; };
  </script>`);

  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  io?.close();
  await new Promise((r) => sioHttp?.close(r));
  for (const c of gqlWss?.clients ?? []) c.terminate();
  gqlWss?.close();
  gqlHttp?.closeAllConnections();
  await new Promise((r) => gqlHttp?.close(r));
  await broker?.close();
  await server?.close();
});

interface Inspected { page: Page; devtools: Page; panel: Frame }

/** A new tab with DevTools open, at `path`; once `ready` holds in the page, the panel is shown, wide. */
async function inspect(path: string, ready: string): Promise<Inspected> {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}${path}`);
  // polling, not requestAnimationFrame: the page is behind its DevTools window, where frames do not run.
  await page.waitForFunction(ready, { timeout: 60_000, polling: 100 })
    .catch(async (e) => { throw new Error(`the page never got to ${ready} (failed: ${await page.evaluate(() => String((window as unknown as { failed?: unknown }).failed))})`, { cause: e }); });
  const panel = await showPanel(devtools);
  await showWide(devtools, panel);
  return { page, devtools, panel };
}

/** Exports what the filter shows, as a session. */
async function exportShown(panel: Frame): Promise<SessionFileV1> {
  return JSON.parse((await exportFile(panel, chrome.downloads, { onlyFiltered: true })).text) as SessionFileV1;
}

/** Puts `query` in the filter box, waits for `n` frames shown, and exports them. */
async function filteredExport(panel: Frame, query: string, n: number): Promise<SessionFileV1> {
  await setPanelFilter(panel, query);
  await waitForShown(panel, n, `"${query}"`);
  const s = await exportShown(panel);
  expect(s.filtered?.query).toBe(`matching ${query}`);
  return s;
}

/** The Message/Data rows in view, top to bottom, each with its Latency cell's data-ms (null when it has none). */
const latencyCells = (panel: Frame) => panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame')]
  .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
  .map((r) => { const ms = r.querySelector('span.latency')?.getAttribute('data-ms'); return ms === undefined || ms === null || ms === '' ? null : Number(ms); }));

/** `v` is a percentile the panel read from its histogram: no lower than the exact value, at most 2 % above (± rounding). */
function expectPercentile(v: number | null, exact: number): void {
  expect(v).not.toBeNull();
  expect(v!).toBeGreaterThanOrEqual(exact - 1);
  expect(v!).toBeLessThanOrEqual(exact * 1.02 + 1);
}

const percentileOf = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;

describe('Chromium: JSON-RPC calls paired with their results', () => {
  let x: Inspected;
  let full: SessionFileV1;
  let lat: ReturnType<typeof rpcLatencies>;
  const answers = RPC_FRAMES - RPC_CALLS.length;
  const requestLatencies = (method: string) => lat.filter((l) => l.method === method && l.dir === 'sent').map((l) => l.latency!).sort((a, b) => a - b);

  beforeAll(async () => {
    x = await inspect('/rpc', `window.answered === ${answers}`);
    await waitForCounts(x.panel, 1, RPC_FRAMES);
    full = await exportSession(x.panel, chrome.downloads);
    expect(full.frames).toHaveLength(RPC_FRAMES);
    lat = rpcLatencies(full);
    // The server held every slow call SLOW_MS (≥ 300 ms), as the page's own clock saw it.
    for (const l of lat.filter((y) => y.method === 'slow')) expect(l.latency!).toBeGreaterThanOrEqual(300);
  });

  afterAll(async () => {
    // The timeout is a setting every panel of this browser shares: back to the default.
    if (x) { await showView(x.panel, 'Calls').catch(() => {}); await setNoResponseSeconds(x.panel, 10).catch(() => {}); }
    await x?.page.close();
  });

  test('the Calls view has a row per method: counts, errors, first-reply latencies and bytes', async () => {
    await showView(x.panel, 'Calls');
    const slow = await waitForCall(x.panel, 'slow', (r) => r.count === 3 && r.pending === 0 && r.p50 !== null, 'with its 3 calls answered');
    const fast = await waitForCall(x.panel, 'fast', (r) => r.count === 4 && r.pending === 0, 'with its 4 calls answered');
    const broken = await waitForCall(x.panel, 'broken', (r) => r.count === 1 && r.errors === 1, 'with its error');
    const lost = await waitForCall(x.panel, 'lost', (r) => r.count === 1, 'counted');

    expect(slow).toMatchObject({ protocol: 'json-rpc', errors: 0, noResponse: 0 });
    expect(slow.p50!).toBeGreaterThanOrEqual(300);
    expect(slow.max!).toBeGreaterThan(fast.max!);
    // Against the page's own timestamps: the max is exact, the percentiles within the histogram's 2 %.
    const slowLat = requestLatencies('slow');
    const fastLat = requestLatencies('fast');
    expect(Math.abs(slow.max! - slowLat.at(-1)!)).toBeLessThanOrEqual(1);
    expect(Math.abs(fast.max! - fastLat.at(-1)!)).toBeLessThanOrEqual(1);
    expectPercentile(slow.p50, percentileOf(slowLat, 0.5));
    expectPercentile(slow.p95, percentileOf(slowLat, 0.95));
    expectPercentile(fast.p50, percentileOf(fastLat, 0.5));

    expect(fast).toMatchObject({ protocol: 'json-rpc', errors: 0, noResponse: 0, pending: 0 });
    expect(broken).toMatchObject({ protocol: 'json-rpc', noResponse: 0, pending: 0 });
    // Nothing answered `lost`: no latency; waiting, or already past the 10 s default.
    expect(lost).toMatchObject({ protocol: 'json-rpc', errors: 0, p50: null, p95: null, max: null, bytesIn: 0 });
    expect(lost.pending + lost.noResponse).toBe(1);

    // Bytes each way: the requests' sizes out, the answers' in.
    const bytes = (method: string, dir: string) => lat.filter((l) => l.method === method && l.dir === dir).reduce((n, l) => n + l.size, 0);
    for (const r of [slow, fast, broken, lost]) {
      expect(r.bytesOut, `${r.call} bytes out`).toBe(bytes(r.call, 'sent'));
      expect(r.bytesIn, `${r.call} bytes in`).toBe(bytes(r.call, 'received'));
    }

    const counts = await readCallCounts(x.panel);
    expect(counts).toMatchObject({ exchanges: RPC_CALLS.length, untracked: 0, orphans: 0, reused: 0, merged: 0 });
  });

  test('with the timeout at 1 s, the call nobody answered shows as no response', async () => {
    await showView(x.panel, 'Calls');
    // Typed, and committed with Enter, as a user does.
    const box = (await x.panel.waitForSelector('input[aria-label="No response after (s)"]'))!;
    await box.evaluate((e) => (e as HTMLInputElement).select());
    await box.type('1');
    await box.press('Enter');
    const lost = await waitForCall(x.panel, 'lost', (r) => r.noResponse === 1, 'marked no response');
    expect(lost.pending).toBe(0);
    expect(await x.panel.evaluate(() => document.querySelector<HTMLInputElement>('input[aria-label="No response after (s)"]')!.value)).toBe('1');
    // The answered ones are not.
    const rows = await readCallRows(x.panel);
    for (const call of ['slow', 'fast', 'broken']) expect(rows.find((r) => r.call === call), call).toMatchObject({ noResponse: 0, pending: 0 });
  });

  test('filters: latency:>250ms is the slow calls and their results; unanswered and paired:no are the lost call', async () => {
    await showView(x.panel, 'Frames');
    // The frames whose latency, by the page's clock, is over 250 ms: on any machine, every slow call and its result.
    const over = lat.filter((l) => l.latency !== null && l.latency > 250).map((l) => l.text);
    const slowFrames = lat.filter((l) => l.method === 'slow').map((l) => l.text);
    expect(over).toEqual(expect.arrayContaining(slowFrames));
    const shown = await filteredExport(x.panel, 'latency:>250ms', over.length);
    expect(texts(shown)).toEqual(over);
    if (over.length === slowFrames.length) expect(texts(shown)).toEqual(slowFrames);

    // Combined with a text search: one slow call and its result.
    const four = await filteredExport(x.panel, 'latency:>250ms "id":4', 2);
    expect(texts(four)).toEqual(lat.filter((l) => l.text.includes('"id":4,')).map((l) => l.text));

    for (const q of ['unanswered', 'paired:no']) {
      const lost = await filteredExport(x.panel, q, 1);
      expect(texts(lost)).toEqual([rpcRequest('lost', 6)]);
    }
    await setPanelFilter(x.panel, '');
  });

  test('"Show frames of slow" filters the frames to that call and shows them, each with its latency', async () => {
    await showView(x.panel, 'Calls');
    await clickNamed(x.panel, 'Show frames of slow');
    await pollUntil(() => selectedView(x.panel), (v) => v === 'Frames', 'the Frames view');
    expect(await filterText(x.panel)).toBe('call:slow');
    await waitForShown(x.panel, 6, 'call:slow');
    const shown = await exportShown(x.panel);
    expect(texts(shown)).toEqual(lat.filter((l) => l.method === 'slow').map((l) => l.text));
    // Six rows: all in view. Each, request or result, carries the exchange's latency.
    const cells = await pollUntil(() => latencyCells(x.panel), (c) => c.length === 6 && c.every((v) => v !== null), 'six rows with a Latency cell');
    const expected = lat.filter((l) => l.method === 'slow').map((l) => l.latency!);
    cells.forEach((ms, i) => expect(Math.abs(ms! - expected[i]!), `row ${i}: ${ms} ms, expected ${expected[i]}`).toBeLessThanOrEqual(1));
    await setPanelFilter(x.panel, '');
  });

  test('a selected slow call shows its pair and latency; "Go to response" and "Go to request" move between them', async () => {
    await showView(x.panel, 'Frames');
    await setPanelFilter(x.panel, 'call:slow "id":4');
    await waitForShown(x.panel, 2, 'call:slow "id":4');
    const exact = lat.find((l) => l.text === rpcRequest('slow', 4))!.latency!;
    // The request is the first row: it was captured first.
    await x.panel.waitForFunction(() => document.querySelectorAll('.frame-canvas .row.frame').length === 2, { timeout: 60_000, polling: 100 });
    await x.panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame')]
      .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))[0]!
      .dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    const req = await pollUntil(() => readDetail(x.panel), (d) => d.head.includes('↑ sent') && d.pair !== null, 'the request selected, with its pair detail');
    const shownLatency = [...req.pair!.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(ms|s)\b/g)].map((m) => latencyInText(m[0])!);
    expect(shownLatency.some((ms) => ms >= 300), `pair detail "${req.pair}"`).toBe(true);
    expect(shownLatency.some((ms) => Math.abs(ms - exact) <= exact * 0.02 + 1), `pair detail "${req.pair}" against ${exact} ms`).toBe(true);

    await clickNamed(x.panel, 'Go to response');
    const res = await pollUntil(() => readDetail(x.panel), (d) => d.head.includes('↓ received') && d.text.includes('slow 4 done'), 'the result selected');
    expect(res.pair).not.toBeNull();
    await clickNamed(x.panel, 'Go to request');
    await pollUntil(() => readDetail(x.panel), (d) => d.head.includes('↑ sent') && d.pair !== null, 'the request selected again');
    await setPanelFilter(x.panel, '');
  });

  test('"Copy CSV" copies the Calls table as CSV, the same numbers as the rows', async () => {
    // The panel's frame may not read the clipboard (DevTools' permissions policy); a page of ours may.
    const reader = await chrome.browser.newPage();
    await reader.goto(`${server.origin}/blank`);
    const cdp = await chrome.browser.target().createCDPSession();
    await cdp.send('Browser.grantPermissions', { origin: server.origin, permissions: ['clipboardReadWrite'] });
    await x.devtools.bringToFront();
    await showView(x.panel, 'Calls');
    const rows = await readCallRows(x.panel);
    await clickNamed(x.panel, 'Copy CSV');
    await reader.bringToFront();
    const csv = await pollUntil(() => reader.evaluate(() => navigator.clipboard.readText()).catch(() => ''), (t) => t.includes('slow'), 'the CSV on the clipboard');
    await x.devtools.bringToFront();
    await reader.close();

    const lines = csv.split(/\r?\n/).filter((l) => l !== '');
    const head = lines[0]!.split(',');
    for (const col of ['call', 'protocol', 'count', 'errors', 'no_response', 'p50_ms', 'p95_ms', 'max_ms', 'bytes_out', 'bytes_in']) expect(head, 'CSV header').toContain(col);
    expect(lines).toHaveLength(1 + rows.length);
    const cell = (v: number | null) => (v === null ? '' : String(Math.round(v)));
    for (const r of rows) {
      const line = lines.find((l) => l.startsWith(`${r.call},`));
      expect(line, `a CSV line for ${r.call}`).toBeDefined();
      const cols = line!.split(',');
      const at = (name: string) => cols[head.indexOf(name)];
      expect(at('protocol')).toBe(r.protocol);
      expect(at('count')).toBe(String(r.count));
      expect(at('errors')).toBe(String(r.errors));
      expect(at('no_response')).toBe(String(r.noResponse));
      expect(at('p50_ms')).toBe(cell(r.p50));
      expect(at('max_ms')).toBe(cell(r.max));
      expect(at('bytes_out')).toBe(String(r.bytesOut));
    }
  });
});

describe('Chromium: Socket.IO acknowledgements paired with their emits', () => {
  let x: Inspected;
  beforeAll(async () => { x = await inspect('/sio', `window.acks === ${WORK_EMITS} && window.asked === true`); });
  afterAll(async () => { await x?.page.close(); });

  test('one row per acknowledged event, every emit answered; emits without an ack are no calls', async () => {
    await showView(x.panel, 'Calls');
    const work = await waitForCall(x.panel, 'work', (r) => r.count === WORK_EMITS && r.pending === 0, `with its ${WORK_EMITS} emits answered`);
    expect(work).toMatchObject({ protocol: 'socket.io', errors: 0, noResponse: 0 });
    expect(work.p50).not.toBeNull();
    // The server's emit with an ack, which the page answered.
    const ask = await waitForCall(x.panel, 'ask', (r) => r.count === 1 && r.pending === 0, 'answered by the page');
    expect(ask).toMatchObject({ protocol: 'socket.io', noResponse: 0 });
    // Joining the namespace is a request too, answered by the server's CONNECT.
    await waitForCall(x.panel, 'connect /', (r) => r.count === 1 && r.pending === 0, 'answered');
    const calls = (await readCallRows(x.panel)).map((r) => r.call);
    expect(calls).not.toContain('note');
    expect(calls).not.toContain('ready');
  });

  test('paired:yes call:work shows each emit and its ack', async () => {
    await showView(x.panel, 'Frames');
    await setPanelFilter(x.panel, 'paired:yes call:work');
    await waitForShown(x.panel, 2 * WORK_EMITS, 'paired:yes call:work');
    const s = await exportShown(x.panel);
    const sent = s.frames.filter((f) => f.direction === 'sent').map((f) => f.text!);
    const received = s.frames.filter((f) => f.direction === 'received').map((f) => f.text!);
    expect(sent.map((t) => t.replace(/^42(\d+)/, '42#'))).toEqual(Array.from({ length: WORK_EMITS }, (_, i) => `42#["work",${i + 1}]`));
    expect(received.map((t) => t.replace(/^43(\d+)/, '43#'))).toEqual(Array.from({ length: WORK_EMITS }, (_, i) => `43#[${2 * (i + 1)}]`));
    await setPanelFilter(x.panel, '');
  });
});

describe('Chromium: a graphql-ws subscription is one call with many replies', () => {
  let x: Inspected;
  beforeAll(async () => {
    x = await inspect('/gql', `Array.isArray(window.greetings) && window.greetings.length === ${GREETINGS.length}`);
    // connection_init, connection_ack, subscribe, the nexts and complete.
    await waitForCounts(x.panel, 1, GREETINGS.length + 4);
  });
  afterAll(async () => { await x?.page.close(); });

  test('the Calls view counts the subscription once, answered', async () => {
    await showView(x.panel, 'Calls');
    const op = await waitForCall(x.panel, 'OnGreeting', (r) => r.count === 1 && r.pending === 0, 'counted once and answered');
    expect(op).toMatchObject({ errors: 0, noResponse: 0 });
    expect(op.p50).not.toBeNull();
    expect(op.protocol).toMatch(/graphql/);
    await waitForCall(x.panel, 'connection_init', (r) => r.count === 1 && r.pending === 0, 'answered by connection_ack');
  });

  test('paired:yes call:OnGreeting is the subscribe, every next and the complete', async () => {
    await showView(x.panel, 'Frames');
    const s = await filteredExport(x.panel, 'paired:yes call:OnGreeting', GREETINGS.length + 2);
    const msgs = s.frames.map((f) => ({ dir: f.direction, ...(JSON.parse(f.text!) as { type: string; id?: string; payload?: { data?: { greetings?: string } } }) }));
    expect(msgs.map((m) => `${m.dir} ${m.type}`)).toEqual(['sent subscribe', ...GREETINGS.map(() => 'received next'), 'received complete']);
    expect(new Set(msgs.map((m) => m.id)).size).toBe(1);
    expect(msgs.slice(1, -1).map((m) => m.payload?.data?.greetings)).toEqual(GREETINGS);
    await setPanelFilter(x.panel, '');
  });
});

describe('Chromium: an MQTT QoS 1 publish paired with its PUBACK', () => {
  let x: Inspected;
  const call = `PUBLISH ${MQTT_TOPIC}`;
  beforeAll(async () => {
    x = await inspect('/mqtt', 'window.acked === true');
    // The connection is decoded as MQTT once the panel knows its subprotocol.
    await x.panel.waitForFunction(() => /: Auto: MQTT\b/.test(document.querySelector('button[aria-label^="Protocol decoder for"]')?.getAttribute('aria-label') ?? ''), { timeout: 60_000, polling: 100 });
  });
  afterAll(async () => { await x?.page.close(); });

  test(`the Calls view has "${call}", answered, with a latency`, async () => {
    await showView(x.panel, 'Calls');
    const pub = await waitForCall(x.panel, call, (r) => r.count >= 1 && r.pending === 0 && r.p50 !== null, 'answered');
    expect(pub).toMatchObject({ protocol: 'mqtt', errors: 0, noResponse: 0 });
    expect(pub.bytesOut).toBeGreaterThan(0);
    expect(pub.bytesIn).toBeGreaterThan(0);
    await waitForCall(x.panel, 'CONNECT', (r) => r.count === 1 && r.pending === 0, 'answered by CONNACK');
  });

  test('"Show frames of" a call with a space in its name filters with a quoted call: term', async () => {
    await clickNamed(x.panel, `Show frames of ${call}`);
    await pollUntil(() => selectedView(x.panel), (v) => v === 'Frames', 'the Frames view');
    expect(await filterText(x.panel)).toBe(`call:${JSON.stringify(call)}`);
    await waitForShown(x.panel, 2, call);
    const s = await exportShown(x.panel);
    const [pub, ack] = s.frames;
    expect(s.frames.map((f) => `${f.direction} ${f.type}`)).toEqual(['sent binary', 'received binary']);
    // Up: the PUBLISH, QoS 1 (0x32), whose packet id follows the topic.
    const publish = Buffer.from(pub!.base64!, 'base64');
    expect(publish[0]).toBe(0x32);
    const topicEnd = 4 + publish.readUInt16BE(2);
    expect(publish.subarray(4, topicEnd).toString()).toBe(MQTT_TOPIC);
    const packetId = publish.subarray(topicEnd, topicEnd + 2);
    // Down: the frame that completes its PUBACK (0x40 0x02 <id>). aedes writes a packet's header and
    // its id as two writes, so over WebSocket they may be two frames: the one that completes the
    // packet is the reply; the received frames just before it hold the packet's start.
    const all = await exportSession(x.panel, chrome.downloads);
    const received = all.frames.filter((f) => f.direction === 'received');
    const at = received.findIndex((f) => f.at === ack!.at && f.base64 === ack!.base64);
    expect(at).toBeGreaterThanOrEqual(0);
    let packet = Buffer.from(ack!.base64!, 'base64');
    for (let i = at - 1; i >= 0 && packet.length < 4; i--) packet = Buffer.concat([Buffer.from(received[i]!.base64!, 'base64'), packet]);
    expect(packet.toString('hex')).toBe(`4002${packetId.toString('hex')}`);
    await setPanelFilter(x.panel, '');
  });
});

describe('Chromium: plain JSON paired by the key the panel suggests', () => {
  let x: Inspected;
  beforeAll(async () => {
    x = await inspect('/custom', `window.replies === ${QUOTES}`);
    await waitForCounts(x.panel, 1, 2 * QUOTES);
  });
  afterAll(async () => {
    // The key is a setting every panel of this browser shares: none again.
    if (x) await pairJsonByKey(x.panel, '').catch(() => {});
    await x?.page.close();
  });

  test('before a key is chosen nothing pairs, and "rid" is suggested', async () => {
    await showView(x.panel, 'Calls');
    expect(await readCallRows(x.panel)).toEqual([]);
    expect((await readCallCounts(x.panel))?.exchanges).toBe(0);
    await x.panel.waitForSelector('[data-suggestion="rid"]', { timeout: 60_000 });
    await showView(x.panel, 'Frames');
    await setPanelFilter(x.panel, 'paired:yes');
    await waitForShown(x.panel, 0, 'paired:yes');
    await setPanelFilter(x.panel, '');
  });

  test('a key path that is no good is refused with an error, and pairs nothing', async () => {
    await showView(x.panel, 'Calls');
    await pairJsonByKey(x.panel, 'a.b.c.d');
    await pollUntil(() => x.panel.evaluate(() => (document.querySelector('[data-testid=pair-key-error]') as HTMLElement | null)?.innerText.trim() ?? ''), (t) => t !== '', 'the key error');
    expect(await readCallRows(x.panel)).toEqual([]);
  });

  test('clicking the suggestion pairs every request with its reply, and new frames pair as they come', async () => {
    await showView(x.panel, 'Calls');
    await x.panel.evaluate(() => document.querySelector<HTMLElement>('[data-suggestion="rid"]')!.click());
    const quote = await waitForCall(x.panel, 'quote', (r) => r.count === QUOTES && r.pending === 0, `with its ${QUOTES} requests answered`);
    expect(quote).toMatchObject({ protocol: 'json', errors: 0, noResponse: 0 });
    expect(quote.p50).not.toBeNull();

    await showView(x.panel, 'Frames');
    const all = await exportSession(x.panel, chrome.downloads);
    expect(all.frames).toHaveLength(2 * QUOTES);
    const paired = await filteredExport(x.panel, 'paired:yes', 2 * QUOTES);
    expect(texts(paired)).toEqual(texts(all));
    await setPanelFilter(x.panel, '');

    // One more request and its reply, after the key was chosen.
    await x.page.evaluate(() => (window as unknown as { quote(n: number): void }).quote(99));
    await waitForCounts(x.panel, 1, 2 * QUOTES + 2);
    await showView(x.panel, 'Calls');
    await waitForCall(x.panel, 'quote', (r) => r.count === QUOTES + 1 && r.pending === 0, 'with the new request answered');
  });
});
