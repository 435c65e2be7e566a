/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const msgpackDecoder: Decoder = { id: 'msgpack', label: 'MessagePack', subprotocols: [], sniff: () => 0, session: () => ({ decode: () => null }) };
export const cborDecoder: Decoder = { id: 'cbor', label: 'CBOR', subprotocols: [], sniff: () => 0, session: () => ({ decode: () => null }) };
