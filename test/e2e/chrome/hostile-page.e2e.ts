/**
 * Chromium, real DevTools panel: what a hostile page (or file) must fail to do.
 * - run script in the panel through the URL, protocols, close reason or payloads (XSS corpus);
 * - take over the private channel with a handshake forged before the real one, or fish for ports;
 * - read another frame's capture, or find anything captured on its window, DOM or events;
 * - escape capture through a fresh iframe's or a popup's WebSocket, or by redefining WebSocket.
 * Crashing the panel with huge, deep or invalid data is in hostile-data.e2e.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page, Target } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, panelText, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { XSS_CORPUS } from '../../fixtures/xss-corpus';
import {
  cspViolations, expectedImported, expectedLive, importedNotes, injectedMarkup, previewsOf, pwned, readConnections, waitForXssCloses,
  watchCsp, xssSessionFile, xssSocketHandler, XSS_FILE_NAME, XSS_LIVE_PAGE, FORGE_EARLY_PAGE,
} from '../../support/hostile-pages';

let server: TestServer;
let chrome: ChromeSession;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-hostile-'));

beforeAll(async () => {
  server = await startTestServer();
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: XSS strings show as text and run nothing', () => {
  let devtools: Page;
  let page: Page;
  let panel: Frame;
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ page, devtools } = await newInspectedPage(chrome.browser));
    devtools.on('dialog', (d) => { dialogs.push(`devtools: ${d.message()}`); void d.dismiss(); });
    page.on('dialog', (d) => { dialogs.push(`page: ${d.message()}`); void d.dismiss(); });
    panel = await showPanel(devtools);
    await watchCsp(panel);
  });

  test('the corpus has at least 50 payloads, each fits a close reason', () => {
    expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(XSS_CORPUS).size).toBe(XSS_CORPUS.length);
    for (const p of XSS_CORPUS) expect(Buffer.byteLength(p, 'utf8'), p).toBeLessThanOrEqual(123);
  });

  test('from a live page: in the URL, the frames (text and binary) and the close reason', async () => {
    server.onSocket('/xss', xssSocketHandler);
    server.page('/xss', XSS_LIVE_PAGE);
    await page.goto(`${server.origin}/xss`);
    const closes = await waitForXssCloses(page);
    // The page itself got every payload back intact as the close reason.
    expect(closes.map((c) => c.reason)).toEqual(XSS_CORPUS);
    const n = XSS_CORPUS.length;
    await waitForCounts(panel, n, 5 * n, 60_000);
    const t0 = Date.now();
    const shown = await readConnections(panel, previewsOf(closes.map((c) => c.url)));
    console.log(`[measure] hostile-page: read ${n} connections and 2 frames each in the panel in ${Date.now() - t0} ms`);
    expect(shown).toEqual(expectedLive(closes, server.origin));
  });

  test('from an opened session file: in the URL, protocols, close reason, frame URL, notes and file name', async () => {
    const path = join(dir, XSS_FILE_NAME);
    writeFileSync(path, JSON.stringify(xssSessionFile()));
    await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
    await panel.waitForFunction(() => !document.querySelector('.import-progress') && document.querySelector('.session-tab.active'), { timeout: 60_000 });
    const n = XSS_CORPUS.length;
    await waitForCounts(panel, n, 2 * n);
    expect(await panel.evaluate(() => document.querySelector('.session-tab.active [role=tab]')?.textContent)).toBe(XSS_FILE_NAME);
    const notes = await importedNotes(panel);
    expect(notes.text).toContain(`filtered export (${XSS_CORPUS.join(' ')}) of 9999 frames`);
    expect(notes.keys).toBe(`Keys: ${XSS_CORPUS.join(', ')}`);
    expect(await readConnections(panel, previewsOf([...XSS_CORPUS]))).toEqual(expectedImported());
    await (await panel.waitForSelector(`::-p-aria(Close ${XSS_FILE_NAME}[role="button"])`))!.click();
  });

  test('no script ran anywhere, no dialog opened, and no markup from a payload is in the panel', async () => {
    await new Promise((r) => setTimeout(r, 300)); // a late onerror would fire by now
    expect(await pwned(panel)).toBeUndefined();
    expect(await pwned(devtools)).toBeUndefined();
    expect(await pwned(page)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await cspViolations(panel)).toEqual([]);
    expect(await injectedMarkup(panel)).toEqual([]);
    // The panel still answers: the live capture is all there (whether or not the file's tab was closed above).
    await (await panel.waitForSelector('::-p-aria(● Live[role="tab"])'))!.click();
    await waitForCounts(panel, XSS_CORPUS.length, 5 * XSS_CORPUS.length);
  });
});

describe('Chromium: a hostile page cannot take over or read the capture', () => {
  test('a handshake forged before the real one (a synthetic event in the first script) is not taken; port fishing finds nothing', async () => {
    server.page('/forge-early', FORGE_EARLY_PAGE);
    const { page, devtools } = await newInspectedPage(chrome.browser);
    const panel = await showPanel(devtools);
    await page.goto(`${server.origin}/forge-early`);
    await server.waitFor(() => server.sockets.find((s) => s.path === '/forge-echo')?.received.length, 'the genuine frame at the server');
    // Whatever the panel comes to show (forged or genuine), it shows it within this wait.
    await waitForCounts(panel, 1, 2, 60_000).catch(() => { /* the checks below say what is wrong */ });
    await new Promise((r) => setTimeout(r, 500)); // time for any forged event to show, if it could

    // Nothing of the extension ever answered on a port or channel the page holds (a relay that took
    // a forged port would say "ready" on it, and send it the panel's commands and rules).
    expect(await page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).toEqual([]);
    const text = await panelText(panel);
    expect(text).not.toContain('FORGED');
    expect(text).not.toContain('forged.example');
    // …and the genuine socket is captured (a relay that took a forged port has cut the hook off).
    const session = await exportSession(panel, chrome.downloads);
    expect(session.connections.map((c) => new URL(c.url).pathname)).toEqual(['/forge-echo']);
    expect(session.frames.map((f) => f.text)).toEqual(['genuine', 'genuine']);
    expect(server.sockets.flatMap((s) => s.received.map((r) => r.data.toString()))).not.toContain('FORGED command');
    await page.close();
  });

  test('a cross-origin iframe and its parent see nothing of each other\'s capture, and nothing captured reaches window, DOM or events', async () => {
    // The same probe in both frames: it records every message event and DOM change, then looks
    // for the secret (its own and the other frame's) everywhere a page can look.
    const probe = (role: string) => `<script>
      window.seen = [];
      addEventListener('message', (e) => seen.push('message ' + JSON.stringify(e.data) + ' ports ' + e.ports.length), true);
      addEventListener('messageerror', () => seen.push('messageerror'), true);
      // The parser's own insertions (the body, the iframe, text) are the page's; anything else is not.
      new MutationObserver((ms) => { for (const m of ms) if (m.type === 'attributes' || [...m.addedNodes].some((n) => n.nodeType === 1 && !['BODY', 'IFRAME'].includes(n.nodeName))) seen.push('mutation ' + m.type + ' ' + (m.attributeName || [...m.addedNodes].map((n) => n.nodeName))); })
        .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      const secret = 'SECRET-${role}-' + Math.random().toString(36).slice(2);
      window.mySecret = secret;
      const ws = new WebSocket('ws://' + location.host + '/isolation-${role}');
      ws.onopen = () => ws.send(secret);
      ws.onmessage = () => { window.echoed = true; };
      window.lookFor = (needles) => {
        const found = [];
        const has = (s) => typeof s === 'string' && needles.some((n) => s.toLowerCase().includes(n.toLowerCase()));
        if (has(document.documentElement.outerHTML)) found.push('DOM');
        if (has(document.cookie)) found.push('cookie');
        for (const st of [localStorage, sessionStorage]) for (let i = 0; i < st.length; i++) if (has(st.key(i)) || has(st.getItem(st.key(i)))) found.push('storage');
        for (const k of Object.getOwnPropertyNames(window)) {
          if (k === 'mySecret' || k === 'seen' || k === 'lookFor') continue;
          if (has(k)) found.push('global name ' + k);
          let v; try { v = window[k]; } catch { continue; }
          if (has(v)) found.push('global ' + k);
          else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) { try { if (has(JSON.stringify(v))) found.push('global ' + k); } catch {} }
        }
        for (const s of seen) if (has(s)) found.push('event ' + s);
        return found;
      };
    </script>`;
    server.page('/isolation-top', `<!doctype html><html><head>${probe('top')}</head><body><iframe src="${server.altOrigin}/isolation-child"></iframe></body></html>`);
    server.page('/isolation-child', `<!doctype html><html><head>${probe('child')}</head><body></body></html>`);
    const { page, devtools } = await newInspectedPage(chrome.browser);
    const panel = await showPanel(devtools);
    await page.goto(`${server.origin}/isolation-top`);
    const child = await (async () => {
      for (let i = 0; i < 100; i++) {
        const f = page.frames().find((x) => x.url().endsWith('/isolation-child'));
        if (f) return f;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the iframe never loaded');
    })();
    await page.waitForFunction(() => (window as unknown as { echoed?: boolean }).echoed, { polling: 100 });
    await child.waitForFunction(() => (window as unknown as { echoed?: boolean }).echoed, { polling: 100 });
    await waitForCounts(panel, 2, 4);
    const secrets = [await page.evaluate(() => (window as unknown as { mySecret: string }).mySecret), await child.evaluate(() => (window as unknown as { mySecret: string }).mySecret)];
    // Captured, both of them: the panel has what the frames must not.
    const session = await exportSession(panel, chrome.downloads);
    expect(session.frames.filter((f) => f.direction === 'sent').map((f) => f.text).sort()).toEqual([...secrets].sort());
    expect(new Set(session.connections.map((c) => new URL(c.frameUrl).origin))).toEqual(new Set([server.origin, server.altOrigin]));

    const look = (f: Frame) => f.evaluate((n: string[]) => (window as unknown as { lookFor(n: string[]): string[] }).lookFor(n), [...secrets, 'sockscope']);
    // Each frame's own secret is in its own globals (the probe put it there): only other places count.
    expect(await look(page.mainFrame())).toEqual([]);
    expect(await look(child)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    expect(await child.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    await page.close();
  });
});

describe('Chromium: a page cannot escape capture', () => {
  const CASES = [
    'iframe-sync', 'iframe-src-about-blank-sync', 'nested-iframe-sync', 'iframe-later',
    'subclass', 'defineProperty-wrapper', 'deleted-then-prototype-constructor', 'reflect-construct',
  ];

  test('sockets made through a fresh about:blank iframe\'s WebSocket, or after WebSocket is redefined, are all captured', async () => {
    server.page('/escape', `<!doctype html><html><body><script>
      window.escapeErrors = [];
      const url = (name) => 'ws://' + location.host + '/escape/' + name;
      const run = (name, make) => {
        try { const ws = make(url(name)); ws.onopen = () => ws.send('escape ' + name); } catch (e) { escapeErrors.push(name + ': ' + e); }
      };
      // A new iframe's window has a WebSocket of its own, usable synchronously after append:
      // before the browser may have run any content script in it.
      run('iframe-sync', (u) => { const f = document.createElement('iframe'); document.body.append(f); return new f.contentWindow.WebSocket(u); });
      run('iframe-src-about-blank-sync', (u) => { const f = document.createElement('iframe'); f.src = 'about:blank'; document.body.append(f); return new f.contentWindow.WebSocket(u); });
      run('nested-iframe-sync', (u) => {
        const f = document.createElement('iframe'); document.body.append(f);
        const g = f.contentDocument.createElement('iframe'); f.contentDocument.body.append(g);
        return new g.contentWindow.WebSocket(u);
      });
      const later = document.createElement('iframe'); document.body.append(later);
      setTimeout(() => run('iframe-later', (u) => new later.contentWindow.WebSocket(u)), 50);
      // Redefining window.WebSocket after the hook.
      const Saved = WebSocket;
      run('reflect-construct', (u) => Reflect.construct(Saved, [u]));
      window.WebSocket = class extends Saved {};
      run('subclass', (u) => new WebSocket(u));
      Object.defineProperty(window, 'WebSocket', { configurable: true, writable: true, value: function WebSocket(u, p) { return new Saved(u, p); } });
      run('defineProperty-wrapper', (u) => new WebSocket(u));
      const proto = Saved.prototype;
      delete window.WebSocket;
      run('deleted-then-prototype-constructor', (u) => new proto.constructor(u));
    </script></body></html>`);
    const { page, devtools } = await newInspectedPage(chrome.browser);
    const panel = await showPanel(devtools);
    await page.goto(`${server.origin}/escape`);
    await server.waitFor(() => CASES.every((c) => server.sockets.find((s) => s.path === `/escape/${c}`)?.received.length), 'every case reaching the server');
    expect(await page.evaluate(() => (window as unknown as { escapeErrors: string[] }).escapeErrors)).toEqual([]);
    // Every case's socket and frame, whatever happens to reach the panel (a missing one is a socket that escaped).
    await waitForCounts(panel, CASES.length, CASES.length, 60_000).catch(() => { /* the export below says which case is missing */ });
    const session = await exportSession(panel, chrome.downloads);
    const captured = (c: string) => session.connections.some((x) => x.url.endsWith(`/escape/${c}`)) && session.frames.some((f) => f.text === `escape ${c}` && f.direction === 'sent');
    expect(Object.fromEntries(CASES.map((c) => [c, captured(c)]))).toEqual(Object.fromEntries(CASES.map((c) => [c, true])));
    await page.close();
  });

  test('a socket made synchronously through a popup\'s WebSocket (window.open(\'about:blank\')) is captured in the popup\'s tab', async () => {
    server.page('/opener', '<!doctype html><title>opener</title>');
    const { page } = await newInspectedPage(chrome.browser);
    await page.goto(`${server.origin}/opener`);
    const popupOpened = new Promise<Page>((resolve) => page.once('popup', (p) => { if (p) resolve(p); }));
    // The browser opens DevTools on every new tab, the popup too: its DevTools window is the new one.
    const isDevTools = (t: Target) => t.url().startsWith('devtools://devtools/bundled/devtools_app.html');
    const devtoolsBefore = new Set(chrome.browser.targets().filter(isDevTools));
    // evaluate() runs with a user gesture, so the popup is allowed.
    const err = await page.evaluate(() => {
      try {
        const w = window.open('about:blank')!;
        const ws = new (w as unknown as typeof globalThis).WebSocket(`ws://${location.host}/escape/popup-sync`);
        ws.onopen = () => ws.send('escape popup-sync');
        return '';
      } catch (e) { return String(e); }
    });
    expect(err).toBe('');
    await server.waitFor(() => server.sockets.find((s) => s.path === '/escape/popup-sync')?.received.length, 'the popup socket at the server');
    const popup = await popupOpened;
    const popupDevTools = await chrome.browser.waitForTarget((t) => isDevTools(t) && !devtoolsBefore.has(t), { timeout: 60_000 });
    const panel = await showPanel((await popupDevTools.asPage())!);
    await waitForCounts(panel, 1, 1, 60_000).catch(() => { /* the export below says what is missing */ });
    const session = await exportSession(panel, chrome.downloads);
    expect(session.connections.map((c) => new URL(c.url).pathname)).toEqual(['/escape/popup-sync']);
    expect(session.frames.filter((f) => f.direction === 'sent').map((f) => f.text)).toEqual(['escape popup-sync']);
    await popup.close();
    await page.close();
  });
});
