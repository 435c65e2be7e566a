/**
 * Turns what the relay keeps into JSON-safe wire events: sizes in bytes, binary as base64. Runs
 * only while a panel watches (see Outbox), never on the way into the history.
 */
import type { CapturedEvent, WireEvent, WireFrame } from '../protocol/capture-events';
import { bytesToBase64, utf8ByteLength } from '../protocol/bytes';

export function toWireEvent(ev: CapturedEvent): WireEvent {
  if (ev.k === 'intercept') {
    const { data, ...rest } = ev;
    return typeof data === 'string'
      ? { ...rest, type: 'text', size: utf8ByteLength(data), data }
      : { ...rest, type: 'binary', size: data.byteLength, data: bytesToBase64(new Uint8Array(data)) };
  }
  if (ev.k === 'dispatched') {
    const { data, ...rest } = ev;
    if (data === undefined) return rest;
    return typeof data === 'string'
      ? { ...rest, type: 'text', data }
      : { ...rest, type: 'binary', data: bytesToBase64(new Uint8Array(data)) };
  }
  if (ev.k !== 'frame') return ev;
  return frameHead(ev, typeof ev.data === 'string' ? utf8ByteLength(ev.data) : ev.data.byteLength,
    typeof ev.data === 'string' ? ev.data : bytesToBase64(new Uint8Array(ev.data)));
}

/** A frame's wire form with the given (possibly partial) payload; `size` is always the whole frame's. */
export function frameHead(ev: Extract<CapturedEvent, { k: 'frame' }>, size: number, data: string): WireFrame {
  const out: WireFrame = { k: 'frame', seq: ev.seq, sock: ev.sock, at: ev.at, dir: ev.dir, type: typeof ev.data === 'string' ? 'text' : 'binary', size, data };
  if (ev.origin) out.origin = ev.origin;
  return out;
}
