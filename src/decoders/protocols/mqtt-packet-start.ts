/**
 * Whether the start of an MQTT packet that a frame does not complete can be a real packet's. The
 * decoder holds such a packet and reads the next frames as its rest, so a few random bytes that
 * pass for a header claiming 7,000 bytes would swallow every good packet after them. A packet is
 * therefore held only when its fixed header, and the body bytes already there, are what the spec
 * allows (MQTT 3.1.1 and 5, sections 2 and 3): the type's flags, a remaining length the type can
 * have, a non-zero packet identifier, a topic that is UTF-8 without wildcards, the protocol name,
 * in MQTT 5 acknowledgements a property length that ends exactly where the packet does, and
 * whatever the packet parser reads in the bytes there are without a fault.
 */
import { expectedFlags, faultInStart, type FixedHeader, type MqttLevel, PACKET_TYPES, type PacketType } from './mqtt-packet';

/**
 * The most any control packet but CONNECT and PUBLISH is taken to hold. In MQTT 5 acknowledgements
 * may carry a reason string and user properties, so the spec sets no size; real ones are tiny.
 */
export const CONTROL_PACKET_MAX_BYTES = 64 * 1024;
/** CONNECT: at most five length-prefixed fields of 65,535 bytes (client id, will topic and payload, user name, password), and v5 properties. */
export const CONNECT_MAX_BYTES = 512 * 1024;

/** Packets that are exactly this long in MQTT 3.1 and 3.1.1 (spec 3.x: fixed sizes). */
const V3_SIZE: Partial<Record<PacketType, number>> = {
  CONNACK: 2, PUBACK: 2, PUBREC: 2, PUBREL: 2, PUBCOMP: 2, UNSUBACK: 2, PINGREQ: 0, PINGRESP: 0, DISCONNECT: 0,
};

/**
 * MQTT 5 packets whose properties are the last thing in them: where the property length starts.
 * (CONNACK: flags, reason code; acknowledgements: packet identifier, reason code; the rest: reason code.)
 */
const V5_PROPERTIES_AT: Partial<Record<PacketType, number>> = {
  CONNACK: 2, PUBACK: 3, PUBREC: 3, PUBREL: 3, PUBCOMP: 3, DISCONNECT: 1, AUTH: 1,
};

/** Packets whose body starts with a packet identifier, which must not be 0 (spec 2.2.1 / 2.3.1). */
const STARTS_WITH_ID = new Set<PacketType>(['PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK']);

const u16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number);

/** The first byte alone: why it cannot start a packet, or undefined. */
export function implausibleFirstByte(first: number, level: MqttLevel | undefined): string | undefined {
  const type = PACKET_TYPES[first >> 4] as PacketType;
  const flags = first & 0x0f;
  if (type === 'Reserved') return 'reserved packet type 0';
  if (type === 'AUTH' && (level === 3 || level === 4)) return 'AUTH exists only in MQTT 5';
  const want = expectedFlags(type);
  if (want === undefined) return ((flags >> 1) & 3) === 3 ? 'PUBLISH with QoS 3' : undefined;
  return flags === want ? undefined : `${type} with fixed header flags 0x${flags.toString(16)} (must be 0x${want.toString(16)})`;
}

/** The most bytes a packet of this type can hold after its fixed header, at this protocol level. */
function remainingMax(type: PacketType, level: MqttLevel | undefined): number {
  if (type === 'PINGREQ' || type === 'PINGRESP') return 0;
  const v3 = V3_SIZE[type];
  if (v3 !== undefined && (level === 3 || level === 4)) return v3;
  if (type === 'PUBLISH') return Infinity;
  return type === 'CONNECT' ? CONNECT_MAX_BYTES : CONTROL_PACKET_MAX_BYTES;
}

/**
 * Why a packet with this header, of which `body` (maybe empty) is all that has arrived, cannot be
 * real; undefined when it can. Only what is there is checked: the rest may come later.
 */
export function implausibleStart(h: FixedHeader, body: Uint8Array, level: MqttLevel | undefined): string | undefined {
  const first = (PACKET_TYPES.indexOf(h.type) << 4) | h.flags;
  const bad = implausibleFirstByte(first, level);
  if (bad) return bad;
  const max = remainingMax(h.type, level);
  if (h.remaining > max) return `${h.type} of ${h.remaining} bytes (at most ${max}${level === 3 || level === 4 ? ' in MQTT 3.x' : ''})`;
  if (STARTS_WITH_ID.has(h.type) && body.length >= 2 && u16(body, 0) === 0) return `${h.type} with packet identifier 0`;
  if (h.type === 'CONNACK' && body.length >= 1 && (body[0] as number) > 1) return 'CONNACK with reserved acknowledge flags set';
  const shape = h.type === 'PUBLISH' ? implausiblePublish(h, body, level) : h.type === 'CONNECT' ? implausibleConnect(body) : implausibleV5Properties(h, body);
  return shape ?? faultInParsing(h, body, level);
}

/** What the packet parser finds wrong in the bytes there are; without a known level, only what both 3.1.1 and 5 find. */
function faultInParsing(h: FixedHeader, body: Uint8Array, level: MqttLevel | undefined): string | undefined {
  if (body.length === 0) return undefined;
  if (level !== undefined) return faultInStart(h, body, level);
  const v4 = faultInStart(h, body, 4);
  return v4 !== undefined && faultInStart(h, body, 5) !== undefined ? v4 : undefined;
}

/** The property length of an MQTT 5 acknowledgement, CONNACK, DISCONNECT or AUTH must reach exactly to the packet's end. */
function implausibleV5Properties(h: FixedHeader, body: Uint8Array): string | undefined {
  const at = V5_PROPERTIES_AT[h.type];
  if (at === undefined || h.remaining <= at) return undefined;
  let length = 0;
  for (let i = 0; i < 4; i++) {
    const b = body[at + i];
    if (b === undefined) return undefined;
    length += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) {
      const end = at + i + 1 + length;
      return end === h.remaining ? undefined : `${h.type} of ${h.remaining} bytes whose properties end at byte ${end}`;
    }
  }
  return `${h.type} with a malformed property length`;
}

function implausiblePublish(h: FixedHeader, body: Uint8Array, level: MqttLevel | undefined): string | undefined {
  if (body.length < 2) return undefined;
  const length = u16(body, 0);
  // Only MQTT 5 may leave the topic empty (it then uses a topic alias).
  if (length === 0 && (level === 3 || level === 4)) return 'PUBLISH without a topic';
  // As much of the topic as is here (its UTF-8 and its length are the parser's to check).
  const topic = new TextDecoder().decode(body.subarray(2, 2 + length));
  if (/[\u0000+#]/.test(topic)) return 'PUBLISH topic with a wildcard or a null character';
  const qos = (h.flags >> 1) & 3;
  if (qos > 0 && body.length >= 4 + length && u16(body, 2 + length) === 0) return 'PUBLISH with packet identifier 0';
  return undefined;
}

const MQTT = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54];
const MQISDP = [0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70];

function implausibleConnect(body: Uint8Array): string | undefined {
  // As far as the bytes go, one of the two protocol names.
  const fits = (name: number[]) => name.every((x, i) => i >= body.length || body[i] === x);
  return fits(MQTT) || fits(MQISDP) ? undefined : 'CONNECT without the protocol name MQTT or MQIsdp';
}
