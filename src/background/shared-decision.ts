/** Which SharedWorker instance a document joins: pure, so it is unit-tested (see shared-arbiter.ts). */
import type { SharedAnswer, SharedHeld } from '../protocol/messages';

export const NATIVE_ELSEWHERE = 'Another page of this site runs this SharedWorker natively (the browser refused Sockscope\'s wrapper there: its Content-Security-Policy), so this page joins that instance, as it would without Sockscope. It is not captured.';

/**
 * The instance a document joins, given what other documents hold and its own wrapper (null when
 * the browser refused it there). An instance that exists is joined as it runs: one instance, as
 * natively; only a document that cannot wrap beside a captured one must start its own (a split,
 * which its panel is told of). The reason of a native answer to a document without a wrapper is
 * its own to give ('').
 */
export function decide(held: SharedHeld | null, wrapper: string | null): SharedAnswer {
  if (held?.mode === 'wrapped') return wrapper ? { mode: 'wrapped', wrapper: held.wrapper } : { mode: 'native', reason: '', split: true };
  if (held?.mode === 'native') return { mode: 'native', reason: wrapper ? NATIVE_ELSEWHERE : '' };
  return wrapper ? { mode: 'wrapped', wrapper } : { mode: 'native', reason: '' };
}

