/**
 * Chromium, real DevTools panel: malformed files opened through the real "Open session…" file
 * input. A sample of the generated corpus (test/fixtures/bad-session-files.ts), a few of every
 * kind, each gets a clear error naming what is wrong, opens no tab, and leaves the panel working:
 * the live capture still updates and a good file still opens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { waitForCounts } from '../../support/panel';
import { startTestServer, type TestServer } from '../../support/test-server';
import { badSessionFiles, sampleOfEachKind, SESSION_TEXT, type BadFile } from '../../fixtures/bad-session-files';

let server: TestServer;
let chrome: ChromeSession;
let page: Page;
let panel: Frame;
const dir = mkdtempSync(join(tmpdir(), 'sockscope-bad-files-'));

beforeAll(async () => {
  server = await startTestServer();
  server.page('/live', `<!doctype html><script>
    window.ws = new WebSocket('ws://' + location.host + '/echo');
    ws.onopen = () => ws.send('before the bad files');
  </script>`);
  chrome = await launchChrome({ devtools: true });
  const inspected = await newInspectedPage(chrome.browser);
  page = inspected.page;
  panel = await showPanel(inspected.devtools);
  await page.goto(`${server.origin}/live`);
  await waitForCounts(panel, 1, 2);
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const tabs = () => panel.evaluate(() => [...document.querySelectorAll('.session-tabs [role=tab]')].map((t) => t.textContent));

/** Opens a file through the panel's own file input and returns the error the panel shows for it. */
async function openAndReadError(path: string, name: string): Promise<string> {
  await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
  const alert = await panel.waitForFunction((n: string) => {
    const el = document.querySelector('.import-error[role=alert] span');
    return el?.textContent?.startsWith(`Could not open ${n}: `) && !document.querySelector('.import-progress') ? el.textContent : null;
  }, { timeout: 60_000, polling: 50 }, name);
  return (await alert.jsonValue()) as string;
}

function expectNamed(error: string, f: BadFile): void {
  const want = f.error;
  if ('exact' in want) expect(error).toBe(want.exact);
  else if ('startsWith' in want) expect(error.startsWith(want.startsWith), error).toBe(true);
  else {
    expect(error.startsWith(want.prefix), error).toBe(true);
    const at = error.slice(want.prefix.length, error.indexOf(': expected ')).replace(/^file\./, '');
    expect(at === want.names || at.startsWith(`${want.names}.`) || at.startsWith(`${want.names}[`), `"${error}" should name ${want.names}`).toBe(true);
  }
}

test('three malformed files of each of the 13 kinds (39 in all) each get a clear error, and open nothing', async () => {
  const sample = sampleOfEachKind(badSessionFiles(), 3);
  expect(sample.length).toBeGreaterThanOrEqual(30);
  expect(new Set(sample.map((f) => f.kind)).size).toBe(13);
  const t0 = Date.now();
  for (const [i, f] of sample.entries()) {
    const name = `bad-${String(i).padStart(2, '0')}-${f.kind}${f.ext}`;
    const path = join(dir, name);
    writeFileSync(path, f.bytes);
    const shown = await openAndReadError(path, name);
    const error = shown.slice(`Could not open ${name}: `.length);
    expect(error.length, `${f.name}: an empty error`).toBeGreaterThan(10);
    expect(error, f.name).not.toMatch(/undefined|\[object Object\]|TypeError|The import stopped/);
    expectNamed(error, f);
    expect(await tabs(), f.name).toEqual(['● Live']);
  }
  console.log(`[measure] bad-files: ${sample.length} malformed files opened through the panel's file input in ${Date.now() - t0} ms`);
});

test('after them, the live capture still updates and a good file still opens', async () => {
  await (await panel.waitForSelector('::-p-aria(Dismiss[role="button"])'))!.click();
  await page.evaluate(() => (window as unknown as { ws: WebSocket }).ws.send('after the bad files'));
  await waitForCounts(panel, 1, 4);
  expect(await panel.evaluate(() => document.body.innerText)).toContain('after the bad files');

  // A good session behind a UTF-8 byte-order mark (what some editors save) opens too.
  const path = join(dir, 'good.json');
  writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SESSION_TEXT)]));
  await (await panel.$('input[type=file][aria-label="Session file"]'))!.uploadFile(path);
  await panel.waitForFunction(() => !document.querySelector('.import-progress') && document.querySelector('.session-tab.active'), { timeout: 60_000 });
  expect(await tabs()).toEqual(['● Live', 'good.json']);
  expect(await panel.$('.import-error')).toBeNull();
  await waitForCounts(panel, 3, 5);
});
