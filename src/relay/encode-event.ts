/** Turns what the hook posted into JSON-safe wire events: sizes in bytes, binary as base64. */
import type { HookEvent, WireEvent } from '../protocol/capture-events';
import { bytesToBase64, utf8ByteLength } from '../protocol/bytes';

/** A hook event whose payload, if binary, has been read into an ArrayBuffer already. */
export type ReadyHookEvent =
  | Exclude<HookEvent, { k: 'frame' | 'intercept' }>
  | (Extract<HookEvent, { k: 'frame' | 'intercept' }> & { data: string | ArrayBuffer });

export function toWireEvent(ev: ReadyHookEvent, seq: number): WireEvent {
  if (ev.k === 'intercept') {
    const { data, ...rest } = ev;
    return typeof data === 'string'
      ? { ...rest, seq, type: 'text', size: utf8ByteLength(data), data }
      : { ...rest, seq, type: 'binary', size: data.byteLength, data: bytesToBase64(new Uint8Array(data)) };
  }
  if (ev.k !== 'frame') return { ...ev, seq };
  const { data } = ev;
  const origin = ev.origin ? { origin: ev.origin } : {};
  if (typeof data === 'string') {
    return { k: 'frame', seq, sock: ev.sock, at: ev.at, dir: ev.dir, type: 'text', size: utf8ByteLength(data), data, ...origin };
  }
  return { k: 'frame', seq, sock: ev.sock, at: ev.at, dir: ev.dir, type: 'binary', size: data.byteLength, data: bytesToBase64(new Uint8Array(data)), ...origin };
}
