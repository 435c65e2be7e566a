/**
 * Firefox (test build; the panel page opened as a tab for the inspected tab): intercept rules that
 * are safe to use, against a real `ws` server that records what it receives. The same steps as in
 * Chromium (test/support/rules-safety-story.ts): adding a rule holds nothing until it is completed
 * and switched on; a frame queued behind a held one shows and is counted; releases name their
 * frame; a rule scoped to one origin (127.0.0.1:port) does nothing on another (localhost:port),
 * in the same tab after a navigation or in another tab's panel, and applies again back on its own.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { FIREFOX_E2E_DIST, launchFirefox, openPanelTab, relayTabId, type FirefoxSession } from '../../support/firefox';
import { startTestServer } from '../../support/test-server';
import { openRulesPage, serveRulesPages } from '../../support/rules-pages';
import * as story from '../../support/rules-safety-story';

let ff: FirefoxSession;
const s = {} as story.Story;

/** A tab on `origin` and a panel tab for it, wide enough for the toolbar's Rules button, showing the page's two sockets. */
async function inspect(origin: string): Promise<{ page: Page; panel: Page }> {
  const page = await ff.browser.newPage();
  await openRulesPage(page, origin);
  const panel = await openPanelTab(ff.browser, s.server.origin, await relayTabId(page));
  await panel.setViewport({ width: 1280, height: 800 });
  await panel.waitForFunction(() => /^2 connections$/.test(document.querySelector('[data-testid=connection-count]')?.textContent ?? ''));
  return { page, panel };
}

beforeAll(async () => {
  s.server = await startTestServer();
  s.received = serveRulesPages(s.server);
  ff = await launchFirefox({ extension: FIREFOX_E2E_DIST });
  ({ page: s.page, panel: s.panel } = await inspect(s.server.origin));
});

afterAll(async () => {
  await ff?.close();
  await s.server?.close();
});

describe('Firefox: rules that are safe to use', () => {
  test('adding a rule holds nothing until it is completed and switched on', () => story.addingARuleHoldsNothingUntilItIsCompleteAndOn(s));
  test('with one frame held, a later frame queued behind it shows in the panel and in the held count', () => story.aFrameQueuedBehindAHeldOneShowsAndIsCounted(s));
  test('a rule scoped to one origin does nothing when the tab navigates to another', () => story.aRuleForOneOriginDoesNothingAfterTheTabNavigatesToAnother(s));
  test('nor in another tab whose panel opens on the other origin; and it applies again back on its own', () =>
    story.norInAnotherTabOnTheOtherOriginAndItAppliesAgainBackHome(s, async (origin) => {
      const other = await inspect(origin);
      return { ...other, close: async () => { await other.panel.close(); await other.page.close(); } };
    }));
});
