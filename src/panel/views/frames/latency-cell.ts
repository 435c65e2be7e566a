/**
 * What the Latency column says of a row: a request's first-reply latency (with the reply count
 * for a stream), a reply's own latency, or why there is none (waiting, no response, a reply
 * whose request was never seen). Its title says it in words.
 */
import { keyText } from '../../../decoders/pairing/pair-tags';
import type { Exchange, FrameRecord } from '../../model/types';

export interface LatencyCell { text: string; cls: string; title: string; ms?: number }

/** 12 ms, 1.25 s: whole milliseconds under a second. */
export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const NO_RESPONSE: Record<NonNullable<Exchange['noResponse']>, string> = {
  timeout: 'no reply within the timeout',
  closed: 'the socket closed before a reply came',
  reused: 'its id was used again by a later request before a reply came',
};

export const exchangeName = (x: Exchange) => `${x.call} #${keyText(x.key)}`;

export function latencyCell(row: FrameRecord): LatencyCell | null {
  const x = row.pair;
  if (!x) return row.unpaired ? { text: '?', cls: 'no-request', title: 'A reply whose request was not seen (or no longer tracked)' } : null;
  if (x.request !== row) {
    const ms = row.at - x.at;
    return { text: `↩ ${formatLatency(ms)}`, cls: 'reply', ms, title: `Reply to ${exchangeName(x)}, ${formatLatency(ms)} after the request` };
  }
  if (x.replies > 0) {
    const ms = x.firstAt! - x.at;
    const more = x.replies > 1 ? ` ×${x.replies}` : '';
    const end = x.endAt !== null ? `; ended after ${formatLatency(x.endAt - x.at)}` : x.stream ? '; still open' : '';
    return { text: `${formatLatency(ms)}${more}`, cls: x.error ? 'answered error' : 'answered', ms, title: `${exchangeName(x)}: first reply after ${formatLatency(ms)}; ${x.replies} repl${x.replies === 1 ? 'y' : 'ies'}${end}${x.error ? '; it failed' : ''}` };
  }
  if (x.untracked) return { text: '—', cls: 'untracked', title: `${exchangeName(x)}: no longer tracked, the connection's pending table was full` };
  if (x.noResponse) return { text: 'no response', cls: 'no-response', title: `${exchangeName(x)}: ${NO_RESPONSE[x.noResponse]}` };
  if (x.cancelled) return { text: 'cancelled', cls: 'pending', title: `${exchangeName(x)}: cancelled by the page before any reply` };
  return { text: '…', cls: 'pending', title: `${exchangeName(x)}: waiting for a reply` };
}
