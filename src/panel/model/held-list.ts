/**
 * The frames waiting in the page, in the order they began to wait: held by a rule, or queued
 * behind one. Keyed, so a flood queued behind one held frame is added and let go one by one
 * without a scan of the list; counted per direction and state, so the title needs no scan either.
 */
import type { Direction } from '../../protocol/capture-events';
import type { HeldFrame } from './types';

type Counts = Record<HeldFrame['state'], Record<Direction, number>>;
const zero = (): Counts => ({ held: { sent: 0, received: 0 }, queued: { sent: 0, received: 0 } });

export class HeldList {
  private byKey = new Map<string, HeldFrame>();
  private n = zero();

  get length(): number { return this.byKey.size; }

  /** How many wait, by state and direction. */
  get counts(): Readonly<Counts> { return this.n; }

  add(h: HeldFrame): void {
    if (this.byKey.has(h.key)) return;
    this.byKey.set(h.key, h);
    this.n[h.state][h.dir]++;
  }

  /** Removes and returns the frame with this key, if it is waiting. */
  take(key: string): HeldFrame | undefined {
    const h = this.byKey.get(key);
    if (!h) return undefined;
    this.byKey.delete(key);
    this.n[h.state][h.dir]--;
    return h;
  }

  clear(): void {
    this.byKey.clear();
    this.n = zero();
  }

  [Symbol.iterator](): IterableIterator<HeldFrame> { return this.byKey.values(); }
}

/**
 * "Held: 2 outgoing, 0 incoming (1 queued behind an earlier frame)": every frame that waits is
 * counted in its direction, and how many of them wait without a rule of their own is said.
 */
export function heldTitle(c: Readonly<Counts>): string {
  const queued = c.queued.sent + c.queued.received;
  const behind = queued === 0 ? '' : ` (${queued} queued behind ${queued === 1 ? 'an earlier frame' : 'earlier frames'})`;
  return `Held: ${c.held.sent + c.queued.sent} outgoing, ${c.held.received + c.queued.received} incoming${behind}`;
}
