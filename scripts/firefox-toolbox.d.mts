// Types for firefox-toolbox.mjs (Firefox internals; see that file).

export type BiDiSend = (method: string, params: object) => Promise<{ result: any }>;
/** Runs `fn($, ...args)` in the browser window's chrome context; `$` is untyped Firefox internals. */
export type ChromeCall = <A extends unknown[], R>(fn: ($: any, ...args: A) => R | Promise<R>, ...args: A) => Promise<R>;

export const FIREFOX_TOOLBOX_ARGS: string[];
export function connectBiDi(url: string): Promise<{ send: BiDiSend; close(): Promise<void> }>;
export function chromeCaller(send: BiDiSend): ChromeCall;

export interface OpenedPanel {
  /** The toolbox's id for the panel: webext-devtools-panel-…, different in every run. */
  toolId: string;
  /** The panel's title in the toolbox's tab strip. */
  label: string;
  /** "bottom" when docked at the bottom of the tab. */
  hostType: string;
  selectedToolId: string;
  /** The panel page's URL, moz-extension://<uuid>/… */
  url: string;
}
export function openToolboxOnPanel(call: ChromeCall, tabContext: string, extensionId: string, timeoutMs?: number): Promise<OpenedPanel>;
export function evaluateInPanel(call: ChromeCall, tabContext: string, fn: Function, args: unknown[],
  poll?: { timeout: number; interval: number } | null): Promise<any>;
export function setToolboxHeight(call: ChromeCall, tabContext: string, px: number, timeoutMs?: number):
  Promise<{ toolboxHeight: number; panel: { width: number; height: number } | null }>;
export function setWindowSize(call: ChromeCall, tabContext: string, width: number, height: number, timeoutMs?: number):
  Promise<{ outer: [number, number]; inner: [number, number] }>;
/** A PNG, base64, of the whole window: page, toolbox and panel. */
export function captureWindow(call: ChromeCall, tabContext: string): Promise<string>;
export function closeToolbox(call: ChromeCall, tabContext: string): Promise<void>;
export function waitForTab(send: BiDiSend, prefix: string, timeoutMs?: number): Promise<string>;
