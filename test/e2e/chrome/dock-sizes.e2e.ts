/**
 * Chromium, the real DevTools panel at the sizes DevTools is really used at (undocked, the DevTools
 * window sized; the panel gets its width and its height less the ~27 px tab strip), on the demo's
 * live traffic (five sockets, one decoded STOMP). At each size, with a frame selected: how many
 * frame rows and how much of the Data column are really in view, and that no control covers
 * another or is cut off without a way to scroll to it. Then, with a pause rule on and two frames
 * held: Export…'s dialog, the rules editor, each held frame's Forward and Drop, and the composer's
 * close code and reason are in view and work. The figures print with "[measure]".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { clickButton, exportSession, waitForCounts } from '../../support/panel';
import { useControl } from '../../support/panel-controls';
import { bringIntoView, measureScreen } from '../../support/on-screen';
import { addRule, rulesReachedPage, setChecked, setField } from '../../support/rules-panel';

interface DemoServer { url: string; close(): Promise<void> }
const DEMO_SERVER = new URL('../../../scripts/demo-server.mjs', import.meta.url).href;

/** The table: [width, height, rows at least, Data px at least]. */
const SIZES = [[1280, 260, 5, 300], [1000, 330, 8, 250], [450, 900, 20, 150], [1600, 900, 22, 500]] as const;
const HELD = 'dock-held';
/** The demo page's /chat socket: a top-level binding of its script, so functions evaluated in the page reach it. */
declare const chat: WebSocket;

let demo: DemoServer;
let chrome: ChromeSession;
let page: Page;
let devtools: Page;
let panel: Frame;

beforeAll(async () => {
  const { startDemoServer } = (await import(DEMO_SERVER)) as { startDemoServer(o?: { port?: number }): Promise<DemoServer> };
  demo = await startDemoServer({ port: 0 });
  chrome = await launchChrome({ devtools: true });
  ({ page, devtools } = await newInspectedPage(chrome.browser));
  await page.goto(demo.url);
  // Every echo of the page's /chat socket (the demo page's own `chat`): what reached the server.
  await page.evaluate(() => {
    const w = window as unknown as { echoes: string[] };
    w.echoes = [];
    chat.addEventListener('message', (e) => w.echoes.push(String(e.data)));
  });
  panel = await showPanel(devtools);
  await waitForCounts(panel, 5, 60);
});

afterAll(async () => {
  await chrome?.close();
  await demo?.close();
});

