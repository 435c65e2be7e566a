/**
 * Packing wire events into runtime messages. Chrome's messaging is JSON and refuses a message
 * over 64 MiB, so a batch is cut at `maxChars` of payload, and one payload larger than that is
 * cut into parts (same seq, part i of n). The panel puts parts back together with PartAssembler.
 */
import type { WireEvent, WireFrame } from './capture-events';

/** A rough per-event cost in characters for the fields around the payload. */
const EVENT_OVERHEAD_CHARS = 96;

export function packForTransport(events: readonly WireEvent[], maxChars: number, maxEvents: number): WireEvent[][] {
  const out: WireEvent[][] = [];
  let cur: WireEvent[] = [];
  let chars = 0;
  const cut = () => { if (cur.length) { out.push(cur); cur = []; chars = 0; } };
  for (const ev of events) {
    const len = (ev.k === 'frame' ? ev.data.length : 0) + EVENT_OVERHEAD_CHARS;
    if (ev.k === 'frame' && ev.data.length > maxChars) {
      cut();
      const n = Math.ceil(ev.data.length / maxChars);
      for (let i = 0; i < n; i++) out.push([{ ...ev, data: ev.data.slice(i * maxChars, (i + 1) * maxChars), part: { i, n } }]);
      continue;
    }
    if (cur.length > 0 && (chars + len > maxChars || cur.length >= maxEvents)) cut();
    cur.push(ev);
    chars += len;
  }
  cut();
  return out;
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
