/**
 * Turns what the relay keeps into wire events: sizes in bytes, binary as the buffer itself on a
 * channel that clones (`clone`), as base64 on a JSON-only one. Runs only while a panel watches
 * (see Outbox), never on the way into the history. A buffer is posted as it is: the runtime
 * message's own serialization is its one copy.
 */
import type { CapturedEvent, WireEvent, WireFrame } from '../protocol/capture-events';
import { utf8ByteLength } from '../protocol/bytes';
import { toWireBinary, type WireBinary } from '../protocol/wire-payload';

export function toWireEvent(ev: CapturedEvent, clone: boolean): WireEvent {
  if (ev.k === 'intercept') {
    const { data, ...rest } = ev;
    return typeof data === 'string'
      ? { ...rest, type: 'text', size: utf8ByteLength(data), data }
      : { ...rest, type: 'binary', size: data.byteLength, data: toWireBinary(data, clone) };
  }
  if (ev.k === 'dispatched') {
    const { data, ...rest } = ev;
    if (data === undefined) return rest;
    return typeof data === 'string'
      ? { ...rest, type: 'text', data }
      : { ...rest, type: 'binary', data: toWireBinary(data, clone) };
  }
  if (ev.k !== 'frame') return ev;
  return frameHead(ev, typeof ev.data === 'string' ? utf8ByteLength(ev.data) : ev.data.byteLength,
    typeof ev.data === 'string' ? ev.data : toWireBinary(ev.data, clone));
}

/** A frame's wire form with the given (possibly partial) payload; `size` is always the whole frame's. */
export function frameHead(ev: Extract<CapturedEvent, { k: 'frame' }>, size: number, data: string | WireBinary): WireFrame {
  const out: WireFrame = { k: 'frame', seq: ev.seq, sock: ev.sock, at: ev.at, dir: ev.dir, type: typeof ev.data === 'string' ? 'text' : 'binary', size, data };
  if (ev.origin) out.origin = ev.origin;
  if (ev.initiator) out.initiator = ev.initiator;
  return out;
}
