/**
 * Captured events become wire events: sizes in bytes; binary as base64 on a JSON-only channel
 * (`clone` false), as the buffer itself on one that clones buffers (`clone` true).
 */
import { describe, expect, it } from 'vitest';
import { toWireEvent } from '../../src/relay/encode-event';

describe.each([false, true])('toWireEvent (clone: %s)', (clone) => {
  it('keeps a lifecycle event as it is', () => {
    expect(toWireEvent({ ...{ k: 'close', sock: 2, at: 5, code: 1001, reason: 'bye', wasClean: true }, seq: 9 }, clone))
      .toEqual({ k: 'close', sock: 2, at: 5, code: 1001, reason: 'bye', wasClean: true, seq: 9 });
  });

  it('makes a text frame with its UTF-8 size, the text as it is', () => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'received', data: 'héllo €' }, seq: 3 }, clone))
      .toEqual({ k: 'frame', seq: 3, sock: 1, at: 7, dir: 'received', type: 'text', size: 10, data: 'héllo €' });
  });

  it('makes an empty ArrayBuffer a binary frame of size 0', () => {
    const ev = toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'sent', data: new ArrayBuffer(0) }, seq: 1 }, clone);
    expect(ev).toMatchObject({ type: 'binary', size: 0 });
    const data = (ev as { data: unknown }).data;
    if (clone) expect(data).toStrictEqual(new ArrayBuffer(0));
    else expect(data).toBe('');
  });
});

describe('toWireEvent: binary payloads', () => {
  const buf = () => Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00]).buffer;

  it('on a JSON-only channel, makes an ArrayBuffer frame binary, base64, with the exact byte size', () => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'sent', data: buf() }, seq: 4 }, false))
      .toEqual({ k: 'frame', seq: 4, sock: 1, at: 7, dir: 'sent', type: 'binary', size: 5, data: '3q2+7wA=' });
  });

  it('on a cloning channel, posts the very buffer (the message\'s serialization is its one copy), with the exact byte size', () => {
    const data = buf();
    const ev = toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'sent', data }, seq: 4 }, true);
    // toStrictEqual: toEqual does not compare the contents of ArrayBuffers.
    expect(ev).toStrictEqual({ k: 'frame', seq: 4, sock: 1, at: 7, dir: 'sent', type: 'binary', size: 5, data: buf() });
    expect((ev as { data: unknown }).data).toBe(data);
  });

  it('encodes the binary data of intercept and dispatched events the same way', () => {
    const intercept = { k: 'intercept', seq: 2, sock: 1, at: 3, dir: 'received', what: 'held', ruleId: 'r1', holdId: 1, data: buf() } as const;
    expect(toWireEvent(intercept, false)).toMatchObject({ type: 'binary', size: 5, data: '3q2+7wA=' });
    expect((toWireEvent(intercept, true) as { data: unknown }).data).toBe(intercept.data);
    const dispatched = { k: 'dispatched', seq: 3, sock: 1, at: 4, event: 'message', data: buf(), size: 5 } as const;
    expect(toWireEvent(dispatched, false)).toMatchObject({ type: 'binary', size: 5, data: '3q2+7wA=' });
    expect((toWireEvent(dispatched, true) as { data: unknown }).data).toBe(dispatched.data);
  });
});

describe('frame origin', () => {
  it.each([false, true])('keeps the mark of frames the panel made, for text and binary (clone: %s)', (clone) => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'sent', data: 'again', origin: 'resent' }, seq: 1 }, clone)).toMatchObject({ origin: 'resent', type: 'text' });
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'received', data: new Uint8Array([1]).buffer, origin: 'injected' }, seq: 2 }, clone)).toMatchObject({ origin: 'injected', type: 'binary' });
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'sent', data: 'page' }, seq: 3 }, clone)).not.toHaveProperty('origin');
  });
});
