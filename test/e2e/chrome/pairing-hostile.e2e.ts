/**
 * Chromium, real DevTools panel: request/response pairing against hostile traffic (issue 20).
 * The panel is open on the Calls view while a page:
 * - floods one socket with 12,000 JSON-RPC requests nobody answers: the pending table keeps
 *   PAIR_PENDING_MAX (10,000) per connection and counts the rest as untracked;
 * - on another socket, gets a reply before its request, a reply to nothing, an id used twice
 *   before its reply, ids of every JSON type (null, booleans, 1.5 and "1.5", {}, [], huge and
 *   unrepresentable numbers, "", "__proto__", "toString", …), method names that are Object
 *   builtins or markup, and a "__proto__" key in params;
 * - on a third, calls 1,050 distinct methods: past CALLS_MAX (1,000) calls the rest are counted
 *   together under "(other calls)".
 * The panel must keep working: counts update, the Calls view renders, filters answer, and a call
 * made afterwards is still paired. Every wait is on a condition; the servers record what they got.
 */
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CALLS_MAX, PAIR_PENDING_MAX } from '../../../src/protocol/limits';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter, waitForCounts } from '../../support/panel';
import {
  pollUntil, readCallCounts, readCallRows, setNoResponseSeconds, showView, waitForCall, waitForCallCounts,
} from '../../support/pairing';
import { startTestServer, type ServerSocket, type TestServer } from '../../support/test-server';

const FLOOD = 12_000;
const MANY = 1_050;
/** Ids of every JSON type, as raw JSON text: the server answers each with the same text. */
const ODD_IDS = [
  'null', 'true', 'false', '1.5', '"1.5"', '{}', '[]', '[1,2]', '{"a":{"b":1}}', '-0', '""', '123456789012345678901234567890',
  '9007199254740993', '1e400', '"__proto__"', '"toString"', '"constructor"', '"hasOwnProperty"', '"\\u0000"', '"𝄞"',
];
/** Method names that are Object builtins or markup; each is called once with a plain id and answered. */
const ODD_METHODS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>'];
/** Every call name the flood and the odd socket make, before the many distinct ones: the Calls view keeps them all apart. */
const FIRST_CALLS = new Set(['never', 'hello', 'x', 'odd', ...ODD_METHODS, 'proto', 'dup', 'end']);

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let devtools: Page;
let panel: Frame;
const dialogs: string[] = [];
/** Messages each server socket sent, by path. */
const sent = new Map<string, number>();
const socketOf = (path: string) => server.sockets.find((s) => s.path === path);
const sendFrom = (s: ServerSocket, text: string) => { sent.set(s.path, (sent.get(s.path) ?? 0) + 1); s.ws.send(text); };
/** Frames on a path's socket, both ways, as its server saw them. */
const framesOn = (path: string) => (socketOf(path)?.received.length ?? 0) + (sent.get(path) ?? 0);

