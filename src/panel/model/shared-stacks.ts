/**
 * Send stacks as the panel keeps them: every frame arrives with its own copy (a structured clone
 * per message), but a page sends from a handful of places. Frames with the same stack share one
 * object, so a million recorded sends hold a few stacks, not a million.
 *
 * At most SHARED_STACKS_MAX distinct stacks are remembered; past that, new ones are kept per frame
 * as they came (still bounded by the panel's frame cap). Pure.
 */
import type { Initiator } from '../../protocol/stack-frames';

export const SHARED_STACKS_MAX = 5_000;

const keyOf = (i: Initiator) => {
  let k = i.note ?? '';
  for (const f of i.stack) k += `\n${f.fn}\t${f.url}\t${f.line}\t${f.col}`;
  return k;
};

export class SharedStacks {
  private byKey = new Map<string, Initiator>();

  /** The one object for this stack: the first one seen like it, or this one. */
  share(i: Initiator): Initiator {
    const k = keyOf(i);
    const known = this.byKey.get(k);
    if (known) return known;
    if (this.byKey.size < SHARED_STACKS_MAX) this.byKey.set(k, i);
    return i;
  }

  get size(): number { return this.byKey.size; }
}
