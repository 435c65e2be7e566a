/**
 * What a SharedWorker's hook keeps of its sockets' events for documents that connect later (see
 * shared-channel.ts), under named caps: past SHARED_HISTORY_MAX_FRAMES or _BYTES the oldest frames
 * go first; past SHARED_HISTORY_MAX_LIFECYCLE the oldest events of any kind, and past
 * _LIFECYCLE_BYTES (payloads that events other than frames carry) the oldest such events. Whatever goes is
 * counted, and each document that connects later is told how many frames it missed.
 *
 * Index loops only: this runs inside the page's worker, whose script may have replaced Array's methods.
 */
import type { DropCounts, HookEvent } from '../protocol/capture-events';

export interface HistoryCaps { frames: number; bytes: number; lifecycle: number; lifecycleBytes: number }

interface Entry { ev: HookEvent | null; bytes: number }

export class SharedHistory {
  // Oldest first; evicted entries become null and are compacted away in bulk.
  private entries: Entry[] = [];
  private frameScan = 0;
  private frames = 0;
  private bytes = 0;
  private lifecycle = 0;
  private lifecycleBytes = 0;
  private dead = 0;
  /** Frames gone from the history, and frames lost before they reached it. */
  readonly missed: DropCounts = { frames: 0, bytes: 0 };

  constructor(private readonly caps: HistoryCaps) {}

  add(ev: HookEvent, bytes: number): void {
    const entries = this.entries;
    entries[entries.length] = { ev, bytes };
    if (ev.k === 'frame') { this.frames++; this.bytes += bytes; } else { this.lifecycle++; this.lifecycleBytes += bytes; }
    while ((this.frames > this.caps.frames || this.bytes > this.caps.bytes) && this.frameScan < entries.length) {
      const e = entries[this.frameScan]!;
      if (e.ev !== null && e.ev.k === 'frame') this.evict(e);
      this.frameScan++;
    }
    for (let i = 0; this.lifecycle > this.caps.lifecycle && i < entries.length; i++) if (entries[i]!.ev !== null) this.evict(entries[i]!);
    // Over the payload cap, only events that carry a payload need go: a socket keeps its create.
    for (let i = 0; this.lifecycleBytes > this.caps.lifecycleBytes && i < entries.length; i++) {
      const e = entries[i]!;
      if (e.ev !== null && e.ev.k !== 'frame' && e.bytes > 0) this.evict(e);
    }
    if (this.dead > 1024 && this.dead * 2 > entries.length) this.compact();
  }

  /** Frames lost before they reached the history: every later document is told of them too. */
  lost(d: DropCounts): void {
    this.missed.frames += d.frames;
    this.missed.bytes += d.bytes;
  }

  /** What a document that connects now gets: the events kept, oldest first. */
  events(): HookEvent[] {
    const out: HookEvent[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const ev = this.entries[i]!.ev;
      if (ev !== null) out[out.length] = ev;
    }
    return out;
  }

  private evict(e: Entry): void {
    if (e.ev!.k === 'frame') {
      this.frames--;
      this.bytes -= e.bytes;
      this.missed.frames++;
      this.missed.bytes += e.bytes;
    } else {
      this.lifecycle--;
      this.lifecycleBytes -= e.bytes;
    }
    e.ev = null;
    this.dead++;
  }

  private compact(): void {
    const kept: Entry[] = [];
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i]!.ev !== null) kept[kept.length] = this.entries[i]!;
    this.entries = kept;
    this.dead = 0;
    this.frameScan = 0;
  }
}
