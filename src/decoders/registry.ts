/**
 * Every decoder, in the order detection prefers them (specific protocols before the generic
 * MessagePack, CBOR and JSON-RPC), and the calls the panel makes: pick by negotiated subprotocol,
 * pick by the shape of the first frames, and decode one frame safely within the budget.
 */
import { DECODE_MAX_BYTES, SNIFF_THRESHOLD, withinBudget } from './budget';
import { actionCableDecoder } from './protocols/actioncable';
import { cborDecoder, msgpackDecoder } from './protocols/binary-objects';
import { graphqlWsDecoder, subscriptionsTransportWsDecoder } from './protocols/graphql-ws';
import { jsonRpcDecoder } from './protocols/json-rpc';
import { mqttDecoder } from './protocols/mqtt';
import { phoenixDecoder } from './protocols/phoenix';
import { signalrDecoder } from './protocols/signalr';
import { socketIoDecoder } from './protocols/socket-io';
import { sockjsDecoder } from './protocols/sockjs';
import { stompDecoder } from './protocols/stomp';
import { wampDecoder } from './protocols/wamp';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, ProtocolId } from './types';

export const DECODERS: readonly Decoder[] = [
  socketIoDecoder, sockjsDecoder, signalrDecoder, stompDecoder, mqttDecoder, graphqlWsDecoder,
  subscriptionsTransportWsDecoder, phoenixDecoder, actionCableDecoder, wampDecoder, jsonRpcDecoder,
  msgpackDecoder, cborDecoder,
];

export function decoderById(id: string): Decoder | undefined {
  return DECODERS.find((d) => d.id === id);
}

/** The decoder a negotiated subprotocol names (`mqtt`, `v12.stomp`, `graphql-transport-ws`, …). */
export function decoderForSubprotocol(protocol: string): Decoder | undefined {
  const p = protocol.trim().toLowerCase();
  if (!p) return undefined;
  return DECODERS.find((d) => d.subprotocols.some((s) => (typeof s === 'string' ? s === p : s.test(p))));
}

/** The decoder most sure of this frame, if any is sure enough. */
export function sniffFrame(frame: DecodeInput): Decoder | undefined {
  let best: Decoder | undefined;
  let bestScore = SNIFF_THRESHOLD;
  for (const d of DECODERS) {
    let score = 0;
    try { score = d.sniff(frame); } catch { score = 0; }
    if (score > bestScore || (score === 1 && bestScore < 1)) { best = d; bestScore = score; }
  }
  return best;
}

export const TOO_LARGE = 'too large to decode in the list';

const sizeOf = (f: DecodeInput) => f.size ?? (f.type === 'text' ? (f.text?.length ?? 0) : (f.bytes?.byteLength ?? 0));

/**
 * Decodes one frame: never throws, applies every budget. A frame over DECODE_MAX_BYTES is only
 * decoded when `large` is set (the detail pane asks for one frame at a time).
 */
export function safeDecode(session: DecoderSession, frame: DecodeInput, protocol: ProtocolId, large = false): DecodedMessage | null {
  if (!large && sizeOf(frame) > DECODE_MAX_BYTES) {
    // The session still sees the frame, without its payload, so stateful decoders keep count
    // (a large Socket.IO attachment still completes its event).
    const placeholder: DecodedMessage = { protocol, summary: `(${sizeOf(frame)} bytes: open it to decode)`, fields: {}, heartbeat: false, error: TOO_LARGE };
    try {
      const m = session.decode({ dir: frame.dir, type: frame.type, size: sizeOf(frame) });
      return m ? withinBudget({ ...m, error: m.error ?? TOO_LARGE }) : placeholder;
    } catch {
      return placeholder;
    }
  }
  try {
    const m = session.decode(frame);
    return m ? withinBudget(m) : null;
  } catch (e) {
    return { protocol, summary: '(could not decode)', fields: {}, heartbeat: false, error: `decoder failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
