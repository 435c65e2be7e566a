/**
 * Issue 21 in a real browser, shared by Chromium (the real DevTools panel) and Firefox (the panel
 * page opened as a tab): respond rules answer the page in place of the server, and a recorded
 * connection from a session file is replayed into a live socket of the page.
 *
 * The page opens its sockets when a test asks, and writes down every event each one gets (with
 * Date.now(), so arrival times compare with the test's own clock). The server is a small app on
 * `ws` that records what it receives (test-server.ts) and answers as a real one would: a ping with
 * its own pong, a sentinel with an acknowledgement, a "hold" only after the time it names. A
 * sentinel's acknowledgement proves the server read everything the page sent before it, so "the
 * server received nothing" is checked after one, not after a pause.
 *
 * Rules reach the page through the router and the relay, later than the panel shows them. Each
 * test therefore probes a socket the rule also matches until the page shows the rule in force
 * (retrying on a fresh probe; a retry only costs time, it never makes a test pass), then acts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import { WAIT_MS } from './browsers';
import { setPanelFilter } from './panel';
import type { ServerSocket, TestServer } from './test-server';
import type { SessionFileV1 } from '../../src/session/session-format';

export type Panel = Frame | Page;

export interface RespondReplayContext {
  server: TestServer;
  /** The inspected page (at /rr). */
  page: Page;
  panel: Panel;
  /** Exports the live session through Export…, as a user does. */
  exportLive(): Promise<SessionFileV1>;
  /** Saves a screenshot of DevTools for the README (Chromium only). */
  screenshot?(path: string): Promise<void>;
}

// ---------------------------------------------------------------- the page and the server

type Entry = { ev: 'open' | 'message' | 'close'; data?: string; code?: number; at: number };
type RRWindow = {
  log: Record<string, Entry[]>;
  errors: string[];
  openSock(name: string, path: string): Promise<void>;
  send(name: string, text: string): string;
};

const PAGE = `<!doctype html><title>respond and replay</title><script>
  window.log = {};
  window.socks = {};
  window.errors = [];
  addEventListener('error', (e) => errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
  // Resolves once the socket is open (or closed); every event it gets is written down.
  window.openSock = (name, path) => new Promise((resolve) => {
    const entries = log[name] = [];
    const ws = socks[name] = new WebSocket('ws://' + location.host + path);
    ws.onopen = () => { entries.push({ ev: 'open', at: Date.now() }); resolve(); };
    ws.onmessage = (e) => entries.push({ ev: 'message', data: String(e.data), at: Date.now() });
    ws.onclose = (e) => { entries.push({ ev: 'close', code: e.code, at: Date.now() }); resolve(); };
  });
  window.send = (name, text) => { try { socks[name].send(text); return 'sent'; } catch (e) { return String(e); } };
</script>`;

export const API = '/api';
export const WARM = '/api/warm';
export const REPLAY_PATHS = {
  speed: '/replay/speed', step: '/replay/step', rapid: '/replay/rapid', stop: '/replay/stop', race: '/replay/race', doomed: '/replay/doomed', clock: '/clock',
} as const;

/** Serves the page at /rr and the app server on every socket path the tests use. */
export function serveRespondReplay(server: TestServer): void {
  server.page('/rr', PAGE);
  // Firefox's openPanelTab starts from /blank.
  server.page('/blank', '<!doctype html><title>blank</title>');
  const app = (s: ServerSocket) => s.ws.on('message', (raw) => {
    let m: { type?: string; id?: unknown; n?: unknown; ms?: number };
    try { m = JSON.parse(raw.toString()) as typeof m; } catch { return; }
    if (m.type === 'ping') s.ws.send(JSON.stringify({ type: 'pong', id: m.id, from: 'server' }));
    if (m.type === 'sentinel') s.ws.send(JSON.stringify({ type: 'sentinel', n: m.n, from: 'server' }));
    // The server holds its answer: when it arrives, at least `ms` have passed.
    if (m.type === 'hold') setTimeout(() => s.ws.send(JSON.stringify({ type: 'held', n: m.n })), m.ms);
  });
  for (const path of [API, WARM, '/welcome/probe', '/welcome/main', ...Object.values(REPLAY_PATHS)]) server.onSocket(path, app);
}

/**
 * An HTTP endpoint on 127.0.0.1 that holds every request until the test opens it: a page that
 * requests it synchronously is stopped right there, for as long as the test needs.
 */
export interface Gate { url: string; waiting: number; open(): void; close(): Promise<void> }

export async function startGate(): Promise<Gate> {
  const held: ServerResponse[] = [];
  let opened = false;
  const answer = (res: ServerResponse) => res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' }).end('open');
  const http = createServer((_, res) => { if (opened) answer(res); else held.push(res); });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/gate`,
    get waiting() { return held.length; },
    open() { opened = true; for (const res of held.splice(0)) answer(res); },
    close: () => new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); }),
  };
}

export const pageLog = (page: Page, name: string) => page.evaluate((n: string) => (window as unknown as RRWindow).log[n] ?? [], name);
export const pageMessages = async (page: Page, name: string) => (await pageLog(page, name)).filter((e) => e.ev === 'message').map((e) => e.data!);
export const pageErrors = (page: Page) => page.evaluate(() => (window as unknown as RRWindow).errors);
export const openSock = (page: Page, name: string, path: string) => page.evaluate((n: string, p: string) => (window as unknown as RRWindow).openSock(n, p), name, path);
export async function send(page: Page, name: string, value: unknown): Promise<void> {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  expect(await page.evaluate((n: string, t: string) => (window as unknown as RRWindow).send(n, t), name, text), `the page's send(${text})`).toBe('sent');
}
/** Waits until the page's socket `name` got the message `text` in its onmessage. */
async function pageGets(page: Page, name: string, text: string, timeout = WAIT_MS): Promise<void> {
  await page.waitForFunction((n: string, t: string) => (window as unknown as RRWindow).log[n]?.some((e) => e.ev === 'message' && e.data === t), { timeout, polling: 50 }, name, text);
}

