/**
 * Driving the composer's saved messages and its socket picker, in the real Chromium panel (a
 * frame of DevTools) and in the Firefox test build's panel tab (a page). Every step waits for
 * the panel to show its outcome.
 */
import type { Frame, Page } from 'puppeteer-core';
import { useControl } from './panel-controls';
import type { ServerSocket, TestServer } from './test-server';

type Panel = Frame | Page;

/** The list item of the saved message `name` (names in tests hold no quotes or backslashes). */
const item = (name: string) => `.saved-item[data-name="${name}"]`;

/**
 * Serves /saved: a page with two sockets of one host, the same path and other queries
 * (/feed?room=alpha and /feed?room=beta), whose onmessage records "<path> <data>" in window.got.
 * The server records what each socket receives, told apart by its request URL.
 */
export function serveTwoRooms(server: TestServer): { received(url: string): string[] } {
  const urls = new Map<ServerSocket, string>();
  server.page('/saved', `<!doctype html><script>
    window.got = [];
    const open = (path) => {
      const ws = new WebSocket('ws://' + location.host + path);
      ws.onmessage = (e) => got.push(path + ' ' + (typeof e.data === 'string' ? e.data : 'binary'));
      return ws;
    };
    window.alpha = open('/feed?room=alpha');
    window.beta = open('/feed?room=beta');
  </script>`);
  server.onSocket('/feed', (s, req) => { urls.set(s, req.url!); });
  return {
    received: (url) => [...urls].find(([, u]) => u === url)?.[0].received.map((r) => (r.isBinary ? `bin:${r.data.toString('hex')}` : r.data.toString())) ?? [],
  };
}

/** Waits until both of /saved's sockets are open. */
export async function roomsOpen(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { alpha: WebSocket; beta: WebSocket };
    return w.alpha.readyState === 1 && w.beta.readyState === 1;
  }, { timeout: 60_000 });
}

/** What /saved's onmessage got. */
export const pageGot = (page: Page) => page.evaluate(() => (window as unknown as { got: string[] }).got);

