/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const stompDecoder: Decoder = {
  id: 'stomp',
  label: 'STOMP',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
