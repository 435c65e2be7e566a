/**
 * What kind of binary a value is, and its size, by brand checks through the native getters.
 * Not instanceof: an ArrayBuffer or Blob made in another frame's realm fails instanceof but is
 * still binary to send(). Shared by the WebSocket patch and the intercept queues.
 */
import { natives } from './natives';

export function isDataViewBrand(v: ArrayBufferView): boolean {
  try { natives.apply(natives.dataViewLength, v, []); return true; } catch { return false; }
}

/** What WebSocket.send would take `x` as (a SharedArrayBuffer is not an ArrayBuffer here, as for send()). */
export function binaryKind(x: unknown): 'arraybuffer' | 'view' | 'blob' | null {
  if (typeof x !== 'object' || x === null) return null;
  if (natives.isView(x)) return 'view';
  try { natives.apply(natives.arrayBufferByteLength, x, []); return 'arraybuffer'; } catch { /* not an ArrayBuffer */ }
  try { natives.apply(natives.blobSize, x, []); return 'blob'; } catch { /* not a Blob */ }
  return null;
}

export function byteSize(x: ArrayBuffer | Blob): number {
  return binaryKind(x) === 'blob' ? natives.apply(natives.blobSize, x, []) as number : natives.apply(natives.arrayBufferByteLength, x, []) as number;
}
