/**
 * A page-dispatched message's text arrives whole from the hook (cutting it in the page would call
 * the page's String methods): here it is sized and cut to DISPATCHED_KEEP_BYTES characters before
 * it enters the history, as the hook already did for binary data.
 */
import type { HookEvent } from '../protocol/capture-events';
import { utf8ByteLength } from '../protocol/bytes';
import { DISPATCHED_KEEP_BYTES } from '../protocol/limits';

type Dispatched = Extract<HookEvent, { k: 'dispatched' }>;

export function keepDispatchedText(ev: Dispatched): Dispatched {
  if (typeof ev.data !== 'string') return ev;
  const size = utf8ByteLength(ev.data);
  if (ev.data.length <= DISPATCHED_KEEP_BYTES) return { ...ev, size };
  return { ...ev, data: ev.data.slice(0, DISPATCHED_KEEP_BYTES), size, truncated: true };
}
