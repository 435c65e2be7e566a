/** The panel's record of which frames it received, used to tell evictions it saw from ones it missed. */
import { describe, expect, it } from 'vitest';
import { ReceivedSeqs } from '../../src/panel/model/received-seqs';

describe('ReceivedSeqs', () => {
  it('counts nothing before anything was received', () => {
    expect(new ReceivedSeqs().countThrough(100)).toEqual({ frames: 0, bytes: 0 });
  });

  it('counts frames and bytes received at or below a seq, with gaps in the seqs', () => {
    const r = new ReceivedSeqs();
    r.add(2, 10);
    r.add(5, 20);
    r.add(9, 40);
    expect(r.countThrough(1)).toEqual({ frames: 0, bytes: 0 });
    expect(r.countThrough(2)).toEqual({ frames: 1, bytes: 10 });
    expect(r.countThrough(4)).toEqual({ frames: 1, bytes: 10 });
    expect(r.countThrough(5)).toEqual({ frames: 2, bytes: 30 });
    expect(r.countThrough(8)).toEqual({ frames: 2, bytes: 30 });
    expect(r.countThrough(9)).toEqual({ frames: 3, bytes: 70 });
    expect(r.countThrough(1e9)).toEqual({ frames: 3, bytes: 70 });
  });

  it('agrees with a linear count on many seqs (the binary search has no off-by-one)', () => {
    const r = new ReceivedSeqs();
    const received: [number, number][] = [];
    for (let s = 1; s <= 1000; s += 1 + (s % 3)) { received.push([s, s % 7]); r.add(s, s % 7); }
    for (let through = 0; through <= 1001; through++) {
      const upTo = received.filter(([s]) => s <= through);
      expect(r.countThrough(through)).toEqual({ frames: upTo.length, bytes: upTo.reduce((n, [, b]) => n + b, 0) });
    }
  });
});
