/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const wampDecoder: Decoder = {
  id: 'wamp',
  label: 'WAMP',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
