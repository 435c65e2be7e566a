/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const mqttDecoder: Decoder = {
  id: 'mqtt',
  label: 'MQTT',
  subprotocols: [],
  sniff: () => 0,
  session: () => ({ decode: () => null }),
};
