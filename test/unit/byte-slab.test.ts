/** Small binary payloads share a slab; each keeps exactly its own bytes, whatever the sender does after. */
import { describe, expect, it } from 'vitest';
import { ByteSlab, SLAB_BYTES, SLAB_MAX_PAYLOAD } from '../../src/panel/model/byte-slab';

describe('ByteSlab', () => {
  it('copies small payloads into one shared buffer, each view exactly its bytes', () => {
    const slab = new ByteSlab();
    const a = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(9);
    const ka = slab.keep(a), kb = slab.keep(b);
    expect(ka.buffer).toBe(kb.buffer);
    expect([...ka]).toEqual([1, 2, 3]);
    expect([...kb]).toEqual([9]);
    a[0] = 42; // the copy does not follow its source
    expect(ka[0]).toBe(1);
  });

  it('keeps large and empty payloads as they are', () => {
    const slab = new ByteSlab();
    const big = new Uint8Array(SLAB_MAX_PAYLOAD + 1);
    expect(slab.keep(big)).toBe(big);
    const empty = new Uint8Array(0);
    expect(slab.keep(empty)).toBe(empty);
  });

  it('starts a new slab when one is full, without touching the frames in the old one', () => {
    const slab = new ByteSlab();
    const n = Math.floor(SLAB_BYTES / SLAB_MAX_PAYLOAD) + 1;
    const kept = Array.from({ length: n }, (_, i) => slab.keep(new Uint8Array(SLAB_MAX_PAYLOAD).fill(i & 255)));
    expect(kept[0]!.buffer).not.toBe(kept[n - 1]!.buffer);
    kept.forEach((k, i) => { expect(k.length).toBe(SLAB_MAX_PAYLOAD); expect(k.every((x) => x === (i & 255))).toBe(true); });
  });
});