/** What the server received on the socket at `path` (the last one opened there), as text. */
const serverSocket = (server: TestServer, path: string) => server.sockets.filter((s) => s.path === path).at(-1);
const serverGot = (server: TestServer, path: string) => serverSocket(server, path)?.received.map((r) => r.data.toString()) ?? [];

let sentinels = 0;
/** Sends a sentinel on the page's socket and waits for the server to acknowledge it: the server has read all before it. */
async function sentinel(ctx: RespondReplayContext, name: string, path: string): Promise<string> {
  const n = ++sentinels;
  await send(ctx.page, name, { type: 'sentinel', n });
  const ack = JSON.stringify({ type: 'sentinel', n, from: 'server' });
  await pageGets(ctx.page, name, ack);
  expect(serverGot(ctx.server, path).at(-1)).toBe(JSON.stringify({ type: 'sentinel', n }));
  return ack;
}

/**
 * The page sends a ping on its api socket, then a sentinel the server acknowledges. Returns what
 * the server read from the ping on (so the ping too, if it got it), the sentinel as sent and its
 * acknowledgement, and a reader of what the page's onmessage got since.
 */
async function pingApi(ctx: RespondReplayContext, id: number): Promise<{ serverGot: string[]; sentinel: string; ack: string; pageGotSince(): Promise<string[]> }> {
  const serverBefore = serverGot(ctx.server, API).length;
  const pageBefore = (await pageMessages(ctx.page, 'api')).length;
  await send(ctx.page, 'api', ping(id));
  const ack = await sentinel(ctx, 'api', API);
  return {
    serverGot: serverGot(ctx.server, API).slice(serverBefore), sentinel: JSON.stringify({ type: 'sentinel', n: sentinels }), ack,
    pageGotSince: async () => (await pageMessages(ctx.page, 'api')).slice(pageBefore),
  };
}

const pong = (id: number) => JSON.stringify({ type: 'pong', id });
const serverPong = (id: number) => JSON.stringify({ type: 'pong', id, from: 'server' });
const ping = (id: number) => JSON.stringify({ type: 'ping', id });

/** How long one probe waits for the rule to show before a fresh probe is sent. */
const PROBE_MS = 5_000;

