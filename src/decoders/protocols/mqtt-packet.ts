/**
 * MQTT 3.1, 3.1.1 and 5 control packets, bytes to plain data (no state, no summaries: the session in
 * mqtt.ts owns framing across WebSocket frames, the protocol version and topic aliases). Parsing is
 * best effort: whatever was read before a fault is kept, and the fault lands in `errors`.
 */
import { hexPreview } from '../../protocol/bytes';
import { isListedReason, reasonName, v3ConnackName, v3SubackName } from './mqtt-reasons';

/** Protocol level from CONNECT: 3 = MQTT 3.1 (MQIsdp), 4 = 3.1.1, 5 = MQTT 5. */
export type MqttLevel = 3 | 4 | 5;

export const PACKET_TYPES = [
  'Reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP',
  'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH',
] as const;
export type PacketType = (typeof PACKET_TYPES)[number];

export interface FixedHeader {
  type: PacketType;
  /** The low nibble of the first byte (PUBLISH: dup, qos, retain). */
  flags: number;
  /** Bytes after the fixed header, as the packet declares. */
  remaining: number;
  /** Size of the fixed header itself (2 to 5 bytes). */
  headerLength: number;
}

export type HeaderRead = { ok: true; header: FixedHeader } | { ok: false; incomplete: true } | { ok: false; incomplete: false; error: string };

/** Reads the fixed header at `at`: incomplete when the frame ends inside it, an error when it cannot be an MQTT header. */
export function readFixedHeader(bytes: Uint8Array, at: number): HeaderRead {
  if (at >= bytes.length) return { ok: false, incomplete: true };
  const first = bytes[at] as number;
  const type = PACKET_TYPES[first >> 4] as PacketType;
  if (type === 'Reserved') return { ok: false, incomplete: false, error: `reserved packet type 0 (first byte 0x${hex2(first)})` };
  let remaining = 0;
  // The remaining length is a varint of at most 4 bytes; a 4th byte with its continuation bit is malformed.
  for (let i = 0; i < 4; i++) {
    const b = bytes[at + 1 + i];
    if (b === undefined) return { ok: false, incomplete: true };
    remaining += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) return { ok: true, header: { type, flags: first & 0x0f, remaining, headerLength: 2 + i } };
  }
  return { ok: false, incomplete: false, error: 'malformed remaining length (more than 4 bytes)' };
}

/** Flags the fixed header must carry for every type but PUBLISH (spec table 2.2). */
export function expectedFlags(type: PacketType): number | undefined {
  if (type === 'PUBLISH') return undefined;
  return type === 'PUBREL' || type === 'SUBSCRIBE' || type === 'UNSUBSCRIBE' ? 0b0010 : 0;
}

export interface ParsedPacket {
  type: PacketType;
  /** The decoded packet as plain data, for the detail tree (header values included). */
  data: Record<string, unknown>;
  errors: string[];
}

export interface ParseOptions {
  /** The connection's protocol level; packets other than CONNECT need it (v5 ones carry properties). */
  level: MqttLevel;
  /** Set when only the first bytes of a packet too large to keep are given: reading past them is expected. */
  cut?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Thrown inside this module only when a read runs past the packet: parsePacket catches it and keeps what was read. */
class Short extends Error {}
/** Thrown when a read runs past the bytes there are but not past the packet: the rest is still to come. */
class NotYet extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

class Reader {
  pos = 0;
  /** `length` is the packet's, when only its first bytes are given (then reading past them throws NotYet). */
  constructor(readonly bytes: Uint8Array, readonly errors: string[], readonly length = bytes.length) {}
  get left(): number { return this.length - this.pos; }
  private need(n: number, what: string): void {
    if (n > this.left) throw new Short(`${what} runs past the end of the packet`);
    if (this.pos + n > this.bytes.length) throw new NotYet();
  }
  u8(what: string): number { this.need(1, what); return this.bytes[this.pos++] as number; }
  u16(what: string): number { this.need(2, what); const v = ((this.bytes[this.pos] as number) << 8) | (this.bytes[this.pos + 1] as number); this.pos += 2; return v; }
  u32(what: string): number { this.need(4, what); const v = (this.u16(what) * 0x10000) + this.u16(what); return v; }
  varint(what: string): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8(what);
      v += (b & 0x7f) * 128 ** i;
      if ((b & 0x80) === 0) return v;
    }
    throw new Short(`${what}: malformed variable byte integer`);
  }
  /** A view, not a copy: lengths come from the packet, so nothing is allocated for bytes that are not there. */
  take(n: number, what: string): Uint8Array { this.need(n, what); const v = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return v; }
  /** Like take, but of a packet whose first bytes only are here: the part of the n bytes there is. */
  takeUpTo(n: number, what: string): Uint8Array {
    if (n > this.left) throw new Short(`${what} runs past the end of the packet`);
    const v = this.bytes.subarray(this.pos, Math.min(this.pos + n, this.bytes.length));
    this.pos += n;
    return v;
  }
  rest(): Uint8Array { const v = this.bytes.subarray(this.pos); this.pos = this.length; return v; }
  binary(what: string): Uint8Array { return this.take(this.u16(what), what); }
  /** A UTF-8 string; invalid UTF-8 is reported and shown with replacement characters. */
  str(what: string): string {
    const n = this.u16(what);
    if (n <= this.left && this.pos + n > this.bytes.length) {
      // The rest of the string is still to come: what is here must already be UTF-8.
      try { new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.pos), { stream: true }); } catch { this.errors.push(`invalid UTF-8 in ${what}`); }
      throw new NotYet();
    }
    const b = this.take(n, what);
    try { return strictUtf8.decode(b); } catch {
      this.errors.push(`invalid UTF-8 in ${what}`);
      return lenientUtf8.decode(b);
    }
  }
}

