/** Replay's timing rules with a fake clock: order, spacing by speed, pause, step, stop, and a socket that closes. */
import { describe, expect, it } from 'vitest';
import { planReplay, progressText, Replay, type ReplayIO, type ReplayStep } from '../../src/panel/replay/replay';

/** A clock that only moves when the replay sleeps: each delivery is stamped with the time it happened. */
function fakeIO(failAt = -1) {
  let now = 0;
  const delivered: { at: number; data: string; op: string }[] = [];
  const io: ReplayIO = {
    now: () => now,
    sleep: async (ms) => { await new Promise((r) => setTimeout(r, 0)); now += ms; },
    wake: () => {},
    deliver: async (s: ReplayStep) => {
      if (delivered.length === failAt) return 'The socket is closed; nothing was sent.';
      delivered.push({ at: now, data: String(s.data), op: s.op });
      return null;
    },
  };
  return { io, delivered, advance: (ms: number) => { now += ms; } };
}
const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean) { for (let i = 0; i < 1000 && !cond(); i++) await settle(); }

const recording = Array.from({ length: 10 }, (_, i) => ({ dir: 'received' as const, type: 'text' as const, data: `m${i}`, at: 5000 + 200 * i }));

describe('replay', () => {
  it('plays received frames in order with their spacing divided by the speed', async () => {
    const { io, delivered } = fakeIO();
    const r = new Replay(planReplay(recording, false), 2, io, () => {});
    r.play();
    await until(() => r.finished);
    expect(r.state).toBe('done');
    expect(delivered.map((d) => d.data)).toEqual(recording.map((f) => f.data));
    const gaps = delivered.slice(1).map((d, i) => d.at - delivered[i]!.at);
    expect(gaps.every((g) => g === 100)).toBe(true);
    expect(r.message).toBe('Replayed all 10 frames.');
  });

  it('as fast as possible does not wait; sent frames go to the server only when asked', async () => {
    const mixed = [{ dir: 'sent' as const, type: 'text' as const, data: 'up', at: 0 }, ...recording];
    expect(planReplay(mixed, false).map((s) => s.op)).not.toContain('send');
    const { io, delivered } = fakeIO();
    const r = new Replay(planReplay(mixed, true), 'max', io, () => {});
    r.play();
    await until(() => r.finished);
    expect(delivered[0]).toEqual({ at: 0, data: 'up', op: 'send' });
    expect(delivered.every((d) => d.at === 0)).toBe(true);
  });

  it('Step delivers exactly one frame per click; Resume goes on from there; Stop stops', async () => {
    const { io, delivered } = fakeIO();
    const r = new Replay(planReplay(recording, false), 1, io, () => {});
    await r.step();
    await r.step();
    expect(delivered.map((d) => d.data)).toEqual(['m0', 'm1']);
    expect(progressText(r)).toBe('2 of 10 frames, 0:00 of 0:01');
    r.play();
    await until(() => delivered.length >= 4);
    r.stop();
    await settle();
    const n = delivered.length;
    await r.step();
    r.play();
    await settle();
    expect(delivered.length).toBe(n);
    expect(r.state).toBe('stopped');
    expect(r.message).toMatch(/^Stopped after \d+ of 10 frames\.$/);
  });

  it('Step clicks made while a frame is in transit each deliver one more; a frame in transit at Stop counts', async () => {
    let now = 0;
    const delivered: string[] = [];
    const gates: (() => void)[] = [];
    const io: ReplayIO = {
      now: () => now,
      sleep: async (ms) => { now += ms; },
      wake: () => {},
      deliver: (s) => new Promise((resolve) => { gates.push(() => { delivered.push(String(s.data)); resolve(null); }); }),
    };
    const r = new Replay(planReplay(recording, false), 1, io, () => {});
    void r.step(); void r.step(); void r.step();
    for (let i = 0; i < 3; i++) { await until(() => gates.length > i); gates[i]!(); }
    await until(() => r.done === 3);
    expect(delivered).toEqual(['m0', 'm1', 'm2']);
    void r.step();
    await until(() => gates.length === 4);
    r.stop();
    gates[3]!();
    await until(() => r.done === 4);
    expect(r.message).toBe('Stopped after 4 of 10 frames.');
  });

  it('a socket that closes mid-replay ends it with the reason, not an exception', async () => {
    const { io, delivered } = fakeIO(3);
    const r = new Replay(planReplay(recording, false), 10, io, () => {});
    r.play();
    await until(() => r.finished);
    expect(delivered).toHaveLength(3);
    expect(r.state).toBe('failed');
    expect(r.message).toBe('Replay ended after 3 of 10 frames: The socket is closed; nothing was sent.');
  });
});
