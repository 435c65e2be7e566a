/**
 * *Record send stacks* in tests: the panel's option reaches the page hook asynchronously (panel →
 * router → relay → hook), so a page's first sends may go out before it does. Tests make the page
 * send until an export shows what they wait for, never for a fixed time.
 */
import type { Frame, Page } from 'puppeteer-core';
import type { SessionFileV1, SessionFrame } from '../../src/session/session-format';

export const SEND_STACKS = 'Record send stacks';

/**
 * Calls `send` (something that makes the page send), then exports, until `pick` finds in the
 * export the frame it waits for; up to 60 s. Returns that export and frame.
 */
export async function sendUntilExported(send: () => Promise<unknown>, exportNow: () => Promise<SessionFileV1>,
  pick: (s: SessionFileV1) => SessionFrame | undefined, what: string): Promise<{ session: SessionFileV1; frame: SessionFrame }> {
  const until = Date.now() + 60_000;
  for (;;) {
    await send();
    const session = await exportNow();
    const frame = pick(session);
    if (frame) return { session, frame };
    if (Date.now() > until) throw new Error(`no export in 60 s had ${what}; the last had sent frames ${JSON.stringify(session.frames.filter((f) => f.direction === 'sent'))}`);
  }
}

/** Exports until `pick` finds in the export the frame it waits for (the page sends by itself); up to 60 s. */
export const exportUntil = (exportNow: () => Promise<SessionFileV1>, pick: (s: SessionFileV1) => SessionFrame | undefined, what: string) =>
  sendUntilExported(() => Promise.resolve(), exportNow, pick, what);

/** The last of the export's frames that `test` accepts, once there are more than `than` of them. */
export const lastOfMore = (test: (f: SessionFrame) => boolean, than = 0) => (s: SessionFileV1): SessionFrame | undefined => {
  const all = s.frames.filter(test);
  return all.length > than ? all.at(-1) : undefined;
};

const WARM_UP = 'send stacks warm-up';

/**
 * Waits until the page's hook records send stacks: sends on a socket of the test's own (to
 * `${base}/warm`, a handle the page has no name for) until the export shows such a frame with its
 * initiator. `exportNow` exports the panel's session.
 */
export async function waitForSendStacks(page: Page, base: string, exportNow: () => Promise<SessionFileV1>): Promise<void> {
  const ws = await page.evaluateHandle((b: string) => new Promise<WebSocket>((res, rej) => {
    const w = new WebSocket(`${b}/warm`);
    w.onopen = () => res(w);
    w.onerror = rej;
  }), base);
  await sendUntilExported(() => ws.evaluate((w, t) => w.send(t), WARM_UP), exportNow,
    lastOfMore((f) => f.direction === 'sent' && f.text === WARM_UP && f.initiator !== undefined), 'a warm-up frame with its send stack');
  await ws.evaluate((w) => w.close());
  await ws.dispose();
}

/**
 * Selects the last sent frame in the panel's table and returns its detail pane's "Sent by" line
 * and that line's link.
 */
export async function lastSentBy(panel: Frame | Page): Promise<{ line: string; link: string }> {
  await panel.evaluate(() => [...document.querySelectorAll('.frame-canvas .row.frame.sent')].at(-1)!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
  const sentBy = await panel.waitForFunction(() => {
    const el = document.querySelector('.sent-by');
    return el && { line: (el as HTMLElement).innerText, link: (el.querySelector('.stack-loc') as HTMLElement | null)?.innerText ?? '' };
  });
  return sentBy.jsonValue() as Promise<{ line: string; link: string }>;
}
