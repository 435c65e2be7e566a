/**
 * A replay running in the panel: which recorded connection (of any session tab) plays into which
 * live socket, and the Replay doing it, wired to the live store's commands and to real timers.
 * One at a time per panel; starting another stops the first.
 */
import { signal, type Signal } from '@preact/signals';
import { bytesToBase64 } from '../../protocol/bytes';
import type { Connection } from '../model/types';
import type { Store } from '../store';
import { planReplay, Replay, type ReplayIO, type ReplaySpeed, type ReplayStep } from './replay';
import { NOT_CONNECTED } from '../transport/panel-transport';

/** While the panel reconnects to the extension, a frame is tried again this often, this many times (10 s). */
const RECONNECT_WAIT_MS = 250;
const RECONNECT_TRIES = 40;

export interface ReplaySession {
  replay: Replay;
  /** The recording's connection and the session tab it came from, as the bar names them. */
  source: string;
  target: Connection;
  /** Bumped on every change, for the bar to re-render. */
  rev: Signal<number>;
}

export interface ReplayChoice {
  from: Store;
  sourceConnId: string;
  sourceLabel: string;
  target: Connection;
  speed: ReplaySpeed;
  withSent: boolean;
}

/** Timers that a pause, a stop or a step can cut short. */
function timerIO(live: Store, target: Connection): ReplayIO {
  let wake: (() => void) | null = null;
  return {
    now: () => performance.now(),
    sleep: (ms) => new Promise<void>((resolve) => {
      const id = setTimeout(() => { wake = null; resolve(); }, ms);
      wake = () => { clearTimeout(id); wake = null; resolve(); };
    }),
    wake: () => wake?.(),
    deliver: async (step: ReplayStep) => {
      const payload = typeof step.data === 'string' ? { type: 'text' as const, text: step.data } : { type: 'binary' as const, base64: bytesToBase64(step.data) };
      const send = () => (step.op === 'inject'
        ? live.run(target, { op: 'inject', payload, origin: 'replayed' })
        : live.run(target, { op: 'send', payload, origin: 'replayed' }));
      // The extension's service worker may be restarting (Chrome stops it when idle): the panel
      // reconnects within moments, so wait for that rather than end the replay.
      for (let tries = 0; ; tries++) {
        const error = await send();
        if (error !== NOT_CONNECTED || tries >= RECONNECT_TRIES) return error;
        await new Promise((r) => setTimeout(r, RECONNECT_WAIT_MS));
      }
    },
  };
}

export function startReplay(current: Signal<ReplaySession | null>, live: Store, c: ReplayChoice, playNow: boolean): ReplaySession | string {
  const frames = c.from.model.allFrames().filter((f) => f.connId === c.sourceConnId);
  const steps = planReplay(frames, c.withSent);
  if (steps.length === 0) return c.withSent ? 'That connection has no frames to replay.' : 'That connection received no frames to replay (tick "also send its sent frames" to play those).';
  current.value?.replay.stop();
  const rev = signal(0);
  const replay = new Replay(steps, c.speed, timerIO(live, c.target), () => { rev.value++; });
  const session: ReplaySession = { replay, source: c.sourceLabel, target: c.target, rev };
  current.value = session;
  if (playNow) replay.play();
  return session;
}
