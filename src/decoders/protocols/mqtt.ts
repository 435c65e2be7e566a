/**
 * MQTT 3.1, 3.1.1 and 5 over WebSocket (binary frames, subprotocol `mqtt` or `mqttv3.1`). MQTT is a
 * byte stream: a frame may hold several packets, and stream-based writers (mqtt.js and aedes in
 * Node) send each field of a packet as a frame of its own. So each direction reassembles packets,
 * and the session remembers the protocol level from CONNECT (v5 packets carry properties) and the
 * v5 topic aliases each direction has set. A frame of several packets keeps each one's fields, so
 * a filter finds any packet of a batch. Cutting the stream into packets lives in mqtt-stream.ts,
 * packet bytes to data in mqtt-packet.ts.
 */
import { MESSAGES_MAX } from '../budget';
import type { BatchedMessage, DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { type MqttLevel, type PacketType, type ParsedPacket, parsePacket, readFixedHeader } from './mqtt-packet';
import { PacketStream, type RawPacket, tilesWithPackets } from './mqtt-stream';

/** Packets decoded in full per frame, as many as the budget keeps; the rest of a frame packed with more are only counted. */
const MAX_PACKETS_PER_FRAME = MESSAGES_MAX;
/** Summaries joined into one line; the line is cut at SUMMARY_MAX_CHARS anyway. */
const MAX_SUMMARIES = 8;
/** Topic aliases remembered per direction (the protocol allows 65535, real brokers use a few). */
const MAX_ALIASES = 1024;
const ALIAS_TOPIC_MAX_CHARS = 1024;

interface Direction { stream: PacketStream; aliases: Map<number, string> }

class MqttSession implements DecoderSession {
  /** From CONNECT; until then inferred from packet shapes (a capture may start mid-connection). */
  private level: MqttLevel | undefined;
  private readonly dirs: Record<DecodeInput['dir'], Direction> = {
    sent: { stream: new PacketStream(), aliases: new Map() },
    received: { stream: new PacketStream(), aliases: new Map() },
  };

  decode(frame: DecodeInput): DecodedMessage | null {
    const dir = this.dirs[frame.dir === 'sent' ? 'sent' : 'received'];
    if (frame.type === 'binary' && !frame.bytes && frame.size) {
      // A frame too large to decode in the list comes without its bytes: packets cannot be cut
      // across it, so this direction starts afresh at the next frame.
      dir.stream = new PacketStream();
      return null;
    }
    if (frame.type === 'text') {
      // MQTT 5 section 6 (3.1.1 section 6 alike): the receiver closes the connection on any other frame.
      return { protocol: 'mqtt', summary: '(text frame)', fields: {}, heartbeat: false, error: 'text frame: MQTT over WebSocket sends binary frames only' };
    }
    if (!frame.bytes || frame.bytes.length === 0) return null;
    const { packets, error } = dir.stream.push(frame.bytes, this.level);
    const parsed = packets.slice(0, MAX_PACKETS_PER_FRAME).map((p) => this.parse(p, dir));
    const unfinished = dir.stream.unfinished();

    if (parsed.length === 0) {
      const u = unfinished;
      if (!u) return error ? { protocol: 'mqtt', summary: '(malformed MQTT packet)', fields: {}, heartbeat: false, error } : null;
      const size = u.total === undefined ? `${u.have} byte${u.have === 1 ? '' : 's'}` : `${u.have} of ${u.total} bytes`;
      const m: DecodedMessage = { protocol: 'mqtt', summary: `${u.type} (partial: ${size})`, fields: { type: u.type }, heartbeat: isPing(u.type), partial: true };
      if (error) m.error = error;
      return m;
    }

    const parts = parsed.slice(0, MAX_SUMMARIES).map(summarize);
    const more = packets.length - parts.length;
    if (more > 0) parts.push(`${more} more`);
    if (unfinished) parts.push('…');
    const errors = parsed.flatMap((p) => p.errors.map((e) => `${p.type}: ${e}`));
    if (error) errors.push(error);
    const m: DecodedMessage = {
      protocol: 'mqtt',
      summary: parts.join(' + '),
      fields: fieldsOf(parsed[0] as ParsedPacket),
      body: parsed.length === 1 ? (parsed[0] as ParsedPacket).data : parsed.map((p) => p.data),
      heartbeat: parsed.every((p) => isPing(p.type)),
    };
    if (packets.length > 1) {
      // Each packet with its own fields: `topic:alerts/#` must find the fourth PUBLISH of a write.
      m.messages = parsed.map(asMessage);
      if (packets.length > parsed.length) m.messagesNotKept = packets.length - parsed.length;
    }
    if (errors.length > 0) m.error = errors.join('; ');
    return m;
  }

  private parse(raw: RawPacket, dir: Direction): ParsedPacket {
    const { header, body, cut } = raw;
    let p: ParsedPacket;
    if (header.type === 'CONNECT') {
      p = parsePacket(header, body, { level: 4, cut });
      const level = p.data.protocolLevel;
      if (level === 3 || level === 4 || level === 5) this.level = level;
    } else if (this.level !== undefined) {
      p = parsePacket(header, body, { level: this.level, cut });
    } else {
      p = this.parseGuessingLevel(raw);
    }
    if (p.type === 'PUBLISH') resolveTopic(p, dir, this.level === 5);
    return p;
  }

  /** Without CONNECT: a v3 CONNACK is exactly 2 bytes; else v3.1.1 unless only the v5 layout fits. */
  private parseGuessingLevel({ header, body, cut }: RawPacket): ParsedPacket {
    if (header.type === 'CONNACK' && header.remaining > 2) { this.level = 5; return parsePacket(header, body, { level: 5, cut }); }
    const v4 = parsePacket(header, body, { level: 4, cut });
    if (v4.errors.length === 0) return v4;
    const v5 = parsePacket(header, body, { level: 5, cut });
    if (v5.errors.length > 0) return v4;
    this.level = 5;
    return v5;
  }
}

/** v5 topic aliases: a PUBLISH with a topic and an alias sets it for its direction; one with an empty topic uses it. */
function resolveTopic(p: ParsedPacket, dir: Direction, isV5: boolean): void {
  const topic = p.data.topic;
  if (typeof topic !== 'string') return;
  const props = p.data.properties as Record<string, unknown> | undefined;
  const alias = props?.topicAlias;
  if (isV5 && typeof alias === 'number') {
    if (alias === 0) { p.errors.push('topic alias 0 is not allowed'); return; }
    if (topic !== '') {
      if (dir.aliases.has(alias) || dir.aliases.size < MAX_ALIASES) dir.aliases.set(alias, topic.slice(0, ALIAS_TOPIC_MAX_CHARS));
      return;
    }
    const known = dir.aliases.get(alias);
    if (known === undefined) { p.errors.push(`unknown topic alias ${alias}`); return; }
    p.data.topic = known;
    p.data.topicFromAlias = alias;
    return;
  }
  if (topic === '') p.errors.push('PUBLISH without a topic');
  else if (/[+#]/.test(topic)) p.errors.push('wildcard in a PUBLISH topic');
}

const isPing = (t: PacketType) => t === 'PINGREQ' || t === 'PINGRESP';

function asMessage(p: ParsedPacket): BatchedMessage {
  const m: BatchedMessage = { summary: summarize(p), fields: fieldsOf(p), heartbeat: isPing(p.type) };
  if (p.errors.length > 0) m.error = p.errors.join('; ');
  return m;
}

const LEVEL_NAMES: Record<number, string> = { 3: 'v3.1', 4: 'v3.1.1', 5: 'v5' };

const text = (v: unknown) => (v === undefined ? '?' : String(v));

/** `PUBLISH sensors/1 qos1`, `SUBSCRIBE a qos0, b qos1`, `CONNACK Success`, `PUBACK #7`. */
function summarize({ type, data }: ParsedPacket): string {
  const reasonSuffix = data.reasonCode !== undefined && data.reasonCode !== 0 ? ` ${text(data.reason)}` : '';
  const reasons = (data.reasonCodes as { reason: string }[] | undefined)?.map((r) => r.reason).join(', ');
  switch (type) {
    case 'CONNECT': {
      const level = data.protocolLevel as number | undefined;
      const version = level === undefined ? '' : ` ${LEVEL_NAMES[level] ?? `level ${level}`}`;
      return `CONNECT ${data.clientId === '' ? '(no client id)' : text(data.clientId)}${version}`;
    }
    case 'CONNACK': return `CONNACK ${text(data.reason)}`;
    case 'PUBLISH': return `PUBLISH ${text(data.topic)} qos${text(data.qos)}`;
    case 'PUBACK': case 'PUBREC': case 'PUBREL': case 'PUBCOMP': return `${type} #${text(data.id)}${reasonSuffix}`;
    case 'SUBSCRIBE': {
      const subs = (data.subscriptions as { topic: string; qos: number }[] | undefined) ?? [];
      return `SUBSCRIBE ${subs.map((s) => `${s.topic} qos${s.qos}`).join(', ')}`.trimEnd();
    }
    case 'SUBACK': case 'UNSUBACK': return `${type} #${text(data.id)}${reasons ? ` ${reasons}` : ''}`;
    case 'UNSUBSCRIBE': return `UNSUBSCRIBE ${((data.topics as string[] | undefined) ?? []).join(', ')}`.trimEnd();
    case 'DISCONNECT': case 'AUTH': return data.reason === undefined ? type : `${type} ${text(data.reason)}`;
    default: return type;
  }
}

/** The filterable fields of one packet (`topic:sensors/1`, `qos:1`, `id:7`, `type:PUBLISH`). */
function fieldsOf({ type, data }: ParsedPacket): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = { type };
  const put = (name: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') f[name] = v;
  };
  const first = (list: unknown) => (Array.isArray(list) ? (list[0] as Record<string, unknown> | string | undefined) : undefined);
  switch (type) {
    case 'CONNECT': put('clientId', data.clientId); break;
    case 'PUBLISH': put('topic', data.topic); put('qos', data.qos); put('retain', data.retain); put('dup', data.dup); break;
    case 'SUBSCRIBE': {
      const s = first(data.subscriptions) as Record<string, unknown> | undefined;
      put('topic', s?.topic); put('qos', s?.qos);
      break;
    }
    case 'UNSUBSCRIBE': put('topic', first(data.topics)); break;
    case 'SUBACK': case 'UNSUBACK': put('reasonCode', (first(data.reasonCodes) as Record<string, unknown> | undefined)?.code); break;
  }
  put('id', data.id);
  put('reasonCode', data.reasonCode);
  return f;
}

// Sniffing ----------------------------------------------------------------------------------

const MQTT_NAME = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54]; // length-prefixed "MQTT"
const MQISDP_NAME = [0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70]; // "MQIsdp" (MQTT 3.1)

const startsWith = (b: Uint8Array, at: number, seq: number[]) => seq.every((x, i) => b[at + i] === x);
const equals = (b: Uint8Array, seq: number[]) => b.length === seq.length && startsWith(b, 0, seq);

function sniff(frame: DecodeInput): number {
  const b = frame.bytes;
  if (frame.type !== 'binary' || !b || b.length === 0) return 0;
  if (b[0] === 0x10) {
    const h = readFixedHeader(b, 0);
    if (h.ok && (startsWith(b, h.header.headerLength, MQTT_NAME) || startsWith(b, h.header.headerLength, MQISDP_NAME))) return 1;
  }
  // Stream-based writers send CONNECT a field per frame, so the protocol name alone is as telling.
  if (equals(b, MQTT_NAME) || equals(b, MQTT_NAME.slice(2)) || equals(b, MQISDP_NAME) || equals(b, MQISDP_NAME.slice(2))) return 0.9;
  // Other packets are too short and plain to tell from other binary encodings.
  return tilesWithPackets(b) ? 0.3 : 0;
}

export const mqttDecoder: Decoder = {
  id: 'mqtt',
  label: 'MQTT',
  subprotocols: ['mqtt', 'mqttv3.1', /^mqtt/],
  sniff,
  session: () => new MqttSession(),
};
