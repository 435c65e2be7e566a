/**
 * The connection list's columns. At narrow widths it keeps what tells connections apart (the URL,
 * its state, its frames) and drops the rest, widest panels first; the user can show or hide any
 * column from the header's menu, and that choice wins.
 */

export type ConnColumn = 'url' | 'state' | 'protocol' | 'decoder' | 'frames' | 'bytes' | 'opened' | 'duration' | 'close' | 'origin' | 'initiator';

/** Each column with its header and the panel width from which it shows by default. */
export const CONN_COLUMNS: readonly { id: ConnColumn; label: string; from: number }[] = [
  { id: 'url', label: 'URL', from: 0 },
  { id: 'state', label: 'State', from: 0 },
  { id: 'protocol', label: 'Protocol', from: 760 },
  { id: 'decoder', label: 'Decoder', from: 560 },
  { id: 'frames', label: 'Frames', from: 0 },
  { id: 'bytes', label: 'Bytes', from: 760 },
  { id: 'opened', label: 'Opened', from: 1200 },
  { id: 'duration', label: 'Duration', from: 900 },
  { id: 'close', label: 'Close', from: 1000 },
  { id: 'origin', label: 'Opened by', from: 1200 },
  /** The code that called `new WebSocket`, as DevTools' Network panel names it. */
  { id: 'initiator', label: 'Initiator', from: 900 },
];

/** Below this width the URL drops its scheme, and its host too when every connection shares it. */
export const URL_SHORT_BELOW_PX = 760;

export function connColumnsShown(width: number, hidden: Partial<Record<ConnColumn, boolean>>): Set<ConnColumn> {
  // The URL is what a connection is: it never hides.
  return new Set(CONN_COLUMNS.filter((c) => c.id === 'url' || (hidden[c.id] ?? width < c.from) === false).map((c) => c.id));
}
