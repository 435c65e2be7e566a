/**
 * The bench's condition (s): our panel open with *Record send stacks* on, so every send() in the
 * page takes a stack. Turned on as a user does (the toolbar checkbox, or its "⋮" menu entry), and
 * checked in the panel's model after each run: a figure for stacks that were not taken would be a
 * figure for nothing, so that is an error, not a number.
 */
import type { CDPSession, Frame } from 'puppeteer-core';
import type { CaptureModel } from '../../src/panel/model/capture-model';
import { reachPanelInternals } from './panel-internals';

type Win = Window & { __sockscopeBench?: { models: CaptureModel[] } };

/** Ticks *Record send stacks* in the panel, inline or in the "⋮" menu; resolves once it shows checked. */
export async function enableSendStacks(panel: Frame, session: CDPSession): Promise<void> {
  await panel.evaluate(async () => {
    const label = [...document.querySelectorAll('label')].find((l) => l.textContent?.includes('Record send stacks'));
    const box = label?.querySelector('input');
    if (box) { if (!box.checked) box.click(); return; }
    (document.querySelector('button.more') as HTMLElement).click();
    for (let i = 0; i < 100 && !document.querySelector('[role=menuitemcheckbox]'); i++) await new Promise((r) => setTimeout(r, 20));
    const item = [...document.querySelectorAll('[role=menuitemcheckbox]')].find((m) => m.textContent?.includes('Record send stacks')) as HTMLElement | undefined;
    if (!item) throw new Error('no "Record send stacks" control in the panel');
    if (item.getAttribute('aria-checked') !== 'true') item.click();
  });
  await reachPanelInternals(session);
}

/** Of the frames the panel holds now, the page's sent ones, and how many of them carry a send() stack. */
export const sentWithStacks = (panel: Frame): Promise<{ sent: number; stacks: number }> => panel.evaluate(() => {
  const h = (window as Win).__sockscopeBench!;
  let sent = 0, stacks = 0;
  for (const m of h.models) {
    for (const r of m.rows) {
      if (r.kind !== 'frame' || r.dir !== 'sent' || r.origin) continue;
      sent++;
      if (r.initiator?.stack.length) stacks++;
    }
  }
  return { sent, stacks };
});
