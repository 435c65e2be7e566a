/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const signalrDecoder: Decoder = {
  id: 'signalr',
  label: 'SignalR',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
