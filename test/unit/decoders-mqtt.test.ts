/**
 * The MQTT decoder on hand-made packets: every packet type in 3.1, 3.1.1 and 5, every v5 property,
 * packets split over frames and packed into one, and garbage, which must never throw.
 */
import { describe, expect, it } from 'vitest';
import { BODY_MAX_NODES, DECODE_MAX_BYTES, SNIFF_THRESHOLD } from '../../src/decoders/budget';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import { mqttDecoder } from '../../src/decoders/protocols/mqtt';
import type { DecodedMessage, DecodeInput, DecoderSession } from '../../src/decoders/types';

// Packet building ----------------------------------------------------------------------------

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const str = (s: string) => { const b = utf8(s); return [...u16(b.length), ...b]; };
const bin = (b: number[]) => [...u16(b.length), ...b];
function varint(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
}
/** A whole packet: first byte, remaining length, body. */
const pkt = (first: number, body: number[] = []) => [first, ...varint(body.length), ...body];
/** A v5 property block. */
const props = (...p: number[][]) => { const b = p.flat(); return [...varint(b.length), ...b]; };

const sent = (bytes: number[] | Uint8Array): DecodeInput => ({ dir: 'sent', type: 'binary', bytes: Uint8Array.from(bytes) });
const received = (bytes: number[] | Uint8Array): DecodeInput => ({ dir: 'received', type: 'binary', bytes: Uint8Array.from(bytes) });

const connect311 = (clientId = 'client-1') => pkt(0x10, [...str('MQTT'), 4, 0x02, ...u16(60), ...str(clientId)]);
const connect5 = (clientId = 'client-5', properties = props()) => pkt(0x10, [...str('MQTT'), 5, 0x02, ...u16(30), ...properties, ...str(clientId)]);

/** A session that has seen CONNECT (so it knows the version), and a decode that goes through the registry's budget. */
function sessionAt(level: 4 | 5): { s: DecoderSession; dec: (f: DecodeInput) => DecodedMessage } {
  const s = mqttDecoder.session();
  const dec = (f: DecodeInput) => safeDecode(s, f, 'mqtt') as DecodedMessage;
  dec(sent(level === 5 ? connect5() : connect311()));
  return { s, dec };
}

const bodyOf = (m: DecodedMessage | null) => m?.body as Record<string, any>;

// ---------------------------------------------------------------------------------------------

describe('MQTT decoder: choosing it', () => {
  it('is named by the mqtt subprotocols', () => {
    for (const p of ['mqtt', 'mqttv3.1', 'MQTT', 'mqttv5']) expect(decoderForSubprotocol(p)).toBe(mqttDecoder);
    expect(decoderForSubprotocol('stomp')).not.toBe(mqttDecoder);
  });

  it('is certain of a frame that starts with CONNECT, 3.1.1, 5 or 3.1', () => {
    expect(mqttDecoder.sniff(sent(connect311()))).toBe(1);
    expect(mqttDecoder.sniff(sent(connect5()))).toBe(1);
    expect(mqttDecoder.sniff(sent(pkt(0x10, [...str('MQIsdp'), 3, 0x02, ...u16(60), ...str('old')])))).toBe(1);
    // Only the start is needed: a CONNECT cut after the protocol name.
    expect(mqttDecoder.sniff(sent(connect311().slice(0, 8)))).toBe(1);
    expect(sniffFrame(sent(connect5()))).toBe(mqttDecoder);
  });

  it('knows the protocol name frame of a CONNECT written a field per frame', () => {
    expect(mqttDecoder.sniff(sent(utf8('MQTT')))).toBe(0.9);
    expect(mqttDecoder.sniff(sent(str('MQTT')))).toBe(0.9);
    expect(mqttDecoder.sniff(sent(utf8('MQIsdp')))).toBe(0.9);
  });

  it('scores other packet shapes low, and text or garbage 0', () => {
    for (const p of [pkt(0xc0), pkt(0x30, [...str('a'), 1]), pkt(0x40, u16(1))]) {
      const score = mqttDecoder.sniff(received(p));
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(SNIFF_THRESHOLD);
    }
    expect(mqttDecoder.sniff({ dir: 'sent', type: 'text', text: 'MQTT' })).toBe(0);
    expect(mqttDecoder.sniff(sent([]))).toBe(0);
    expect(mqttDecoder.sniff(sent([0x10]))).toBe(0);
    expect(mqttDecoder.sniff(sent([0x00, 0x01, 0x02]))).toBe(0);
    expect(mqttDecoder.sniff(sent([0x82, 0x05, 0, 1]))).toBe(0); // length past the frame
    expect(mqttDecoder.sniff(sent([0x80, 0x00]))).toBe(0); // SUBSCRIBE without its 0b0010 flags
  });
});

