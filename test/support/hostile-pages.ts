/**
 * Hostile pages and files for both browsers. The XSS corpus (test/fixtures/xss-corpus.ts)
 * through the real panel: a live page that puts every payload in a socket's URL, frames and
 * close reason; a session file that puts them in every field; readers that take what the panel
 * shows as text, and what a payload that got in as markup would leave behind. And a page that
 * forges the private handshake before the real one.
 */
import { expect } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import type { SocketHandler } from './test-server';
import { XSS_CORPUS } from '../fixtures/xss-corpus';
import { framePreview } from '../../src/panel/format';
import { closeText, connectingText } from '../../src/panel/model/capture-model';
import type { SessionFileV1 } from '../../src/session/session-format';

/** The panel's document: a frame of DevTools in Chromium, a tab in Firefox. */
type PanelDoc = Pick<Frame, 'evaluate'>;

/** A JSON value safe to put inside an inline <script>: no "</script>" can end it early. */
const inScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Echoes, then closes with the payload as the reason when the page says "bye". Serve it at /xss. */
export const xssSocketHandler: SocketHandler = (s, req) => {
  const i = Number(new URL(req.url!, 'ws://x').searchParams.get('i'));
  s.ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'bye') s.ws.close(4000, XSS_CORPUS[i]!);
    else s.ws.send(data, { binary: isBinary });
  });
};

/** One socket per payload: in its URL, sent as text and as UTF-8 bytes, then back as the close reason. */
export const XSS_LIVE_PAGE = `<!doctype html><title>xss</title><script>
  const P = ${inScript(XSS_CORPUS)};
  window.closes = []; // not "closed": that is window.closed, a read-only boolean
  const all = [];
  P.forEach((p, i) => {
    const base = 'ws://' + location.host + '/xss?i=' + i + '&p=';
    let ws;
    // A "#" would make the URL carry a fragment, which WebSocket refuses.
    try { ws = new WebSocket(base + p); } catch { ws = new WebSocket(base + encodeURIComponent(p)); }
    ws.binaryType = 'arraybuffer';
    let echoes = 0;
    ws.onopen = () => { ws.send(p); ws.send(new TextEncoder().encode(p)); };
    ws.onmessage = () => { if (++echoes === 2) ws.send('bye'); };
    ws.onclose = (e) => { closes[i] = { url: ws.url, code: e.code, reason: e.reason }; };
    all.push(ws);
  });
  // For the failure message: where each socket that did not close got to.
  window.states = () => all.map((ws, i) => closes[i] ? '' : i + ':' + ws.readyState).filter(Boolean).join(' ');
</script>`;

export interface PageClose { url: string; code: number; reason: string }

/** Waits until every socket of XSS_LIVE_PAGE has closed; returns what the page saw of each. */
export async function waitForXssCloses(page: Page): Promise<PageClose[]> {
  // polling, not requestAnimationFrame: the page may be behind its DevTools window, where frames do not run.
  await page.waitForFunction((k: number) => (window as unknown as { closes: unknown[] }).closes.filter(Boolean).length === k, { timeout: 60_000, polling: 100 }, XSS_CORPUS.length)
    .catch(async (e) => {
      const state = await page.evaluate(() => (window as unknown as { states(): string }).states());
      throw new Error(`not every socket closed (index:readyState): ${state}`, { cause: e });
    });
  return page.evaluate(() => (window as unknown as { closes: PageClose[] }).closes);
}

/** A session file with a payload in every field the panel shows. */
export function xssSessionFile(): SessionFileV1 {
  const at = Date.parse('2026-01-01T00:00:00Z');
  return {
    format: 'sockscope-session', version: 1, exportedAt: XSS_CORPUS[0]!,
    page: { url: XSS_CORPUS[1]!, title: XSS_CORPUS[2]! },
    connections: XSS_CORPUS.map((p, i) => ({
      id: `x${i}`, url: p, frameUrl: p, requestedProtocols: [p], protocol: p, extensions: p,
      states: [{ state: 'CONNECTING', at: at + i }, { state: 'OPEN', at: at + i + 1 }, { state: 'CLOSING', at: at + i + 2 }, { state: 'CLOSED', at: at + i + 3 }],
      close: { code: 4000, reason: p, wasClean: true, initiator: 'server' }, errors: [],
    })),
    frames: XSS_CORPUS.flatMap((p, i) => [
      { connectionId: `x${i}`, direction: 'sent' as const, type: 'text' as const, at: at + i + 1.5, size: Buffer.byteLength(p), text: p },
      { connectionId: `x${i}`, direction: 'received' as const, type: 'binary' as const, at: at + i + 1.6, size: Buffer.byteLength(p), base64: Buffer.from(p).toString('base64') },
    ]),
    dropped: { frames: 0, bytes: 0 },
    redacted: { keys: [...XSS_CORPUS], count: 1 },
    filtered: { query: XSS_CORPUS.join(' '), ofFrames: 9999 },
  };
}
export const XSS_FILE_NAME = '"><img src=x onerror=__pwned=1>.json';

