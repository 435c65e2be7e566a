/** Reading the panel as a user does: its visible text, and the files "Export…" downloads. */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import type { SessionFileV1 } from '../../src/session/session-format';

export async function panelText(panel: Frame): Promise<string> {
  return panel.evaluate(() => document.body.innerText);
}

/** Waits until the panel's counts line reads at least `frames` frames and `conns` connections. */
export async function waitForCounts(panel: Frame, conns: number, frames: number, timeout = 60_000): Promise<void> {
  try {
    await waitForCountsOrThrow(panel, conns, frames, timeout);
  } catch (e) {
    const now = await panel.evaluate(() => `${document.querySelector('[data-testid=connection-count]')?.textContent}, ${document.querySelector('[data-testid=counts]')?.textContent}`).catch(() => '?');
    throw new Error(`panel never showed ${conns} connections and ${frames} frames; it shows "${now}"`, { cause: e });
  }
}

async function waitForCountsOrThrow(panel: Frame, conns: number, frames: number, timeout: number): Promise<void> {
  await panel.waitForFunction(
    (c: number, f: number) => {
      const cm = /(\d+) connections?/.exec(document.querySelector('[data-testid=connection-count]')?.textContent ?? '');
      const fm = /(\d+) of (\d+) frames?/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '');
      return cm !== null && fm !== null && Number(cm[1]) >= c && Number(fm[2]) >= f;
    },
    { timeout, polling: 100 }, conns, frames,
  );
}

export interface ExportChoice {
  format?: 'session' | 'har';
  onlyFiltered?: boolean;
  redact?: boolean;
}

/**
 * Exports through the panel's "Export…" dialog, choosing every option by clicking it as a user
 * would (the dialog remembers the last choice), and returns the downloaded file's name and text.
 */