describe('MQTT 3.1.1 packets', () => {
  it('decodes CONNECT with will, user name and password, and CONNACK', () => {
    const s = mqttDecoder.session();
    // Flags: user name, password, will retain, will QoS 1, will, clean session.
    const m = s.decode(sent(pkt(0x10, [...str('MQTT'), 4, 0xee, ...u16(10), ...str('client-1'), ...str('status/client-1'), ...bin(utf8('gone')), ...str('alice'), ...bin([0xff, 0x00])])));
    expect(m).toMatchObject({ protocol: 'mqtt', summary: 'CONNECT client-1 v3.1.1', fields: { type: 'CONNECT', clientId: 'client-1' }, heartbeat: false });
    expect(m!.error).toBeUndefined();
    expect(m!.body).toEqual({
      type: 'CONNECT', protocolName: 'MQTT', protocolLevel: 4, cleanSession: true, keepAlive: 10, clientId: 'client-1',
      will: { qos: 1, retain: true, topic: 'status/client-1', payload: 'gone' },
      username: 'alice', password: { binary: '2 bytes', hex: 'ff 00' },
    });
    expect(s.decode(received(pkt(0x20, [0x01, 0x00])))).toMatchObject({ summary: 'CONNACK Accepted', fields: { type: 'CONNACK', reasonCode: 0 }, body: { sessionPresent: true, reason: 'Accepted' } });
    expect(s.decode(received(pkt(0x20, [0x00, 0x05])))?.summary).toBe('CONNACK Not authorized');
  });

  it('decodes MQTT 3.1 (MQIsdp) and an empty client id', () => {
    const s = mqttDecoder.session();
    expect(s.decode(sent(pkt(0x10, [...str('MQIsdp'), 3, 0x02, ...u16(60), ...str('old')])))?.summary).toBe('CONNECT old v3.1');
    expect(mqttDecoder.session().decode(sent(connect311('')))?.summary).toBe('CONNECT (no client id) v3.1.1');
  });

  it('decodes PUBLISH at each QoS with the retain and dup flags', () => {
    const { dec } = sessionAt(4);
    const q0 = dec(sent(pkt(0x30, [...str('sensors/1'), ...utf8('{"t":21.5}')])));
    expect(q0).toMatchObject({ summary: 'PUBLISH sensors/1 qos0', fields: { type: 'PUBLISH', topic: 'sensors/1', qos: 0, retain: false, dup: false } });
    expect(q0.fields.id).toBeUndefined();
    expect(bodyOf(q0).payload).toBe('{"t":21.5}');
    const q1 = dec(sent(pkt(0x33, [...str('sensors/1'), ...u16(7), ...utf8('21.5')])));
    expect(q1).toMatchObject({ summary: 'PUBLISH sensors/1 qos1', fields: { topic: 'sensors/1', qos: 1, retain: true, dup: false, id: 7 } });
    const q2 = dec(received(pkt(0x3c, [...str('sensors/2'), ...u16(8), 0xff, 0xfe])));
    expect(q2).toMatchObject({ summary: 'PUBLISH sensors/2 qos2', fields: { qos: 2, retain: false, dup: true, id: 8 } });
    expect(bodyOf(q2).payload).toEqual({ binary: '2 bytes', hex: 'ff fe' });
  });

  it('cuts the hex of a binary payload at 64 bytes', () => {
    const { dec } = sessionAt(4);
    const payload = Array.from({ length: 100 }, (_, i) => 0x80 + (i % 64));
    const hex = bodyOf(dec(sent(pkt(0x30, [...str('t'), ...payload])))).payload.hex as string;
    expect(hex.split(' ').filter((x) => x !== '…')).toHaveLength(64);
    expect(hex.endsWith('…')).toBe(true);
  });

  it('decodes the acknowledgements by packet id', () => {
    const { dec } = sessionAt(4);
    for (const [first, type] of [[0x40, 'PUBACK'], [0x50, 'PUBREC'], [0x62, 'PUBREL'], [0x70, 'PUBCOMP']] as const) {
      const m = dec(received(pkt(first, u16(300))));
      expect(m).toMatchObject({ summary: `${type} #300`, fields: { type, id: 300 }, body: { type, id: 300 } });
      expect(m.error).toBeUndefined();
    }
  });

  it('decodes SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK', () => {
    const { dec } = sessionAt(4);
    const sub = dec(sent(pkt(0x82, [...u16(1), ...str('sensors/#'), 0, ...str('alerts/+'), 2])));
    expect(sub).toMatchObject({ summary: 'SUBSCRIBE sensors/# qos0, alerts/+ qos2', fields: { type: 'SUBSCRIBE', topic: 'sensors/#', qos: 0, id: 1 } });
    expect(bodyOf(sub).subscriptions).toEqual([{ topic: 'sensors/#', qos: 0 }, { topic: 'alerts/+', qos: 2 }]);
    const suback = dec(received(pkt(0x90, [...u16(1), 0, 0x80])));
    expect(suback).toMatchObject({ summary: 'SUBACK #1 Granted QoS 0, Failure', fields: { type: 'SUBACK', id: 1, reasonCode: 0 } });
    expect(dec(sent(pkt(0xa2, [...u16(2), ...str('alerts/+')])))).toMatchObject({ summary: 'UNSUBSCRIBE alerts/+', fields: { type: 'UNSUBSCRIBE', topic: 'alerts/+', id: 2 } });
    expect(dec(received(pkt(0xb0, u16(2))))).toMatchObject({ summary: 'UNSUBACK #2', fields: { type: 'UNSUBACK', id: 2 } });
  });

  it('marks PINGREQ and PINGRESP as heartbeats, and decodes DISCONNECT', () => {
    const { dec } = sessionAt(4);
    expect(dec(sent(pkt(0xc0)))).toMatchObject({ summary: 'PINGREQ', fields: { type: 'PINGREQ' }, heartbeat: true });
    expect(dec(received(pkt(0xd0)))).toMatchObject({ summary: 'PINGRESP', heartbeat: true });
    expect(dec(sent(pkt(0xe0)))).toMatchObject({ summary: 'DISCONNECT', fields: { type: 'DISCONNECT' }, heartbeat: false });
  });
});

