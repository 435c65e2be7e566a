/**
 * Driving the panel's compact controls as a user does: a toolbar or filter control that is on its
 * row or, in a narrow panel, in that row's overflow menu; and a connection's decoder badge.
 */
import type { ElementHandle, Frame, Keyboard, Page } from 'puppeteer-core';

/** The real panel is a frame of the DevTools window (Chromium); Firefox's test build opens it as a tab. */
type Panel = Frame | Page;
const keyboard = (panel: Panel): Keyboard => ('keyboard' in panel ? panel.keyboard : panel.page().keyboard);

const MENUS = { toolbar: '.toolbar .more', filters: '.filterbar .filters-more' } as const;
const ITEM_ROLES = ['menuitem', 'menuitemcheckbox', 'menuitemradio'];

/** The open menu's item with this name. */
export async function menuItem(panel: Panel, name: string): Promise<ElementHandle<Element>> {
  await panel.waitForSelector('[role=menu]');
  for (const role of ITEM_ROLES) {
    const item = await panel.$(`::-p-aria(${name}[role="${role}"])`);
    if (item) return item;
  }
  const names = await panel.evaluate(() => [...document.querySelectorAll('[role=menu] [role^=menuitem]')].map((i) => i.textContent));
  throw new Error(`no menu item "${name}"; the menu has ${JSON.stringify(names)}`);
}

/**
 * Clicks the control named `name` on its bar (a button or checkbox), or, when the panel is too
 * narrow for it, opens the bar's overflow menu and picks it there. Returns where it was.
 */
export async function useControl(panel: Panel, name: string, bar: keyof typeof MENUS): Promise<'row' | 'menu'> {
  const onRow = await panel.$(`::-p-aria(${name}[role="button"])`) ?? await panel.$(`::-p-aria(${name}[role="checkbox"])`);
  if (onRow) {
    await onRow.click();
    return 'row';
  }
  await (await panel.waitForSelector(MENUS[bar]))!.click();
  await (await menuItem(panel, name)).click();
  await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
  return 'menu';
}

/** Whether a filter or toolbar toggle is on, wherever it is (row checkbox, pressed button or menu item). */
export async function controlChecked(panel: Panel, name: string, bar: keyof typeof MENUS): Promise<boolean> {
  const onRow = await panel.$(`::-p-aria(${name}[role="checkbox"])`);
  if (onRow) return onRow.evaluate((e) => (e as HTMLInputElement).checked);
  await (await panel.waitForSelector(MENUS[bar]))!.click();
  const checked = await (await menuItem(panel, name)).evaluate((e) => e.getAttribute('aria-checked') === 'true');
  await keyboard(panel).press('Escape');
  await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
  return checked;
}

/** Turns a toolbar or filter toggle on or off, wherever it is; clicked only when it is not already as wanted. */
export async function setControl(panel: Panel, name: string, bar: keyof typeof MENUS, on: boolean): Promise<void> {
  if (await controlChecked(panel, name, bar) !== on) await useControl(panel, name, bar);
  if (await controlChecked(panel, name, bar) !== on) throw new Error(`${name} did not turn ${on ? 'on' : 'off'}`);
}

/**
 * Shows a column of the connection list that its width left out, from the menu its header opens
 * on a right-click, as a user would. Does nothing when the column is already there.
 */
export async function showConnectionColumn(panel: Panel, name: string): Promise<void> {
  await (await panel.waitForSelector('.connections thead tr'))!.click({ button: 'right' });
  const item = await menuItem(panel, name);
  if (await item.evaluate((e) => e.getAttribute('aria-checked') === 'true')) await keyboard(panel).press('Escape');
  else await item.click();
  await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
}

/** Opens the decoder menu of the connection whose URL ends with `urlEnd` (or the first). */
async function openDecoderMenu(panel: Panel, urlEnd = ''): Promise<void> {
  const badge = await panel.waitForSelector(`button.decoder-badge[aria-label^="Protocol decoder for "][aria-label*="${urlEnd}:"]`);
  await badge!.click();
  await panel.waitForSelector('[role=menu]');
}

/** The decoder choice the connection's menu has ticked, as the menu says it ("Auto: Socket.IO", "None", "STOMP"). */
export async function decoderChoice(panel: Panel, urlEnd = ''): Promise<string> {
  await openDecoderMenu(panel, urlEnd);
  const text = await panel.evaluate(() => document.querySelector('[role=menu] [role=menuitemradio][aria-checked=true]')?.textContent ?? '(none ticked)');
  await keyboard(panel).press('Escape');
  await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
  return text;
}

/** Picks a decoder for the connection from its badge's menu: "None", a protocol's name, or the "Auto…" entry. */
export async function chooseDecoder(panel: Panel, item: string, urlEnd = ''): Promise<void> {
  await openDecoderMenu(panel, urlEnd);
  const target = item === 'Auto'
    ? await panel.waitForSelector('[role=menu] [role=menuitemradio]')
    : await menuItem(panel, item);
  await target!.click();
  await panel.waitForFunction(() => !document.querySelector('[role=menu]'));
}