/** What one connection looks like in the panel, read from the DOM as text (never as HTML). */
export interface Shown {
  url: string;
  urlTitle: string;
  protocol: string;
  close: string;
  frameColumn: string;
  rows: string[];
  detailUrl: string;
  text: string;
  utf8: string;
}

/**
 * For each connection (found by its URL), selects it, reads its row and its frame list, then
 * opens its text frame (Text tab) and its binary frame (UTF-8 tab) in the detail pane.
 * Runs in the panel, so the ~70 connections take seconds, not a minute of round trips.
 */
export function readConnections(panel: PanelDoc, items: { url: string; preview: string }[]): Promise<(Shown | string)[]> {
  return panel.evaluate(async (list: { url: string; preview: string }[]) => {
    const sleep = () => new Promise((r) => setTimeout(r, 10));
    async function until<T>(fn: () => T | null | undefined | false, what: string): Promise<T> {
      for (let i = 0; i < 500; i++) {
        const v = fn();
        if (v) return v;
        await sleep();
      }
      throw new Error(`timed out: ${what}`);
    }
    const txt = (el: Element | null | undefined) => el?.textContent ?? '(missing)';
    const rowsNow = () => [...document.querySelectorAll('.frame-canvas .row')];
    async function openTab(name: string): Promise<string> {
      const tab = await until(() => [...document.querySelectorAll('.detail .tabs [role=tab]')].find((t) => t.textContent === name), `tab ${name}`);
      (tab as HTMLElement).click();
      await until(() => tab.getAttribute('aria-selected') === 'true' && document.querySelector('.detail pre.payload-text'), `${name} shown`);
      return txt(document.querySelector('.detail pre.payload-text'));
    }
    async function openRow(url: string, type: string, tab: string): Promise<string> {
      const row = await until(() => rowsNow().find((r) => r.querySelector('.type')?.textContent === type), `a ${type} row`);
      row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      // This connection's frame of this type, not the one shown before.
      await until(() => document.querySelector('.detail .detail-url')?.textContent === url
        && document.querySelector('.detail .detail-head span')?.textContent?.includes(` · ${type} · `), `the ${type} frame in the detail pane`);
      return openTab(tab);
    }
    const out: (Shown | string)[] = [];
    for (const { url, preview } of list) {
      try {
        const tr = [...document.querySelectorAll('tr.conn')].find((r) => r.querySelector('td.url')?.getAttribute('title') === url);
        if (!tr) { out.push(`no connection row with the URL ${url}`); continue; }
        (tr as HTMLElement).click();
        // Selected, and the frame list narrowed to it: its text frame, its binary frame and its close.
        const previews = () => rowsNow().map((r) => r.querySelector('.preview')?.textContent ?? '');
        await until(() => tr.classList.contains('selected') && previews().includes(preview) && previews().some((p) => p.startsWith('close '))
          && rowsNow().some((r) => r.querySelector('.type')?.textContent === 'binary'), 'the connection\'s rows');
        const cells = tr.querySelectorAll('td');
        const shown: Shown = {
          url: txt(tr.querySelector('td.url')),
          urlTitle: tr.querySelector('td.url')?.getAttribute('title') ?? '(missing)',
          protocol: txt(cells[2]),
          close: txt(tr.querySelector('td.close')),
          frameColumn: txt(tr.querySelector('td.origin')),
          rows: previews(),
          detailUrl: '',
          text: await openRow(url, 'text', 'Text'),
          utf8: await openRow(url, 'binary', 'UTF-8'),
        };
        shown.detailUrl = txt(document.querySelector('.detail .detail-url'));
        out.push(shown);
      } catch (e) {
        out.push(`${url}: ${(e as Error).message}`);
      }
    }
    // Back to all connections.
    (document.querySelector('.connections .section-head button') as HTMLElement).click();
    return out;
  }, items);
}

/** What the panel must show of the live page's sockets: every payload as the literal string. */
export function expectedLive(closes: PageClose[], pageOrigin: string): Shown[] {
  return closes.map((c, i) => {
    const p = XSS_CORPUS[i]!;
    return {
      url: c.url, urlTitle: c.url, protocol: '', close: `4000 Application: ${p}`, frameColumn: pageOrigin, detailUrl: c.url, text: p, utf8: p,
      rows: expect.arrayContaining([connectingText(c.url, []), framePreview({ type: 'text', data: p }), expect.stringContaining(`close 4000 Application: ${p}`)]) as unknown as string[],
    };
  });
}

/** What the panel must show of xssSessionFile(): the payload in every column and row, as is. */
export function expectedImported(): Shown[] {
  const originOr = (u: string) => { try { const o = new URL(u).origin; return o === 'null' ? u : o; } catch { return u; } };
  return XSS_CORPUS.map((p) => ({
    url: p, urlTitle: p, protocol: p, close: `4000 Application: ${p}`, frameColumn: originOr(p), detailUrl: p, text: p, utf8: p,
    rows: expect.arrayContaining([connectingText(p, [p]), framePreview({ type: 'text', data: p }), closeText({ code: 4000, reason: p, wasClean: true, initiator: 'server' })]) as unknown as string[],
  }));
}