export async function exportFile(panel: Frame, downloads: string, choice: ExportChoice = {}): Promise<{ name: string; text: string }> {
  // Two exports in the same second have the same name, and CDP's download "allow" overwrites: start empty.
  for (const f of readdirSync(downloads)) rmSync(join(downloads, f), { force: true });
  // Clicked in the page, on the button as it is at that moment: the toolbar lays itself out again
  // as the panel learns its size, and a mouse click aimed at where the button was can miss it.
  await panel.waitForSelector('::-p-aria(Export…[role="button"])');
  await panel.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent === 'Export…')!.click());
  await panel.waitForSelector('[role=dialog][aria-label=Export]');
  await panel.evaluate((c: ExportChoice) => {
    const d = document.querySelector('[role=dialog][aria-label=Export]')!;
    const radios = d.querySelectorAll<HTMLInputElement>('input[type=radio]');
    radios[c.format === 'har' ? 1 : 0]!.click();
    radios[c.onlyFiltered ? 3 : 2]!.click();
    const redact = d.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    if (redact.checked !== (c.redact ?? false)) redact.click();
  }, choice);
  // Each choice re-renders the dialog: Save is found again, as it now is.
  await panel.waitForFunction((c: ExportChoice) => {
    const d = document.querySelector('[role=dialog][aria-label=Export]');
    const radios = d?.querySelectorAll<HTMLInputElement>('input[type=radio]');
    return radios && radios[c.format === 'har' ? 1 : 0]!.checked && radios[c.onlyFiltered ? 3 : 2]!.checked &&
      d!.querySelector<HTMLInputElement>('input[type=checkbox]')!.checked === (c.redact ?? false);
  }, {}, choice);
  await panel.evaluate(() => [...document.querySelectorAll('[role=dialog][aria-label=Export] button')].find((b) => b.textContent === 'Save export')!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
  const ext = choice.format === 'har' ? '.har' : '.json';
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const name = readdirSync(downloads).find((f) => f.endsWith(ext));
    if (name) {
      // Listed but gone a moment later (a browser renaming its download), or still being written: look again.
      try {
        const text = readFileSync(join(downloads, name), 'utf8');
        JSON.parse(text);
        return { name, text };
      } catch { /* not there yet */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${ext} file was downloaded`);
}

/** Exports every frame as a session file and returns it parsed. */
export async function exportSession(panel: Frame, downloads: string): Promise<SessionFileV1> {
  return JSON.parse((await exportFile(panel, downloads)).text) as SessionFileV1;
}

/** Frames of the export, as the server would see them: [direction, type, payload as Buffer]. */
export function exportedPayloads(s: SessionFileV1, connectionId: string, direction: 'sent' | 'received'): { type: string; bytes: Buffer }[] {
  return s.frames
    .filter((f) => f.connectionId === connectionId && f.direction === direction)
    .map((f) => ({ type: f.type, bytes: f.type === 'text' ? Buffer.from(f.text!, 'utf8') : Buffer.from(f.base64!, 'base64') }));
}

/** Puts `text` in the panel's filter box at once, as a paste does (typing applies every valid prefix on the way). */
export async function setPanelFilter(panel: Frame | Page, text: string): Promise<void> {
  await panel.evaluate((t: string) => {
    const box = document.querySelector('input[aria-label=Filter]') as HTMLInputElement;
    box.value = t;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/**
 * Sets the panel's "Preserve log" box. The panel remembers the setting (its localStorage, shared
 * by every panel in this browser), so it is clicked only when it is not already as wanted.
 */
export async function setPreserveLog(panel: Frame, on: boolean): Promise<void> {
  const box = (await panel.waitForSelector('::-p-aria(Preserve log[role="checkbox"])'))!;
  // Clicked on the element itself, not at its place on screen: the toolbar lays itself out again
  // as the page loads (tabs, status), and a click at stale coordinates once missed it (CI p6).
  if (await box.evaluate((e) => (e as HTMLInputElement).checked) !== on) await box.evaluate((e) => (e as HTMLInputElement).click());
  if (await box.evaluate((e) => (e as HTMLInputElement).checked) !== on) throw new Error(`Preserve log did not turn ${on ? 'on' : 'off'}`);
}

/** Clicks the button (or other role) with this accessible name. */
export async function clickButton(panel: Frame, name: string, role = 'button'): Promise<void> {
  await (await panel.waitForSelector(`::-p-aria(${name}[role="${role}"])`))!.click();
}

/** Selects the first frame row showing `text`. The table is virtualized, so it is narrowed with the filter first. */
export async function selectFrameRow(panel: Frame, text: string): Promise<void> {
  await setPanelFilter(panel, text);
  await panel.waitForFunction((t: string) => [...document.querySelectorAll('.frame-canvas .row.frame')].some((r) => (r as HTMLElement).innerText.includes(t)), {}, text);
  await panel.evaluate((t: string) => {
    const row = [...document.querySelectorAll('.frame-canvas .row.frame')].find((r) => (r as HTMLElement).innerText.includes(t))!;
    row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  }, text);
  await setPanelFilter(panel, '');
}

/** Waits for the last command's result to read `expected` ("status: …" or "alert: …"), or says what it reads. */
export async function expectCommandResult(panel: Frame, expected: string): Promise<void> {
  const now = () => panel.evaluate(() => {
    const el = document.querySelector('.command-result');
    return el && `${el.getAttribute('role')}: ${(el as HTMLElement).innerText}`;
  });
  await panel.waitForFunction((e: string) => {
    const el = document.querySelector('.command-result');
    return el !== null && `${el.getAttribute('role')}: ${(el as HTMLElement).innerText}` === e;
  }, { timeout: 60_000 }, expected).catch(async (e) => { throw new Error(`the command result reads "${await now()}"`, { cause: e }); });
}

/**
 * Opens the composer if needed and fills it: the socket whose option ends with `socketPath`,
 * optionally a payload format, then the message. Each step waits for the panel to show it, since
 * a new target re-renders the composer.
 */
export async function composeMessage(panel: Frame, socketPath: string, text: string, mode?: string): Promise<void> {
  if (!(await panel.$('.composer'))) await clickButton(panel, 'Compose');
  await panel.waitForSelector('.composer');
  await panel.evaluate((path: string) => {
    const sel = document.querySelector('select[aria-label=Socket]') as HTMLSelectElement;
    const opt = [...sel.options].find((o) => o.textContent!.endsWith(path));
    if (!opt) throw new Error(`no socket ${path} in the composer`);
    sel.value = opt.value;
    sel.dispatchEvent(new Event('change', { bubbles: true }));
  }, socketPath);
  await panel.waitForFunction((path: string) => (document.querySelector('select[aria-label=Socket]') as HTMLSelectElement).selectedOptions[0]?.textContent?.endsWith(path), {}, socketPath);
  if (mode) {
    await panel.evaluate((m: string) => {
      // The composer's own format buttons: the filter bar has a "Text" button too.
      const b = [...document.querySelectorAll('.composer [aria-label="Payload format"] button')].find((x) => x.textContent === m);
      if (!b) throw new Error(`no format ${m}`);
      (b as HTMLButtonElement).click();
    }, mode);
  }
  await panel.evaluate((t: string) => {
    const ta = document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement;
    ta.value = t;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await panel.waitForFunction((t: string) => (document.querySelector('textarea[aria-label=Message]') as HTMLTextAreaElement).value === t, {}, text);
}

/**
 * Sizes the panel as DevTools docked at the bottom of a desktop window (1400 × 800), where the
 * connection list shows every column (narrower, it leaves some out: see src/panel/layout), and
 * waits until it does. `viewport` is the page whose size the panel takes: the DevTools window in
 * Chromium, the panel's own tab in the Firefox test build.
 */
export async function showWide(viewport: Page, panel: Frame | Page): Promise<void> {
  await viewport.setViewport({ width: 1400, height: 800 });
  await panel.waitForFunction(() => [...document.querySelectorAll('.connections th')].some((th) => th.textContent === 'Close'));
}
