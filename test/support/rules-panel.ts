/**
 * The intercept-rules editor and the held frames, driven as a user does, in Chromium's real panel
 * (a Frame of DevTools) or Firefox's panel tab (a Page); and the one wait that tells when the page
 * has the panel's latest rules.
 *
 * That wait: a rule that pauses frames on a probe socket is on; the page sends a probe frame, it
 * is held, and the test drops it. The panel's Drop is a command, and commands travel to the page's
 * hook on the same ports as the rules, panel → router → relay → hook, each keeping its order: the
 * hook runs the Drop (and the panel sees the frame go) only after every rule set the panel sent
 * before the click. A probe sent before the probe rule itself has arrived goes through instead;
 * the test sees it arrive at the server, and sends another.
 */
import type { Frame, Page } from 'puppeteer-core';
import { WAIT_MS } from './browsers';

type Panel = Frame | Page;

/** Sets an input or select by its accessible name, firing what typing or choosing fires. */
export async function setField(panel: Panel, label: string, value: string): Promise<void> {
  await panel.evaluate((l: string, v: string) => {
    const el = document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) throw new Error(`no field ${l}`);
    el.value = v;
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  }, label, value);
}

/** Ticks or unticks a checkbox by its accessible name, with a click; fails if it is disabled. */
export async function setChecked(panel: Panel, label: string, on: boolean): Promise<void> {
  await panel.evaluate((l: string, want: boolean) => {
    const box = document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement | null;
    if (!box) throw new Error(`no checkbox ${l}`);
    if (box.disabled) throw new Error(`the checkbox ${l} is disabled`);
    if (box.checked !== want) box.click();
  }, label, on);
  await panel.waitForFunction((l: string, want: boolean) => (document.querySelector(`[aria-label="${l}"]`) as HTMLInputElement).checked === want, {}, label, on);
}

/** Clicks the button reading `text` inside `scope`. */
export async function clickIn(panel: Panel, scope: string, text: string): Promise<void> {
  await panel.evaluate((s: string, t: string) => {
    const b = [...document.querySelectorAll(`${s} button`)].find((x) => x.textContent?.trim() === t) as HTMLButtonElement | undefined;
    if (!b) throw new Error(`no button "${t}" in ${s}`);
    b.click();
  }, scope, text);
}

/** Opens the rules editor, unless it is open. */
export async function openRules(panel: Panel): Promise<void> {
  if (await panel.$('section.rules')) return;
  await clickIn(panel, '.toolbar', 'Rules');
  await panel.waitForSelector('section.rules');
}

/** Clicks *Add rule*; returns the new rule's number. */
export async function addRule(panel: Panel): Promise<number> {
  const n = await panel.evaluate(() => document.querySelectorAll('.rule-list > li').length + 1);
  await clickIn(panel, '.rules', 'Add rule');
  await panel.waitForSelector(`[aria-label="Rule ${n}"]`);
  return n;
}

/** What a rule's row says of itself: its On box, where it applies, and its note. */
export async function ruleRow(panel: Panel, n: number): Promise<{ on: boolean; canSwitchOn: boolean; appliesOn: string; note: string }> {
  return panel.evaluate((i: number) => {
    const on = document.querySelector(`[aria-label="Rule ${i} on"]`) as HTMLInputElement;
    const scope = document.querySelector(`[aria-label="Rule ${i} applies on"]`) as HTMLSelectElement;
    const note = document.querySelector(`[aria-label="Rule ${i}"] .rule-note`);
    return { on: on.checked, canSwitchOn: !on.disabled, appliesOn: scope.selectedOptions[0]?.textContent ?? '', note: note?.textContent ?? '' };
  }, n);
}

/** "N rules on" in the toolbar, or '' when none is in effect. */
export const rulesOnBadge = (panel: Panel) => panel.evaluate(() => document.querySelector('.rules-on')?.textContent ?? '');

export const heldTitle = (panel: Panel) => panel.evaluate(() => document.querySelector('.held-title')?.textContent ?? '');

export async function waitHeldTitle(panel: Panel, text: string): Promise<void> {
  await panel.waitForFunction((t: string) => (document.querySelector('.held-title')?.textContent ?? '') === t, {}, text)
    .catch(async (e) => { throw new Error(`the held frames' title reads "${await heldTitle(panel)}", not "${text}"`, { cause: e }); });
}

/** Waits until a held frame's payload reads `text`. */
export async function waitHeld(panel: Panel, text: string): Promise<void> {
  await panel.waitForFunction((t: string) => [...document.querySelectorAll<HTMLTextAreaElement>('li.held textarea')].some((x) => x.value === t), {}, text);
}

/** Forwards or drops the held frame whose payload reads `text`, and waits until it is gone. */
export async function release(panel: Panel, text: string, how: 'Forward' | 'Drop'): Promise<void> {
  await waitHeld(panel, text);
  await panel.evaluate((t: string, h: string) => {
    const li = [...document.querySelectorAll('li.held')].find((l) => l.querySelector('textarea')!.value === t)!;
    ([...li.querySelectorAll('button')].find((b) => b.textContent === h) as HTMLButtonElement).click();
  }, text, how);
  await panel.waitForFunction((t: string) => ![...document.querySelectorAll<HTMLTextAreaElement>('li.held textarea')].some((x) => x.value === t), {}, text);
}

/** The payloads of the queued frames listed under the held ones. */
export const queuedPayloads = (panel: Panel) => panel.evaluate(() => [...document.querySelectorAll('li.queued .queued-payload')].map((c) => c.textContent ?? ''));

/**
 * Turns rule `n` into the probe rule: pause sent frames on sockets whose URL contains
 * `probePath`, on all sites, on.
 */
export async function makeProbeRule(panel: Panel, n: number, probePath: string): Promise<void> {
  await setField(panel, `Rule ${n} URL pattern`, probePath);
  await setField(panel, `Rule ${n} applies on`, 'all');
  await setChecked(panel, `Rule ${n} on`, true);
}

let probes = 0;

/** The probe socket: what makes the page send on it, and whether a probe frame reached the server. */
export interface Probe {
  send(text: string): Promise<unknown>;
  arrived(text: string): boolean | Promise<boolean>;
}

/** Waits until the page has the panel's latest rules (see the top of this file). */
export async function rulesReachedPage(panel: Panel, probe: Probe): Promise<void> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const text = `probe ${++probes}`;
    await probe.send(text);
    for (;;) {
      if (await isHeld(panel, text)) { await release(panel, text, 'Drop'); return; }
      if (await probe.arrived(text)) break;
      if (Date.now() > end) throw new Error(`"${text}" was neither held nor arrived at the server`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const isHeld = (panel: Panel, text: string) =>
  panel.evaluate((t: string) => [...document.querySelectorAll<HTMLTextAreaElement>('li.held textarea')].some((x) => x.value === t), text);

/** Waits for a log row (a lifecycle row of the frame table) reading `text`: the filter narrows the virtualized table to it first. */
export async function waitLogRow(panel: Panel, text: string): Promise<void> {
  await panel.evaluate((t: string) => {
    const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
    box.value = t;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  try {
    await panel.waitForFunction((t: string) => [...document.querySelectorAll('.frame-canvas .row')].some((r) => (r as HTMLElement).innerText.includes(t)), {}, text);
  } finally {
    await panel.evaluate(() => {
      const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
      box.value = '';
      box.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
}
