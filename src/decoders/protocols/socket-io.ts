/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const socketIoDecoder: Decoder = {
  id: 'socket.io',
  label: 'Socket.IO',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
