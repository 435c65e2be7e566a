/** Captured events become JSON-safe wire events: sizes in bytes, binary as base64. */
import { describe, expect, it } from 'vitest';
import { toWireEvent } from '../../src/relay/encode-event';

describe('toWireEvent', () => {
  it('keeps a lifecycle event as it is', () => {
    expect(toWireEvent({ ...{ k: 'close', sock: 2, at: 5, code: 1001, reason: 'bye', wasClean: true }, seq: 9 }))
      .toEqual({ k: 'close', sock: 2, at: 5, code: 1001, reason: 'bye', wasClean: true, seq: 9 });
  });

  it('makes a text frame with its UTF-8 size', () => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'received', data: 'héllo €' }, seq: 3 }))
      .toEqual({ k: 'frame', seq: 3, sock: 1, at: 7, dir: 'received', type: 'text', size: 10, data: 'héllo €' });
  });

  it('makes an ArrayBuffer frame binary, base64, with the exact byte size', () => {
    const buf = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00]).buffer;
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'sent', data: buf }, seq: 4 }))
      .toEqual({ k: 'frame', seq: 4, sock: 1, at: 7, dir: 'sent', type: 'binary', size: 5, data: '3q2+7wA=' });
  });

  it('makes an empty ArrayBuffer a binary frame of size 0', () => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 7, dir: 'sent', data: new ArrayBuffer(0) }, seq: 1 }))
      .toMatchObject({ type: 'binary', size: 0, data: '' });
  });
});

describe('frame origin', () => {
  it('keeps the mark of frames the panel made, for text and binary', () => {
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'sent', data: 'again', origin: 'resent' }, seq: 1 })).toMatchObject({ origin: 'resent', type: 'text' });
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'received', data: new Uint8Array([1]).buffer, origin: 'injected' }, seq: 2 })).toMatchObject({ origin: 'injected', type: 'binary' });
    expect(toWireEvent({ ...{ k: 'frame', sock: 1, at: 5, dir: 'sent', data: 'page' }, seq: 3 })).not.toHaveProperty('origin');
  });
});
