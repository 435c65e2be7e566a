/**
 * A binary payload between the relay and the panel: the bytes themselves (an ArrayBuffer) on a
 * channel that clones them, base64 text on one that is JSON-only (see channel-probe). The panel
 * takes either and keeps bytes.
 */
import { base64ToBytes, bytesToBase64 } from './bytes';

export type WireBinary = ArrayBuffer | string;

export const isArrayBuffer = (x: unknown): x is ArrayBuffer => Object.prototype.toString.call(x) === '[object ArrayBuffer]';

/** The form `bytes` travel in on a channel that does (`clone`) or does not clone buffers. */
export function toWireBinary(bytes: ArrayBuffer, clone: boolean): WireBinary {
  return clone ? bytes : bytesToBase64(new Uint8Array(bytes));
}

/** The bytes of a wire payload; throws on base64 that is not valid. */
export function fromWireBinary(data: WireBinary): Uint8Array {
  return typeof data === 'string' ? base64ToBytes(data) : new Uint8Array(data);
}
