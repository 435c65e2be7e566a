/**
 * MQTT frames that carry several packets, as mqtt.js in a browser sends everything published in
 * one tick: packets written by mqtt-packet (the codec mqtt.js and aedes use), for MQTT 3.1.1 and
 * 5, concatenated into one frame. Every packet keeps its own fields, id included, and the panel's
 * filter finds the frame when one packet matches every term.
 */
import mqttPacket, { type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MESSAGES_MAX } from '../../src/decoders/budget';
import { mqttDecoder } from '../../src/decoders/protocols/mqtt';
import { safeDecode } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { messageTitle } from '../../src/panel/format';
import { filterFinds } from '../support/field-filter';

type Level = 4 | 5;

const write = (level: Level, ...packets: Packet[]) => new Uint8Array(Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: level }))));
const sent = (bytes: Uint8Array): DecodeInput => ({ dir: 'sent', type: 'binary', bytes });

const publish = (topic: string, qos: 0 | 1 | 2, messageId?: number, properties?: Record<string, unknown>): Packet =>
  ({ cmd: 'publish', topic, payload: Buffer.from(`${topic} value`), qos, retain: false, dup: false, ...(messageId ? { messageId } : {}), ...(properties ? { properties } : {}) }) as Packet;

/** What the issue saw: eight PUBLISH in one frame, the fourth to alerts/fire at QoS 2. */
const BATCH = (level: Level) => [
  publish('sensors/1/temp', 1, 11), publish('sensors/1/hum', 1, 12), publish('sensors/2/temp', 0),
  publish('alerts/fire', 2, 13), publish('sensors/2/hum', 0), publish('sensors/3/temp', 1, 14),
  publish('status/gw', 0), publish('sensors/3/hum', 1, 15),
].map((p) => (level === 5 ? { ...p, properties: { contentType: 'text/plain' } } as Packet : p));

function connected(level: Level): (f: DecodeInput) => DecodedMessage {
  const s = mqttDecoder.session();
  const dec = (f: DecodeInput) => safeDecode(s, f, 'mqtt')!;
  dec(sent(write(level, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: level, clientId: 'browser-1', clean: true, keepalive: 60 } as Packet)));
  return dec;
}

for (const level of [4, 5] as const) {
  describe(`MQTT ${level === 4 ? '3.1.1' : '5'}: eight PUBLISH written in one tick, one frame`, () => {
    const m = connected(level)(sent(write(level, ...BATCH(level))));

    it('keeps every packet with its own topic, QoS and packet id', () => {
      expect(m.error).toBeUndefined();
      expect(m.messages).toHaveLength(8);
      expect(m.messages![3]).toEqual({ summary: 'PUBLISH alerts/fire qos2', fields: { type: 'PUBLISH', topic: 'alerts/fire', qos: 2, retain: false, dup: false, id: 13 }, heartbeat: false });
      expect(m.messages!.map((x) => x.fields.topic)).toEqual(BATCH(level).map((p) => (p as { topic: string }).topic));
      expect(m.messages!.map((x) => x.fields.id)).toEqual([11, 12, undefined, 13, undefined, 14, undefined, 15]);
    });

    it('topic:alerts/# finds the frame; every term must hold in one packet', () => {
      expect(filterFinds(m, 'topic:alerts/#')).toBe(true);
      expect(filterFinds(m, 'topic:alerts/# qos:2')).toBe(true);
      expect(filterFinds(m, 'topic:status/gw')).toBe(true);
      expect(filterFinds(m, 'topic:sensors/# qos:2')).toBe(false);
      expect(filterFinds(m, 'topic:alerts/# qos:1')).toBe(false);
      expect(filterFinds(m, 'id:15 topic:sensors/3/hum')).toBe(true);
      expect(filterFinds(m, 'protocol:mqtt topic:alerts/fire')).toBe(true);
    });

    it('the Message cell\'s tooltip lists every packet, the summary itself being cut', () => {
      const lines = messageTitle(m).split('\n');
      expect(lines[0]).toBe(m.summary);
      expect(lines.slice(1, 9)).toEqual(BATCH(level).map((p) => `· PUBLISH ${(p as { topic: string }).topic} qos${(p as { qos: number }).qos}`));
      expect(lines[9]).toBe('mqtt');
    });
  });
}

describe('MQTT 5: a topic alias inside a batch', () => {
  it('resolves the alias per packet, so the filter sees the topic the alias stands for', () => {
    const dec = connected(5);
    const m = dec(sent(write(5,
      publish('alerts/fire', 1, 1, { topicAlias: 3 }),
      publish('', 1, 2, { topicAlias: 3 }),
      publish('sensors/1', 0),
    )));
    expect(m.messages!.map((x) => [x.fields.topic, x.fields.id])).toEqual([['alerts/fire', 1], ['alerts/fire', 2], ['sensors/1', undefined]]);
    expect(filterFinds(m, 'topic:alerts/fire id:2')).toBe(true);
  });
});

describe('MQTT: acknowledgements and pings in one frame', () => {
  it('each acknowledgement keeps its packet id, for pairing with its PUBLISH later', () => {
    const dec = connected(4);
    const m = dec({ dir: 'received', type: 'binary', bytes: write(4, { cmd: 'puback', messageId: 11 } as Packet, { cmd: 'pubrec', messageId: 13 } as Packet, { cmd: 'pingresp' } as Packet) });
    expect(m.messages!.map((x) => [x.fields.type, x.fields.id, x.heartbeat])).toEqual([['PUBACK', 11, false], ['PUBREC', 13, false], ['PINGRESP', undefined, true]]);
    expect(filterFinds(m, 'type:PUBREC id:13')).toBe(true);
    expect(filterFinds(m, 'type:PUBACK id:13')).toBe(false);
  });

  it('a frame of more packets than MESSAGES_MAX keeps that many and counts the rest', () => {
    const m = connected(4)(sent(write(4, ...Array.from({ length: MESSAGES_MAX + 10 }, (_, i) => publish(`t/${i}`, 0)))));
    expect(m.messages).toHaveLength(MESSAGES_MAX);
    expect(m.messagesNotKept).toBe(10);
    expect(filterFinds(m, `topic:t/${MESSAGES_MAX - 1}`)).toBe(true);
  });
});