beforeAll(async () => {
  server = await startTestServer();
  // Never answers.
  server.onSocket('/flood', () => {});
  server.onSocket('/odd', (s) => {
    const dups = new Set<string>();
    s.ws.on('message', (data) => {
      const text = data.toString();
      const m = /"method":("(?:[^"\\]|\\.)*"),(?:"params":.*,)?"id":(.*)\}$/.exec(text);
      if (!m) return;
      const method = JSON.parse(m[1]!) as string;
      const rawId = m[2]!;
      const answer = (result: string) => sendFrom(s, `{"jsonrpc":"2.0","result":${JSON.stringify(result)},"id":${rawId}}`);
      if (method === 'hello') {
        answer('hi');
        // A result before its request: the page sends the request when it sees this.
        sendFrom(s, '{"jsonrpc":"2.0","result":"too soon","id":"early"}');
      } else if (method === 'x') {
        // The request that came after its result: never answered again.
      } else if (method === 'dup') {
        if (!dups.has(rawId)) { dups.add(rawId); answer('once'); }
      } else if (method === 'end') {
        answer('done');
        // A result nobody asked for.
        sendFrom(s, '{"jsonrpc":"2.0","result":"boo","id":"ghost"}');
      } else {
        answer('ok');
      }
    });
  });
  server.onSocket('/many', (s) => {
    s.ws.on('message', (data) => {
      const { id } = JSON.parse(data.toString()) as { id: number };
      sendFrom(s, JSON.stringify({ jsonrpc: '2.0', result: id, id }));
    });
  });
  server.page('/hostile', `<!doctype html><title>hostile</title><script>
    const open = (path) => new Promise((resolve) => { const ws = new WebSocket('ws://' + location.host + path); ws.onopen = () => resolve(ws); });
    window.flood = async () => {
      const ws = await open('/flood');
      for (let i = 0; i < ${FLOOD}; i++) ws.send('{"jsonrpc":"2.0","method":"never","id":' + i + '}');
    };
    window.odd = async () => {
      const ws = await open('/odd');
      window.oddWs = ws;
      const call = (method, rawId, params) => ws.send('{"jsonrpc":"2.0","method":' + JSON.stringify(method) + ',' + (params ? '"params":' + params + ',' : '') + '"id":' + rawId + '}');
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.id === 'early') {
          call('x', '"early"');
          for (const id of ${JSON.stringify(ODD_IDS)}) call('odd', id);
          ${JSON.stringify(ODD_METHODS)}.forEach((method, i) => call(method, 100 + i));
          call('proto', 200, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
          // The same id twice before its reply: the first is given up as reused.
          call('dup', '"d"');
          call('dup', '"d"');
          call('end', 999);
        }
        if (m.id === 'ghost') window.oddDone = true;
      };
      call('hello', 0);
    };
    window.many = async () => {
      const ws = await open('/many');
      let answered = 0;
      ws.onmessage = () => { if (++answered === ${MANY}) window.manyDone = true; };
      for (let i = 0; i < ${MANY}; i++) ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'm' + i, id: i }));
    };
    window.alive = () => window.oddWs.send('{"jsonrpc":"2.0","method":"alive","id":"last"}');
  </script>`);

  chrome = await launchChrome({ devtools: true });
  ({ page, devtools } = await newInspectedPage(chrome.browser));
  devtools.on('dialog', (d) => { dialogs.push(`devtools: ${d.message()}`); void d.dismiss(); });
  page.on('dialog', (d) => { dialogs.push(`page: ${d.message()}`); void d.dismiss(); });
  await page.goto(`${server.origin}/hostile`);
  panel = await showPanel(devtools);
  // As wide as showWide makes it (which waits for a connection's columns; there is none yet).
  await devtools.setViewport({ width: 1400, height: 800 });
  // The Calls view is what shows while the traffic comes in, with a short timeout.
  await showView(panel, 'Calls');
  await setNoResponseSeconds(panel, 1);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const hostileFrames = () => framesOn('/flood') + framesOn('/odd') + framesOn('/many');

describe('Chromium: pairing under hostile traffic', () => {
  test(`${FLOOD} requests nobody answers: ${PAIR_PENDING_MAX} wait, the rest are counted as untracked`, async () => {
    await page.evaluate(() => (window as unknown as { flood(): Promise<void> }).flood());
    await server.waitFor(() => (socketOf('/flood')?.received.length ?? 0) === FLOOD, `the server to receive ${FLOOD} requests`);
    const counts = await waitForCallCounts(panel, (c) => c.untracked === FLOOD - PAIR_PENDING_MAX, `${FLOOD - PAIR_PENDING_MAX} untracked`);
    expect(counts.exchanges).toBe(FLOOD);
    // The timeout (1 s) marks every request still waited for. One that timed out before the table
    // dropped it stays counted as no response (the flood may take longer than the timeout to reach
    // the panel); the others the table dropped are untracked: none is left waiting.
    const never = await waitForCall(panel, 'never', (r) => r.count === FLOOD && r.pending === 0, 'with none left waiting');
    expect(never).toMatchObject({ protocol: 'json-rpc', p50: null, max: null, bytesIn: 0 });
    expect(never.noResponse + never.untracked).toBe(FLOOD);
    expect(never.noResponse).toBeGreaterThanOrEqual(PAIR_PENDING_MAX);
    await showView(panel, 'Frames');
    await waitForCounts(panel, 1, FLOOD);
    await showView(panel, 'Calls');
  });

  test('early, orphan, reused and odd ids, and hostile method names, break nothing', async () => {
    await page.evaluate(() => (window as unknown as { odd(): Promise<void> }).odd());
    await page.waitForFunction(() => (window as unknown as { oddDone?: boolean }).oddDone === true, { timeout: 60_000, polling: 100 });
    const counts = await waitForCallCounts(panel, (c) => c.reused >= 1 && c.orphans >= 2, 'a reused id and two orphan replies');
    expect(counts.untracked).toBe(FLOOD - PAIR_PENDING_MAX);
    expect(counts.merged).toBe(0);

    // The id used twice: the first request is given up (no response), the second gets the reply.
    await waitForCall(panel, 'dup', (r) => r.count === 2 && r.noResponse === 1 && r.pending === 0, 'with one reused and one answered');
    // The request whose result came first: its result is an orphan, it waits, then times out.
    await waitForCall(panel, 'x', (r) => r.count === 1 && r.noResponse === 1, 'timed out');
    // Every odd id that is an id at all is answered: none waits.
    const odd = await waitForCall(panel, 'odd', (r) => r.count >= 1 && r.pending === 0 && r.noResponse === 0, 'answered');
    expect(odd.count).toBeLessThanOrEqual(ODD_IDS.length);
    expect(odd.count).toBeGreaterThanOrEqual(10); // at least the strings and the finite numbers
    for (const method of [...ODD_METHODS, 'proto', 'hello', 'end']) {
      await waitForCall(panel, method, (r) => r.count === 1 && r.pending === 0 && r.noResponse === 0, 'answered');
    }
    // The markup is a name, shown as text: nothing ran.
    expect(dialogs).toEqual([]);
    expect(await panel.evaluate(() => document.querySelectorAll('section[aria-label=Calls] img, section[aria-label=Calls] svg[onload]').length)).toBe(0);

    await showView(panel, 'Frames');
    await waitForCounts(panel, 2, FLOOD + framesOn('/odd'));
    await showView(panel, 'Calls');
  });

  test(`${MANY} distinct methods: ${CALLS_MAX} calls are kept apart, the rest counted under "(other calls)"`, async () => {
    await page.evaluate(() => (window as unknown as { many(): Promise<void> }).many());
    await page.waitForFunction(() => (window as unknown as { manyDone?: boolean }).manyDone === true, { timeout: 60_000, polling: 100 });
    const merged = FIRST_CALLS.size + MANY - CALLS_MAX;
    const counts = await waitForCallCounts(panel, (c) => c.merged === merged, `${merged} requests merged`);
    expect(counts.untracked).toBe(FLOOD - PAIR_PENDING_MAX);
    // Their answers count under the same row: none waits, none timed out.
    await waitForCall(panel, '(other calls)', (r) => r.count === merged && r.pending === 0 && r.noResponse === 0, `counting ${merged}, all answered`);
  });

  test('the panel lives: counts, filters and the Calls view answer, and a new call still pairs', async () => {
    await showView(panel, 'Frames');
    await waitForCounts(panel, 3, hostileFrames());
    // "unanswered" finds every request the Calls view counts as no response: the flood's, the one
    // after its result, and the reused one. Read together (the filter's counts line stays above the
    // Calls view), until the flood's last requests have timed out.
    await showView(panel, 'Calls');
    await setPanelFilter(panel, 'unanswered');
    await pollUntil(
      () => panel.evaluate(() => {
        const never = (document.querySelector('tr[data-call="never"]') as HTMLElement | null)?.dataset;
        return {
          shown: Number(/^(\d+) of/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '')?.[1]),
          noResponse: Number(never?.noResponse),
          pending: Number(never?.pending),
          untracked: Number(never?.untracked),
          // For the message, should it time out.
          view: [...document.querySelectorAll('[role=tab][aria-selected=true]')].map((t) => t.getAttribute('aria-label') ?? t.textContent).join(),
        };
      }),
      (r) => r.noResponse + r.untracked === FLOOD && r.pending === 0 && r.noResponse >= PAIR_PENDING_MAX && r.shown === r.noResponse + 2,
      '"unanswered" to show the requests marked no response',
    );
    await setPanelFilter(panel, '');
    const before = (await readCallCounts(panel))!;
    expect((await readCallRows(panel)).length).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as { alive(): void }).alive());
    await server.waitFor(() => framesOn('/odd') > 0 && socketOf('/odd')!.received.some((r) => r.data.toString().includes('"alive"')), 'the last call');
    const after = await waitForCallCounts(panel, (c) => c.exchanges === before.exchanges + 1, 'one more exchange');
    expect(after.untracked).toBe(before.untracked);
    await showView(panel, 'Frames');
    await waitForCounts(panel, 3, hostileFrames());
    expect(dialogs).toEqual([]);
  });
});
