/**
 * What the page and the bench worker both run: sockets, the 100 B text frames and the bounded
 * round trips. Nothing here names window or document, so a worker runs it unchanged.
 */
const ROUND_TRIPS = `
const now = () => performance.timeOrigin + performance.now();
const url = (path) => 'ws://' + location.host + path;
const opened = (path) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url(path));
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => resolve(ws);
  ws.onerror = () => reject(new Error('socket error on ' + path));
});
// 100 B text frames: seq kept at 7 digits so every frame is exactly 100 bytes.
const PAD76 = 'x'.repeat(76);
const text100 = (i) => '{"seq":' + (1000000 + (i % 1000000)) + ',"pad":"' + PAD76 + '"}';
const randomBytes = (size) => {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(size, i + 65536)));
  return b;
};

/**
 * Round trips with a bounded window: \`win\` frames in flight, one more sent per echo received.
 * Resolves with the time from the first send to the last echo.
 */
async function roundTrips(n, win, make) {
  const ws = await opened('/echo');
  return new Promise((resolve) => {
    let sent = 0, received = 0;
    const t0 = performance.now();
    ws.onmessage = () => {
      received++;
      if (sent < n) ws.send(make(sent++));
      if (received === n) { const ms = performance.now() - t0; ws.close(); resolve({ ms, n }); }
    };
    while (sent < Math.min(win, n)) ws.send(make(sent++));
  });
}
`;

/**
 * The page every run loads: plain script, no framework, so the page's own work is the same in
 * every condition. Each workload opens its own socket and resolves with what it measured.
 * Times are epoch ms with a fraction (performance.timeOrigin + performance.now()), as the hook's.
 */
