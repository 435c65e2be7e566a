/**
 * MessagePack and CBOR, for SignalR's and WAMP's binary forms and for plain binary payloads.
 * Libraries, not our code: @msgpack/msgpack (the reference TypeScript implementation, no eval) and
 * cbor-x's no-eval build (extension pages forbid eval under MV3's CSP). Both are told the caps
 * below, so a hostile length prefix cannot make them allocate gigabytes. Never throws.
 */
import { Decoder as MsgpackDecoder } from '@msgpack/msgpack';
import { Decoder as CborDecoder } from 'cbor-x/decode-no-eval';

export type CodecResult = { ok: true; value: unknown } | { ok: false; error: string };

const MAX_LENGTH = 1024 * 1024;
const msgpack = new MsgpackDecoder({
  maxStrLength: MAX_LENGTH, maxBinLength: MAX_LENGTH, maxArrayLength: 65_536, maxMapLength: 65_536, maxExtLength: MAX_LENGTH,
  // Keys of any type (WAMP uses integer keys in some dictionaries); they become strings in the tree.
  mapKeyConverter: (k: unknown) => (typeof k === 'string' || typeof k === 'number' ? k : String(k)),
});
const cbor = new CborDecoder({ useRecords: false, mapsAsObjects: true });

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Exactly one MessagePack value filling `bytes` (SignalR's length-prefixed messages are cut first). */
export function decodeMsgpack(bytes: Uint8Array): CodecResult {
  if (bytes.length === 0) return { ok: false, error: 'empty MessagePack' };
  try {
    return { ok: true, value: msgpack.decode(bytes) };
  } catch (e) {
    return { ok: false, error: `not MessagePack: ${message(e)}` };
  }
}

export function decodeCbor(bytes: Uint8Array): CodecResult {
  if (bytes.length === 0) return { ok: false, error: 'empty CBOR' };
  try {
    // A view of its own: cbor-x hangs a DataView on the array it is given, and this one is the
    // panel's stored frame.
    return { ok: true, value: cbor.decode(bytes.subarray(0)) };
  } catch (e) {
    return { ok: false, error: `not CBOR: ${message(e)}` };
  }
}
