/**
 * The rules-safety story, told the same way in Chromium's real panel and in Firefox's panel tab
 * (test/e2e/{chrome,firefox}/rules-safety.e2e.ts): each step is one test, run in this order
 * against one page (`page`, first on the server's origin) and its panel. See rules-pages.ts for
 * the page and server, rules-panel.ts for driving the panel and the wait on the page's rules.
 */
import { expect } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import type { TestServer } from './test-server';
import { EARLY_SENDS, openRulesPage, PROBE_PATH, probeOf, sendMain, type Received } from './rules-pages';
import {
  addRule, heldTitle, makeProbeRule, openRules, queuedPayloads, release, ruleRow, rulesOnBadge, rulesReachedPage, setChecked, setField,
  waitHeld, waitHeldTitle, waitLogRow,
} from './rules-panel';

type Panel = Frame | Page;

export interface Story {
  server: TestServer;
  received: Received[];
  page: Page;
  panel: Panel;
}

/** Another tab on `origin` with its own panel (DevTools in Chromium, a panel tab in Firefox); `close` closes both. */
export type OpenOther = (origin: string) => Promise<{ page: Page; panel: Panel; close(): Promise<void> }>;

const texts = (s: Story) => s.received.map((r) => r.text);
const arrived = (s: Story, text: string) => s.server.waitFor(() => texts(s).includes(text), `"${text}" at the server`);
const synced = (s: Story, page: Page, panel: Panel) => rulesReachedPage(panel, probeOf(s.server, page));
const badge = (panel: Panel, text: string) => panel.waitForFunction((t: string) => (document.querySelector('.rules-on')?.textContent ?? '') === t, {}, text);

/** Rule 1 holds "hold-me" frames on the server's origin, once complete and on; rule 2 is the probe (all sites). */
export async function addingARuleHoldsNothingUntilItIsCompleteAndOn(s: Story): Promise<void> {
  const { page, panel, server } = s;
  await openRules(panel);
  expect(await addRule(panel)).toBe(1);
  // New: off, on this page's origin, matching nothing yet, so it cannot be switched on.
  expect(await ruleRow(panel, 1)).toEqual({
    on: false, canSwitchOn: false, appliesOn: `only on ${server.origin}`,
    note: 'Off. Say what it matches: a URL or payload pattern, or tick "every frame of every socket".',
  });
  expect(await rulesOnBadge(panel)).toBe('');

  // Rule 2 is the probe: once a probe frame is held and dropped, the page has every change made before (rules-panel.ts).
  expect(await addRule(panel)).toBe(2);
  await makeProbeRule(panel, 2, PROBE_PATH);
  await badge(panel, '1 rule on');
  await synced(s, page, panel);
  await sendMain(page, 'hello');
  await arrived(s, 'hello');

  // Complete, but still off: nothing is held either.
  await setField(panel, 'Rule 1 payload match', 'hold-me');
  expect(await ruleRow(panel, 1)).toMatchObject({ on: false, canSwitchOn: true, note: '' });
  await synced(s, page, panel);
  await sendMain(page, 'hold-me 0');
  await arrived(s, 'hold-me 0');

  // Every frame of every socket is an explicit choice, and only then can such a rule be switched on.
  const n = await addRule(panel);
  expect((await ruleRow(panel, n)).canSwitchOn).toBe(false);
  await setChecked(panel, `Rule ${n} catches every frame`, true);
  expect((await ruleRow(panel, n)).canSwitchOn).toBe(true);
  await panel.evaluate((i: number) => (document.querySelector(`[aria-label="Delete rule ${i}"]`) as HTMLButtonElement).click(), n);
  await panel.waitForFunction((i: number) => !document.querySelector(`[aria-label="Rule ${i}"]`), {}, n);

  // Switched on: now it holds.
  await setChecked(panel, 'Rule 1 on', true);
  await badge(panel, '2 rules on');
  await synced(s, page, panel);
  await sendMain(page, 'hold-me 1');
  await waitHeldTitle(panel, 'Held: 1 outgoing, 0 incoming');
  expect(texts(s)).not.toContain('hold-me 1');
}

/** "hold-me 1" is held: a frame sent after it waits, and shows. */
export async function aFrameQueuedBehindAHeldOneShowsAndIsCounted(s: Story): Promise<void> {
  const { page, panel } = s;
  await sendMain(page, 'after 1');
  await waitHeldTitle(panel, 'Held: 2 outgoing, 0 incoming (1 queued behind an earlier frame)');
  expect(await queuedPayloads(panel)).toEqual(['after 1']);
  expect(texts(s)).not.toContain('after 1');
  await release(panel, 'hold-me 1', 'Forward');
  await arrived(s, 'after 1');
  expect(texts(s).slice(-2)).toEqual(['hold-me 1', 'after 1']);
  await panel.waitForFunction(() => !document.querySelector('.held-frames'));
  // The log names each frame.
  await waitLogRow(panel, 'queued behind an earlier frame ↑ after 1');
  await waitLogRow(panel, 'held frame forwarded ↑ hold-me 1');

  await sendMain(page, 'hold-me 2');
  await release(panel, 'hold-me 2', 'Drop');
  await waitLogRow(panel, 'held frame dropped ↑ hold-me 2');
  await sendMain(page, 'after 2');
  await arrived(s, 'after 2');
  expect(texts(s)).not.toContain('hold-me 2');
}

/** The tab goes to the other origin (localhost), whose page sends from its first moment. */
export async function aRuleForOneOriginDoesNothingAfterTheTabNavigatesToAnother(s: Story): Promise<void> {
  const { page, panel, server } = s;
  // Sent before the panel can have seen the new page: the router alone decides then.
  await openRulesPage(page, server.altOrigin, 'hold-me early');
  await arrived(s, `hold-me early ${EARLY_SENDS}`);
  expect(texts(s).filter((t) => t.startsWith('hold-me early'))).toEqual(Array.from({ length: EARLY_SENDS }, (_, i) => `hold-me early ${i + 1}`));
  await badge(panel, '1 rule on');
  expect(await ruleRow(panel, 1)).toMatchObject({ on: true, appliesOn: `only on ${server.origin}`, note: `Not in effect on this page (${server.altOrigin}).` });
  await synced(s, page, panel);
  await sendMain(page, 'hold-me 3');
  await arrived(s, 'hold-me 3');
  expect(s.received.find((r) => r.text === 'hold-me 3')?.origin).toBe(server.altOrigin);
  expect(await heldTitle(panel)).toBe('');
}

/** Another tab on the other origin, its panel opened there (same saved rules); then the first tab back on its own origin. */
export async function norInAnotherTabOnTheOtherOriginAndItAppliesAgainBackHome(s: Story, openOther: OpenOther, beforeBack?: () => Promise<void>): Promise<void> {
  const { page, panel, server } = s;
  const other = await openOther(server.altOrigin);
  await openRules(other.panel);
  expect(await ruleRow(other.panel, 1)).toMatchObject({ on: true, appliesOn: `only on ${server.origin}` });
  await synced(s, other.page, other.panel);
  await sendMain(other.page, 'hold-me 4');
  await arrived(s, 'hold-me 4');
  await other.close();

  await beforeBack?.();
  await openRulesPage(page, server.origin);
  await badge(panel, '2 rules on');
  await synced(s, page, panel);
  await sendMain(page, 'hold-me 5');
  await waitHeld(panel, 'hold-me 5');
  expect(texts(s)).not.toContain('hold-me 5');
  await release(panel, 'hold-me 5', 'Forward');
  await arrived(s, 'hold-me 5');
}