/** One of each v5 property, with the value the decoder should give. */
const ALL_PROPERTIES: [bytes: number[], name: string, value: unknown][] = [
  [[0x01, 1], 'payloadFormatIndicator', 1],
  [[0x02, ...u32(3600)], 'messageExpiryInterval', 3600],
  [[0x03, ...str('application/json')], 'contentType', 'application/json'],
  [[0x08, ...str('replies/1')], 'responseTopic', 'replies/1'],
  [[0x09, ...bin([0xca, 0xfe])], 'correlationData', { binary: '2 bytes', hex: 'ca fe' }],
  [[0x0b, ...varint(268_435_455)], 'subscriptionIdentifier', 268_435_455],
  [[0x11, ...u32(0xffffffff)], 'sessionExpiryInterval', 0xffffffff],
  [[0x12, ...str('auto-1')], 'assignedClientIdentifier', 'auto-1'],
  [[0x13, ...u16(45)], 'serverKeepAlive', 45],
  [[0x15, ...str('SCRAM-SHA-1')], 'authenticationMethod', 'SCRAM-SHA-1'],
  [[0x16, ...bin(utf8('n,,n=user'))], 'authenticationData', 'n,,n=user'],
  [[0x17, 1], 'requestProblemInformation', 1],
  [[0x18, ...u32(10)], 'willDelayInterval', 10],
  [[0x19, 1], 'requestResponseInformation', 1],
  [[0x1a, ...str('resp/')], 'responseInformation', 'resp/'],
  [[0x1c, ...str('other.example:1883')], 'serverReference', 'other.example:1883'],
  [[0x1f, ...str('because')], 'reasonString', 'because'],
  [[0x21, ...u16(20)], 'receiveMaximum', 20],
  [[0x22, ...u16(10)], 'topicAliasMaximum', 10],
  [[0x23, ...u16(3)], 'topicAlias', 3],
  [[0x24, 1], 'maximumQoS', 1],
  [[0x25, 0], 'retainAvailable', 0],
  [[0x26, ...str('region'), ...str('eu')], 'userProperties', { region: 'eu' }],
  [[0x27, ...u32(1_048_576)], 'maximumPacketSize', 1_048_576],
  [[0x28, 1], 'wildcardSubscriptionAvailable', 1],
  [[0x29, 0], 'subscriptionIdentifiersAvailable', 0],
  [[0x2a, 1], 'sharedSubscriptionAvailable', 1],
];