/** Polls `ok` for up to `ms`; true when it held. A false only means "probe again". */
async function holdsWithin(ok: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `probe(k)` for k = 1, 2, … until it shows the rule in force; returns the k that did. */
async function untilInForce(what: string, probe: (k: number) => Promise<boolean>): Promise<number> {
  const end = Date.now() + WAIT_MS;
  for (let k = 1; ; k++) {
    if (await probe(k)) return k;
    if (Date.now() > end) throw new Error(`the page never showed ${what} (${k} probes)`);
  }
}

// ---------------------------------------------------------------- the rules editor

/** Opens the rules editor: the toolbar's "Rules" button, or the "⋮" menu's entry when the toolbar is narrow. */
export async function openRules(panel: Panel): Promise<void> {
  if (await panel.$('section.rules')) return;
  const where = await panel.evaluate(() => {
    const b = [...document.querySelectorAll<HTMLButtonElement>('.toolbar button')].find((x) => x.textContent?.trim() === 'Rules');
    if (b) { b.click(); return 'toolbar'; }
    document.querySelector<HTMLButtonElement>('.toolbar .more')!.click();
    return 'menu';
  });
  if (where === 'menu') {
    await panel.waitForSelector('[role=menu]');
    await panel.evaluate(() => {
      const item = [...document.querySelectorAll<HTMLElement>('[role=menu] [role^=menuitem]')].find((i) => i.textContent?.trim() === 'Rules');
      if (!item) throw new Error('no "Rules" in the ⋮ menu');
      item.click();
    });
  }
  await panel.waitForSelector('section.rules');
}

/** Sets the control labelled `label`: a checkbox is clicked (only if it must change), a select or text field set as typed. */
export async function setControl(panel: Panel, label: string, value: string | boolean): Promise<void> {
  await panel.evaluate((l: string, v: string | boolean) => {
    const el = document.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[aria-label="${l}"]`);
    if (!el) throw new Error(`no control "${l}"`);
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      if (el.checked !== v) el.click();
      return;
    }
    if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === v)) throw new Error(`"${l}" has no option ${String(v)}`);
    el.value = String(v);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }, label, value);
  // The editor re-renders from the rules it saved: wait until the control shows the value.
  await panel.waitForFunction((l: string, v: string | boolean) => {
    const el = document.querySelector<HTMLInputElement>(`[aria-label="${l}"]`);
    return el !== null && (typeof v === 'boolean' ? el.checked === v : el.value === v);
  }, { timeout: WAIT_MS }, label, value);
}

export interface RespondRuleSpec {
  url: string;
  match: string;
  answers: 'frame' | 'open';
  /** "Also send to the server" (the control exists only for rules that answer a frame). */
  forward?: boolean;
  delayMs: number;
  replies: string[];
}

/** Switches every rule off, so the next one added is the only one deciding. */
export async function allRulesOff(panel: Panel): Promise<void> {
  await openRules(panel);
  const labels = await panel.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('.rule-list input[type=checkbox][aria-label$=" on"]')].map((b) => b.getAttribute('aria-label')!));
  for (const l of labels) await setControl(panel, l, false);
}

/**
 * Adds a respond rule with every field set through its labelled control, the rule switched off
 * while it is filled in (a new rule may start on, pausing every sent frame), and on at the end.
 * Returns the rule's number.
 */
export async function addRespondRule(panel: Panel, spec: RespondRuleSpec): Promise<number> {
  await openRules(panel);
  const before = await panel.evaluate(() => document.querySelectorAll('.rule-list > li.rule').length);
  await panel.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>('section.rules button')].find((b) => b.textContent === 'Add rule')!.click());
  await panel.waitForFunction((n: number) => document.querySelectorAll('.rule-list > li.rule').length === n, { timeout: WAIT_MS }, before + 1);
  const n = before + 1;
  const R = `Rule ${n}`;
  await setControl(panel, `${R} on`, false);
  await setControl(panel, `${R} action`, 'respond');
  await setControl(panel, `${R} direction`, 'sent');
  await setControl(panel, `${R} URL pattern`, spec.url);
  await setControl(panel, `${R} payload match`, spec.match);
  await setControl(panel, `${R} answers`, spec.answers);
  if (spec.answers === 'frame') await setControl(panel, `${R} also send to the server`, spec.forward ?? false);
  await setControl(panel, `${R} reply delay in ms`, String(spec.delayMs));
  for (let i = 0; i < spec.replies.length; i++) {
    if (i > 0) {
      await panel.evaluate((r: string) => [...document.querySelectorAll<HTMLButtonElement>(`li[aria-label="${r}"] button`)].find((b) => b.textContent === 'Add reply')!.click(), R);
      await panel.waitForSelector(`[aria-label="${R} reply ${i + 1}"]`);
    }
    await setControl(panel, `${R} reply ${i + 1}`, spec.replies[i]!);
  }
  // Every field as set (a later edit must not have undone an earlier one), and the rule valid.
  const shown = await panel.evaluate((r: string) => {
    const v = (l: string) => document.querySelector<HTMLInputElement>(`[aria-label="${r} ${l}"]`);
    return {
      action: v('action')!.value, direction: v('direction')!.value, url: v('URL pattern')!.value, match: v('payload match')!.value,
      answers: v('answers')!.value, forward: v('also send to the server')?.checked, delayMs: Number(v('reply delay in ms')!.value),
      replies: [...document.querySelectorAll<HTMLTextAreaElement>(`li[aria-label="${r}"] textarea`)].map((t) => t.value),
      error: document.querySelector(`li[aria-label="${r}"] [role=alert]`)?.textContent ?? null,
    };
  }, R);
  expect(shown).toEqual({
    action: 'respond', direction: 'sent', url: spec.url, match: spec.match, answers: spec.answers,
    forward: spec.answers === 'frame' ? spec.forward ?? false : undefined, delayMs: spec.delayMs, replies: spec.replies, error: null,
  });
  await setControl(panel, `${R} on`, true);
  return n;
}

/** The rule's failure count as its row shows it (0 when the row shows none). */
export const ruleFailures = (panel: Panel, n: number) => panel.evaluate((r: string) =>
  Number(document.querySelector(`li[aria-label="${r}"] .rule-failures`)?.getAttribute('data-failures') ?? 0), `Rule ${n}`);

/** The rows the table shows for a filter (it is virtualized: narrowed first, so all are in view). */
async function rowsMatching(panel: Panel, filter: string, ok: (rows: { kind: string; text: string; origin: string | null }[]) => boolean): Promise<void> {
  await setPanelFilter(panel, filter);
  const read = () => panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('.frame-canvas .row')].map((r) => ({
    kind: r.classList.contains('lifecycle') ? 'lifecycle' : r.classList.contains('received') ? 'received' : r.classList.contains('sent') ? 'sent' : 'other',
    text: r.querySelector<HTMLElement>('.preview')?.innerText ?? '',
    origin: r.querySelector('.origin-tag')?.textContent ?? null,
  })));
  if (!(await holdsWithin(async () => ok(await read()), WAIT_MS))) throw new Error(`filtered by ${filter}, the table shows ${JSON.stringify(await read())}`);
  await setPanelFilter(panel, '');
}

// ---------------------------------------------------------------- respond rules: the tests

/** Opens the page's sockets for the respond tests. */
export async function openRespondSockets(ctx: RespondReplayContext): Promise<void> {
  await openSock(ctx.page, 'api', API);
  await openSock(ctx.page, 'warm', WARM);
}

/** 1. A respond rule answers instead of the server: the page gets the pong, the server never gets the ping. */
export async function respondSwallows(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  await allRulesOff(panel);
  const n = await addRespondRule(panel, { url: '/api', match: '"type":"ping"', answers: 'frame', forward: false, delayMs: 0, replies: ['{"type":"pong","id":{{id}}}'] });
  await untilInForce(`rule ${n} answering`, async (k) => {
    await send(page, 'warm', ping(100 + k));
    return holdsWithin(async () => (await pageMessages(page, 'warm')).includes(pong(100 + k)), PROBE_MS);
  });

  const r = await pingApi(ctx, 7);
  await pageGets(page, 'api', pong(7));
  // The server read the sentinel, which the page sent after the ping: the ping never reached it.
  expect(r.serverGot).toEqual([r.sentinel]);
  // In the page's own onmessage: the rule's pong (with the request's id), the server's ack, and no server pong.
  expect((await r.pageGotSince()).sort()).toEqual([pong(7), r.ack].sort());
  // The panel shows the swallowed frame as a lifecycle row, and the reply as a received frame, mocked.
  await rowsMatching(panel, 'answered', (rows) => rows.some((row) => row.kind === 'lifecycle' && row.text === `rule answered (not sent) ↑ ${ping(7)}`));
  await rowsMatching(panel, 'pong', (rows) => rows.some((row) => row.kind === 'received' && row.origin === 'mocked' && row.text.endsWith(pong(7))));
  expect(await pageErrors(page)).toEqual([]);
}

/** 2. With "also send to the server", the server gets the ping too, and the page still gets the pong. */
export async function respondForwards(ctx: RespondReplayContext): Promise<void> {
  const { page, panel, server } = ctx;
  await allRulesOff(panel);
  const n = await addRespondRule(panel, { url: '/api', match: '"type":"ping"', answers: 'frame', forward: true, delayMs: 0, replies: ['{"type":"pong","id":{{id}}}'] });
  // In force: the probe's ping reaches the server *and* the rule answers it (rule 1 would swallow it; no rule would not answer).
  await untilInForce(`rule ${n} answering and forwarding`, async (k) => {
    await send(page, 'warm', ping(200 + k));
    return holdsWithin(async () => serverGot(server, WARM).includes(ping(200 + k)) && (await pageMessages(page, 'warm')).includes(pong(200 + k)), PROBE_MS);
  });

  const r = await pingApi(ctx, 9);
  expect(r.serverGot).toEqual([ping(9), r.sentinel]);
  // The page gets the rule's pong, and the server's own pong to the ping it did receive.
  await pageGets(page, 'api', pong(9));
  await pageGets(page, 'api', serverPong(9));
  expect((await r.pageGotSince()).sort()).toEqual([pong(9), serverPong(9), r.ack].sort());
  expect(await pageErrors(page)).toEqual([]);
}

/** 3. A reply that cannot be filled: the frame goes to the server as if no rule matched, and the rule's row counts it. */
export async function respondTemplateFails(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  await allRulesOff(panel);
  const n = await addRespondRule(panel, { url: '/api', match: '"type":"ping"', answers: 'frame', forward: false, delayMs: 0, replies: ['{"type":"pong","user":{{user.id}}}'] });
  await untilInForce(`rule ${n} failing`, async (k) => {
    await send(page, 'warm', ping(300 + k));
    return holdsWithin(async () => (await ruleFailures(panel, n)) > 0, PROBE_MS);
  });

  const failures = await ruleFailures(panel, n);
  const r = await pingApi(ctx, 8);
  // The server got the ping as if no rule had matched, and answered it; the rule answered nothing.
  expect(r.serverGot).toEqual([ping(8), r.sentinel]);
  await pageGets(page, 'api', serverPong(8));
  expect((await r.pageGotSince()).sort()).toEqual([serverPong(8), r.ack].sort());
  await panel.waitForFunction((rule: string, f: number) => Number(document.querySelector(`li[aria-label="${rule}"] .rule-failures`)?.getAttribute('data-failures')) === f,
    { timeout: WAIT_MS }, `Rule ${n}`, failures + 1);
  const text = await panel.evaluate((rule: string) => document.querySelector(`li[aria-label="${rule}"] .rule-failures`)!.textContent, `Rule ${n}`);
  expect(text).toBe(`Could not answer ${failures + 1} times: the request has no user.id. The frame went on as if no rule matched.`);
  expect(await pageErrors(page)).toEqual([]);
}

/** 4. A rule that answers when the socket opens: a page opening a matching socket gets the welcome (two replies, in order). */
export async function respondOnOpen(ctx: RespondReplayContext): Promise<void> {
  const { page, panel, server } = ctx;
  await allRulesOff(panel);
  const n = await addRespondRule(panel, { url: '/welcome/', match: '', answers: 'open', delayMs: 0, replies: ['{"type":"welcome","n":{{seq}}}', '{"type":"motd","at":{{now}}}'] });
  const welcomeN = (messages: string[]) => messages.map((m) => JSON.parse(m) as { type: string; n?: number }).find((m) => m.type === 'welcome')?.n;
  const probes = await untilInForce(`rule ${n} welcoming`, async (k) => {
    await openSock(page, `probe${k}`, '/welcome/probe');
    return holdsWithin(async () => welcomeN(await pageMessages(page, `probe${k}`)) !== undefined, PROBE_MS);
  });
  const lastProbeN = welcomeN(await pageMessages(page, `probe${probes}`))!;

  const before = Date.now();
  await openSock(page, 'welcome', '/welcome/main');
  await page.waitForFunction(() => (window as unknown as RRWindow).log.welcome!.length === 3, { timeout: WAIT_MS });
  const after = Date.now();
  const log = await pageLog(page, 'welcome');
  expect(log.map((e) => e.ev)).toEqual(['open', 'message', 'message']);
  // {{seq}} counts the rule's answers: one more than the last probe got.
  expect(JSON.parse(log[1]!.data!)).toEqual({ type: 'welcome', n: lastProbeN + 1 });
  const motd = JSON.parse(log[2]!.data!) as { type: string; at: number };
  expect(motd.type).toBe('motd');
  // {{now}} is the time of the answer (the page's clock may be rounded: a little slack).
  expect(motd.at).toBeGreaterThanOrEqual(before - 50);
  expect(motd.at).toBeLessThanOrEqual(after + 50);
  await sentinel(ctx, 'welcome', '/welcome/main');
  expect(serverGot(server, '/welcome/main')).toEqual([JSON.stringify({ type: 'sentinel', n: sentinels })]);
  await allRulesOff(panel);
  expect(await pageErrors(page)).toEqual([]);
}

// ---------------------------------------------------------------- replay

/** The recording: a connection that sent one frame, then received 10 frames 200 ms apart (1,800 ms from first to last). */
export const RECORDED_GAP_MS = 200;
export const RECORDED_SPAN_MS = 9 * RECORDED_GAP_MS;
export const RECORDED = Array.from({ length: 10 }, (_, i) => JSON.stringify({ tick: i + 1, price: 100 + i }));
export const SESSION_NAME = 'recorded-feed.json';

export function recordedSession(): SessionFileV1 {
  const t0 = 1_763_805_600_000;
  const id = 'recorded:1';
  return {
    format: 'sockscope-session', version: 1, exportedAt: '2026-11-22T10:00:05.000Z',
    page: { url: 'https://app.test/', title: 'Recorded app' },
    connections: [{
      id, url: 'wss://feed.test/prices', frameUrl: 'https://app.test/', requestedProtocols: [], protocol: '', extensions: '',
      states: [{ state: 'CONNECTING', at: t0 - 30 }, { state: 'OPEN', at: t0 - 20 }, { state: 'CLOSED', at: t0 + 2000 }],
      close: { code: 1000, reason: 'bye', wasClean: true, initiator: 'page' }, errors: [],
    }],
    frames: [
      { connectionId: id, direction: 'sent', type: 'text', at: t0 - 10, size: 21, text: '{"subscribe":"prices"}' },
      ...RECORDED.map((text, i) => ({ connectionId: id, direction: 'received' as const, type: 'text' as const, at: t0 + i * RECORDED_GAP_MS, size: text.length, text })),
    ],
    dropped: { frames: 0, bytes: 0 },
  };
}

interface Bar { state: string; done: number; total: number; what: string; progress: string; message: string }
export const replayBar = (panel: Panel) => panel.evaluate((): Bar | null => {
  const b = document.querySelector<HTMLElement>('[role=status][aria-label=Replay]');
  return b && {
    state: b.dataset.state!, done: Number(b.dataset.done), total: Number(b.dataset.total),
    what: b.querySelector('.replay-what')?.textContent ?? '', progress: b.querySelector('.replay-progress')?.textContent ?? '',
    message: b.querySelector('.replay-message')?.textContent ?? '',
  };
});

/** Waits until the replay bar for the socket at `path` holds `want`; fails saying what it shows. */
async function waitBar(panel: Panel, path: string, want: Partial<Bar>): Promise<Bar> {
  let bar: Bar | null = null;
  const ok = await holdsWithin(async () => {
    bar = await replayBar(panel);
    return bar !== null && bar.what.endsWith(path) && Object.entries(want).every(([k, v]) => bar![k as keyof Bar] === v);
  }, WAIT_MS);
  if (!ok) throw new Error(`wanted the replay bar at ${JSON.stringify({ path, ...want })}; it shows ${JSON.stringify(bar)}`);
  return bar!;
}

async function clickBar(panel: Panel, name: string): Promise<void> {
  await panel.evaluate((t: string) => {
    const b = [...document.querySelectorAll<HTMLButtonElement>('[role=status][aria-label=Replay] button')].find((x) => x.textContent === t);
    if (!b) throw new Error(`no "${t}" on the replay bar`);
    if (b.disabled) throw new Error(`"${t}" is disabled`);
    b.click();
  }, name);
}

async function clickTab(panel: Panel, startsWith: string): Promise<void> {
  await panel.evaluate((t: string) => [...document.querySelectorAll<HTMLButtonElement>('.session-tabs [role=tab]')].find((b) => b.textContent!.startsWith(t))!.click(), startsWith);
  await panel.waitForFunction((t: string) => document.querySelector('.session-tabs [role=tab][aria-selected=true]')?.textContent?.startsWith(t), { timeout: WAIT_MS }, startsWith);
}
export const showLive = (panel: Panel) => clickTab(panel, '● Live');

const counts = (panel: Panel) => panel.evaluate(() => Number(/of (\d+) frames?/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '')?.[1] ?? -1));

/** Opens the page's replay sockets, waits until the live panel shows each open, then opens the recording in the panel. */
export async function openReplaySetup(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  for (const [name, path] of Object.entries(REPLAY_PATHS)) await openSock(page, name, path);
  await showLive(panel);
  await panel.waitForFunction((paths: string[]) => paths.every((p) => [...document.querySelectorAll('tr.conn')].some((r) =>
    r.querySelector('td.url')?.getAttribute('title')?.endsWith(p) && r.querySelector('.badge.open'))), { timeout: WAIT_MS }, Object.values(REPLAY_PATHS));
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-replay-'));
  const path = join(dir, SESSION_NAME);
  writeFileSync(path, JSON.stringify(recordedSession(), null, 1));
  await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
  await panel.waitForFunction((n: string) => document.querySelector('.session-tab.active')?.textContent?.includes(n) && !document.querySelector('.import-progress')
    && document.querySelector('[data-testid=counts]')?.textContent === '11 of 11 frames', { timeout: WAIT_MS }, SESSION_NAME);
}

/** From the opened recording: selects its connection, "Replay into…", chooses socket, speed and start. */
export async function startReplay(panel: Panel, o: { path: string; speed: string; paused: boolean }): Promise<void> {
  await clickTab(panel, SESSION_NAME);
  await panel.waitForSelector('tr.conn');
  await panel.evaluate(() => { const r = document.querySelector<HTMLElement>('tr.conn')!; if (!r.classList.contains('selected')) r.click(); });
  await panel.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Replay into…'), { timeout: WAIT_MS });
  await panel.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Replay into…')!.click());
  const dialog = '[role=dialog][aria-label="Replay into a live socket"]';
  await panel.waitForSelector(dialog);
  expect(await panel.evaluate((d: string) => document.querySelector(d)!.querySelector('p')!.textContent, dialog)).toMatch(/^Plays the 10 received frames of /);
  const value = await panel.evaluate((p: string) => [...document.querySelector<HTMLSelectElement>('select[aria-label="Replay into socket"]')!.options].find((o) => o.textContent!.endsWith(p))?.value, o.path);
  if (!value) throw new Error(`the dialog offers no socket ${o.path}`);
  await setControl(panel, 'Replay into socket', value);
  await setControl(panel, 'Replay speed', o.speed);
  // Only the recording's received frames: its sent frame must not reach the server.
  await panel.evaluate((d: string) => {
    const box = [...document.querySelectorAll<HTMLInputElement>(`${d} input[type=checkbox]`)].find((b) => b.parentElement!.textContent!.includes('Also send its sent frames'))!;
    if (box.checked) box.click();
  }, dialog);
  await panel.evaluate((d: string, label: string) => [...document.querySelectorAll<HTMLButtonElement>(`${d} button`)].find((b) => b.textContent === label)!.click(), dialog, o.paused ? 'Start paused' : 'Start replay');
  await panel.waitForFunction((d: string) => !document.querySelector(d), { timeout: WAIT_MS }, dialog);
}

/** Waits until the page's socket `name` got at least `n` replayed frames; fails saying what the page and the bar show. */
async function pageGetsReplayed(ctx: RespondReplayContext, name: string, n: number): Promise<void> {
  if (await holdsWithin(async () => (await replayed(ctx.page, name)).length >= n, WAIT_MS)) return;
  throw new Error(`the page's ${name} socket got ${(await replayed(ctx.page, name)).length} replayed frames, not ${n}; the replay bar shows ${JSON.stringify(await replayBar(ctx.panel))}`);
}

const replayed = (page: Page, name: string) => pageLog(page, name).then((l) => l.filter((e) => e.ev === 'message' && e.data!.startsWith('{"tick"')));

/** Watches the panel for errors nobody caught (a replay that fails must say so, not throw). */
export async function watchPanelErrors(panel: Panel): Promise<() => Promise<string[]>> {
  await panel.evaluate(() => {
    const w = window as unknown as { uncaught?: string[] };
    if (w.uncaught) return;
    const list: string[] = w.uncaught = [];
    addEventListener('error', (e) => list.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => list.push(String(e.reason)));
  });
  return () => panel.evaluate(() => (window as unknown as { uncaught: string[] }).uncaught);
}

/** 5a. At 2×: the page's listener gets the 10 payloads in order, closer together than recorded, but not all at once. */
export async function replayAtDoubleSpeed(ctx: RespondReplayContext): Promise<void> {
  const { page, panel, server } = ctx;
  const clickedAt = Date.now();
  await startReplay(panel, { path: REPLAY_PATHS.speed, speed: '2', paused: false });
  await pageGetsReplayed(ctx, 'speed', 10);
  const got = await replayed(page, 'speed');
  expect(got.map((e) => e.data)).toEqual(RECORDED);
  const span = got.at(-1)!.at - got[0]!.at;
  console.log(`[measure] replay at 2×: the page saw the 10 frames over ${span} ms (recorded: ${RECORDED_SPAN_MS} ms; at 2×: ${RECORDED_SPAN_MS / 2} ms)`);
  // Faster than recorded…
  expect(span).toBeLessThan(RECORDED_SPAN_MS);
  // …yet paced: the last frame is due half the recorded span after the replay started, which was after the click
  // (a few ms of slack for two clocks that round differently).
  expect(got.at(-1)!.at - clickedAt).toBeGreaterThanOrEqual(RECORDED_SPAN_MS / 2 - 5);
  const bar = await waitBar(panel, REPLAY_PATHS.speed, { state: 'done', done: 10, total: 10 });
  expect(bar.progress).toBe('10 of 10 frames, 0:01 of 0:01');
  expect(bar.message).toBe('Replayed all 10 frames.');
  // Without "also send", the recording's sent frame never reached the server.
  await sentinel(ctx, 'speed', REPLAY_PATHS.speed);
  expect(serverGot(server, REPLAY_PATHS.speed)).toEqual([JSON.stringify({ type: 'sentinel', n: sentinels })]);
}

/** 5b. Started paused, each Step delivers exactly one frame. */
export async function replayStepByStep(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  await startReplay(panel, { path: REPLAY_PATHS.step, speed: '1', paused: true });
  await waitBar(panel, REPLAY_PATHS.step, { state: 'paused', done: 0, total: 10 });
  expect(await replayed(page, 'step')).toEqual([]);
  for (let i = 1; i <= 3; i++) {
    await clickBar(panel, 'Step');
    await waitBar(panel, REPLAY_PATHS.step, { state: 'paused', done: i });
    await pageGetsReplayed(ctx, 'step', i);
  }
  // A round trip on the same socket after the third step: nothing else came.
  await sentinel(ctx, 'step', REPLAY_PATHS.step);
  expect((await replayed(page, 'step')).map((e) => e.data)).toEqual(RECORDED.slice(0, 3));
  const bar = await waitBar(panel, REPLAY_PATHS.step, { state: 'paused', done: 3 });
  expect(bar.progress).toBe('3 of 10 frames, 0:00 of 0:01');
  // The README's picture of a replay in progress: paused after three Steps.
  await ctx.screenshot?.('docs/screenshots/replay.png');
  await clickBar(panel, 'Stop');
  expect((await waitBar(panel, REPLAY_PATHS.step, { state: 'stopped', done: 3 })).message).toBe('Stopped after 3 of 10 frames.');
}

/** Proves time passed: the server holds its answer for `ms`, and the live panel has seen that answer too. */
async function letTimePass(ctx: RespondReplayContext, ms: number): Promise<void> {
  const { page, panel } = ctx;
  const n = ++sentinels;
  await send(page, 'clock', { type: 'hold', n, ms });
  await pageGets(page, 'clock', JSON.stringify({ type: 'held', n }));
  await setPanelFilter(panel, `"held","n":${n}`);
  await panel.waitForFunction(() => /^1 of \d+ frames$/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: WAIT_MS });
  await setPanelFilter(panel, '');
}

/** 5c. Stop stops: after it, no frame arrives, though the rest of the recording was due long since. */
export async function replayStops(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  await startReplay(panel, { path: REPLAY_PATHS.stop, speed: '0.5', paused: false });
  await pageGetsReplayed(ctx, 'stop', 2);
  await clickBar(panel, 'Stop');
  const stopped = await waitBar(panel, REPLAY_PATHS.stop, { state: 'stopped' });
  expect(stopped.done).toBeLessThan(10);
  expect(stopped.message).toBe(`Stopped after ${stopped.done} of 10 frames.`);
  // At 0.5× the frames are 400 ms apart: 1,500 ms is more than three of them.
  await showLive(panel);
  await letTimePass(ctx, 1_500);
  const got = (await replayed(page, 'stop')).map((e) => e.data);
  // A frame already on its way when Stop was clicked may still land (the bar does not count it:
  // see replayStopCountsFrameInFlight); none after it.
  expect(got.length === stopped.done || got.length === stopped.done + 1, `the page got ${got.length} frames; the bar says ${stopped.done}`).toBe(true);
  expect(got).toEqual(RECORDED.slice(0, got.length));
  expect(await waitBar(panel, REPLAY_PATHS.stop, { state: 'stopped' })).toEqual(stopped);
}

/**
 * 5c'. Stop clicked while a frame is being delivered (the page's own message handler is still
 * running: it waits on a request the test answers only after Stop): the frame reaches the page,
 * and the bar counts it; nothing after it arrives.
 */
export async function replayStopCountsFrameInFlight(ctx: RespondReplayContext, gate: Gate): Promise<void> {
  const { page, panel } = ctx;
  await page.evaluate((url: string) => {
    let n = 0;
    (window as unknown as { socks: Record<string, WebSocket> }).socks.race!.addEventListener('message', () => {
      if (++n !== 2) return;
      // Blocks this handler (and so the delivery of frame 2) until the test opens the gate.
      const x = new XMLHttpRequest();
      x.open('GET', url, false);
      x.send();
    });
  }, gate.url);
  await startReplay(panel, { path: REPLAY_PATHS.race, speed: '0.5', paused: false });
  if (!(await holdsWithin(() => gate.waiting > 0, WAIT_MS))) throw new Error('the page never reached frame 2');
  await clickBar(panel, 'Stop');
  await waitBar(panel, REPLAY_PATHS.race, { state: 'stopped' });
  gate.open();
  await sentinel(ctx, 'race', REPLAY_PATHS.race);
  await showLive(panel);
  await letTimePass(ctx, 1_500);
  expect((await replayed(page, 'race')).map((e) => e.data)).toEqual(RECORDED.slice(0, 2));
  const bar = await waitBar(panel, REPLAY_PATHS.race, { state: 'stopped' });
  expect({ done: bar.done, message: bar.message }, 'the bar counts the frame the page received').toEqual({ done: 2, message: 'Stopped after 2 of 10 frames.' });
}

/**
 * 5b'. Three clicks on Step in a row, each as soon as the button is enabled (without waiting for
 * the frame before): three frames. A click on an enabled Step must not be lost because the
 * previous frame is still on its way.
 */
export async function replayStepClicksInARow(ctx: RespondReplayContext): Promise<void> {
  const { page, panel } = ctx;
  await startReplay(panel, { path: REPLAY_PATHS.rapid, speed: '1', paused: true });
  await waitBar(panel, REPLAY_PATHS.rapid, { state: 'paused', done: 0, total: 10 });
  await panel.evaluate(async () => {
    const step = () => [...document.querySelectorAll<HTMLButtonElement>('[role=status][aria-label=Replay] button')].find((b) => b.textContent === 'Step');
    for (let i = 0; i < 3; i++) {
      // A panel that disables Step while a frame is on its way is honoured: the click waits for it.
      for (let b = step(); !b || b.disabled; b = step()) await new Promise((r) => setTimeout(r, 10));
      step()!.click();
      await new Promise((r) => setTimeout(r, 0));
    }
  });
  // Three deliveries take milliseconds; 3 s that the panel has seen pass are ample (and a test that
  // fails here fails in seconds, not after a minute in which the idle service worker is stopped).
  await showLive(panel);
  await letTimePass(ctx, 3_000);
  const bar = (await replayBar(panel))!;
  expect({ done: bar.done, pageGot: (await replayed(page, 'rapid')).length }, `three clicks on Step; the bar shows ${JSON.stringify(bar)}`).toEqual({ done: 3, pageGot: 3 });
  expect(bar.progress).toBe('3 of 10 frames, 0:00 of 0:01');
  await sentinel(ctx, 'rapid', REPLAY_PATHS.rapid);
  expect((await replayed(page, 'rapid')).map((e) => e.data)).toEqual(RECORDED.slice(0, 3));
  await clickBar(panel, 'Stop');
}

/** 5d. The server closes the socket mid-replay: the replay ends with a message naming the socket; the panel lives on. */
export async function replaySocketClosed(ctx: RespondReplayContext, uncaught: () => Promise<string[]>): Promise<void> {
  const { page, panel, server } = ctx;
  await startReplay(panel, { path: REPLAY_PATHS.doomed, speed: '0.5', paused: false });
  await pageGetsReplayed(ctx, 'doomed', 2);
  serverSocket(server, REPLAY_PATHS.doomed)!.ws.close(4000, 'server went away');
  await page.waitForFunction(() => (window as unknown as RRWindow).log.doomed!.some((e) => e.ev === 'close'), { timeout: WAIT_MS });
  const bar = await waitBar(panel, REPLAY_PATHS.doomed, { state: 'failed' });
  expect(bar.done).toBeLessThan(10);
  expect(bar.message).toMatch(new RegExp(`^Replay ended after ${bar.done} of 10 frames: .*socket`, 'i'));
  console.log(`[measure] replay into a socket the server closed: "${bar.message}"`);
  // Nothing reached the page's closed socket after its close event.
  const log = await pageLog(page, 'doomed');
  expect(log.at(-1)).toMatchObject({ ev: 'close', code: 4000 });
  expect(log.filter((e) => e.ev === 'message').map((e) => e.data)).toEqual(RECORDED.slice(0, bar.done));
  // The panel lives on: its live counts still grow.
  await showLive(panel);
  const before = await counts(panel);
  await sentinel(ctx, 'clock', REPLAY_PATHS.clock);
  await panel.waitForFunction((b: number) => Number(/of (\d+) frames?/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '')?.[1]) >= b + 2, { timeout: WAIT_MS }, before);
  expect(await uncaught()).toEqual([]);
  expect(await pageErrors(page)).toEqual([]);
}

/** The export names who made each frame: the rule's pong is mocked, replayed frames are replayed, received on the page's socket. */
export async function exportMarksOrigins(ctx: RespondReplayContext): Promise<void> {
  await showLive(ctx.panel);
  const s = await ctx.exportLive();
  const conn = (path: string) => s.connections.find((c) => new URL(c.url).pathname === path)!.id;
  const framesOf = (path: string) => s.frames.filter((f) => f.connectionId === conn(path)).map((f) => ({ direction: f.direction, text: f.text, origin: f.origin }));
  expect(framesOf(API)).toContainEqual({ direction: 'received', text: pong(7), origin: 'mocked' });
  // The swallowed ping was never sent: no sent frame holds it.
  expect(framesOf(API).filter((f) => f.direction === 'sent' && f.text === ping(7))).toEqual([]);
  // The forwarded one was, as the page's own.
  expect(framesOf(API)).toContainEqual({ direction: 'sent', text: ping(9), origin: undefined });
  expect(framesOf('/welcome/main').filter((f) => f.origin === 'mocked').map((f) => JSON.parse(f.text!).type)).toEqual(['welcome', 'motd']);
  expect(framesOf(REPLAY_PATHS.speed).filter((f) => f.origin === 'replayed')).toEqual(RECORDED.map((text) => ({ direction: 'received', text, origin: 'replayed' })));
  expect(framesOf(REPLAY_PATHS.step).filter((f) => f.origin === 'replayed').map((f) => f.text)).toEqual(RECORDED.slice(0, 3));
}

// ---------------------------------------------------------------- the suite, as each browser's file runs it

export interface RespondReplaySuite extends RespondReplayContext {
  gate: Gate;
  /** Errors nobody caught in the panel (watchPanelErrors). */
  uncaught(): Promise<string[]>;
}

/** Declares the tests, in order (each goes on from the state the one before left); `get` gives what beforeAll made. */
export function respondReplayTests(browser: string, get: () => RespondReplaySuite): void {
  describe(`${browser}: respond rules`, () => {
    test('answering instead of the server: the page gets {"type":"pong","id":7}, the server never gets the ping', () => respondSwallows(get()));
    test('"also send to the server": the server gets the ping too, and the page still gets the pong', () => respondForwards(get()));
    test('a reply that cannot be filled ({{user.id}}): the frame reaches the server as if no rule matched; the rule counts the failure', () => respondTemplateFails(get()));
    test('a rule answering when the socket opens: the page gets the welcome, then the second reply', () => respondOnOpen(get()));
  });

  describe(`${browser}: replaying a recorded connection into a live socket`, () => {
    test('the recording opens from a session file', () => openReplaySetup(get()));
    test('at 2×: the 10 payloads in order, over less than the recorded 1,800 ms, yet paced', () => replayAtDoubleSpeed(get()));
    test('started paused, each Step delivers exactly one frame', () => replayStepByStep(get()));
    test('three clicks on Step in a row deliver three frames', () => replayStepClicksInARow(get()));
    test('Stop stops: nothing arrives afterwards', () => replayStops(get()));
    test('Stop while a frame is being delivered: the page gets it, the bar counts it, nothing follows', () => replayStopCountsFrameInFlight(get(), get().gate));
    test('a socket the server closes mid-replay ends it with a message, and the panel lives on', () => replaySocketClosed(get(), get().uncaught));
    test('the export marks the rule\'s replies mocked and the replayed frames replayed', () => exportMarksOrigins(get()));
  });
}