/** Payloads and binary properties: UTF-8 text when valid, else a size and a hex preview. */
export function renderBytes(b: Uint8Array): unknown {
  try { return strictUtf8.decode(b); } catch {
    return { binary: `${b.length} bytes`, hex: hexPreview(b, 64) };
  }
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Properties (MQTT 5 section 2.2.2.2)

type PropKind = 'byte' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';

const PROPERTIES: Record<number, [name: string, kind: PropKind]> = {
  0x01: ['payloadFormatIndicator', 'byte'], 0x02: ['messageExpiryInterval', 'u32'],
  0x03: ['contentType', 'string'], 0x08: ['responseTopic', 'string'], 0x09: ['correlationData', 'binary'],
  0x0b: ['subscriptionIdentifier', 'varint'], 0x11: ['sessionExpiryInterval', 'u32'],
  0x12: ['assignedClientIdentifier', 'string'], 0x13: ['serverKeepAlive', 'u16'],
  0x15: ['authenticationMethod', 'string'], 0x16: ['authenticationData', 'binary'],
  0x17: ['requestProblemInformation', 'byte'], 0x18: ['willDelayInterval', 'u32'],
  0x19: ['requestResponseInformation', 'byte'], 0x1a: ['responseInformation', 'string'],
  0x1c: ['serverReference', 'string'], 0x1f: ['reasonString', 'string'], 0x21: ['receiveMaximum', 'u16'],
  0x22: ['topicAliasMaximum', 'u16'], 0x23: ['topicAlias', 'u16'], 0x24: ['maximumQoS', 'byte'],
  0x25: ['retainAvailable', 'byte'], 0x26: ['userProperties', 'pair'], 0x27: ['maximumPacketSize', 'u32'],
  0x28: ['wildcardSubscriptionAvailable', 'byte'], 0x29: ['subscriptionIdentifiersAvailable', 'byte'],
  0x2a: ['sharedSubscriptionAvailable', 'byte'],
};

/** Properties that may appear more than once (the rest is a protocol error when repeated). */
const REPEATABLE = new Set(['userProperties', 'subscriptionIdentifier']);

/**
 * Reads a property length and the properties. Keys come from the wire, so the objects have no
 * prototype (a user property named `__proto__` stays a plain entry). Repeated user properties with
 * one name become an array, as in mqtt.js; so do repeated subscription identifiers.
 */
function readProperties(r: Reader, props: Record<string, unknown>): void {
  const length = r.varint('property length');
  const sub = new Reader(r.takeUpTo(length, 'properties'), r.errors, length);
  const add = (obj: Record<string, unknown>, key: string, value: unknown) => {
    // Values are strings and numbers, so an array here is one this function made.
    const prev = obj[key];
    if (prev === undefined) obj[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else obj[key] = [prev, value];
  };
  while (sub.left > 0) {
    const id = sub.varint('property identifier');
    const def = PROPERTIES[id];
    // Without the definition the property's size is unknown, so the rest cannot be read.
    if (!def) { r.errors.push(`unknown property identifier 0x${hex2(id)}`); break; }
    const [name, kind] = def;
    const value = readValue(sub, kind, name);
    if (kind === 'pair') {
      const [k, v] = value as [string, string];
      const users = (props.userProperties ??= Object.create(null)) as Record<string, unknown>;
      add(users, k, v);
    } else if (REPEATABLE.has(name)) {
      add(props, name, value);
    } else if (name in props) {
      r.errors.push(`duplicate property ${name}`);
    } else {
      props[name] = value;
    }
  }
}

/**
 * Reads the properties into `target.properties` (attached first, so what was read before a fault
 * stays), leaving it out when there are none.
 */
function putProperties(r: Reader, target: Record<string, unknown>): void {
  const props: Record<string, unknown> = Object.create(null);
  target.properties = props;
  readProperties(r, props);
  if (Object.keys(props).length === 0) delete target.properties;
}

function readValue(r: Reader, kind: PropKind, name: string): unknown {
  switch (kind) {
    case 'byte': return r.u8(name);
    case 'u16': return r.u16(name);
    case 'u32': return r.u32(name);
    case 'varint': return r.varint(name);
    case 'string': return r.str(name);
    case 'binary': return renderBytes(r.binary(name));
    case 'pair': return [r.str('user property name'), r.str('user property value')];
  }
}

// ---------------------------------------------------------------------------------------------
// Packets

/**
 * Decodes one packet's bytes after the fixed header. Never throws: a packet cut short or malformed
 * keeps what was read before the fault, and says what went wrong in `errors`.
 */
export function parsePacket(header: FixedHeader, body: Uint8Array, opts: ParseOptions): ParsedPacket {
  const errors: string[] = [];
  const data: Record<string, unknown> = { type: header.type };
  const r = new Reader(body, errors);
  const expected = expectedFlags(header.type);
  if (expected !== undefined && header.flags !== expected) {
    errors.push(`${header.type} fixed header flags must be 0x${expected.toString(16)}, got 0x${header.flags.toString(16)}`);
  }
  try {
    PARSERS[header.type](r, data, header, opts);
    if (r.left > 0) errors.push(`${r.left} unexpected bytes at the end of ${header.type}`);
  } catch (e) {
    if (!(e instanceof Short)) errors.push(`cannot decode ${header.type}: ${String(e)}`);
    else errors.push(opts.cut ? `${header.type} of ${header.remaining} bytes is too large to decode completely` : e.message);
  }
  return { type: header.type, data, errors };
}

/**
 * For a packet of which only `start` has arrived: the first fault in those bytes (a string that is
 * not UTF-8, an unknown property, a field longer than the packet…), or undefined when they read
 * as the start of this packet. The rest may come in later frames.
 */
export function faultInStart(header: FixedHeader, start: Uint8Array, level: MqttLevel): string | undefined {
  const errors: string[] = [];
  try {
    PARSERS[header.type](new Reader(start, errors, header.remaining), { type: header.type }, header, { level });
  } catch (e) {
    if (!(e instanceof NotYet)) errors.push(e instanceof Short ? e.message : String(e));
  }
  return errors[0];
}

type PacketParser = (r: Reader, data: Record<string, unknown>, header: FixedHeader, opts: ParseOptions) => void;

const v5 = (opts: ParseOptions) => opts.level === 5;

const parseConnect: PacketParser = (r, data) => {
  const name = r.str('protocol name');
  const rawLevel = r.u8('protocol level');
  // Bit 7 marks a bridge connection (mosquitto's try_private); the level is in the low bits.
  const level = rawLevel & 0x7f;
  data.protocolName = name;
  data.protocolLevel = level;
  if (rawLevel & 0x80) data.bridge = true;
  if (!((name === 'MQTT' && (level === 4 || level === 5)) || (name === 'MQIsdp' && level === 3))) {
    r.errors.push(`unknown protocol ${JSON.stringify(name)} level ${level}`);
  }
  const isV5 = level === 5;
  const flags = r.u8('connect flags');
  if (flags & 1) r.errors.push('CONNECT reserved flag is set');
  data[isV5 ? 'cleanStart' : 'cleanSession'] = (flags & 0x02) !== 0;
  data.keepAlive = r.u16('keep alive');
  if (isV5) putProperties(r, data);
  data.clientId = r.str('client identifier');
  if (flags & 0x04) {
    const will: Record<string, unknown> = { qos: (flags >> 3) & 3, retain: (flags & 0x20) !== 0 };
    data.will = will;
    if (isV5) putProperties(r, will);
    will.topic = r.str('will topic');
    will.payload = renderBytes(r.binary('will payload'));
  }
  if (flags & 0x80) data.username = r.str('user name');
  if (flags & 0x40) data.password = renderBytes(r.binary('password'));
};

const parseConnack: PacketParser = (r, data, header, opts) => {
  data.sessionPresent = (r.u8('acknowledge flags') & 1) === 1;
  const code = r.u8('reason code');
  data.reasonCode = code;
  // A 2-byte CONNACK is MQTT 3.x; brokers that lack v5 answer a v5 CONNECT with one (code 1: bad version).
  if (!v5(opts) || header.remaining === 2) { data.reason = v3ConnackName(code); return; }
  data.reason = reasonName(code, 'CONNACK');
  putProperties(r, data);
};

const parsePublish: PacketParser = (r, data, header, opts) => {
  const qos = (header.flags >> 1) & 3;
  if (qos === 3) r.errors.push('PUBLISH with QoS 3');
  data.topic = r.str('topic');
  data.qos = qos;
  data.retain = (header.flags & 1) === 1;
  data.dup = (header.flags & 8) === 8;
  if (qos > 0) data.id = r.u16('packet identifier');
  if (v5(opts)) putProperties(r, data);
  const start = r.pos;
  const payload = r.rest();
  // A packet too large to keep has only its first bytes here: describe the payload, do not decode a fragment.
  data.payload = opts.cut ? { binary: `${header.remaining - start} bytes`, hex: hexPreview(payload, 64) } : renderBytes(payload);
};

/** PUBACK, PUBREC, PUBREL, PUBCOMP: in v5 the reason code and properties may be left out (Success). */
const parseAck: PacketParser = (r, data, header, opts) => {
  data.id = r.u16('packet identifier');
  if (!v5(opts)) return;
  const code = r.left > 0 ? r.u8('reason code') : 0;
  data.reasonCode = code;
  data.reason = reasonName(code, header.type);
  if (r.left > 0) putProperties(r, data);
};

const parseSubscribe: PacketParser = (r, data, _header, opts) => {
  data.id = r.u16('packet identifier');
  if (v5(opts)) putProperties(r, data);
  const subs: Record<string, unknown>[] = [];
  data.subscriptions = subs;
  while (r.left > 0) {
    const topic = r.str('topic filter');
    const o = r.u8('subscription options');
    const sub: Record<string, unknown> = { topic, qos: o & 3 };
    if ((o & 3) === 3) r.errors.push(`QoS 3 requested for ${topic}`);
    if (v5(opts)) Object.assign(sub, { noLocal: (o & 4) !== 0, retainAsPublished: (o & 8) !== 0, retainHandling: (o >> 4) & 3 });
    if (o & (v5(opts) ? 0xc0 : 0xfc)) r.errors.push(`reserved subscription option bits set for ${topic}`);
    subs.push(sub);
  }
  if (subs.length === 0) r.errors.push('SUBSCRIBE without topic filters');
};

const parseSuback: PacketParser = (r, data, header, opts) => {
  data.id = r.u16('packet identifier');
  if (v5(opts)) putProperties(r, data);
  data.reasonCodes = readReasonList(r, header, opts);
};

const parseUnsubscribe: PacketParser = (r, data, _header, opts) => {
  data.id = r.u16('packet identifier');
  if (v5(opts)) putProperties(r, data);
  const topics: string[] = [];
  data.topics = topics;
  while (r.left > 0) topics.push(r.str('topic filter'));
  if (topics.length === 0) r.errors.push('UNSUBSCRIBE without topic filters');
};

const parseUnsuback: PacketParser = (r, data, header, opts) => {
  data.id = r.u16('packet identifier');
  if (!v5(opts)) return;
  putProperties(r, data);
  data.reasonCodes = readReasonList(r, header, opts);
};

function readReasonList(r: Reader, header: FixedHeader, opts: ParseOptions): { code: number; reason: string }[] {
  const out: { code: number; reason: string }[] = [];
  while (r.left > 0) {
    const code = r.u8('reason code');
    if (!isListedReason(code, header.type, v5(opts))) r.errors.push(`${header.type} reason code 0x${hex2(code)} is not one the spec allows`);
    out.push({ code, reason: v5(opts) ? reasonName(code, header.type) : v3SubackName(code) });
  }
  return out;
}

/** DISCONNECT and AUTH in v5: an optional reason code (default Success), then optional properties. */
const parseReasonOnly: PacketParser = (r, data, header, opts) => {
  if (!v5(opts)) return;
  const code = r.left > 0 ? r.u8('reason code') : 0;
  data.reasonCode = code;
  data.reason = reasonName(code, header.type);
  if (r.left > 0) putProperties(r, data);
};

const parseAuth: PacketParser = (r, data, header, opts) => {
  if (!v5(opts)) r.errors.push('AUTH exists only in MQTT 5');
  parseReasonOnly(r, data, header, { ...opts, level: 5 });
};

const parseEmpty: PacketParser = () => {};

const PARSERS: Record<PacketType, PacketParser> = {
  Reserved: parseEmpty, CONNECT: parseConnect, CONNACK: parseConnack, PUBLISH: parsePublish,
  PUBACK: parseAck, PUBREC: parseAck, PUBREL: parseAck, PUBCOMP: parseAck,
  SUBSCRIBE: parseSubscribe, SUBACK: parseSuback, UNSUBSCRIBE: parseUnsubscribe, UNSUBACK: parseUnsuback,
  PINGREQ: parseEmpty, PINGRESP: parseEmpty, DISCONNECT: parseReasonOnly, AUTH: parseAuth,
};