describe('MQTT 5 packets', () => {
  it('decodes every property identifier of the spec (here in AUTH)', () => {
    const { dec } = sessionAt(5);
    const m = dec(received(pkt(0xf0, [0x18, ...props(...ALL_PROPERTIES.map(([b]) => b))])));
    expect(m).toMatchObject({ summary: 'AUTH Continue authentication', fields: { type: 'AUTH', reasonCode: 0x18 } });
    expect(m.error).toBeUndefined();
    expect(bodyOf(m).properties).toEqual(Object.fromEntries(ALL_PROPERTIES.map(([, name, value]) => [name, value])));
    expect(Object.keys(bodyOf(m).properties)).toHaveLength(27);
  });

  it('decodes CONNECT properties and a will with its own properties', () => {
    const s = mqttDecoder.session();
    const will = [...props([0x18, ...u32(5)], [0x03, ...str('text/plain')]), ...str('status/c5'), ...bin(utf8('offline'))];
    const m = s.decode(sent(pkt(0x10, [...str('MQTT'), 5, 0x0e, ...u16(30), ...props([0x11, ...u32(300)], [0x21, ...u16(20)], [0x26, ...str('app'), ...str('sockscope')]), ...str('c5'), ...will])));
    expect(m).toMatchObject({ summary: 'CONNECT c5 v5', fields: { type: 'CONNECT', clientId: 'c5' } });
    expect(m!.body).toEqual({
      type: 'CONNECT', protocolName: 'MQTT', protocolLevel: 5, cleanStart: true, keepAlive: 30, clientId: 'c5',
      properties: { sessionExpiryInterval: 300, receiveMaximum: 20, userProperties: { app: 'sockscope' } },
      will: { qos: 1, retain: false, properties: { willDelayInterval: 5, contentType: 'text/plain' }, topic: 'status/c5', payload: 'offline' },
    });
  });

  it('names CONNACK reason codes and reads its properties', () => {
    const { dec } = sessionAt(5);
    const ok = dec(received(pkt(0x20, [0x00, 0x00, ...props([0x22, ...u16(10)], [0x12, ...str('auto-1')])])));
    expect(ok).toMatchObject({ summary: 'CONNACK Success', fields: { type: 'CONNACK', reasonCode: 0 }, body: { reason: 'Success', properties: { topicAliasMaximum: 10, assignedClientIdentifier: 'auto-1' } } });
    expect(dec(received(pkt(0x20, [0x00, 0x86, ...props()]))).summary).toBe('CONNACK Bad User Name or Password');
    expect(dec(received(pkt(0x20, [0x00, 0x9c, ...props([0x1c, ...str('b.example')])]))).summary).toBe('CONNACK Use another server');
  });

  it('decodes PUBLISH properties, repeated user properties and subscription identifiers', () => {
    // The session itself, not safeDecode: budget.ts's limitBody copies into `{}`, where `__proto__` is a setter.
    const { s } = sessionAt(5);
    const m = s.decode(received(pkt(0x32, [...str('sensors/1'), ...u16(9), ...props([0x03, ...str('text/plain')], [0x26, ...str('k'), ...str('a')], [0x26, ...str('k'), ...str('b')], [0x26, ...str('__proto__'), ...str('x')], [0x0b, 1], [0x0b, 2]), ...utf8('hi')])))!;
    expect(m).toMatchObject({ summary: 'PUBLISH sensors/1 qos1', fields: { topic: 'sensors/1', qos: 1, id: 9 } });
    expect(m.error).toBeUndefined();
    const p = bodyOf(m).properties;
    expect(p.contentType).toBe('text/plain');
    expect(p.subscriptionIdentifier).toEqual([1, 2]);
    expect(p.userProperties.k).toEqual(['a', 'b']);
    // A user property named __proto__ is a plain entry, not a prototype.
    expect(Object.entries(p.userProperties)).toContainEqual(['__proto__', 'x']);
    expect(bodyOf(m).payload).toBe('hi');
  });

  it('resolves topic aliases per direction, and reports unknown ones', () => {
    const { dec } = sessionAt(5);
    dec(sent(pkt(0x30, [...str('sensors/temperature'), ...props([0x23, ...u16(1)]), ...utf8('1')])));
    const reused = dec(sent(pkt(0x30, [...str(''), ...props([0x23, ...u16(1)]), ...utf8('2')])));
    expect(reused).toMatchObject({ summary: 'PUBLISH sensors/temperature qos0', fields: { topic: 'sensors/temperature' }, body: { topicFromAlias: 1, payload: '2' } });
    expect(reused.error).toBeUndefined();
    // The other direction has its own aliases.
    expect(dec(received(pkt(0x30, [...str(''), ...props([0x23, ...u16(1)])]))).error).toMatch(/unknown topic alias 1/);
    expect(dec(sent(pkt(0x30, [...str('x'), ...props([0x23, ...u16(0)])]))).error).toMatch(/topic alias 0/);
  });

  it('decodes the acknowledgements, with and without reason code and properties', () => {
    const { dec } = sessionAt(5);
    expect(dec(received(pkt(0x40, u16(5))))).toMatchObject({ summary: 'PUBACK #5', fields: { type: 'PUBACK', id: 5, reasonCode: 0 }, body: { reason: 'Success' } });
    const noSubs = dec(received(pkt(0x40, [...u16(6), 0x10])));
    expect(noSubs).toMatchObject({ summary: 'PUBACK #6 No matching subscribers', fields: { reasonCode: 0x10 } });
    expect(dec(received(pkt(0x50, [...u16(7), 0x97, ...props([0x1f, ...str('slow down')])])))).toMatchObject({ summary: 'PUBREC #7 Quota exceeded', body: { properties: { reasonString: 'slow down' } } });
    expect(dec(sent(pkt(0x62, [...u16(7), 0x92, ...props()]))).summary).toBe('PUBREL #7 Packet Identifier not found');
    expect(dec(received(pkt(0x70, [...u16(7), 0x00, ...props()]))).summary).toBe('PUBCOMP #7');
  });

  it('decodes SUBSCRIBE options, SUBACK, UNSUBSCRIBE and UNSUBACK reason codes', () => {
    const { dec } = sessionAt(5);
    // Options: retain handling 2, retain as published, no local, QoS 1.
    const sub = dec(sent(pkt(0x82, [...u16(3), ...props([0x0b, 7]), ...str('a/#'), 0x2d])));
    expect(sub).toMatchObject({ summary: 'SUBSCRIBE a/# qos1', fields: { topic: 'a/#', qos: 1, id: 3 } });
    expect(bodyOf(sub)).toMatchObject({ properties: { subscriptionIdentifier: 7 }, subscriptions: [{ topic: 'a/#', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }] });
    expect(dec(received(pkt(0x90, [...u16(3), ...props(), 0x00, 0xa2])))).toMatchObject({ summary: 'SUBACK #3 Granted QoS 0, Wildcard Subscriptions not supported', fields: { reasonCode: 0 } });
    expect(dec(sent(pkt(0xa2, [...u16(4), ...props(), ...str('a/#'), ...str('b')]))).summary).toBe('UNSUBSCRIBE a/#, b');
    expect(dec(received(pkt(0xb0, [...u16(4), ...props(), 0x00, 0x11])))).toMatchObject({ summary: 'UNSUBACK #4 Success, No subscription existed', fields: { id: 4, reasonCode: 0 } });
  });

  it('decodes DISCONNECT and AUTH reason codes', () => {
    const { dec } = sessionAt(5);
    expect(dec(sent(pkt(0xe0)))).toMatchObject({ summary: 'DISCONNECT Normal disconnection', fields: { reasonCode: 0 } });
    expect(dec(received(pkt(0xe0, [0x8e, ...props([0x1f, ...str('other client')])])))).toMatchObject({ summary: 'DISCONNECT Session taken over', body: { properties: { reasonString: 'other client' } } });
    expect(dec(received(pkt(0xe0, [0x04])))).toMatchObject({ summary: 'DISCONNECT Disconnect with Will Message' });
    expect(dec(sent(pkt(0xf0, [0x19, ...props([0x15, ...str('SCRAM')])])))).toMatchObject({ summary: 'AUTH Re-authenticate', fields: { type: 'AUTH', reasonCode: 0x19 } });
    expect(dec(received(pkt(0xf0)))).toMatchObject({ summary: 'AUTH Success' });
    expect(dec(received(pkt(0xe0, [0xc7]))).summary).toBe('DISCONNECT reason code 0xc7');
  });

  it('takes the version from CONNECT: the same bytes read differently in 3.1.1 and 5', () => {
    const publish = pkt(0x30, [...str('t'), 0x00, ...utf8('x')]);
    expect(bodyOf(sessionAt(4).dec(sent(publish))).payload).toBe('\u0000x');
    expect(bodyOf(sessionAt(5).dec(sent(publish))).payload).toBe('x');
  });

  it('infers v5 without a CONNECT from a CONNACK with properties, or a packet only v5 reads', () => {
    const s = mqttDecoder.session();
    expect(s.decode(received(pkt(0x20, [0, 0, ...props([0x22, ...u16(5)])])))?.summary).toBe('CONNACK Success');
    expect(bodyOf(s.decode(sent(pkt(0x30, [...str('t'), 0x00, ...utf8('x')])))).payload).toBe('x');
    const t = mqttDecoder.session();
    const sub = t.decode(sent(pkt(0x82, [...u16(1), ...props([0x0b, 7]), ...str('a'), 1])));
    expect(sub).toMatchObject({ summary: 'SUBSCRIBE a qos1' });
    expect(sub!.error).toBeUndefined();
  });
});

