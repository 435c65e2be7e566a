/**
 * Chromium, the real DevTools panel: intercept rules that are safe to use, against a real `ws`
 * server that records what it receives (the steps: test/support/rules-safety-story.ts). Adding a
 * rule holds nothing until it is completed and switched on. With one frame held, a frame queued
 * behind it shows in the panel and in the held count, and the releases name their frame. A rule
 * scoped to one origin (127.0.0.1:port) does nothing on another (localhost:port): not after the
 * tab navigates there, not in frames the new page sends before its panel has seen it, not in
 * another tab's DevTools; and it applies again when the tab comes back. Every wait is on a
 * condition (rules-panel.ts says how the test knows the page has the panel's rules).
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { waitForCounts } from '../../support/panel';
import { startTestServer } from '../../support/test-server';
import { openRulesPage, serveRulesPages } from '../../support/rules-pages';
import * as story from '../../support/rules-safety-story';

let chrome: ChromeSession;
let devtools: Page;
const s = {} as story.Story;

/** A tab on `origin` with DevTools open on the WebSockets panel, showing the page's two sockets. */
async function inspect(origin: string) {
  const inspected = await newInspectedPage(chrome.browser);
  await openRulesPage(inspected.page, origin);
  await inspected.devtools.setViewport({ width: 1280, height: 800 });
  const panel = await showPanel(inspected.devtools);
  await waitForCounts(panel, 2, 0);
  return { ...inspected, panel };
}

beforeAll(async () => {
  s.server = await startTestServer();
  s.received = serveRulesPages(s.server);
  chrome = await launchChrome({ devtools: true });
  ({ page: s.page, devtools, panel: s.panel } = await inspect(s.server.origin));
});

afterAll(async () => {
  await chrome?.close();
  await s.server?.close();
});

describe('Chromium: rules that are safe to use', () => {
  test('adding a rule holds nothing until it is completed and switched on', () => story.addingARuleHoldsNothingUntilItIsCompleteAndOn(s));
  test('with one frame held, a later frame queued behind it shows in the panel and in the held count', () => story.aFrameQueuedBehindAHeldOneShowsAndIsCounted(s));
  test('a rule scoped to one origin does nothing when the tab navigates to another', () => story.aRuleForOneOriginDoesNothingAfterTheTabNavigatesToAnother(s));
  test('nor in another tab whose DevTools opens on the other origin; and it applies again back on its own', () =>
    story.norInAnotherTabOnTheOtherOriginAndItAppliesAgainBackHome(s, async (origin) => {
      const other = await inspect(origin);
      return { page: other.page, panel: other.panel, close: () => other.page.close() };
    }, () => devtools.bringToFront()));
});
