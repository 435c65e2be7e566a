/**
 * Binary goes as ArrayBuffers on a port only if that port's probe arrived as the very bytes sent:
 * a channel that is JSON-only (a Chrome without structured-clone messaging) turns a buffer into
 * `{}`, and anything but an intact probe must mean base64, never a panel that receives `{}`.
 */
import { describe, expect, it } from 'vitest';
import { channelProbe, probeCloned } from '../../src/protocol/channel-probe';

describe('channel probe', () => {
  it('is recognised when it arrives intact, as a structured clone gives it', () => {
    expect(probeCloned(channelProbe())).toBe(true);
    expect(probeCloned(structuredClone(channelProbe()))).toBe(true);
  });

  it('fails after a JSON round trip, as JSON serialization messaging carries it', () => {
    const viaJson: unknown = JSON.parse(JSON.stringify(channelProbe()));
    expect(viaJson).toEqual({});
    expect(probeCloned(viaJson)).toBe(false);
    // The same inside the message that carries it.
    const hello = JSON.parse(JSON.stringify({ t: 'hello', probe: channelProbe() })) as { probe: unknown };
    expect(probeCloned(hello.probe)).toBe(false);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['undefined (an older relay or panel sends no probe)', undefined],
    ['an empty buffer', new ArrayBuffer(0)],
    ['a buffer one byte short', channelProbe().slice(0, channelProbe().byteLength - 1)],
    ['a buffer one byte long', (() => { const b = new Uint8Array(channelProbe().byteLength + 1); b.set(new Uint8Array(channelProbe())); return b.buffer; })()],
    ['a buffer of the right length with other bytes', new ArrayBuffer(channelProbe().byteLength)],
    ['a buffer with its last byte changed', (() => { const b = new Uint8Array(channelProbe()); b[b.length - 1] = b[b.length - 1]! ^ 1; return b.buffer; })()],
    ['a Uint8Array of the right bytes (not a buffer)', new Uint8Array(channelProbe())],
    ['an array of the right bytes', [...new Uint8Array(channelProbe())]],
    ['its bytes as base64 text', Buffer.from(channelProbe()).toString('base64')],
    ['an object that looks like a buffer', { byteLength: channelProbe().byteLength }],
  ])('fails for %s', (_name, x) => {
    expect(probeCloned(x)).toBe(false);
  });
});
