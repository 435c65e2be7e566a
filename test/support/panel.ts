/** Reading the panel as a user does: its visible text, and the file "Export session" downloads. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import type { SessionFileV1 } from '../../src/session/session-format';

export async function panelText(panel: Frame): Promise<string> {
  return panel.evaluate(() => document.body.innerText);
}

/** Waits until the panel's counts line reads at least `frames` frames and `conns` connections. */
export async function waitForCounts(panel: Frame, conns: number, frames: number, timeout = 20_000): Promise<void> {
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

/** Clicks "Export session" (by its accessible name) and returns the parsed file from `downloads`. */
export async function exportSession(panel: Frame, downloads: string): Promise<SessionFileV1> {
  const before = new Set(readdirSync(downloads));
  const button = await panel.waitForSelector('::-p-aria(Export session[role="button"])');
  await button!.click();
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const file = readdirSync(downloads).find((f) => !before.has(f) && f.endsWith('.json'));
    if (file) {
      try { return JSON.parse(readFileSync(join(downloads, file), 'utf8')) as SessionFileV1; } catch { /* still being written */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no session file was downloaded');
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
