/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const jsonRpcDecoder: Decoder = {
  id: 'json-rpc',
  label: 'JSON-RPC 2.0',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
