/**
 * Which protocol one connection speaks, and its decoder session. Automatic detection takes the
 * negotiated subprotocol first, then the shape of the first SNIFF_FRAMES frames; the user can
 * choose another protocol, or none, for the connection. When the protocol is found (or chosen)
 * after some frames, the caller decodes that connection's frames again from the start, so a
 * stateful decoder sees them all in order.
 */
import { SNIFF_FRAMES } from './budget';
import { decoderById, decoderForSubprotocol, safeDecode, sniffFrame } from './registry';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, ProtocolId } from './types';

/** 'auto': detect; 'off': decode nothing; otherwise the protocol the user chose. */
export type DecodeMode = 'auto' | 'off' | ProtocolId;

export type DetectedBy = 'subprotocol' | 'frames' | 'user';

export interface DecodeStep {
  msg: DecodedMessage | null;
  /** The protocol was found by this frame: earlier frames of the connection should be decoded again. */
  detected: boolean;
}

export class ConnectionDecoding {
  mode: DecodeMode = 'auto';
  decoder: Decoder | null = null;
  by: DetectedBy | null = null;
  private session: DecoderSession | null = null;
  private sniffed = 0;

  constructor(negotiated = '') {
    this.negotiated(negotiated);
  }

  /** The subprotocol the handshake agreed (known at open; imported sessions know it at once). */
  negotiated(protocol: string): void {
    if (this.mode !== 'auto' || this.decoder) return;
    const d = decoderForSubprotocol(protocol);
    if (d) this.use(d, 'subprotocol');
  }

  /** The user's choice for this connection. The caller then decodes its frames again (restart()). */
  choose(mode: DecodeMode): void {
    this.mode = mode;
    this.decoder = null;
    this.by = null;
    this.session = null;
    this.sniffed = 0;
    if (mode === 'off' || mode === 'auto') return;
    const d = decoderById(mode);
    if (d) this.use(d, 'user');
  }

  /** Still looking at frames to find the protocol. */
  get sniffing(): boolean {
    return this.mode === 'auto' && !this.decoder && this.sniffed < SNIFF_FRAMES;
  }

  /** A fresh session, before decoding the connection's frames again from the first. */
  restart(): void {
    this.session = this.decoder ? this.decoder.session() : null;
    if (!this.decoder) this.sniffed = 0;
  }

  decode(frame: DecodeInput): DecodeStep {
    if (this.mode === 'off') return { msg: null, detected: false };
    if (!this.decoder) {
      if (this.mode !== 'auto' || this.sniffed >= SNIFF_FRAMES) return { msg: null, detected: false };
      this.sniffed++;
      const d = sniffFrame(frame);
      if (!d) return { msg: null, detected: false };
      this.use(d, 'frames');
      return { msg: null, detected: true };
    }
    return { msg: safeDecode(this.session!, frame, this.decoder.id), detected: false };
  }

  /** One frame alone, whatever its size (the detail pane's "Decode" for a frame too large for the list). */
  decodeAlone(frame: DecodeInput): DecodedMessage | null {
    return this.decoder ? safeDecode(this.decoder.session(), frame, this.decoder.id, true) : null;
  }

  private use(d: Decoder, by: DetectedBy): void {
    this.decoder = d;
    this.by = by;
    this.session = d.session();
  }
}
