/** The panel's filter on one decoded frame, for the decoder tests. */
import type { DecodedMessage } from '../../src/decoders/types';
import { compileFilter, DEFAULT_FILTER } from '../../src/panel/filter/filter-engine';

/** Whether the panel's filter shows this frame for `query` (a decoded-field query, usually). */
export function filterFinds(m: DecodedMessage, query: string): boolean {
  const f = compileFilter({ ...DEFAULT_FILTER, text: query });
  if (!f.ok) throw new Error(f.error);
  return f.matches({ kind: 'frame', connId: 'c', dir: 'sent', type: 'binary', size: 1, data: '', msg: m }) === true;
}
