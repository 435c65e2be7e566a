/**
 * An event the page dispatched on a socket itself (`ws.dispatchEvent(new MessageEvent(…))`): the
 * page's handlers run as without us, but nothing crossed the wire, so it is recorded as what it
 * is, never as a frame. Only native getters and brand checks read it, so recording it runs none
 * of the page's code (no toString, no getter, no iterator of the page's).
 */
import type { DispatchedType, HookEvent } from '../protocol/capture-events';
import { DISPATCHED_KEEP_BYTES } from '../protocol/limits';
import { binaryKind, isDataViewBrand } from './binary-kind';
import { copyBytes, epochNow, natives } from './natives';

type Dispatched = Extract<HookEvent, { k: 'dispatched' }>;

/** The event as the hook hands it on, its data cut to DISPATCHED_KEEP_BYTES. */
export function dispatchedEvent(sock: number, type: DispatchedType, e: Event): Dispatched {
  // Spread, not Object.assign: the page may have replaced Object.assign.
  if (type === 'message') return { k: 'dispatched', sock, at: epochNow(), event: type, ...messagePayload(natives.apply(natives.messageData, e, [])) };
  const note = type === 'close' ? closeNote(e) : undefined;
  return note === undefined ? { k: 'dispatched', sock, at: epochNow(), event: type } : { k: 'dispatched', sock, at: epochNow(), event: type, note };
}

/**
 * What a page-made MessageEvent carried: its text or bytes up to DISPATCHED_KEEP_BYTES (characters
 * of text), with the whole size in bytes. Only native methods, taken at document_start, touch it.
 */
function messagePayload(data: unknown): Pick<Dispatched, 'data' | 'size' | 'truncated' | 'note'> {
  if (typeof data === 'string') {
    const encoded = natives.apply(natives.textEncode, natives.textEncoder, [data]) as Uint8Array;
    const size = natives.apply(natives.viewLength, encoded, []) as number;
    return data.length > DISPATCHED_KEEP_BYTES
      ? { data: natives.apply(natives.stringSlice, data, [0, DISPATCHED_KEEP_BYTES]) as string, size, truncated: true }
      : { data, size };
  }
  const kind = binaryKind(data);
  if (kind === 'blob') {
    // A Blob is immutable: the relay reads (the start of) it later, off the page's hot path.
    const size = natives.apply(natives.blobSize, data, []) as number;
    return size > DISPATCHED_KEEP_BYTES
      ? { data: natives.apply(natives.blobSlice, data, [0, DISPATCHED_KEEP_BYTES]) as Blob, size, truncated: true }
      : { data: data as Blob, size };
  }
  if (kind !== null) {
    // The page may reuse its buffer: keep a copy of the start now.
    let buf = data as ArrayBuffer, off = 0, len: number;
    if (kind === 'view') {
      const dv = isDataViewBrand(data as ArrayBufferView);
      buf = natives.apply(dv ? natives.dataViewBuffer : natives.viewBuffer, data, []) as ArrayBuffer;
      off = natives.apply(dv ? natives.dataViewOffset : natives.viewOffset, data, []) as number;
      len = natives.apply(dv ? natives.dataViewLength : natives.viewLength, data, []) as number;
    } else {
      len = natives.apply(natives.arrayBufferByteLength, data, []) as number;
    }
    const keep = len < DISPATCHED_KEEP_BYTES ? len : DISPATCHED_KEEP_BYTES;
    const copy = copyBytes(buf, off, keep);
    return keep < len ? { data: copy, size: len, truncated: true } : { data: copy, size: len };
  }
  return { note: describeOther(data) };
}

/** Data that is neither text nor binary, named without converting it (which would run page code). */
function describeOther(data: unknown): string {
  if (data === null) return 'data: null';
  if (data === undefined) return 'no data';
  switch (typeof data) {
    // A primitive's conversion runs no page code (String itself might be the page's).
    case 'number': case 'boolean': case 'bigint': return `data: ${data as number} (${typeof data})`;
    case 'symbol': return 'data: a symbol';
    case 'function': return 'data: a function';
    default: return natives.isArray(data) ? 'data: an array (not text or binary)' : 'data: an object (not text or binary)';
  }
}

/** A page-made CloseEvent's code and reason; nothing for a plain Event named "close". */
function closeNote(e: Event): string | undefined {
  try {
    const code = natives.apply(natives.closeCode, e, []) as number;
    const reason = natives.apply(natives.closeReason, e, []) as string;
    return `code ${code}${reason ? `: ${reason}` : ''}`;
  } catch {
    return undefined;
  }
}