/** Sizes the DevTools window and waits until the panel has laid itself out at that size. */
async function resize(width: number, height: number): Promise<void> {
  await devtools.setViewport({ width, height });
  await panel.waitForFunction((w: number, h: number) => {
    const app = document.querySelector('.app');
    return innerWidth === w && innerHeight < h && innerHeight > h - 60 && app?.clientWidth === w
      && document.querySelector('.main')?.classList.contains(w >= 720 ? 'beside' : 'below');
  }, {}, width, height);
  // Two frames: the size's ResizeObserver, then the layout it leads to.
  await panel.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const heldCount = () => panel.evaluate(() => document.querySelectorAll('.held').length);

/** The page sends `text` on its /chat socket, as its own chat form does. */
const say = (text: string) => page.evaluate((t: string) => {
  (document.getElementById('chat-input') as HTMLInputElement).value = t;
  (document.getElementById('chat-form') as HTMLFormElement).requestSubmit();
}, text);

const echoes = () => page.evaluate(() => (window as unknown as { echoes: string[] }).echoes.map((e) => (JSON.parse(e) as { text: string }).text));
/** The server echoed `text` back to the page: the frame reached the server. */
const echoed = (text: string) => page.waitForFunction((t: string) => (window as unknown as { echoes: string[] }).echoes.some((e) => (JSON.parse(e) as { text: string }).text === t), {}, text);

async function expectInView(selector: string): Promise<void> {
  const el = await panel.waitForSelector(selector);
  expect(await bringIntoView(el!), selector).toBeNull();
}

describe('Chromium: the panel at real dock sizes', () => {
  test.each(SIZES)('%i × %i: frame rows and the payload come first; no control covers another or is cut off', async (w, h, minRows, minData) => {
    await resize(w, h);
    if (!(await panel.$('.frame-canvas .row.selected'))) {
      // Select a frame as a click does, so the detail pane takes its room.
      await panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame')].at(-2)!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
      await panel.waitForSelector('aside.detail .detail-frame');
    }
    const r = await measureScreen(panel);
    console.log(`[measure] ${w} × ${h}: ${r.rows} frame rows in view, Data column ${r.dataPx} px (${r.controls} controls checked)`);
    expect(r.problems.join('\n')).toBe('');
    expect(r.rows).toBeGreaterThanOrEqual(minRows);
    expect(r.dataPx).toBeGreaterThanOrEqual(minData);
  });

  test('a pause rule holding /chat frames', async () => {
    await resize(1280, 720);
    await useControl(panel, 'Rules', 'toolbar');
    await clickButton(panel, 'Add rule');
    await setField(panel, 'Rule 1 URL pattern', '/chat');
    await setField(panel, 'Rule 1 payload match', HELD);
    await setChecked(panel, 'Rule 1 on', true);
    await panel.waitForFunction(() => document.querySelector('.rules-on')?.textContent === '1 rule on');
    // Until the page has the rule: a second one holds a probe frame on the same socket, which is
    // dropped (never sent), and the rule is deleted again (see rules-panel.ts).
    const probe = await addRule(panel);
    await setField(panel, `Rule ${probe} URL pattern`, '/chat');
    await setField(panel, `Rule ${probe} payload match`, '/^probe \\d+$/');
    await setChecked(panel, `Rule ${probe} on`, true);
    await rulesReachedPage(panel, { send: (t) => page.evaluate((x: string) => chat.send(x), t), arrived: async (t) => (await echoes()).includes(t) });
    await panel.evaluate((n: number) => (document.querySelector(`[aria-label="Delete rule ${n}"]`) as HTMLElement).click(), probe);
    await panel.waitForFunction(() => document.querySelector('.rules-on')?.textContent === '1 rule on' && !document.querySelector('[aria-label="Rule 2"]'));
    await panel.evaluate(() => (document.querySelector('[aria-label="Close rules"]') as HTMLElement).click());
  });

  test.each(SIZES)('%i × %i, a rule on and two frames held: Export…, the rules editor, Forward/Drop and the close controls are in view and work', async (w, h) => {
    await resize(w, h);
    const tag = `${HELD} ${w}x${h}`;
    await say(`${tag} a`);
    await say(`${tag} b`);
    await panel.waitForFunction(() => document.querySelectorAll('.held').length === 2);
    const r = await measureScreen(panel);
    console.log(`[measure] ${w} × ${h}, a rule on and 2 frames held: ${r.rows} frame rows in view, Data column ${r.dataPx} px`);
    expect(r.problems.join('\n')).toBe('');

    // Export…: the dialog and its buttons wholly in the panel; Cancel closes it, Save export saves.
    await clickButton(panel, 'Export…');
    const box = await panel.waitForSelector('[role=dialog][aria-label=Export]');
    expect(await box!.evaluate((d) => { const b = d.getBoundingClientRect(); return b.left >= 0 && b.top >= 0 && b.right <= innerWidth && b.bottom <= innerHeight; })).toBe(true);
    await expectInView('::-p-aria(Save export[role="button"])');
    await expectInView('[role=dialog] ::-p-aria(Cancel[role="button"])');
    await (await panel.$('[role=dialog] ::-p-aria(Cancel[role="button"])'))!.click();
    await panel.waitForFunction(() => !document.querySelector('[role=dialog]'));
    const s = await exportSession(panel, chrome.downloads);
    expect(s.connections.some((c) => c.url.endsWith('/chat'))).toBe(true);

    // The rules editor: every field of the rule can be brought into view in its pane, and edited.
    await (await panel.waitForSelector('.rules-on'))!.click();
    for (const f of ['Rule 1 on', 'Rule 1 direction', 'Rule 1 action', 'Rule 1 applies on', 'Delete rule 1', 'Rule 1 URL pattern', 'Rule 1 payload match']) await expectInView(`[aria-label="${f}"]`);
    await expectInView('::-p-aria(Add rule[role="button"])');
    const payload = (await panel.$('[aria-label="Rule 1 payload match"]'))!;
    await payload.click();
    // Keys go to whatever has focus: make sure it is the field (a busy machine can lag the click).
    await payload.focus();
    await panel.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Rule 1 payload match');
    await devtools.keyboard.press('End');
    await devtools.keyboard.type('!');
    await panel.waitForFunction(() => (document.querySelector('[aria-label="Rule 1 payload match"]') as HTMLInputElement).value.endsWith('!'));
    await devtools.keyboard.press('Backspace');
    await panel.waitForFunction((v: string) => (document.querySelector('[aria-label="Rule 1 payload match"]') as HTMLInputElement).value === v, {}, HELD);
    await expectInView('[aria-label="Close rules"]');
    await (await panel.$('[aria-label="Close rules"]'))!.click();

    // Held frames: Forward and Drop of each reachable; the first forwarded reaches the server, the second dropped.
    for (const b of await panel.$$('.held button')) expect(await bringIntoView(b)).toBeNull();
    await expectInView('.held:nth-child(1) ::-p-aria(Forward[role="button"])');
    await (await panel.$('.held:nth-child(1) ::-p-aria(Forward[role="button"])'))!.click();
    await echoed(`${tag} a`);
    await panel.waitForFunction(() => document.querySelectorAll('.held').length === 1);
    await expectInView('.held ::-p-aria(Drop[role="button"])');
    await (await panel.$('.held ::-p-aria(Drop[role="button"])'))!.click();
    await panel.waitForFunction(() => document.querySelectorAll('.held').length === 0);

    // The composer's close code and reason: reachable, and they close the socket they name.
    await page.evaluate((t: string) => {
      const w = window as unknown as { dockSockets?: Record<string, WebSocket & { closedWith?: string }> };
      const ws: WebSocket & { closedWith?: string } = new WebSocket(`${location.origin.replace('http', 'ws')}/chat?dock=${encodeURIComponent(t)}`);
      ws.addEventListener('close', (e) => { ws.closedWith = `${e.code} ${e.reason}`; });
      (w.dockSockets ??= {})[t] = ws;
    }, tag);
    await useControl(panel, 'Compose', 'toolbar');
    await panel.waitForSelector('.composer');
    // The composer lists the socket once it is open (its option reads "open · <url>").
    await panel.waitForFunction((t: string) => [...(document.querySelector('select[aria-label=Socket]') as HTMLSelectElement).options]
      .some((o) => o.textContent!.startsWith('open') && o.textContent!.endsWith(`dock=${encodeURIComponent(t)}`)), {}, tag);
    await panel.evaluate((t: string) => {
      const sel = document.querySelector('select[aria-label=Socket]') as HTMLSelectElement;
      sel.value = [...sel.options].find((o) => o.textContent!.endsWith(`dock=${encodeURIComponent(t)}`))!.value;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }, tag);
    const code = String(4000 + SIZES.findIndex(([x, y]) => x === w && y === h));
    for (const [label, value] of [['Close code', code], ['Close reason', tag]] as const) {
      await expectInView(`[aria-label="${label}"]`);
      await (await panel.$(`[aria-label="${label}"]`))!.click();
      await devtools.keyboard.down('Control');
      await devtools.keyboard.press('a');
      await devtools.keyboard.up('Control');
      await devtools.keyboard.type(value);
    }
    expect(await panel.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('.composer-close input')].map((i) => i.value))).toEqual([code, tag]);
    await expectInView('.composer ::-p-aria(Close socket[role="button"])');
    await (await panel.$('.composer ::-p-aria(Close socket[role="button"])'))!.click();
    await page.waitForFunction((t: string, c: string) => (window as unknown as { dockSockets: Record<string, { closedWith?: string }> }).dockSockets[t]!.closedWith === `${c} ${t}`, {}, tag, code)
      .catch(async (e) => { throw new Error(`the socket did not close with ${code}; the panel says "${await panel.evaluate(() => document.querySelector('.command-result')?.textContent)}"`, { cause: e }); });
    await (await panel.$('[aria-label="Close composer"]'))!.click();
  });

  test('a dropped frame never reached the server', async () => {
    await say(`${HELD} last`);
    await panel.waitForFunction(() => document.querySelectorAll('.held').length === 1);
    await (await panel.$('.held ::-p-aria(Forward[role="button"])'))!.click();
    await echoed(`${HELD} last`);
    // The socket keeps its order: everything sent before this frame has had its echo by now.
    const got = await echoes();
    for (const [w, h] of SIZES) {
      expect(got).toContain(`${HELD} ${w}x${h} a`);
      expect(got).not.toContain(`${HELD} ${w}x${h} b`);
    }
  });
});