export const previewsOf = (urls: string[]) => urls.map((url, i) => ({ url, preview: framePreview({ type: 'text', data: XSS_CORPUS[i]! }) }));

/** The imported file's notes: the filter query and the redacted keys, as text. */
export function importedNotes(panel: PanelDoc): Promise<{ text: string | null; keys: string | null | undefined }> {
  return panel.evaluate(() => {
    const el = document.querySelector('.imported-notes')!;
    return { text: el.textContent, keys: el.querySelector('[title^="Keys: "]')?.getAttribute('title') };
  });
}

/** Starts counting CSP violations: an inline handler that CSP blocked is still markup that got in. */
export async function watchCsp(panel: PanelDoc): Promise<void> {
  await panel.evaluate(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
export const cspViolations = (panel: PanelDoc) => panel.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** The sentinel every payload sets when it runs. */
export const pwned = (w: PanelDoc) => w.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

/** Anything in the panel's DOM that markup from a payload would have made. */
export function injectedMarkup(panel: PanelDoc): Promise<string[]> {
  return panel.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) bad.push(`<${el.localName} ${a.name}>`);
        if (/^(href|src|action|formaction|data|srcdoc|xlink:href|style)$/i.test(a.name) && /javascript:|data:text|srcdoc|url\(/i.test(a.value)) bad.push(`<${el.localName} ${a.name}=${a.value}>`);
      }
    }
    for (const el of document.querySelectorAll('script')) if (!el.src.startsWith(`${location.origin}/assets/`)) bad.push(`script ${el.outerHTML.slice(0, 80)}`);
    const tags = 'img,iframe,frame,object,embed,video,audio,source,base,meta,link,marquee,math,details,form,noscript,style,xss,title,body';
    // The throughput chart's bars carry an SVG <title> each (their tooltip): those are the panel's own.
    for (const el of document.body.querySelectorAll(tags)) if (!(el.localName === 'title' && el.closest('.chart svg g.bucket'))) bad.push(`<${el.localName}> in the body`);
    for (const el of document.querySelectorAll('svg')) if (!el.getAttribute('viewBox')?.startsWith('0 0 100 ')) bad.push('an <svg> that is not the throughput chart');
    return bad;
  });
}

/**
 * The page's very first script forges the hook's handshake before the real one is delivered (a
 * posted message arrives in a later task; a dispatched event arrives at once), fishes for ports
 * and broadcast channels, and posts relay- and hook-shaped messages. Everything the extension
 * might answer on a port the page holds lands in window.heard. Then a genuine socket to
 * /forge-echo sends "genuine".
 */
export const FORGE_EARLY_PAGE = `<!doctype html><html><head><script>
  // The very first script: it runs before the hook's own handshake message is delivered.
  window.heard = [];
  const forged = (sock, text) => ({ v: 1, t: 'events', dropped: { frames: 0, bytes: 0 }, events: [
    { k: 'create', sock, at: Date.now(), url: 'ws://forged.example/' + text, protocols: [] },
    { k: 'frame', sock, at: Date.now(), dir: 'received', data: 'FORGED ' + text },
  ] });
  const listen = (port, name) => { port.onmessage = (e) => heard.push({ name, data: JSON.stringify(e.data) }); };
  // 1. A synthetic MessageEvent that looks exactly like the hook's handshake, dispatched synchronously.
  const a = new MessageChannel();
  listen(a.port1, 'synthetic handshake');
  window.dispatchEvent(new MessageEvent('message', { data: { __sockscope_handshake_v1__: true }, source: window, origin: location.origin, ports: [a.port2] }));
  a.port1.postMessage(forged(101, 'via synthetic handshake'));
  // 2. The same dispatched on document (the event's path still reaches window's listeners).
  const b = new MessageChannel();
  listen(b.port1, 'document handshake');
  document.dispatchEvent(new MessageEvent('message', { data: { __sockscope_handshake_v1__: true }, source: window, ports: [b.port2] }));
  b.port1.postMessage(forged(102, 'via document'));
  // 3. Every port the page can lay hands on: ports of any message event it sees, and broadcast channels.
  addEventListener('message', (e) => { for (const p of e.ports) { listen(p, 'fished port'); p.postMessage(forged(103, 'via fished port')); } }, true);
  for (const name of ['sockscope', 'sockscope-relay', 'sockscope-panel', '__sockscope_handshake_v1__']) {
    const bc = new BroadcastChannel(name);
    bc.onmessage = (e) => heard.push({ name: 'broadcast ' + name, data: JSON.stringify(e.data) });
    bc.postMessage(forged(104, 'via broadcast'));
  }
  // 4. A forged "ready" back to the hook side, and commands, on window.
  postMessage({ v: 1, t: 'ready' }, '*');
  postMessage({ v: 1, t: 'command', id: 1, cmd: { op: 'send', sock: 1, data: 'FORGED command' } }, '*');

  const ws = new WebSocket('ws://' + location.host + '/forge-echo');
  ws.onopen = () => ws.send('genuine');
</script></head><body></body></html>`;
