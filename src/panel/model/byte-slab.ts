/**
 * Small binary payloads, packed. Each frame that arrives as its own ArrayBuffer would cost an
 * ArrayBuffer object and a separate allocation besides its bytes, several times the bytes of a
 * 20-byte frame; copied into a shared slab, a frame is one view. The model drops frames oldest
 * first, so a slab is freed once its last frame is gone.
 */
export const SLAB_BYTES = 256 * 1024;
/** Payloads up to this size are packed; larger ones keep their own buffer. */
export const SLAB_MAX_PAYLOAD = 1024;

export class ByteSlab {
  private slab = new Uint8Array(0);
  private used = 0;

  /** `bytes` itself when large, else a copy in the current slab. */
  keep(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n === 0 || n > SLAB_MAX_PAYLOAD) return bytes;
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const view = this.slab.subarray(this.used, this.used + n);
    view.set(bytes);
    this.used += n;
    return view;
  }
}
