/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const actionCableDecoder: Decoder = {
  id: 'actioncable',
  label: 'Action Cable',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
