/**
 * e2e setup: every puppeteer `waitForFunction` that names no `polling` polls on a 100 ms timer.
 *
 * Puppeteer's default is `requestAnimationFrame`, and animation frames stop in a page that is
 * not on screen: an inspected page behind its DevTools window, or the DevTools window behind
 * another one on a busy headless run. The condition is then true but never checked again, and
 * the wait runs out (seen in CI in workers and demo; a possible cause of large-payload's one
 * failure). A timer keeps checking wherever the page is. Page.waitForFunction goes through its
 * main frame's, so patching Frame covers both.
 */
import { Frame } from 'puppeteer-core';

const DEFAULT_POLLING_MS = 100;
type WaitOptions = Parameters<Frame['waitForFunction']>[1];
// Untyped at this one seam: the wrapper only fills in an option and passes everything through.
const original = Frame.prototype.waitForFunction as (this: Frame, fn: unknown, options?: WaitOptions, ...args: unknown[]) => Promise<unknown>;

Frame.prototype.waitForFunction = function waitForFunction(this: Frame, fn: unknown, options: WaitOptions = {}, ...args: unknown[]) {
  return original.call(this, fn, { polling: DEFAULT_POLLING_MS, ...options }, ...args);
} as Frame['waitForFunction'];
