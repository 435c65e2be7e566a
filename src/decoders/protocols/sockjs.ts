/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const sockjsDecoder: Decoder = {
  id: 'sockjs',
  label: 'SockJS',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
