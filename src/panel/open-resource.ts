/**
 * Opens a script at a line in DevTools' Sources panel (Debugger in Firefox), through
 * `devtools.panels.openResource`. Chrome has it; Firefox has not shipped it (bug 1575240), so
 * there the caller gets a message saying where the code is instead.
 *
 * The extension API's line and column are 0-based (DevTools' own UI locations); a stack frame's are 1-based.
 */
import { browser } from '../platform/browser';
import type { StackFrame } from '../protocol/stack-frames';

type OpenResource = (url: string, line: number, col?: number, cb?: () => void) => void;

function openResourceApi(): OpenResource | null {
  const chromePanels = (globalThis as { chrome?: { devtools?: { panels?: { openResource?: OpenResource } } } }).chrome?.devtools?.panels;
  if (typeof chromePanels?.openResource === 'function') return chromePanels.openResource.bind(chromePanels);
  const panels = (browser.devtools?.panels as unknown as { openResource?: OpenResource } | undefined);
  if (typeof panels?.openResource === 'function') return panels.openResource.bind(panels);
  return null;
}

/** Null when DevTools was asked to open it; else what to tell the user. */
export function openFrame(f: StackFrame): string | null {
  if (!f.url) return 'This frame is native code: there is no script to open.';
  const open = (() => { try { return openResourceApi(); } catch { return null; } })();
  if (!open) return `This browser does not let extensions open a script in its debugger. The code is at ${f.url}:${f.line}:${f.col}.`;
  try {
    open(f.url, Math.max(0, f.line - 1), Math.max(0, f.col - 1));
    return null;
  } catch (e) {
    return `DevTools could not open ${f.url}: ${String(e)}`;
  }
}
