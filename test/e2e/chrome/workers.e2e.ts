/**
 * Chromium, real DevTools panel: sockets opened inside dedicated workers (classic, module, and a
 * classic one whose script uses relative importScripts, fetch and socket URLs) are captured,
 * labelled with their worker, exported, and reachable by the panel's commands; the workers
 * behave and report to the page exactly as without the extension. Under a strict worker-src CSP
 * the worker still runs and the panel says it is not captured, and why.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { clickButton, composeMessage, expectCommandResult, exportSession, panelText, selectFrameRow, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { expectedFrameReports, expectedTwiceReplies, expectOneSharedInstance, expectSharedExport, expectWorkerErrors, expectWorkerExport, expectWorkerReports, serveWorkerPages, sharedReplies, waitForWorkerPage } from '../../support/worker-pages';
import type { SessionFileV1 } from '../../../src/session/session-format';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let panel: Frame;
let session: SessionFileV1;

type Reports = Record<'classic' | 'module' | 'imports', Record<string, unknown>[]>;
const reports = () => page.evaluate(() => (window as unknown as { reports: Reports }).reports);

const click = (name: string) => clickButton(panel, name);
const selectRow = (text: string) => selectFrameRow(panel, text);
const compose = (socketPath: string, text: string) => composeMessage(panel, socketPath, text);
const expectResult = (expected: string) => expectCommandResult(panel, expected);

beforeAll(async () => {
  server = await startTestServer();
  serveWorkerPages(server);
  chrome = await launchChrome({ devtools: true });
  ({ page } = await newInspectedPage(chrome.browser).then(async ({ page: p, devtools }) => {
    panel = await showPanel(devtools);
    return { page: p };
  }));
  await page.goto(`${server.origin}/workers/page.html`);
  await waitForWorkerPage(page);
  await waitForCounts(panel, 3, 8);
  session = await exportSession(panel, chrome.downloads);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

describe('Chromium: sockets in dedicated workers', () => {
  test("each worker's messages to the page are exactly what it observes natively", async () => {
    await expectWorkerReports(page, server.origin);
  });

  test('a script that fails to load, and one that throws, reach the page as native reports them', async () => {
    expectWorkerErrors(await page.evaluate(() => (window as unknown as { errors: unknown[] }).errors), server.origin, 'Uncaught Error: boom from the worker');
  });

  test('every worker socket is in the export with its worker, and its frames match the server', () => {
    expectWorkerExport(session, server);
  });

  test('the connection list says which worker opened each socket', async () => {
    const text = await panelText(panel);
    expect(text).toContain('Worker classic.js');
    expect(text).toContain('Worker module.mjs');
    expect(text).toContain('Worker imports.js');
  });

  test('resend, inject and close reach the worker socket', async () => {
    await selectRow('classic hello');
    await click('Resend');
    await expectResult('status: Resent to the server.');
    const sock = server.sockets.find((s) => s.path === '/workers/w-classic')!;
    await server.waitFor(() => sock.received.length === 3, 'the resent frame');
    expect(sock.received.at(-1)!.data.toString()).toBe('classic hello');
    // The echo of the resent frame reaches the worker, which tells the page.
    await page.waitForFunction(() => (window as unknown as { reports: Reports }).reports.classic.some((x) => x.later === 'classic hello'));

    await compose('/workers/w-classic', 'injected into the worker');
    await click('Inject as incoming');
    await expectResult('status: Delivered to the page as an incoming message.');
    await page.waitForFunction(() => (window as unknown as { reports: Reports }).reports.classic.some((x) => x.later === 'injected into the worker'));
    expect(sock.received).toHaveLength(3);

    await panel.evaluate(() => {
      const set = (sel: string, v: string) => { const i = document.querySelector(sel) as HTMLInputElement; i.value = v; i.dispatchEvent(new Event('input', { bubbles: true })); };
      set('input[aria-label="Close code"]', '4321');
      set('input[aria-label="Close reason"]', 'closed from the panel');
    });
    await click('Close socket');
    await page.waitForFunction(() => (window as unknown as { reports: Reports }).reports.classic.some((x) => x.closed));
    expect((await reports()).classic.find((x) => x.closed)!.closed).toEqual([4321, 'closed from the panel', true]);
  });

  test('terminating a worker ends its sockets in the panel (no close event can fire inside it)', async () => {
    await page.evaluate(() => (window as unknown as { workers: { w2: Worker } }).workers.w2.terminate());
    await panel.waitForFunction(() => [...document.querySelectorAll('tr.conn')].some((r) => r.textContent!.includes('w-module') && r.textContent!.includes('1006 Abnormal Closure')));
    // The composer offers open sockets only: the terminated worker's socket is no longer one.
    await click('Compose');
    expect(await panel.evaluate(() => [...document.querySelectorAll('select[aria-label=Socket] option')].map((o) => o.textContent))).not.toContainEqual(expect.stringContaining('w-module'));
  });
});

describe('Chromium: a strict worker-src CSP', () => {
  let cspPage: Page;
  let cspPanel: Frame;
  beforeAll(async () => {
    const opened = await newInspectedPage(chrome.browser);
    cspPage = opened.page;
    cspPanel = await showPanel(opened.devtools);
    await cspPage.goto(`${server.origin}/workers/csp.html`);
    await cspPage.waitForFunction(() => (window as unknown as { reports: unknown[] }).reports.length === 1, { timeout: 60_000 });
  });

  test('the worker still runs, gets the message posted while it started, and its socket works', async () => {
    expect(await cspPage.evaluate(() => (window as unknown as { reports: unknown[] }).reports)).toEqual([
      { kind: 'csp', href: `${server.origin}/workers/csp-worker.js`, echoes: ['csp hello go-csp'] },
    ]);
    expect(server.sockets.find((s) => s.path === '/workers/w-csp')!.received.map((x) => x.data.toString())).toEqual(['csp hello go-csp']);
    // The refusal was of Sockscope's wrapper, not of anything the page did: the page is not told.
    expect(await cspPage.evaluate(() => (window as unknown as { violations: unknown[] }).violations)).toEqual([]);
  });

  test('the panel says the worker is not captured, and why; the export says so too', async () => {
    await cspPanel.waitForSelector('::-p-aria(Workers not captured)');
    const text = await panelText(cspPanel);
    expect(text).toContain(`Not captured: Worker (classic) ${server.origin}/workers/csp-worker.js`);
    expect(text).toContain("The page's Content-Security-Policy does not allow blob: workers (worker-src)");
    const s = await exportSession(cspPanel, chrome.downloads);
    expect(s.connections).toEqual([]);
    expect(s.notices).toEqual([{ at: expect.any(Number), frameUrl: `${server.origin}/workers/csp.html`, worker: { kind: 'dedicated', type: 'classic', url: `${server.origin}/workers/csp-worker.js` }, reason: expect.stringContaining('worker-src') }]);
  });
});

describe('Chromium: a worker started by an iframe, and one started by a worker', () => {
  test('the iframe worker is captured and labelled; the nested one runs and is listed as not captured', async () => {
    const opened = await newInspectedPage(chrome.browser);
    const p = await showPanel(opened.devtools);
    await opened.page.goto(`${server.origin}/workers/framed.html`);
    await opened.page.waitForFunction(() => (window as unknown as { fromFrame: unknown[] }).fromFrame.length === 2, { timeout: 60_000 });
    const got = await opened.page.evaluate(() => (window as unknown as { fromFrame: unknown[] }).fromFrame);
    expect(got).toHaveLength(2);
    expect(got).toEqual(expect.arrayContaining(expectedFrameReports(server.origin)));
    await waitForCounts(p, 1, 2);
    await p.waitForSelector('::-p-aria(Workers not captured)');
    const text = await panelText(p);
    expect(text).toContain('Worker inner-worker.js');
    expect(text).toContain(`Not captured: Worker (classic) ${server.origin}/workers/nested.js`);
    const s = await exportSession(p, chrome.downloads);
    expect(s.connections.map((c) => [c.frameUrl, c.worker])).toEqual([[`${server.origin}/workers/frame-inner.html`, { kind: 'dedicated', type: 'classic', url: `${server.origin}/workers/inner-worker.js` }]]);
  });
});

describe('Chromium: workers from blob: URLs the page revokes at once', () => {
  test('they run and report as native, and their sockets are captured', async () => {
    const opened = await newInspectedPage(chrome.browser);
    const p = await showPanel(opened.devtools);
    await opened.page.goto(`${server.origin}/workers/blob.html`);
    await opened.page.waitForFunction(() => (window as unknown as { blobReports: unknown[] }).blobReports.length === 2 && (window as unknown as { goneFetch?: string }).goneFetch, { timeout: 60_000 });
    const got = await opened.page.evaluate(() => [(window as unknown as { blobReports: { kind: string }[] }).blobReports.sort((a, b) => a.kind.localeCompare(b.kind)), (window as unknown as { goneFetch: string }).goneFetch]);
    expect(got).toEqual([[{ kind: 'classic', echo: 'blob hello classic', protocol: 'blob:' }, { kind: 'module', echo: 'blob hello module', protocol: 'blob:' }], 'failed']);
    await waitForCounts(p, 2, 4);
    const s = await exportSession(p, chrome.downloads);
    expect(s.connections.map((c) => [c.url.replace(/.*\//, ''), c.worker?.type, c.worker?.url.startsWith(`blob:${server.origin}/`)]).sort()).toEqual([['w-blob-classic', 'classic', true], ['w-blob-module', 'module', true]]);
  });
});

describe('Chromium: a page that spies on the builtins the hooks use', () => {
  test('is never handed a worker\'s private port, and its worker is still captured', async () => {
    const opened = await newInspectedPage(chrome.browser);
    const p = await showPanel(opened.devtools);
    await opened.page.goto(`${server.origin}/workers/spy.html`);
    await opened.page.waitForFunction(() => (window as unknown as { reports: unknown[] }).reports.length === 1, { timeout: 60_000 });
    // Terminating ran the hook's clean-up too; give any late spy call its chance.
    await new Promise((r) => setTimeout(r, 300));
    expect(await opened.page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    // The worker's own capturing listener saw no message of ours either (it would report `marks`).
    expect(await opened.page.evaluate(() => (window as unknown as { reports: unknown[] }).reports)).toEqual([{ kind: 'csp', href: `${server.origin}/workers/csp-worker.js`, echoes: ['csp hello go-spy'] }]);
    await waitForCounts(p, 1, 2);
    expect(await panelText(p)).toContain('csp hello go-spy');
  });
});

describe('Chromium: a SharedWorker used by two tabs', () => {
  test.each([['classic', 'shared.html', 'w-shared', 'hub'], ['module', 'shared-module.html', 'w-shared-module', 'mhub']] as const)(
    '%s: both tabs share one instance, unchanged; each panel has its socket and frames, exported; send, inject and close reach it from either panel', async (type, pageName, socket, name) => {
      const tabs = [await newInspectedPage(chrome.browser), await newInspectedPage(chrome.browser)];
      const panels = await Promise.all(tabs.map((t) => showPanel(t.devtools)));
      const replies: unknown[] = [];
      for (const t of tabs) {
        await t.page.goto(`${server.origin}/workers/${pageName}`);
        replies.push(...await sharedReplies(t.page, 1));
      }
      // One instance: the second tab is its second connection; the worker saw its own URL, name and imports.
      const { sock, script, file } = expectOneSharedInstance(replies, server, type, socket);
      // Each tab's panel has the socket, labelled with its worker, and all its frames: the second
      // tab's panel also shows those sent before it connected.
      for (const p of panels) {
        await waitForCounts(p, 1, 4);
        expect(await panelText(p)).toContain(`SharedWorker ${file}`);
      }
      await composeMessage(panels[1]!, `/workers/${socket}`, 'from the second panel');
      await clickButton(panels[1]!, 'Send to server');
      await expectCommandResult(panels[1]!, 'status: Sent to the server.');
      await server.waitFor(() => sock.received.length === 3, 'the panel\'s frame');
      const sent = sock.received.map((x) => x.data.toString());
      expect(sent).toEqual([`hello ${file} 1`, `hello ${file} 2`, 'from the second panel']);
      for (const p of panels) {
        await waitForCounts(p, 1, 6);
        expectSharedExport(await exportSession(p, chrome.downloads), socket, { kind: 'shared', type, url: script, name }, sent);
      }
      // From the first panel: inject into the worker (both panels see the frame), then close it.
      await composeMessage(panels[0]!, `/workers/${socket}`, 'injected into the shared worker');
      await clickButton(panels[0]!, 'Inject as incoming');
      await expectCommandResult(panels[0]!, 'status: Delivered to the page as an incoming message.');
      for (const p of panels) await waitForCounts(p, 1, 7);
      await panels[0]!.evaluate(() => {
        const set = (sel: string, v: string) => { const i = document.querySelector(sel) as HTMLInputElement; i.value = v; i.dispatchEvent(new Event('input', { bubbles: true })); };
        set('input[aria-label="Close code"]', '4321');
        set('input[aria-label="Close reason"]', 'closed from the panel');
      });
      await clickButton(panels[0]!, 'Close socket');
      await server.waitFor(() => sock.ws.readyState === sock.ws.CLOSED, 'the socket closed from the panel');
      for (const p of panels) await p.waitForFunction(() => [...document.querySelectorAll('tr.conn')].some((r) => r.textContent!.includes('4321')), { timeout: 60_000 });
      for (const t of tabs) await t.page.close();
    });

  test('a third tab joins the same instance after the first tab, whose wrapper it was, has closed', async () => {
    const tabs = [await newInspectedPage(chrome.browser), await newInspectedPage(chrome.browser)];
    for (const t of tabs) {
      await t.page.goto(`${server.origin}/workers/shared.html`);
      await sharedReplies(t.page, 1);
    }
    await tabs[0]!.page.close();
    const third = await newInspectedPage(chrome.browser);
    const panel3 = await showPanel(third.devtools);
    await third.page.goto(`${server.origin}/workers/shared.html`);
    const [reply] = await sharedReplies(third.page, 1);
    expect(reply).toMatchObject({ n: 3, echo: 'hello shared.js 3', href: `${server.origin}/workers/shared.js`, name: 'hub' });
    const sock = server.sockets.filter((x) => x.path === '/workers/w-shared').at(-1)!;
    expect(sock.received.map((x) => x.data.toString())).toEqual(['hello shared.js 1', 'hello shared.js 2', 'hello shared.js 3']);
    // The third tab's panel has every frame of the socket, those of tabs that came before it too.
    await waitForCounts(panel3, 1, 6);
    for (const t of [tabs[1]!, third]) await t.page.close();
  });

  test('two SharedWorker objects of one page join one instance; its panel shows the socket once', async () => {
    const { page: p, devtools } = await newInspectedPage(chrome.browser);
    const pp = await showPanel(devtools);
    await p.goto(`${server.origin}/workers/shared-twice.html`);
    await p.waitForFunction(() => (window as unknown as { replies: unknown[] }).replies.length === 2, { timeout: 60_000, polling: 100 });
    const replies = await p.evaluate(() => (window as unknown as { replies: { n: number }[] }).replies.sort((a, b) => a.n - b.n));
    expect(replies).toEqual(expectedTwiceReplies(server.origin));
    await waitForCounts(pp, 1, 4);
    // Exactly: the second object's connection streams nothing twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(await pp.evaluate(() => [document.querySelector('[data-testid=connection-count]')?.textContent, document.querySelector('[data-testid=counts]')?.textContent]))
      .toEqual([expect.stringMatching(/^1 connection\b/), expect.stringMatching(/\b4 of 4 frames$/)]);
    await p.close();
  });

  test('a reloaded page\'s SharedWorker is captured again (the old document\'s wrapper is gone)', async () => {
    const { page: p, devtools } = await newInspectedPage(chrome.browser);
    const pp = await showPanel(devtools);
    for (const load of [() => p.goto(`${server.origin}/workers/shared-twice.html`), () => p.reload()]) {
      await load();
      await p.waitForFunction(() => (window as unknown as { replies: unknown[] }).replies.length === 2, { timeout: 60_000, polling: 100 });
      await waitForCounts(pp, 1, 4);
    }
    // A wrapper that failed would have been replaced by a native worker before the replies came, with a notice.
    await new Promise((r) => setTimeout(r, 300));
    expect(await panelText(pp)).not.toContain('Not captured');
    await p.close();
  });

  test('under a worker-src CSP that refuses blob:, it runs unchanged for both tabs, and each panel says it is not captured, and why', async () => {
    const tabs = [await newInspectedPage(chrome.browser), await newInspectedPage(chrome.browser)];
    const panels = await Promise.all(tabs.map((t) => showPanel(t.devtools)));
    const replies: unknown[] = [];
    for (const t of tabs) {
      await t.page.goto(`${server.origin}/workers/shared-csp.html`);
      replies.push(...await sharedReplies(t.page, 1));
    }
    // The page never sees the refusal of our wrapper (no violation event), and the worker is one instance.
    const { script } = expectOneSharedInstance(replies, server, 'csp', 'w-shared-csp');
    // The first tab tried the wrapper and was refused; the second joins the instance natively, as the router tells it.
    const reasons = ["The page's Content-Security-Policy does not allow blob: workers", 'Another page of this site runs this SharedWorker natively'];
    for (const [i, p] of panels.entries()) {
      await p.waitForSelector('::-p-aria(Workers not captured)');
      expect(await panelText(p)).toContain(`Not captured: SharedWorker (classic) ${script}, named "strict" — ${reasons[i]}`);
    }
    for (const t of tabs) await t.page.close();
  });
});
