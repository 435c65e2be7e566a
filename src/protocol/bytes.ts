/** Byte helpers shared by the relay (encoding) and the panel (decoding, export). */

type Base64Native = { toBase64?: () => string };
type FromBase64Native = { fromBase64?: (s: string) => Uint8Array };

/** base64 of bytes. Uses the native Uint8Array.prototype.toBase64 where the browser has it. */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as Base64Native).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let out = '';
  const STEP = 0x8000;
  for (let i = 0; i < bytes.length; i += STEP) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + STEP) as unknown as number[]);
  }
  return btoa(out);
}

/** Bytes of a base64 string; throws on invalid input. */
export function base64ToBytes(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as FromBase64Native).fromBase64;
  if (typeof native === 'function') return native(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Size in bytes of base64-encoded data, without decoding it. */
export function base64ByteLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

/**
 * Bytes a string takes as UTF-8 on the wire, computed without allocating. A lone surrogate is sent
 * by WebSocket.send as U+FFFD (3 bytes), so it counts as 3.
 */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 4; i++; } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Hex preview of the first bytes ("0a ff 10 …"). */
export function hexPreview(bytes: Uint8Array, max: number): string {
  const parts: string[] = [];
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) parts.push((bytes[i] as number).toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}
