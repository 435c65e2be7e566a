/**
 * A batch for a panel whose channel does not clone buffers: every binary payload that came as a
 * buffer goes on as base64. Only for the unexpected case of a panel port that fails its probe
 * while its tab's relays pass theirs; normally both ends of the router share one serialization.
 */
import type { WireEvent } from '../protocol/capture-events';
import type { RelayBatch } from '../protocol/messages';
import { isArrayBuffer, toWireBinary } from '../protocol/wire-payload';

export function jsonSafeBatch(batch: RelayBatch): RelayBatch {
  return { ...batch, events: batch.events.map(jsonSafeEvent) };
}

function jsonSafeEvent(ev: WireEvent): WireEvent {
  if ((ev.k === 'frame' || ev.k === 'intercept' || ev.k === 'dispatched') && isArrayBuffer(ev.data)) {
    return { ...ev, data: toWireBinary(ev.data, false) } as WireEvent;
  }
  return ev;
}
