/**
 * MQTT reason codes by name: MQTT 5's table (section 2.4), and the MQTT 3.x CONNACK and SUBACK
 * return codes that share the byte with other meanings.
 */
import type { PacketType } from './mqtt-packet';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

const REASONS: Record<number, string> = {
  0x00: 'Success', 0x01: 'Granted QoS 1', 0x02: 'Granted QoS 2', 0x04: 'Disconnect with Will Message',
  0x10: 'No matching subscribers', 0x11: 'No subscription existed', 0x18: 'Continue authentication',
  0x19: 'Re-authenticate', 0x80: 'Unspecified error', 0x81: 'Malformed Packet', 0x82: 'Protocol Error',
  0x83: 'Implementation specific error', 0x84: 'Unsupported Protocol Version', 0x85: 'Client Identifier not valid',
  0x86: 'Bad User Name or Password', 0x87: 'Not authorized', 0x88: 'Server unavailable', 0x89: 'Server busy',
  0x8a: 'Banned', 0x8b: 'Server shutting down', 0x8c: 'Bad authentication method', 0x8d: 'Keep Alive timeout',
  0x8e: 'Session taken over', 0x8f: 'Topic Filter invalid', 0x90: 'Topic Name invalid',
  0x91: 'Packet Identifier in use', 0x92: 'Packet Identifier not found', 0x93: 'Receive Maximum exceeded',
  0x94: 'Topic Alias invalid', 0x95: 'Packet too large', 0x96: 'Message rate too high', 0x97: 'Quota exceeded',
  0x98: 'Administrative action', 0x99: 'Payload format invalid', 0x9a: 'Retain not supported',
  0x9b: 'QoS not supported', 0x9c: 'Use another server', 0x9d: 'Server moved',
  0x9e: 'Shared Subscriptions not supported', 0x9f: 'Connection rate exceeded', 0xa0: 'Maximum connect time',
  0xa1: 'Subscription Identifiers not supported', 0xa2: 'Wildcard Subscriptions not supported',
};

/** MQTT 3.x CONNACK return codes (v5 reuses the byte with other meanings). */
const V3_CONNACK = ['Accepted', 'Unacceptable protocol version', 'Identifier rejected', 'Server unavailable', 'Bad user name or password', 'Not authorized'];

/** The v5 name of a reason code; 0x00 reads differently in SUBACK and DISCONNECT. */
export function reasonName(code: number, type: PacketType): string {
  if (code === 0 && type === 'SUBACK') return 'Granted QoS 0';
  if (code === 0 && type === 'DISCONNECT') return 'Normal disconnection';
  return REASONS[code] ?? `reason code 0x${hex2(code)}`;
}

export const v3SubackName = (code: number) => (code <= 2 ? `Granted QoS ${code}` : code === 0x80 ? 'Failure' : `return code 0x${hex2(code)}`);
export const v3ConnackName = (code: number) => V3_CONNACK[code] ?? `return code 0x${hex2(code)}`;

/** Codes a SUBACK may carry: MQTT 5 section 3.9.3; MQTT 3.1.1 allows only the first four. */
const SUBACK_V5 = new Set([0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2]);
/** Codes an UNSUBACK may carry (MQTT 5 section 3.11.3). */
const UNSUBACK_V5 = new Set([0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]);

/** Whether a SUBACK or UNSUBACK may carry this code at this level. */
export function isListedReason(code: number, type: PacketType, isV5: boolean): boolean {
  if (type === 'UNSUBACK') return UNSUBACK_V5.has(code);
  return isV5 ? SUBACK_V5.has(code) : code <= 2 || code === 0x80;
}
