/**
 * Firefox: sockets in dedicated workers (classic, module, and relative importScripts) are
 * captured, labelled with their worker, exported, and reachable by the panel's commands; the
 * workers report to the page exactly as without the extension. Under a strict worker-src CSP the
 * worker still runs and the panel says it is not captured, and why.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { exportFromPanelTab, FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { composeMessage, waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { expectedFrameReports, expectedTwiceReplies, expectOneSharedInstance, expectSharedExport, expectWorkerErrors, expectWorkerExport, expectWorkerReports, serveWorkerPages, sharedReplies, waitForWorkerPage } from '../../support/worker-pages';
import type { SessionFileV1 } from '../../../src/session/session-format';

let server: TestServer;
let ff: FirefoxSession;
let page: Page;
let panel: Page;
let session: SessionFileV1;

type Reports = Record<'classic' | 'module' | 'imports', Record<string, unknown>[]>;
const reports = () => page.evaluate(() => (window as unknown as { reports: Reports }).reports);
const clickText = (p: Page, scope: string, text: string) => p.evaluate((s: string, t: string) => {
  const b = [...document.querySelectorAll(`${s} button`)].find((x) => x.textContent === t) as HTMLButtonElement | undefined;
  if (!b) throw new Error(`no button ${t}`);
  b.click();
}, scope, text);
const waitResult = (text: string) => panel.waitForFunction((t: string) => document.querySelector('.command-result')?.textContent === t, { timeout: 60_000 }, text);

beforeAll(async () => {
  server = await startTestServer();
  server.page('/blank', '<!doctype html><title>blank</title>');
  serveWorkerPages(server);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  page = await ff.browser.newPage();
  await page.goto(`${server.origin}/workers/page.html`);
  await waitForWorkerPage(page);
  panel = await openPanelTab(ff.browser, server.origin, await relayTabId(page));
  await waitForCounts(panel.mainFrame(), 3, 8);
  session = await exportFromPanelTab(panel);
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

describe('Firefox: sockets in dedicated workers', () => {
  test("each worker's messages to the page are exactly what it observes natively", async () => {
    await expectWorkerReports(page, server.origin);
  });

  test('a script that fails to load, and one that throws, reach the page as native reports them', async () => {
    expectWorkerErrors(await page.evaluate(() => (window as unknown as { errors: unknown[] }).errors), server.origin, 'Error: boom from the worker');
  });

  test('every worker socket is in the export with its worker, and its frames match the server', async () => {
    expectWorkerExport(session, server);
    const text = await panel.evaluate(() => document.body.innerText);
    for (const label of ['Worker classic.js', 'Worker module.mjs', 'Worker imports.js']) expect(text).toContain(label);
  });

  test('resend and inject reach the worker socket', async () => {
    await panel.evaluate(() => {
      const row = [...document.querySelectorAll('.frame-canvas .row.frame')].find((r) => (r as HTMLElement).innerText.includes('classic hello'))!;
      row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    await clickText(panel, '.detail', 'Resend');
    await waitResult('Resent to the server.');
    const sock = server.sockets.find((s) => s.path === '/workers/w-classic')!;
    await server.waitFor(() => sock.received.length === 3, 'the resent frame');
    expect(sock.received.at(-1)!.data.toString()).toBe('classic hello');

    await clickText(panel, '.toolbar', 'Compose');
    await panel.evaluate(() => {
      const ta = document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement;
      ta.value = 'injected into the worker';
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    });
    // With no connection chosen in the list, the composer targets the selected frame's socket:
    // the classic worker's, whichever socket opened first.
    expect(await panel.evaluate(() => (document.querySelector('select[aria-label=Socket]') as HTMLSelectElement).selectedOptions[0]!.textContent)).toMatch(/Worker classic\.js · ws:.*\/workers\/w-classic$/);
    await clickText(panel, '.composer', 'Inject as incoming');
    await waitResult('Delivered to the page as an incoming message.');
    await page.waitForFunction(() => (window as unknown as { reports: Reports }).reports.classic.some((x) => x.later === 'injected into the worker'), { timeout: 60_000 })
      .catch(async (e) => { throw new Error(`the page got ${JSON.stringify(await reports())}; the panel shows ${await panel.evaluate(() => document.body.innerText)}`, { cause: e }); });
  });
});

describe('Firefox: a strict worker-src CSP', () => {
  test('the worker still runs and the panel says it is not captured, and why', async () => {
    const cspPage = await ff.browser.newPage();
    await cspPage.goto(`${server.origin}/workers/csp.html`);
    await cspPage.waitForFunction(() => (window as unknown as { reports: unknown[] }).reports.length === 1, { timeout: 60_000 });
    expect(await cspPage.evaluate(() => (window as unknown as { reports: unknown[] }).reports)).toEqual([
      { kind: 'csp', href: `${server.origin}/workers/csp-worker.js`, echoes: ['csp hello go-csp'] },
    ]);
    expect(await cspPage.evaluate(() => (window as unknown as { violations: unknown[] }).violations)).toEqual([]);
    const cspPanel = await openPanelTab(ff.browser, server.origin, await relayTabId(cspPage));
    await cspPanel.waitForSelector('[aria-label="Workers not captured"]', { timeout: 60_000 });
    const text = await cspPanel.evaluate(() => document.body.innerText);
    expect(text).toContain(`Not captured: Worker (classic) ${server.origin}/workers/csp-worker.js`);
    expect(text).toContain("The page's Content-Security-Policy does not allow blob: workers (worker-src)");
  });
});

describe('Firefox: a worker started by an iframe, and one started by a worker', () => {
  test('the iframe worker is captured and labelled; the nested one runs and is listed as not captured', async () => {
    const p = await ff.browser.newPage();
    await p.goto(`${server.origin}/workers/framed.html`);
    await p.waitForFunction(() => (window as unknown as { fromFrame: unknown[] }).fromFrame.length === 2, { timeout: 60_000 });
    const got = await p.evaluate(() => (window as unknown as { fromFrame: unknown[] }).fromFrame);
    expect(got).toHaveLength(2);
    expect(got).toEqual(expect.arrayContaining(expectedFrameReports(server.origin)));
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(p));
    await waitForCounts(pp.mainFrame(), 1, 2);
    await pp.waitForSelector('[aria-label="Workers not captured"]', { timeout: 60_000 });
    const text = await pp.evaluate(() => document.body.innerText);
    expect(text).toContain('Worker inner-worker.js');
    expect(text).toContain(`Not captured: Worker (classic) ${server.origin}/workers/nested.js`);
  });
});

describe('Firefox: workers from blob: URLs the page revokes at once', () => {
  test('they run and report as native, and their sockets are captured', async () => {
    const p = await ff.browser.newPage();
    await p.goto(`${server.origin}/workers/blob.html`);
    await p.waitForFunction(() => (window as unknown as { blobReports: unknown[] }).blobReports.length === 2 && (window as unknown as { goneFetch?: string }).goneFetch, { timeout: 60_000 });
    const got = await p.evaluate(() => [(window as unknown as { blobReports: { kind: string }[] }).blobReports.sort((a, b) => a.kind.localeCompare(b.kind)), (window as unknown as { goneFetch: string }).goneFetch]);
    expect(got).toEqual([[{ kind: 'classic', echo: 'blob hello classic', protocol: 'blob:' }, { kind: 'module', echo: 'blob hello module', protocol: 'blob:' }], 'failed']);
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(p));
    await waitForCounts(pp.mainFrame(), 2, 4);
    const text = await pp.evaluate(() => document.body.innerText);
    expect(text).toContain('w-blob-classic');
    expect(text).toContain('w-blob-module');
  });
});

describe('Firefox: a page that spies on the builtins the hooks use', () => {
  test('is never handed a worker\'s private port, and its worker is still captured', async () => {
    const p = await ff.browser.newPage();
    await p.goto(`${server.origin}/workers/spy.html`);
    await p.waitForFunction(() => (window as unknown as { reports: unknown[] }).reports.length === 1, { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await p.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    // The worker's own capturing listener saw no message of ours either (it would report `marks`).
    expect(await p.evaluate(() => (window as unknown as { reports: unknown[] }).reports)).toEqual([{ kind: 'csp', href: `${server.origin}/workers/csp-worker.js`, echoes: ['csp hello go-spy'] }]);
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(p));
    await waitForCounts(pp.mainFrame(), 1, 2);
    expect(await pp.evaluate(() => document.body.innerText)).toContain('csp hello go-spy');
  });
});

describe('Firefox: a SharedWorker used by two tabs', () => {
  test.each([['classic', 'shared.html', 'w-shared', 'hub'], ['module', 'shared-module.html', 'w-shared-module', 'mhub']] as const)(
    '%s: both tabs share one instance, unchanged; each panel has its socket and frames, exported and commandable', async (type, pageName, socket, name) => {
      const replies: unknown[] = [];
      const panels: Page[] = [];
      const pages: Page[] = [];
      for (let i = 0; i < 2; i++) {
        const t = await ff.browser.newPage();
        pages.push(t);
        await t.goto(`${server.origin}/workers/${pageName}`);
        replies.push(...await sharedReplies(t, 1));
        panels.push(await openPanelTab(ff.browser, server.origin, await relayTabId(t)));
      }
      const { sock, script, file } = expectOneSharedInstance(replies, server, type, socket);
      for (const p of panels) {
        await waitForCounts(p.mainFrame(), 1, 4);
        expect(await p.evaluate(() => document.body.innerText)).toContain(`SharedWorker ${file}`);
      }
      await composeMessage(panels[1]!.mainFrame(), `/workers/${socket}`, 'from the second panel');
      await clickText(panels[1]!, '.composer', 'Send to server');
      await server.waitFor(() => sock.received.length === 3, 'the panel\'s frame');
      const sent = sock.received.map((x) => x.data.toString());
      expect(sent).toEqual([`hello ${file} 1`, `hello ${file} 2`, 'from the second panel']);
      for (const p of panels) {
        await waitForCounts(p.mainFrame(), 1, 6);
        expectSharedExport(await exportFromPanelTab(p), socket, { kind: 'shared', type, url: script, name }, sent);
      }
      // Closed, so the instance ends with its last tab, as natively.
      for (const p of [...pages, ...panels]) await p.close();
    });

  test('a third tab joins the same instance after the first tab, whose wrapper it was, has closed', async () => {
    const tabs: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const t = await ff.browser.newPage();
      await t.goto(`${server.origin}/workers/shared.html`);
      await sharedReplies(t, 1);
      tabs.push(t);
    }
    await tabs[0]!.close();
    const third = await ff.browser.newPage();
    await third.goto(`${server.origin}/workers/shared.html`);
    const [reply] = await sharedReplies(third, 1);
    expect(reply).toMatchObject({ n: 3, echo: 'hello shared.js 3', href: `${server.origin}/workers/shared.js`, name: 'hub' });
    const sock = server.sockets.filter((x) => x.path === '/workers/w-shared').at(-1)!;
    expect(sock.received.map((x) => x.data.toString())).toEqual(['hello shared.js 1', 'hello shared.js 2', 'hello shared.js 3']);
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(third));
    await waitForCounts(pp.mainFrame(), 1, 6);
    for (const t of [tabs[1]!, third, pp]) await t.close();
  });

  test('two SharedWorker objects of one page join one instance; its panel shows the socket once', async () => {
    const p = await ff.browser.newPage();
    await p.goto(`${server.origin}/workers/shared-twice.html`);
    await p.waitForFunction(() => (window as unknown as { replies: unknown[] }).replies.length === 2, { timeout: 60_000, polling: 100 });
    const replies = await p.evaluate(() => (window as unknown as { replies: { n: number }[] }).replies.sort((a, b) => a.n - b.n));
    expect(replies).toEqual(expectedTwiceReplies(server.origin));
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(p));
    await waitForCounts(pp.mainFrame(), 1, 4);
    // Exactly: the second object's connection streams nothing twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(await pp.evaluate(() => [document.querySelector('[data-testid=connection-count]')?.textContent, document.querySelector('[data-testid=counts]')?.textContent]))
      .toEqual([expect.stringMatching(/^1 connection\b/), expect.stringMatching(/\b4 of 4 frames$/)]);
  });

  test('a reloaded page\'s SharedWorker is captured again (the old document\'s wrapper is gone)', async () => {
    const p = await ff.browser.newPage();
    await p.goto(`${server.origin}/workers/shared-twice.html`);
    const pp = await openPanelTab(ff.browser, server.origin, await relayTabId(p));
    for (const load of [async () => undefined, () => p.reload()]) {
      await load();
      await p.waitForFunction(() => (window as unknown as { replies: unknown[] }).replies.length === 2, { timeout: 60_000, polling: 100 });
      await waitForCounts(pp.mainFrame(), 1, 4);
    }
    // A wrapper that failed would have been replaced by a native worker before the replies came, with a notice.
    await new Promise((r) => setTimeout(r, 300));
    expect(await pp.evaluate(() => document.body.innerText)).not.toContain('Not captured');
    for (const t of [p, pp]) await t.close();
  });

  test('under a worker-src CSP that refuses blob:, it runs unchanged for both tabs, and each panel says it is not captured, and why', async () => {
    const replies: unknown[] = [];
    const script = `${server.origin}/workers/shared-csp.js`;
    const reasons = ["The page's Content-Security-Policy does not allow blob: workers", 'Another page of this site runs this SharedWorker natively'];
    for (let i = 0; i < 2; i++) {
      const t = await ff.browser.newPage();
      await t.goto(`${server.origin}/workers/shared-csp.html`);
      replies.push(...await sharedReplies(t, 1));
      const tp = await openPanelTab(ff.browser, server.origin, await relayTabId(t));
      await tp.waitForSelector('[aria-label="Workers not captured"]', { timeout: 60_000 });
      expect(await tp.evaluate(() => document.body.innerText)).toContain(`Not captured: SharedWorker (classic) ${script}, named "strict" — ${reasons[i]}`);
    }
    expectOneSharedInstance(replies, server, 'csp', 'w-shared-csp');
  });
});
