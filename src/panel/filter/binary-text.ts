/**
 * What a filter query sees of a binary frame: its bytes as hex and as (lossy) UTF-8 text.
 * Decoding is the slow part of filtering binary frames, so results are cached per frame.
 */
export interface BinaryText {
  /** Lowercase, no separators, so a needle like "deadbeef" is a plain substring. */
  hex: string;
  utf8: string;
}

/**
 * Characters (hex + utf8) the cache may hold. Hex alone is twice the byte size, so a full panel
 * (PANEL_MAX_BYTES) could never be cached whole; this bounds the extra memory filtering costs.
 */
export const BINARY_TEXT_CACHE_MAX_CHARS = 64 * 1024 * 1024;

// ignoreBOM: a leading U+FEFF is part of the payload and must be shown, not silently eaten.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const ascii = new TextDecoder('latin1');
/** Below this, joining table strings is cheaper than allocating a buffer for the decoder. */
const SMALL_HEX = 256;

type ToHexNative = { toHex?: () => string };

export function binarySearchText(bytes: Uint8Array): BinaryText {
  return { hex: toHex(bytes), utf8: decoder.decode(bytes) };
}

function toHex(bytes: Uint8Array): string {
  const native = (bytes as ToHexNative).toHex;
  if (typeof native === 'function') return native.call(bytes);
  if (bytes.length <= SMALL_HEX) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i] as number];
    return out;
  }
  // One flat buffer decoded at once avoids a rope of millions of two-character pieces.
  const codes = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    codes[i * 2] = HEX_DIGITS[b >> 4] as number;
    codes[i * 2 + 1] = HEX_DIGITS[b & 15] as number;
  }
  return ascii.decode(codes);
}

/**
 * Search text of binary frames, keyed by the frame object. Least recently used entries go first
 * (a Map iterates in insertion order, and a hit is re-inserted at the end).
 */
export class BinaryTextCache {
  private entries = new Map<object, BinaryText>();
  private chars = 0;
  /** Entries dropped to stay under the cap; a high count means the cap is too small to help. */
  evictions = 0;

  constructor(readonly maxChars = BINARY_TEXT_CACHE_MAX_CHARS) {}

  get size(): number { return this.entries.size; }
  get totalChars(): number { return this.chars; }

  get(key: object, bytes: Uint8Array): BinaryText {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const text = binarySearchText(bytes);
    const cost = text.hex.length + text.utf8.length;
    // Larger than the whole cap: caching it would only flush everything else.
    if (cost > this.maxChars) return text;
    for (const [oldKey, old] of this.entries) {
      if (this.chars + cost <= this.maxChars) break;
      this.entries.delete(oldKey);
      this.chars -= old.hex.length + old.utf8.length;
      this.evictions++;
    }
    this.entries.set(key, text);
    this.chars += cost;
    return text;
  }

  /** For frames the model let go of, so the cache does not keep them alive. */
  delete(key: object): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.chars -= old.hex.length + old.utf8.length;
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }
}