export const BENCH_PAGE = `<!doctype html><meta charset="utf-8"><title>sockscope bench</title><script>
${ROUND_TRIPS}

window.bench = {
  /**
   * The same text round trips, from inside a dedicated worker or a SharedWorker (bench-worker.js),
   * after a warm-up there. A fresh SharedWorker name each time: a new instance per run.
   */
  workerText(kind, n, win, warm) {
    return new Promise((resolve, reject) => {
      const w = kind === 'shared' ? new SharedWorker('/bench-worker.js', { name: 'bench-' + now() }) : new Worker('/bench-worker.js');
      const port = kind === 'shared' ? w.port : w;
      w.onerror = () => reject(new Error('the bench worker failed'));
      port.onmessage = (e) => { if (kind !== 'shared') w.terminate(); resolve(e.data); };
      port.postMessage({ n, win, warm });
    });
  },

  text: (n, win) => roundTrips(n, win, text100),
  binary: (n, size, win) => { const buf = randomBytes(size); return roundTrips(n, win, () => buf); },

  /** The one big frame: made and connected first (untimed), then sent and echoed by bigRoundTrip. */
  async prepareBig(size) { window.big = { buf: randomBytes(size), ws: await opened('/echo') }; },
  bigRoundTrip: () => new Promise((resolve) => {
    const { buf, ws } = window.big;
    const t0 = performance.now();
    ws.onmessage = (e) => { const ms = performance.now() - t0; ws.close(); window.big = null; resolve({ ms, bytes: e.data.byteLength }); };
    ws.send(buf);
  }),

  /**
   * Server push at \`rate\`/s. Records the page's receipt time of every frame on the socket, in
   * order (the sent "start" command counts: the panel counts it too), for the latency figure, and
   * the server's send time that each data frame carries (NaN for the others).
   */
  async push(rate, seconds) {
    const ws = await opened('/push');
    return new Promise((resolve) => {
      const at = [], kind = [], sentAt = [];
      ws.onmessage = (e) => {
        at.push(now());
        if (e.data.startsWith('done')) { kind.push('done'); sentAt.push(NaN); ws.close(); resolve({ at, kind, sentAt }); }
        else {
          kind.push('data');
          const i = e.data.indexOf('"sentAt":') + 9;
          sentAt.push(+e.data.slice(i, e.data.indexOf(',', i)));
        }
      };
      at.push(now()); kind.push('start'); sentAt.push(NaN);
      ws.send('start ' + rate + ' ' + seconds);
    });
  },

  /**
   * Sends \`total\` frames to a sink as fast as the page can, in chunks, pausing while more than
   * 8 MB wait in the socket's buffer. Resolves with the first and the last send() call, and when
   * the socket's buffer had drained (the hook captures a frame at send(), before it is on the wire). mixed: 4 of 5 frames are 100 B JSON, every 5th is JSON of
   * 1,000–10,000 B (64 sizes spread evenly); otherwise all are 100 B.
   *
   * rpcEvery > 0: about 1 in \`rpcEvery\` of the \`total\` frames is JSON-RPC 2.0 on a second
   * socket (/rpc), each of those 100 B too, until 85% of the total is counted (so that the
   * requests never answered are past the panel's *no response* timeout soon after the feed).
   * With each chunk the page asks the server (a notification, "more") for that chunk's share of
   * requests; the server calls methods m00–m63 of the page, and the page answers request i:
   * never when i % 101 == 50 (lost), else after 300 ms when i % 19 == 7 (slow), else at once,
   * with a JSON-RPC error when i % 53 == 3. The server calls and the page answers, so that both
   * ends of a latency are the hook's stamps on the page's main thread, and an answer at once is
   * not held up behind a 5,000-frame send chunk. Every frame the panel will count (ticks,
   * notifications, requests, answers) is counted when it is asked for, so the total is exact.
   * The last 15% (ticks only) waits until every answer is sent, so the feed ends as it always did.
   */
  async feed(total, mixed, rpcEvery = 0) {
    const ws = await opened('/sink');
    const rpc = rpcEvery > 0 ? await opened('/rpc') : null;
    const pads = [];
    for (let i = 0; i < 64; i++) pads.push('b'.repeat(1000 - 37 + Math.floor(i * 9000 / 63)));
    const smallPads = [];
    for (let d = 1; d <= 7; d++) smallPads.push('y'.repeat(100 - 39 - d));
    const small = (n) => '{"seq":' + n + ',"kind":"tick","v":"' + (n % 7 === 0 ? 'odd' : 'eve') + '","p":"' + smallPads[String(n).length - 1] + '"}';
    const big = (n) => '{"seq":' + n + ',"kind":"big","pad":"' + pads[(n / 5 | 0) % 64] + '"}';
    // JSON-RPC ids are 1000000 + i (7 digits), so that every frame is exactly 100 B.
    const ID = '{"jsonrpc":"2.0","id":';
    const RESULT = ',"result":{"p":"' + 'r'.repeat(100 - 48) + '"}}';
    const ERROR = ',"error":{"code":-32000,"message":"' + 'e'.repeat(100 - 67) + '"}}';
    const answer = (id, error) => ID + id + (error ? ERROR : RESULT);
    const more = (from, k) => { const m = '{"jsonrpc":"2.0","method":"more","params":{"from":' + from + ',"n":' + k + ',"p":"'; return m + 'm'.repeat(100 - m.length - 3) + '"}}'; };
    const lost = (i) => i % 101 === 50, slow = (i) => !lost(i) && i % 19 === 7, fails = (i) => !lost(i) && !slow(i) && i % 53 === 3;
    const rpcStats = { requests: 0, lost: 0, slow: 0, errors: 0, lastRequestAt: 0 };
    let toReceive = 0, toAnswer = 0, lastAnswer = 0;
    if (rpc) {
      rpc.onmessage = (e) => {
        rpcStats.lastRequestAt = now();
        toReceive--;
        const id = +e.data.slice(22, 29), i = id - 1000000;
        if (lost(i)) return;
        if (slow(i)) { setTimeout(() => { rpc.send(answer(id, false)); lastAnswer = now(); toAnswer--; }, 300); return; }
        rpc.send(answer(id, fails(i)));
        lastAnswer = now();
        toAnswer--;
      };
    }
    const rpcUntil = Math.floor(total * 0.85);
    const perChunk = rpc ? Math.max(1, Math.floor(5000 / rpcEvery / 2)) : 0;
    return new Promise((resolve) => {
      // n: ticks sent (their seq); counted: frames the panel will count, the RPC ones when asked for.
      let n = 0, counted = 0, nextI = 0;
      const t0 = now();
      const chunk = () => {
        if (ws.bufferedAmount > 8e6 || (rpc && rpc.bufferedAmount > 8e6)) { setTimeout(chunk, 1); return; }
        // The calls are over: the rest (plain frames only) waits for every answer, so that the feed ends with its plain frames.
        if (rpc && counted >= rpcUntil && (toReceive > 0 || toAnswer > 0)) { setTimeout(chunk, 5); return; }
        const end = Math.min(counted + 5000, counted < rpcUntil ? rpcUntil : total);
        if (rpc && counted < rpcUntil) {
          const k = Math.min(perChunk, Math.floor((total - counted - 1) / 2));
          if (k > 0) {
            let answered = 0;
            for (let i = nextI; i < nextI + k; i++) {
              if (lost(i)) rpcStats.lost++; else answered++;
              if (slow(i)) rpcStats.slow++;
              if (fails(i)) rpcStats.errors++;
            }
            rpc.send(more(1000000 + nextI, k));
            counted += 1 + k + answered;
            toReceive += k;
            toAnswer += answered;
            rpcStats.requests += k;
            nextI += k;
          }
        }
        for (; counted < end; n++, counted++) ws.send(mixed && n % 5 === 4 ? big(n) : small(n));
        if (counted < total) { setTimeout(chunk, 0); return; }
        const lastTick = now();
        const drained = () => {
          if (ws.bufferedAmount > 0 || toReceive > 0 || toAnswer > 0 || (rpc && rpc.bufferedAmount > 0)) { setTimeout(drained, 5); return; }
          resolve({ t0, lastSend: Math.max(lastTick, lastAnswer), drained: now(), ticks: n, rpc: rpc ? rpcStats : null });
        };
        drained();
      };
      chunk();
    });
  },
};
</script><p>sockscope bench page</p>`;

/** The worker both kinds run: the page's round trips, measured inside the worker. */
export const BENCH_WORKER = `${ROUND_TRIPS}
const go = async ({ n, win, warm }) => { await roundTrips(warm, win, text100); return roundTrips(n, win, text100); };
onmessage = async (e) => postMessage(await go(e.data));
onconnect = (c) => { const p = c.ports[0]; p.onmessage = async (e) => p.postMessage(await go(e.data)); };
`;
