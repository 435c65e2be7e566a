/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const phoenixDecoder: Decoder = {
  id: 'phoenix',
  label: 'Phoenix Channels',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