describe('MQTT framing across WebSocket frames', () => {
  it('decodes a packet split over two frames: the first is partial, the second carries the packet', () => {
    const { dec } = sessionAt(4);
    const publish = pkt(0x32, [...str('sensors/1'), ...u16(3), ...utf8('hello')]);
    const first = dec(sent(publish.slice(0, 5)));
    expect(first).toMatchObject({ summary: `PUBLISH (partial: 5 of ${publish.length} bytes)`, fields: { type: 'PUBLISH' }, partial: true, heartbeat: false });
    const second = dec(sent(publish.slice(5)));
    expect(second).toMatchObject({ summary: 'PUBLISH sensors/1 qos1', fields: { topic: 'sensors/1', id: 3 }, body: { payload: 'hello' } });
    expect(second.partial).toBeUndefined();
  });

  it('waits across a split inside the remaining length, and over many one-byte frames', () => {
    const { dec } = sessionAt(4);
    const big = pkt(0x30, [...str('t'), ...new Array(200).fill(0x61)]); // remaining length takes 2 bytes
    expect(dec(sent(big.slice(0, 2)))).toMatchObject({ summary: 'PUBLISH (partial: 2 bytes)', partial: true });
    expect(dec(sent(big.slice(2)))).toMatchObject({ summary: 'PUBLISH t qos0', body: { payload: 'a'.repeat(200) } });
    const publish = pkt(0x30, [...str('a/b'), ...utf8('xyz')]);
    const out = publish.map((b) => dec(sent([b])));
    expect(out.slice(0, -1).every((m) => m.partial)).toBe(true);
    expect(out.at(-1)).toMatchObject({ summary: 'PUBLISH a/b qos0', body: { payload: 'xyz' } });
  });

  it('keeps a separate buffer per direction', () => {
    const { dec } = sessionAt(4);
    const publish = pkt(0x30, [...str('t'), ...utf8('x')]);
    expect(dec(sent(publish.slice(0, 3))).partial).toBe(true);
    expect(dec(received(pkt(0xd0))).summary).toBe('PINGRESP');
    expect(dec(sent(publish.slice(3))).summary).toBe('PUBLISH t qos0');
  });

  it('marks the fragments of a ping as heartbeats', () => {
    const { dec } = sessionAt(4);
    expect(dec(received([0xd0]))).toMatchObject({ summary: 'PINGRESP (partial: 1 byte)', heartbeat: true, partial: true });
    expect(dec(received([0x00]))).toMatchObject({ summary: 'PINGRESP', heartbeat: true });
  });

  it('decodes two packets in one frame: joined summary, each packet\'s fields, every body', () => {
    const { dec } = sessionAt(4);
    const m = dec(sent([...pkt(0x30, [...str('a'), ...utf8('1')]), ...pkt(0x30, [...str('b'), ...utf8('2')])]));
    expect(m).toMatchObject({ summary: 'PUBLISH a qos0 + PUBLISH b qos0', fields: { type: 'PUBLISH', topic: 'a', qos: 0 }, heartbeat: false });
    expect(m.messages!.map((x) => x.fields.topic)).toEqual(['a', 'b']);
    expect(m.body).toEqual([
      { type: 'PUBLISH', topic: 'a', qos: 0, retain: false, dup: false, payload: '1' },
      { type: 'PUBLISH', topic: 'b', qos: 0, retain: false, dup: false, payload: '2' },
    ]);
    expect(dec(received([...pkt(0xd0), ...pkt(0xd0)]))).toMatchObject({ summary: 'PINGRESP + PINGRESP', heartbeat: true });
    expect(dec(received([...pkt(0xd0), ...pkt(0x40, u16(1))])).heartbeat).toBe(false);
  });

  it('decodes a whole packet followed by the start of the next, which the next frame completes', () => {
    const { dec } = sessionAt(4);
    const second = pkt(0x32, [...str('b'), ...u16(9), ...utf8('22')]);
    const m = dec(sent([...pkt(0x30, [...str('a'), ...utf8('1')]), ...second.slice(0, 4)]));
    expect(m).toMatchObject({ summary: 'PUBLISH a qos0 + …', fields: { topic: 'a' } });
    expect(m.partial).toBeUndefined();
    expect(dec(sent(second.slice(4)))).toMatchObject({ summary: 'PUBLISH b qos1', fields: { id: 9 } });
  });

  it('decodes a frame packed with many packets up to a limit, counting the rest', () => {
    const { dec } = sessionAt(4);
    const m = dec(sent(new Array(1000).fill(pkt(0xc0)).flat()));
    expect(m.summary).toMatch(/^PINGREQ \+ PINGREQ .*\+ 99\d more$/);
    expect(m.heartbeat).toBe(true);
    expect(m.messages).toHaveLength(256);
    expect(m.messagesNotKept).toBe(1000 - 256);
    expect((m.body as unknown[]).length).toBeLessThanOrEqual(256);
  });

  it('keeps only the start of a packet larger than the decode limit, and counts the rest', () => {
    const { dec } = sessionAt(4);
    const payloadLength = DECODE_MAX_BYTES + 100_000;
    const header = [0x30, ...varint(3 + payloadLength), ...str('t')];
    expect(dec(sent(header)).partial).toBe(true);
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let left = payloadLength;
    let last!: DecodedMessage;
    while (left > 0) { const n = Math.min(left, chunk.length); last = dec(sent(chunk.subarray(0, n))); left -= n; }
    expect(last).toMatchObject({ summary: 'PUBLISH t qos0', fields: { topic: 't' }, body: { payload: { binary: `${payloadLength} bytes` } } });
    expect(last.error).toBeUndefined();
    expect(dec(sent(pkt(0xc0))).summary).toBe('PINGREQ');
  });
});

