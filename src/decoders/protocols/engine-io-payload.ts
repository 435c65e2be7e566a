/**
 * Engine.IO payloads: several packets in one text. The polling transport always sends them so,
 * and some servers do on a WebSocket too. Engine.IO v4 separates the packets with the record
 * separator 0x1E, which no packet holds raw (JSON escapes it); v3 puts each packet's length in
 * characters before it: `7:42["a"]1:3`. The reference client and server send one packet per
 * WebSocket frame, so a frame is split only when every piece is a packet.
 */

const RS = '\x1e';
/** What an Engine.IO packet starts with: its type digit, or `b` for base64 binary. */
const PACKET_START = /^[0-6b]/;
const V3_LENGTH = /^(\d{1,9}):/;

/** The packets of a payload, or undefined when the text is a single packet (or not Engine.IO). */
export function splitPayload(text: string): string[] | undefined {
  if (text.includes(RS)) {
    const packets = text.split(RS);
    return packets.every((p) => PACKET_START.test(p)) ? packets : undefined;
  }
  return splitV3(text);
}

/** `<length>:<packet>` repeated to the end of the text, each packet exactly its length long. */
function splitV3(text: string): string[] | undefined {
  // No Socket.IO packet starts with digits and a colon, so ordinary frames stop here.
  if (!V3_LENGTH.test(text)) return undefined;
  const packets: string[] = [];
  let at = 0;
  while (at < text.length) {
    const m = V3_LENGTH.exec(text.slice(at, at + 11));
    if (!m) return undefined;
    const start = at + m[0].length;
    const end = start + Number(m[1]);
    if (end > text.length) return undefined;
    const packet = text.slice(start, end);
    if (!PACKET_START.test(packet)) return undefined;
    packets.push(packet);
    at = end;
  }
  return packets;
}
