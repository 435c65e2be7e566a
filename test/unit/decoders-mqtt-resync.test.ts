/**
 * A bad packet must not swallow the good ones after it. MQTT is a byte stream, so the decoder holds
 * a packet that a frame leaves unfinished and reads the next frames as its rest; garbage that passed
 * for the start of a long packet (`PUBREL (partial: 200 of 7130 bytes)`) took every later frame as
 * its continuation. Now an unfinished packet is held only when its start can be real, and a frame
 * says when the decoder gave up and started afresh.
 */
import mqttPacket, { type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { mqttDecoder } from '../../src/decoders/protocols/mqtt';
import { safeDecode } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';
import { seededRandom as rng } from '../support/seeded-random';

type Level = 4 | 5;

const write = (level: Level, ...packets: Packet[]) => new Uint8Array(Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: level }))));
const sent = (bytes: number[] | Uint8Array): DecodeInput => ({ dir: 'sent', type: 'binary', bytes: Uint8Array.from(bytes) });
const publish = (topic: string, qos: 0 | 1 = 0): Packet => ({ cmd: 'publish', topic, payload: Buffer.from('21.5'), qos, retain: false, dup: false, ...(qos ? { messageId: 5 } : {}) }) as Packet;

const randomBytes = (r: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));

function connected(level: Level): (f: DecodeInput) => DecodedMessage {
  const s = mqttDecoder.session();
  const dec = (f: DecodeInput) => safeDecode(s, f, 'mqtt')!;
  dec(sent(write(level, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: level, clientId: 'c', clean: true, keepalive: 60 } as Packet)));
  return dec;
}

const GAVE_UP = /the decoder gave up on the last \d+ bytes and starts afresh at the next frame/;

for (const level of [4, 5] as const) {
  describe(`MQTT ${level === 4 ? '3.1.1' : '5'}: garbage on the socket`, () => {
    it('random bytes that start like a PUBREL of 7,130 bytes: the frame says the decoder gave up, the next frame decodes', () => {
      const dec = connected(level);
      // 0x62: PUBREL with its flags; d7 37: 7,127 bytes to come; then what random bytes hold.
      const junk = Uint8Array.from([0x62, 0xd7, 0x37, 0x12, 0x34, 0x00, 0x05, ...randomBytes(rng(1), 193)]);
      const bad = dec(sent(junk));
      expect(bad.partial).toBeUndefined();
      expect(bad.error).toMatch(/^PUBREL of 7127 bytes/);
      expect(bad.error).toMatch(GAVE_UP);
      expect(dec(sent(write(level, publish('sensors/1', 1), publish('alerts/fire'))))).toMatchObject({ summary: 'PUBLISH sensors/1 qos1 + PUBLISH alerts/fire qos0' });
    });

    it('an unfinished packet with flags its type cannot have is not held', () => {
      const dec = connected(level);
      expect(dec(sent([0xc0, 0x00, 0x41, 0x7f, 0x01]))).toMatchObject({ summary: 'PINGREQ', error: expect.stringMatching(/PUBACK with fixed header flags 0x1 \(must be 0x0\).*gave up on the last 3 bytes/) });
      expect(dec(sent(write(level, publish('a/b'))))).toMatchObject({ summary: 'PUBLISH a/b qos0' });
    });

    it('a header byte held from the end of a frame is dropped when the next frame is whole packets', () => {
      const dec = connected(level);
      expect(dec(sent([0x32]))).toMatchObject({ summary: 'PUBLISH (partial: 1 byte)', partial: true });
      const m = dec(sent(write(level, publish('alerts/fire'))));
      expect(m.summary).toBe('PUBLISH alerts/fire qos0');
      expect(m.error).toMatch(/dropped 1 byte held from the previous frame/);
    });

    it('a header waiting for its body is given up when what comes cannot start that body', () => {
      const dec = connected(level);
      // A PUBLISH header claiming 128 bytes, alone in its frame as stream writers send it.
      expect(dec(sent([0x30, 0x80, 0x01]))).toMatchObject({ partial: true });
      const m = dec(sent(write(level, { cmd: 'pingreq' } as Packet)));
      expect(m.summary).toBe('PINGREQ');
      expect(m.error).toMatch(/gave up on the unfinished PUBLISH \(3 of 131 bytes; .*\) and reads this frame afresh/);
    });

    it('packets split across frames as stream writers send them still join up', () => {
      const dec = connected(level);
      const bytes = write(level, publish('sensors/1', 1));
      const cuts = [1, 2, 4, 13];
      const frames = cuts.map((c, i) => bytes.slice(i === 0 ? 0 : cuts[i - 1], c)).concat([bytes.slice(13)]);
      const out = frames.map((f) => dec(sent(f)));
      expect(out.slice(0, -1).every((m) => m.partial && !m.error)).toBe(true);
      expect(out.at(-1)).toMatchObject({ summary: 'PUBLISH sensors/1 qos1' });
      expect(out.at(-1)!.error).toBeUndefined();
    });

    it('after any of 2,000 frames of random bytes, the next good frame decodes', () => {
      const r = rng(level);
      const good = write(level, publish('sensors/1'), publish('alerts/fire'));
      let lost = 0;
      for (let i = 0; i < 2000; i++) {
        const dec = connected(level);
        dec(sent(randomBytes(r, 1 + Math.floor(r() * 300))));
        if (dec(sent(good)).summary !== 'PUBLISH sensors/1 qos0 + PUBLISH alerts/fire qos0') lost++;
      }
      expect(lost).toBe(0);
    });
  });
}
