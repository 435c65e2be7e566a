/**
 * Does the extension's runtime messaging clone an ArrayBuffer (structured clone: Firefox always,
 * Chromium with the manifest's `"message_serialization": "structured_clone"`, from 148), or turn
 * it into `{}` (JSON serialization: a Chromium that does not know the key, or a build without it)?
 * Each port's first message carries a probe; the receiver checks it arrived intact, and only then
 * are binary payloads sent as ArrayBuffers on it. Until then, and whenever the probe fails, they
 * go as base64 text, which every channel carries.
 */
const PROBE_BYTES = [0x53, 0x4f, 0x43, 0x4b, 0x00, 0xff, 0x80, 0x7f];

export function channelProbe(): ArrayBuffer {
  return new Uint8Array(PROBE_BYTES).buffer;
}

/** True when `x` is the probe's buffer, byte for byte: the channel clones ArrayBuffers. */
export function probeCloned(x: unknown): boolean {
  if (Object.prototype.toString.call(x) !== '[object ArrayBuffer]') return false;
  const got = new Uint8Array(x as ArrayBuffer);
  return got.length === PROBE_BYTES.length && PROBE_BYTES.every((b, i) => got[i] === b);
}