describe('MQTT garbage', () => {
  it('says so on a text frame (MQTT over WebSocket is binary only), ignores empty frames', () => {
    const { s } = sessionAt(4);
    expect(s.decode({ dir: 'sent', type: 'text', text: 'hello' })).toMatchObject({ protocol: 'mqtt', error: 'text frame: MQTT over WebSocket sends binary frames only' });
    expect(s.decode(sent([]))).toBeNull();
  });

  it('reports a remaining length over 4 bytes, drops the frame, and decodes the next one', () => {
    const { dec } = sessionAt(4);
    const bad = dec(sent([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    expect(bad).toMatchObject({ summary: '(malformed MQTT packet)', fields: {} });
    expect(bad.error).toMatch(/remaining length/);
    expect(dec(sent(pkt(0xc0))).summary).toBe('PINGREQ');
  });

  it('reports the reserved packet type 0, after the packets before it', () => {
    const { dec } = sessionAt(4);
    const m = dec(sent([...pkt(0xc0), 0x00, 0x00]));
    expect(m.summary).toBe('PINGREQ');
    expect(m.error).toMatch(/reserved packet type 0/);
  });

  it('waits for the rest of a packet that claims more than the frame holds, without allocating it', () => {
    const { dec } = sessionAt(4);
    // 268,435,455 bytes claimed (the maximum), 3 present.
    const m = dec(sent([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01, 0x61]));
    expect(m).toMatchObject({ summary: 'PUBLISH (partial: 8 of 268435460 bytes)', partial: true });
  });

  it('reports lengths inside a packet that run past it, and keeps what was read', () => {
    const { dec } = sessionAt(4);
    const sub = dec(sent(pkt(0x82, [...u16(1), 0xff, 0xff, 0x61])));
    expect(sub).toMatchObject({ summary: 'SUBSCRIBE', fields: { type: 'SUBSCRIBE', id: 1 } });
    expect(sub.error).toMatch(/topic filter runs past the end of the packet/);
    const conn = mqttDecoder.session().decode(sent(pkt(0x10, [...str('MQTT'), 4, 0x02, ...u16(60), 0x00, 0x50, 0x61])));
    expect(conn).toMatchObject({ summary: 'CONNECT ? v3.1.1' });
    expect(conn!.error).toMatch(/client identifier runs past/);
    const { dec: dec5 } = sessionAt(5);
    expect(dec5(received(pkt(0x30, [...str('t'), ...varint(500), 0x01, 1]))).error).toMatch(/properties runs past/);
  });

  it('reports invalid UTF-8 and shows the rest with replacement characters', () => {
    const { dec } = sessionAt(4);
    const m = dec(sent(pkt(0x30, [...bin([0x61, 0xff, 0x62]), ...utf8('x')])));
    expect(m).toMatchObject({ summary: 'PUBLISH a\uFFFDb qos0', fields: { topic: 'a\uFFFDb' } });
    expect(m.error).toMatch(/invalid UTF-8 in topic/);
  });

  it('reports bad flags, QoS 3, wildcards in a topic, stray bytes and a missing topic', () => {
    const { dec } = sessionAt(4);
    expect(dec(sent(pkt(0x80, [...u16(1), ...str('a'), 0]))).error).toMatch(/SUBSCRIBE fixed header flags must be 0x2/);
    expect(dec(sent(pkt(0x36, [...str('a'), ...u16(1)]))).error).toMatch(/QoS 3/);
    expect(dec(sent(pkt(0x30, [...str('a/#')]))).error).toMatch(/wildcard/);
    expect(dec(sent(pkt(0xc0, [1, 2]))).error).toMatch(/2 unexpected bytes at the end of PINGREQ/);
    expect(dec(sent(pkt(0x30, [...str('')]))).error).toMatch(/without a topic/);
    expect(dec(sent(pkt(0x82, u16(1)))).error).toMatch(/without topic filters/);
    expect(dec(sent(pkt(0x10, [...str('MQTT'), 9, 0x03, ...u16(1), ...str('x')]))).error).toMatch(/unknown protocol "MQTT" level 9.*reserved flag/);
  });

  it('reports AUTH in 3.1.1, unknown and duplicate properties', () => {
    const { dec } = sessionAt(4);
    expect(dec(received(pkt(0xf0, [0x18, 0]))).error).toMatch(/AUTH exists only in MQTT 5/);
    const { dec: dec5 } = sessionAt(5);
    const unknown = dec5(received(pkt(0xe0, [0x00, ...props([0x7f, 1, 2])])));
    expect(unknown.error).toMatch(/unknown property identifier 0x7f/);
    const dup = dec5(received(pkt(0xe0, [0x00, ...props([0x1f, ...str('a')], [0x1f, ...str('b')])])));
    expect(dup.error).toMatch(/duplicate property reasonString/);
    expect(bodyOf(dup).properties).toEqual({ reasonString: 'a' });
  });

  it('never throws on random bytes or mutated packets, and stays within budget', () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const samples = [connect5(), connect311(), pkt(0x32, [...str('a/b'), ...u16(1), ...props(...ALL_PROPERTIES.map(([b]) => b)), 1, 2]), pkt(0x82, [...u16(1), ...props([0x0b, 7]), ...str('a'), 1]), pkt(0xf0, [0x18, ...props(...ALL_PROPERTIES.map(([b]) => b))])];
    for (let round = 0; round < 1500; round++) {
      const s = mqttDecoder.session();
      for (let f = 0; f < 6; f++) {
        let bytes: number[];
        if (rand() < 0.4) bytes = Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
        else {
          bytes = [...samples[Math.floor(rand() * samples.length)]!];
          for (let k = Math.floor(rand() * 4); k >= 0; k--) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
          if (rand() < 0.3) bytes = bytes.slice(0, Math.floor(rand() * bytes.length));
        }
        const frame = rand() < 0.5 ? sent(bytes) : received(bytes);
        let m: DecodedMessage | null = null;
        expect(() => { m = s.decode(frame); }).not.toThrow();
        expect(() => mqttDecoder.sniff(frame)).not.toThrow();
        const safe = safeDecode(s, frame, 'mqtt');
        expect(safe?.error ?? '').not.toMatch(/decoder failed/);
        if (m) expect(JSON.stringify((m as DecodedMessage).body ?? null).length).toBeLessThan(BODY_MAX_NODES * 200);
      }
    }
  });
});
