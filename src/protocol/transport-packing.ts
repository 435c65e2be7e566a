/**
 * How a payload too large for one runtime message is cut into parts (same seq, part i of n), and
 * joined again in the panel. Text is cut by characters. Binary is cut by bytes: `maxUnits` bytes
 * per part on a channel that clones buffers, and on a JSON-only one the most bytes whose base64
 * fits in `maxUnits` characters, a multiple of 3, so that each part's base64 decodes on its own.
 */
import type { WireFrame } from './capture-events';
import { fromWireBinary, type WireBinary } from './wire-payload';

export function partCount(data: string | ArrayBuffer, maxUnits: number, clone: boolean): number {
  return typeof data === 'string' ? Math.ceil(data.length / maxUnits) : Math.ceil(data.byteLength / partBytes(maxUnits, clone));
}

/** Bytes per binary part: `maxUnits` as they are, or the most whose base64 fits in `maxUnits` characters. */
export function partBytes(maxUnits: number, clone: boolean): number {
  return clone ? Math.max(1, maxUnits) : Math.max(3, Math.floor(maxUnits / 4) * 3);
}

/** base64 characters for `bytes` bytes. */
export function base64Chars(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** A frame as the panel keeps it: binary payloads as bytes, whatever form they travelled in. */
export type WholeFrame = Omit<WireFrame, 'data' | 'part'> & { data: string | Uint8Array };

/**
 * Joins the parts of large frames, and turns every binary payload into bytes. Parts of one frame
 * arrive in order on one port; a replay may start the same frame again from part 0, which restarts
 * it. The bytes of a frame in parts are copied once, into a buffer of the frame's size.
 */
export class PartAssembler {
  private pending = new Map<string, { parts: (string | Uint8Array)[]; next: number }>();

  /** Returns the whole frame once its last part is in, or the frame itself if it has no parts. */
  accept(scope: string, ev: WireFrame): WholeFrame | null {
    if (!ev.part) {
      // A text frame is already whole: no second object on the panel's busiest path.
      if (ev.type === 'text') return ev as WholeFrame;
      const { part: _part, ...whole } = ev;
      return { ...whole, data: payloadOf(ev) };
    }
    const key = `${scope}:${ev.seq}`;
    const { i, n } = ev.part;
    let entry = this.pending.get(key);
    if (i === 0 || !entry) {
      if (i !== 0) return null; // joined mid-frame (e.g. after a reconnect): the replay will bring it whole
      entry = { parts: [], next: 0 };
      this.pending.set(key, entry);
    }
    if (i !== entry.next) { this.pending.delete(key); return null; }
    entry.parts.push(payloadOf(ev));
    entry.next++;
    if (entry.next < n) return null;
    this.pending.delete(key);
    const { part: _part, ...whole } = ev;
    return { ...whole, data: ev.type === 'text' ? (entry.parts as string[]).join('') : joinBytes(entry.parts as Uint8Array[]) };
  }

  get pendingCount(): number { return this.pending.size; }
}

/** Base64 that is not valid (never from our relay) gives no bytes rather than breaking the batch. */
function payloadOf(ev: WireFrame): string | Uint8Array {
  if (ev.type === 'text') return ev.data as string;
  try { return fromWireBinary(ev.data as WireBinary); } catch { return new Uint8Array(0); }
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