/** Sets a text field as typing does (an input event), found by its aria-label. */
export async function fill(panel: Panel, label: string, value: string): Promise<void> {
  await panel.waitForSelector(`[aria-label="${label}"]`);
  await panel.evaluate((l: string, v: string) => {
    const el = document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement | HTMLTextAreaElement;
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, label, value);
  await panel.waitForFunction((l: string, v: string) => (document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement).value === v, {}, label, value);
}

/** Clicks the button with this text (or aria-label) inside `scope`, once there and enabled. */
export async function press(panel: Panel, scope: string, name: string): Promise<void> {
  await panel.waitForFunction((s: string, n: string) => [...document.querySelectorAll<HTMLButtonElement>(`${s} button`)]
    .some((b) => (b.textContent === n || b.getAttribute('aria-label') === n) && !b.disabled), {}, scope, name)
    .catch(async (e) => {
      const there = await panel.evaluate((s: string) => [...document.querySelectorAll(`${s} button`)].map((b) => b.getAttribute('aria-label') ?? b.textContent), scope);
      throw new Error(`no enabled button "${name}" in ${scope}; there are ${JSON.stringify(there)}`, { cause: e });
    });
  await panel.evaluate((s: string, n: string) => {
    [...document.querySelectorAll<HTMLButtonElement>(`${s} button`)].find((b) => (b.textContent === n || b.getAttribute('aria-label') === n) && !b.disabled)!.click();
  }, scope, name);
}

/** Opens the composer (from the toolbar, or its overflow menu in a narrow panel). */
export async function openComposer(panel: Panel): Promise<void> {
  if (!(await panel.$('.composer'))) await useControl(panel, 'Compose', 'toolbar');
  await panel.waitForSelector('.composer .saved');
}

/** The picker's lines, each with whether its start (up to `upTo` in it) fits in the select as drawn. */
export async function pickerLines(panel: Panel, upTo: string[]): Promise<{ text: string; fits: boolean }[]> {
  return panel.evaluate((ends: string[]) => {
    const sel = document.querySelector('select[aria-label=Socket]') as HTMLSelectElement;
    const ctx = document.createElement('canvas').getContext('2d')!;
    const style = getComputedStyle(sel);
    ctx.font = style.font;
    // The text box: the select's width less its padding and the drop-down arrow (~20 px).
    const room = sel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    return [...sel.options].map((o) => {
      const text = o.textContent!;
      const end = ends.find((e) => text.includes(e));
      return { text, fits: end !== undefined && ctx.measureText(text.slice(0, text.indexOf(end) + end.length)).width <= room };
    });
  }, upTo);
}

/** Chooses the socket whose picker line ends with `urlEnd` (its URL closes the line). */
export async function chooseSocket(panel: Panel, urlEnd: string): Promise<void> {
  await panel.waitForFunction((u: string) => [...(document.querySelector('select[aria-label=Socket]') as HTMLSelectElement).options].some((o) => o.textContent!.endsWith(u)), {}, urlEnd);
  await panel.evaluate((u: string) => {
    const sel = document.querySelector('select[aria-label=Socket]') as HTMLSelectElement;
    sel.value = [...sel.options].find((o) => o.textContent!.endsWith(u))!.value;
    sel.dispatchEvent(new Event('change', { bubbles: true }));
  }, urlEnd);
  await panel.waitForFunction((u: string) => (document.querySelector('select[aria-label=Socket]') as HTMLSelectElement).selectedOptions[0]?.textContent?.endsWith(u), {}, urlEnd);
}

/** Puts a message in the editor: the format's button, then the text. */
export async function writeMessage(panel: Panel, mode: 'Text' | 'JSON' | 'Hex' | 'Base64', text: string): Promise<void> {
  await press(panel, '.composer [aria-label="Payload format"]', mode);
  await fill(panel, 'Message', text);
}

/** Waits for the saved messages' own status line to read `expected` ("status: …" or "alert: …"). */
export async function expectSaved(panel: Panel, expected: string): Promise<void> {
  const read = () => {
    const el = document.querySelector('.saved-result');
    return el ? `${el.getAttribute('role')}: ${el.firstChild?.textContent ?? ''}` : null;
  };
  await panel.waitForFunction((e: string) => {
    const el = document.querySelector('.saved-result');
    return el !== null && `${el.getAttribute('role')}: ${el.firstChild?.textContent ?? ''}` === e;
  }, { timeout: 60_000 }, expected).catch(async (e) => {
    throw new Error(`the saved messages say "${await panel.evaluate(read)}", not "${expected}"`, { cause: e });
  });
}

/** Saves what the editor holds under `name`, for sockets matching `urlPattern` ('' for any). */
export async function saveAs(panel: Panel, name: string, urlPattern = ''): Promise<void> {
  if (!(await panel.$('.saved-form'))) await press(panel, '.saved-head', 'Save…');
  await fill(panel, 'Message name', name);
  await fill(panel, 'For sockets whose URL contains', urlPattern);
  await press(panel, '.saved-form', 'Save');
}

/** The names the list shows: for the chosen socket first, then for other sockets. */
export async function savedNames(panel: Panel): Promise<{ mine: string[]; others: string[] }> {
  return panel.evaluate(() => {
    const names = (label: string) => [...document.querySelectorAll(`.saved-list[aria-label="${label}"] .saved-item`)].map((li) => li.getAttribute('data-name')!);
    return { mine: names(document.querySelector('.saved-list[aria-label="For this socket"]') ? 'For this socket' : 'Saved messages'), others: names('For other sockets') };
  });
}

/** Waits until the list shows exactly these names, in this order. */
export async function waitForSavedNames(panel: Panel, want: { mine: string[]; others: string[] }): Promise<void> {
  const key = JSON.stringify(want);
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    if (JSON.stringify(await savedNames(panel)) === key) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the saved messages list shows ${JSON.stringify(await savedNames(panel))}, not ${key}`);
}

/** Send, Inject or Load on the saved message `name`; Rename… and Delete through its ⋮ menu. */
export async function onSaved(panel: Panel, action: 'Send' | 'Inject' | 'Load', name: string): Promise<void> {
  await press(panel, item(name), `${action} ${name}`);
}

export async function renameSaved(panel: Panel, name: string, to: string): Promise<void> {
  await press(panel, item(name), `More for ${name}`);
  await press(panel, '[role=menu]', 'Rename…');
  const label = `New name for ${name}`;
  await fill(panel, label, to);
  await panel.evaluate((l: string) => document.querySelector(`[aria-label="${l}"]`)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })), label);
}

export async function deleteSaved(panel: Panel, name: string): Promise<void> {
  await press(panel, item(name), `More for ${name}`);
  await press(panel, '[role=menu]', 'Delete');
}

/** The first two saved messages of both browsers' tests: JSON for /feed?room=alpha, and text for any socket. */
export const SUBSCRIBE_ALPHA = { name: 'subscribe alpha', mode: 'json', text: '{"op":"subscribe","room":"alpha"}', urlPattern: 'room=alpha' } as const;
export const PING = { name: 'ping', mode: 'text', text: 'ping', urlPattern: '' } as const;

/** Chooses /feed?room=alpha and saves SUBSCRIBE_ALPHA, then PING, from the editor. */
export async function saveSubscribeAndPing(panel: Panel): Promise<void> {
  await chooseSocket(panel, '/feed?room=alpha');
  await writeMessage(panel, 'JSON', SUBSCRIBE_ALPHA.text);
  await saveAs(panel, SUBSCRIBE_ALPHA.name, SUBSCRIBE_ALPHA.urlPattern);
  await expectSaved(panel, `status: Saved “${SUBSCRIBE_ALPHA.name}”.`);
  await writeMessage(panel, 'Text', PING.text);
  await saveAs(panel, PING.name);
  await expectSaved(panel, `status: Saved “${PING.name}”.`);
}

/** The picker's lines for /saved's two sockets, with the time and port written as hh:mm:ss and port. */
export async function roomLines(panel: Panel): Promise<{ text: string; fits: boolean }[]> {
  const lines = await pickerLines(panel, ['room=alpha', 'room=beta']);
  return lines.map((l) => ({ ...l, text: l.text.replace(/ \d\d:\d\d:\d\d /, ' hh:mm:ss ').replace(/127\.0\.0\.1:\d+\//, '127.0.0.1:port/') }));
}

/** The lines roomLines must read: each socket apart, within what the select shows. */
export const ROOM_LINES = [
  /^open #\d+ · \/feed\?room=alpha · hh:mm:ss · ws:\/\/127\.0\.0\.1:port\/feed\?room=alpha$/,
  /^open #\d+ · \/feed\?room=beta · hh:mm:ss · ws:\/\/127\.0\.0\.1:port\/feed\?room=beta$/,
];
