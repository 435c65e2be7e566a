/**
 * Chromium, the real DevTools panel: each socket's initiator (issue 22). A page's app.js opens a
 * socket in connectFeed() at a known line; the connection list's Initiator column names it, the
 * connecting row's details show the whole stack, and a click on a frame opens app.js at that line
 * in DevTools' own Sources panel (checked in the DevTools frontend's UI, not in ours).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { exportSession, waitForCounts } from '../../support/panel';
import { APP_JS, CALL_LINE, CONNECT_LINE, connectingRowStack } from '../../support/initiator-page';
import { startTestServer, type TestServer } from '../../support/test-server';

let server: TestServer;
let chrome: ChromeSession;

beforeAll(async () => {
  server = await startTestServer();
  server.page('/app.js', APP_JS, { 'content-type': 'text/javascript' });
  server.page('/initiator', '<!doctype html><title>initiator</title><script src="/app.js"></script>');
  chrome = await launchChrome({ devtools: true });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

/** What DevTools' own frontend shows: the selected main panel, and the Sources editor's file and cursor line. */
async function devtoolsState(devtools: Page): Promise<{ panel: string | null; file: string | null; line: string | null }> {
  return devtools.evaluate(() => {
    const all = (root: Document | ShadowRoot, sel: string): Element[] => {
      const out = [...root.querySelectorAll(sel)];
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...all(el.shadowRoot, sel));
      return out;
    };
    const mainTab = all(document, '.tabbed-pane-header-tab.selected').find((t) => t.id.startsWith('tab-'));
    const editorTab = all(document, '.tabbed-pane-header-tab.selected').find((t) => (t.textContent ?? '').includes('.js'));
    // The editor's revealed line: CodeMirror marks it; app.js is short, so every line is rendered from line 1.
    const lines = all(document, '.cm-content .cm-line');
    const at = lines.findIndex((l) => l.classList.contains('cm-highlightedLine') || l.classList.contains('cm-activeLine'));
    return { panel: mainTab?.id ?? null, file: editorTab?.textContent?.trim() ?? null, line: at >= 0 ? String(at + 1) : null };
  });
}

test('the connection names connectFeed in app.js; its stack opens app.js at that line in Sources', async () => {
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/initiator`);
  const panel = await showPanel(devtools);
  await waitForCounts(panel, 1, 2);

  // The Initiator column (shown from 900 px; the DevTools window here is wider).
  const cell = await panel.waitForFunction(() => document.querySelector('tr.conn td.initiator')?.textContent || null);
  expect(await cell.jsonValue()).toBe(`connectFeed app.js:${CONNECT_LINE}`);

  // The export carries the stack: connectFeed, then its caller, with no frame of the extension's.
  const session = await exportSession(panel, chrome.downloads);
  const stack = session.connections[0]!.initiator!.stack;
  expect(stack[0]).toEqual({ fn: 'connectFeed', url: `${server.origin}/app.js`, line: CONNECT_LINE, col: 14 });
  expect(stack[1]).toMatchObject({ fn: '', url: `${server.origin}/app.js`, line: CALL_LINE });
  expect(stack.every((f) => !f.url.startsWith('chrome-extension://'))).toBe(true);

  // The connecting row's details: the whole stack, each frame a link.
  expect(await connectingRowStack(panel)).toEqual([`connectFeed app.js:${CONNECT_LINE}:14`, `(anonymous) app.js:${CALL_LINE}:${stack[1]!.col}`]);

  // A click opens app.js at that line in DevTools' Sources panel.
  await panel.evaluate(() => (document.querySelector('.stack-trace .stack-loc') as HTMLElement).click());
  // Sources may take a while to open on a busy machine: wait on what DevTools shows, up to 60 s.
  let state = await devtoolsState(devtools);
  const until = Date.now() + 60_000;
  while (!(state.panel === 'tab-sources' && state.file?.includes('app.js') && state.line === String(CONNECT_LINE)) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    state = await devtoolsState(devtools);
  }
  expect(state).toEqual({ panel: 'tab-sources', file: 'app.js', line: String(CONNECT_LINE) });
  await page.close();
});
