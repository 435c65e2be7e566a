/**
 * Playing a recorded connection back into a live socket of the inspected page: its received
 * frames are injected (the page's handlers get them as if the server had sent them), in order,
 * with their recorded spacing divided by the speed, or one at a time with Step; optionally its
 * sent frames go to the server at their places. Pure: delivery, sleeping and the clock are given,
 * so the timing rules are unit-tested without a browser. A delivery that fails (the socket
 * closed) ends the replay with the reason, never an exception.
 */

/** One frame to play: what to do with it, its payload, and its time in the recording. */
export interface ReplayStep {
  op: 'inject' | 'send';
  type: 'text' | 'binary';
  data: string | Uint8Array;
  /** Milliseconds since the recording's first played frame. */
  offset: number;
}

export type ReplaySpeed = number | 'max';
export const REPLAY_SPEEDS: readonly ReplaySpeed[] = [0.25, 0.5, 1, 2, 5, 10, 'max'];

export interface ReplayIO {
  /** Delivers one step; resolves to an error for the user, or null. */
  deliver(step: ReplayStep): Promise<string | null>;
  /** Waits up to `ms`; `wake()` ends the wait early (pause, stop, step). */
  sleep(ms: number): Promise<void>;
  wake(): void;
  now(): number;
}

export type ReplayState = 'playing' | 'paused' | 'done' | 'stopped' | 'failed';

/** The frames of a recorded connection as steps: received ones injected, sent ones sent (if asked). */
export function planReplay(frames: readonly { dir: 'sent' | 'received'; type: 'text' | 'binary'; data: string | Uint8Array; at: number }[], withSent: boolean): ReplayStep[] {
  const chosen = frames.filter((f) => f.dir === 'received' || withSent);
  const t0 = chosen[0]?.at ?? 0;
  return chosen.map((f) => ({ op: f.dir === 'received' ? 'inject' : 'send', type: f.type, data: f.data, offset: Math.max(0, f.at - t0) }));
}

export class Replay {
  state: ReplayState = 'paused';
  /** Steps delivered so far. */
  done = 0;
  /** Why it ended, when it failed or stopped; what it did, when it is done. */
  message = '';
  /** The wall time at which the recording's offset 0 would have played, at the current speed. */
  private origin = 0;
  private running = false;
  /** Step clicks not yet served: each delivers one frame, in turn, even while one is in transit. */
  private stepsAsked = 0;

  constructor(readonly steps: readonly ReplayStep[], public speed: ReplaySpeed, private readonly io: ReplayIO, private readonly changed: () => void) {}

  get total(): number { return this.steps.length; }
  /** Recorded time of the last delivered frame, and of the whole recording (ms). */
  get position(): number { return this.done === 0 ? 0 : this.steps[this.done - 1]!.offset; }
  get duration(): number { return this.steps.at(-1)?.offset ?? 0; }
  get finished(): boolean { return this.state === 'done' || this.state === 'stopped' || this.state === 'failed'; }

  play(): void {
    if (this.finished || this.state === 'playing') return;
    // Resuming goes on from the last frame played: the next one comes after its recorded gap.
    this.origin = this.io.now() - this.scaled(this.position);
    this.set('playing');
    void this.loop();
  }

  pause(): void {
    if (this.state !== 'playing') return;
    this.set('paused');
    this.io.wake();
  }

  /**
   * Delivers exactly the next frame, now, and stays paused. Clicks made while a frame is still in
   * transit are kept, and each delivers one more.
   */
  async step(): Promise<void> {
    if (this.finished) return;
    if (this.state === 'playing') { this.pause(); return; }
    this.stepsAsked++;
    if (this.running) return;
    this.running = true;
    try {
      while (this.stepsAsked > 0 && !this.finished && this.state === 'paused') {
        this.stepsAsked--;
        await this.deliverNext();
      }
    } finally {
      this.running = false;
      this.stepsAsked = 0;
    }
    this.changed();
    // Play was pressed while stepping: its loop waited for the step to finish.
    if ((this.state as ReplayState) === 'playing') void this.loop();
  }

  stop(): void {
    if (this.finished) return;
    this.message = `Stopped after ${this.done} of ${this.total} frames.`;
    this.set('stopped');
    this.io.wake();
  }

  setSpeed(speed: ReplaySpeed): void {
    this.speed = speed;
    if (this.state === 'playing') { this.origin = this.io.now() - this.scaled(this.position); this.io.wake(); }
    this.changed();
  }

  private scaled(offset: number): number {
    return this.speed === 'max' ? 0 : offset / this.speed;
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.state === 'playing' && this.done < this.total) {
        const due = this.speed === 'max' ? 0 : this.origin + this.scaled(this.steps[this.done]!.offset);
        const wait = due - this.io.now();
        if (wait > 0) { await this.io.sleep(wait); continue; }
        await this.deliverNext();
      }
    } finally {
      this.running = false;
    }
  }

  private async deliverNext(): Promise<void> {
    const step = this.steps[this.done];
    if (!step) return;
    const error = await this.io.deliver(step);
    if (this.finished) {
      // Stopped while this frame was on its way: it reached the page all the same, so it counts.
      if (!error && this.state === 'stopped') { this.done++; this.message = `Stopped after ${this.done} of ${this.total} frames.`; this.changed(); }
      return;
    }
    if (error) {
      this.message = `Replay ended after ${this.done} of ${this.total} frames: ${error}`;
      this.set('failed');
      return;
    }
    this.done++;
    if (this.done === this.total) {
      this.message = `Replayed all ${this.total} frames.`;
      this.set('done');
      return;
    }
    this.changed();
  }

  private set(state: ReplayState): void {
    this.state = state;
    this.changed();
  }
}

/** 0:04 — minutes and seconds of recorded time. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "38 of 120 frames, 0:04 of 0:17". */
export function progressText(r: Replay): string {
  return `${r.done} of ${r.total} frames, ${clock(r.position)} of ${clock(r.duration)}`;
}
