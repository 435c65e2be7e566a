/**
 * One direction of an MQTT connection as a byte stream cut into packets, whatever the frame
 * boundaries: browsers send whole packets (several when written in one tick), stream-based writers
 * (mqtt.js and aedes in Node) a field per frame. A packet a frame leaves unfinished waits for the
 * next frames, so garbage that passes for a packet start would take good frames as its rest: every
 * unfinished start is checked (mqtt-packet-start.ts), and when the check fails the decoder drops
 * what it held or the rest of the frame, says so, and starts afresh.
 */
import { DECODE_MAX_BYTES } from '../budget';
import { expectedFlags, type FixedHeader, type MqttLevel, PACKET_TYPES, type PacketType, readFixedHeader } from './mqtt-packet';
import { implausibleFirstByte, implausibleStart } from './mqtt-packet-start';

/** Body bytes kept of one unfinished packet; a larger packet keeps this much and only counts the rest. */
const KEEP_BYTES = DECODE_MAX_BYTES;
/** An unfinished packet's first body bytes are checked again as they arrive, up to this many. */
const START_CHECK_BYTES = 512;

export interface RawPacket { header: FixedHeader; body: Uint8Array; cut: boolean }

export interface Unfinished { type: PacketType; have: number; total?: number }

interface Current { header: FixedHeader; chunks: Uint8Array[]; kept: number; missing: number }

const EMPTY = new Uint8Array(0);

export class PacketStream {
  /** The first bytes of a packet whose fixed header is not complete yet (under 5 bytes). */
  private head = EMPTY;
  /** The packet being received: its header, the body bytes kept so far and how many are still to come. */
  private cur: Current | undefined;

  /**
   * Feeds one frame; returns the packets it completes, and an error saying what the decoder gave
   * up on. `level` is the connection's protocol level, when known: it bounds what an unfinished
   * packet may claim.
   */
  push(bytes: Uint8Array, level: MqttLevel | undefined): { packets: RawPacket[]; error?: string } {
    const packets: RawPacket[] = [];
    const notes: string[] = [];
    const result = () => (notes.length > 0 ? { packets, error: notes.join('; ') } : { packets });
    this.checkContinuation(bytes, level, notes);
    let data = bytes;
    /** Bytes at the start of `data` held from an earlier frame (the start of a fixed header). */
    let held = this.head.length;
    if (held > 0) { data = concat([this.head, bytes], held + bytes.length); this.head = EMPTY; }
    let off = 0;
    for (;;) {
      const cur = this.cur;
      if (cur) {
        const take = Math.min(cur.missing, data.length - off);
        const cut = cur.header.remaining > KEEP_BYTES;
        if (cur.chunks.length === 0 && take === cur.missing && !cut) {
          // The whole body is in this frame: a view, no copy.
          packets.push({ header: cur.header, body: data.subarray(off, off + take), cut: false });
        } else {
          // Copies only bytes that arrived, at most KEEP_BYTES, never the length the header claims.
          const keep = Math.min(take, KEEP_BYTES - cur.kept);
          if (keep > 0) { cur.chunks.push(data.slice(off, off + keep)); cur.kept += keep; }
          cur.missing -= take;
          if (cur.missing > 0) return result();
          packets.push({ header: cur.header, body: concat(cur.chunks, cur.kept), cut });
        }
        off += take;
        this.cur = undefined;
        continue;
      }
      if (off >= data.length) return result();
      const h = readFixedHeader(data, off);
      const doubt = h.ok
        ? (off + h.header.headerLength + h.header.remaining > data.length ? implausibleStart(h.header, data.subarray(off + h.header.headerLength), level) : undefined)
        : h.incomplete ? implausibleFirstByte(data[off] as number, level) : h.error;
      if (held > 0 && (doubt || tilesWithPackets(bytes))) {
        // The header began in the last frame. This frame is better read on its own when that header
        // cannot be, or when the frame is whole packets by itself (as browsers send them; a
        // stream writer's next frame is the rest of the header, never whole packets).
        notes.push(`dropped ${held} byte${held === 1 ? '' : 's'} held from the previous frame (${doubt ?? 'this frame is whole packets on its own'})`);
        data = bytes;
        held = 0;
        continue;
      }
      // Packet boundaries are lost: drop the rest, start afresh with the next frame.
      if (doubt) { notes.push(`${doubt}: the decoder gave up on the last ${data.length - off} bytes and starts afresh at the next frame`); return result(); }
      if (!h.ok) { this.head = data.slice(off); return result(); }
      off += h.header.headerLength;
      held = 0;
      this.cur = { header: h.header, chunks: [], kept: 0, missing: h.header.remaining };
    }
  }

  /**
   * A packet left unfinished by earlier frames whose start is now longer: when the bytes that
   * arrive cannot continue it, it is dropped and this frame is read afresh.
   */
  private checkContinuation(bytes: Uint8Array, level: MqttLevel | undefined, notes: string[]): void {
    const cur = this.cur;
    if (!cur || cur.kept >= START_CHECK_BYTES) return;
    const start = bytes.subarray(0, Math.min(bytes.length, cur.missing, START_CHECK_BYTES));
    const doubt = implausibleStart(cur.header, concat([...cur.chunks, start], cur.kept + start.length), level);
    if (!doubt) return;
    const total = cur.header.headerLength + cur.header.remaining;
    notes.push(`the decoder gave up on the unfinished ${cur.header.type} (${total - cur.missing} of ${total} bytes; ${doubt}) and reads this frame afresh`);
    this.cur = undefined;
  }

  /** The packet this direction is in the middle of, if any. */
  unfinished(): Unfinished | undefined {
    if (this.cur) {
      const { header, missing } = this.cur;
      const total = header.headerLength + header.remaining;
      return { type: header.type, have: total - missing, total };
    }
    if (this.head.length > 0) return { type: PACKET_TYPES[(this.head[0] as number) >> 4] as PacketType, have: this.head.length };
    return undefined;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** True when the bytes are whole MQTT packets end to end, each with the fixed-header flags its type requires. */
export function tilesWithPackets(b: Uint8Array): boolean {
  let off = 0;
  for (let n = 0; n < 64 && off < b.length; n++) {
    const h = readFixedHeader(b, off);
    if (!h.ok) return false;
    const want = expectedFlags(h.header.type);
    if (want === undefined ? ((h.header.flags >> 1) & 3) === 3 : h.header.flags !== want) return false;
    off += h.header.headerLength + h.header.remaining;
  }
  return off === b.length;
}
