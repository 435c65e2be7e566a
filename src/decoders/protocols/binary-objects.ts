/**
 * Plain MessagePack and CBOR payloads: the generic fallback for binary frames that no specific
 * protocol claims. Almost any bytes can pass for one of these, so sniffing stays low (at most 0.55,
 * just over the detection threshold), only for binary frames that decode completely into a
 * non-empty map or array, and lower still when the other format reads the same bytes as well.
 * The summary previews the value (`map{3}: type=chat, id=7, data{2}`); common keys such as type,
 * event, id, method become fields.
 */
import { decodeCbor, decodeMsgpack, type CodecResult } from '../binary-codecs';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue, ProtocolId } from '../types';
import { copyCommonFields, isRecord, preview, SNIFF_PARSE_MAX } from './json-frame';


/** A map's entries whatever the codec produced (plain object or Map). */
function entriesOf(v: unknown): [string, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [String(k), x]);
  if (isRecord(v) && !(v instanceof Date)) return Object.entries(v);
  return undefined;
}

/** The top-level value in a few words: `map{3}: type=chat, id=7, data{2}`, `array[2]: 1, "a"`, `"hi"`. */
export function describeValue(v: unknown, max = 120): string {
  const item = (x: unknown) => {
    const e = entriesOf(x);
    if (e && !ArrayBuffer.isView(x)) return `{${e.length}}`;
    return preview(x, 24);
  };
  const join = (head: string, items: string[]) => {
    let s = head;
    let n = 0;
    for (const it of items) {
      const next = `${s}${n === 0 ? ': ' : ', '}${it}`;
      if (next.length > max && n > 0) return `${s}, …`;
      s = next;
      n++;
    }
    return s;
  };
  if (Array.isArray(v)) return join(`array[${v.length}]`, v.slice(0, 16).map(item));
  const entries = entriesOf(v);
  if (entries && !ArrayBuffer.isView(v)) {
    const parts = entries.slice(0, 16).map(([k, x]) => {
      const e = entriesOf(x);
      if (Array.isArray(x)) return `${k}[${x.length}]`;
      if (e && !ArrayBuffer.isView(x) && !(x instanceof Date)) return `${k}{${e.length}}`;
      if (typeof x === 'string') return `${k}=${preview(x, 24).slice(1, -1)}`;
      return `${k}=${preview(x, 24)}`;
    });
    return join(`map{${entries.length}}`, parts);
  }
  if (ArrayBuffer.isView(v)) return `bin ${v.byteLength} bytes`;
  return preview(v, max);
}

function fieldsOf(v: unknown): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  if (Array.isArray(v)) {
    fields.shape = 'array';
    fields.size = v.length;
    return fields;
  }
  const entries = entriesOf(v);
  if (!entries || ArrayBuffer.isView(v)) {
    fields.shape = v === null ? 'nil' : ArrayBuffer.isView(v) ? 'binary' : typeof v;
    return fields;
  }
  fields.shape = 'map';
  fields.size = entries.length;
  copyCommonFields(entries, fields);
  return fields;
}

/** How plausible a decoded value is as a structured payload: 0 for scalars and empty containers. */
function plausibility(v: unknown): number {
  if (Array.isArray(v)) return v.length > 0 ? 0.52 : 0;
  const entries = entriesOf(v);
  if (!entries || ArrayBuffer.isView(v) || entries.length === 0) return 0;
  // String keys that read as identifiers are what real payloads have.
  return entries.every(([k]) => /^[\w$@.:-]{1,64}$/.test(k)) ? 0.55 : 0.5;
}

function makeDecoder(id: ProtocolId, label: string, decode: (b: Uint8Array) => CodecResult, other: (b: Uint8Array) => CodecResult): Decoder {
  const session = (): DecoderSession => ({
    decode(frame: DecodeInput): DecodedMessage | null {
      if (frame.type !== 'binary') return null;
      const bytes = frame.bytes ?? new Uint8Array(0);
      if (bytes.length === 0) return null;
      const r = decode(bytes);
      if (!r.ok) return { protocol: id, summary: `(not ${label})`, fields: {}, heartbeat: false, error: r.error };
      return { protocol: id, summary: describeValue(r.value), fields: fieldsOf(r.value), body: r.value, heartbeat: false };
    },
  });
  return {
    id,
    label,
    subprotocols: [],
    sniff(frame) {
      if (frame.type !== 'binary' || !frame.bytes || frame.bytes.length < 2 || frame.bytes.length > SNIFF_PARSE_MAX) return 0;
      const r = decode(frame.bytes);
      if (!r.ok) return 0;
      const score = plausibility(r.value);
      if (score === 0) return 0;
      // Both formats read these bytes as a structure: neither is sure enough to claim the connection.
      const o = other(frame.bytes);
      return o.ok && plausibility(o.value) > 0 ? Math.min(score, 0.45) : score;
    },
    session,
  };
}

export const msgpackDecoder: Decoder = makeDecoder('msgpack', 'MessagePack', decodeMsgpack, decodeCbor);
export const cborDecoder: Decoder = makeDecoder('cbor', 'CBOR', decodeCbor, decodeMsgpack);
