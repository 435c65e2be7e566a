/**
 * How a payload too large for one runtime message is cut into parts (same seq, part i of n): text
 * by characters, binary by bytes in multiples of 3, so that the parts' base64 strings joined are
 * the base64 of the whole and the panel only has to concatenate them (PartAssembler).
 */
import type { WireFrame } from './capture-events';

export function partCount(data: string | ArrayBuffer, maxChars: number): number {
  return typeof data === 'string' ? Math.ceil(data.length / maxChars) : Math.ceil(data.byteLength / partBytes(maxChars));
}

/** Bytes per binary part: the most whose base64 fits in maxChars, a multiple of 3. */
export function partBytes(maxChars: number): number {
  return Math.max(3, Math.floor(maxChars / 4) * 3);
}

/** base64 characters for `bytes` bytes. */
export function base64Chars(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Joins the parts of large frames. Parts of one frame arrive in order on one port; a replay may
 * start the same frame again from part 0, which restarts it.
 */
export class PartAssembler {
  private pending = new Map<string, { parts: string[]; next: number }>();

  /** Returns the whole frame once its last part is in, or the frame itself if it has no parts. */
  accept(scope: string, ev: WireFrame): WireFrame | null {
    if (!ev.part) return ev;
    const key = `${scope}:${ev.seq}`;
    const { i, n } = ev.part;
    let entry = this.pending.get(key);
    if (i === 0 || !entry) {
      if (i !== 0) return null; // joined mid-frame (e.g. after a reconnect): the replay will bring it whole
      entry = { parts: [], next: 0 };
      this.pending.set(key, entry);
    }
    if (i !== entry.next) { this.pending.delete(key); return null; }
    entry.parts.push(ev.data);
    entry.next++;
    if (entry.next < n) return null;
    this.pending.delete(key);
    const { part: _part, ...whole } = ev;
    return { ...whole, data: entry.parts.join('') };
  }

  get pendingCount(): number { return this.pending.size; }
}
