/**
 * What a decoded message means for request/response pairing: a request that opens an exchange, a
 * reply that answers one, or nothing. Read from the fields the decoders already set (one message
 * at a time, so each message of a batch pairs on its own). Pure and never throws: a message
 * whose id is missing or of an unusable type is simply not paired.
 *
 * Ids are only unique per direction (MQTT packet ids, JSON-RPC ids, Socket.IO acks all exist in
 * both directions at once), so a reply is looked up among the requests of the *other* direction,
 * unless `from` says the request's own side sends it (an MQTT PUBREL, a client's cancel).
 */
import type { FieldValue, ProtocolId } from '../types';
import { isRecord } from '../protocols/json-frame';

export type PairTag =
  | {
      role: 'request';
      /** The id, typed: the number 1 and the string "1" are different ids. */
      key: string;
      /** The method, event or operation, for the Calls view. */
      call: string;
      /** The request opens a stream (a subscription): its replies are items until one ends it. */
      stream?: true;
    }
  | {
      role: 'reply';
      key: string;
      /** This reply completes the exchange (a result, an ack, a `complete`). */
      end: boolean;
      error?: true;
      /** Who sends it, seen from the request: its peer (default) or its own side. */
      from?: 'self' | 'either';
      /** The request's own side gave up on it (a cancel, a `stop`): it ends, but is not an answer. */
      cancel?: true;
      /** It only marks the end (a stream's `complete`): not counted as a reply, unless nothing else answered. */
      marker?: true;
    };

export type Direction = 'sent' | 'received';

/** An id as a pairing key: its JSON type and value. Objects, arrays and null are no ids. */
export function keyOf(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? `n${v}` : undefined;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (typeof v === 'bigint') return `n${v}`;
  return undefined;
}

/** A key as the user reads it: numbers bare, strings quoted. */
export function keyText(key: string): string {
  return key.startsWith('s') ? JSON.stringify(key.slice(1)) : key.slice(1);
}

const str = (v: FieldValue | undefined): string | undefined => (v === undefined ? undefined : String(v));

/**
 * The tag of one message of `protocol` travelling in `dir`, from its fields (and its body, where
 * a request's expecting an answer is an option in it: a WAMP PUBLISH asks for PUBLISHED only with
 * `acknowledge`).
 */
export function pairTag(protocol: ProtocolId, dir: Direction, f: Record<string, FieldValue>, body?: unknown): PairTag | null {
  switch (protocol) {
    case 'json-rpc': return jsonRpc(f);
    case 'socket.io': return socketIo(dir, f);
    case 'graphql-ws': case 'subscriptions-transport-ws': return graphql(f);
    case 'signalr': return signalr(f);
    case 'stomp': return stomp(f);
    case 'mqtt': return mqtt(f);
    case 'wamp': return wamp(f, body);
    case 'phoenix': return phoenix(f);
    case 'actioncable': return actionCable(f);
    default: return null;
  }
}

function jsonRpc(f: Record<string, FieldValue>): PairTag | null {
  const key = keyOf(f.id);
  if (key === undefined) return null;
  if (f.type === 'request') return { role: 'request', key, call: str(f.method) ?? '(no method)' };
  if (f.type === 'result') return { role: 'reply', key, end: true };
  if (f.type === 'error') return { role: 'reply', key, end: true, error: true };
  return null;
}

function socketIo(dir: Direction, f: Record<string, FieldValue>): PairTag | null {
  const nsp = str(f.namespace) ?? '/';
  const type = f.type;
  // Joining a namespace: the client's CONNECT is answered by the server's CONNECT (or its error).
  if (type === 'connect') return dir === 'sent' ? { role: 'request', key: `c${nsp}`, call: `connect ${nsp}` } : { role: 'reply', key: `c${nsp}`, end: true };
  if (type === 'connect_error' || (type === 'error' && dir === 'received')) return { role: 'reply', key: `c${nsp}`, end: true, error: true };
  const id = keyOf(f.id);
  if (id === undefined) return null;
  // Ack ids count per namespace (each namespace is its own socket in the client).
  const key = `${nsp}|${id}`;
  if (type === 'event' || type === 'binary_event') return { role: 'request', key, call: str(f.event) ?? '(no event)' };
  if (type === 'ack' || type === 'binary_ack') return { role: 'reply', key, end: true };
  return null;
}

function graphql(f: Record<string, FieldValue>): PairTag | null {
  const type = f.type;
  // The handshake is a pair too: how long the server takes to accept the connection.
  if (type === 'connection_init') return { role: 'request', key: 'init', call: 'connection_init' };
  if (type === 'connection_ack') return { role: 'reply', key: 'init', end: true };
  if (type === 'connection_error') return { role: 'reply', key: 'init', end: true, error: true };
  const key = keyOf(f.id);
  if (key === undefined) return null;
  switch (type) {
    case 'subscribe': case 'start': return { role: 'request', key, call: str(f.op) ?? `(anonymous ${str(f.operationType) ?? 'operation'})`, stream: true };
    case 'next': case 'data': return { role: 'reply', key, end: false };
    case 'error': return { role: 'reply', key, end: true, error: true };
    // The server's complete ends the stream; the client's (graphql-ws) is a cancel. Either side may send it.
    case 'complete': return { role: 'reply', key, end: true, from: 'either', marker: true };
    case 'stop': return { role: 'reply', key, end: true, from: 'self', cancel: true };
    default: return null;
  }
}

function signalr(f: Record<string, FieldValue>): PairTag | null {
  const key = keyOf(f.id);
  if (key === undefined) return null;
  switch (f.type) {
    case 'invocation': return { role: 'request', key, call: str(f.target) ?? '(no target)' };
    case 'stream-invocation': return { role: 'request', key, call: str(f.target) ?? '(no target)', stream: true };
    case 'stream-item': return { role: 'reply', key, end: false };
    case 'completion': return f.error !== undefined ? { role: 'reply', key, end: true, error: true } : { role: 'reply', key, end: true, marker: true };
    case 'cancel-invocation': return { role: 'reply', key, end: true, from: 'self', cancel: true };
    default: return null;
  }
}

/** The frames a client may ask a receipt for. */
const STOMP_CLIENT_COMMANDS = new Set(['SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'BEGIN', 'COMMIT', 'ABORT', 'ACK', 'NACK', 'DISCONNECT']);

function stomp(f: Record<string, FieldValue>): PairTag | null {
  const command = str(f.command);
  if (command === 'CONNECT' || command === 'STOMP') return { role: 'request', key: 'connect', call: command };
  if (command === 'CONNECTED') return { role: 'reply', key: 'connect', end: true };
  const receipt = keyOf(f.receipt);
  if (command === 'ERROR') return receipt === undefined ? null : { role: 'reply', key: receipt, end: true, error: true };
  if (receipt === undefined) return null;
  if (command === 'RECEIPT') return { role: 'reply', key: receipt, end: true };
  if (!STOMP_CLIENT_COMMANDS.has(command ?? '')) return null;
  return { role: 'request', key: receipt, call: f.destination !== undefined ? `${command} ${str(f.destination)}` : command ?? '?' };
}

function mqtt(f: Record<string, FieldValue>): PairTag | null {
  const type = f.type;
  if (type === 'CONNECT') return { role: 'request', key: 'connect', call: 'CONNECT' };
  if (type === 'CONNACK') return { role: 'reply', key: 'connect', end: true, ...(refused(f) && { error: true as const }) };
  if (type === 'PINGREQ') return { role: 'request', key: 'ping', call: 'PINGREQ' };
  if (type === 'PINGRESP') return { role: 'reply', key: 'ping', end: true };
  const key = keyOf(f.id);
  if (key === undefined) return null;
  switch (type) {
    // QoS 0 has no id and no answer; QoS 1 is answered by PUBACK, QoS 2 by PUBREC, PUBREL (the
    // publisher's), then PUBCOMP, which ends it.
    case 'PUBLISH': return f.qos === 1 || f.qos === 2 ? { role: 'request', key, call: `PUBLISH ${str(f.topic) ?? '?'}` } : null;
    case 'PUBACK': case 'PUBCOMP': return { role: 'reply', key, end: true, ...(refused(f) && { error: true as const }) };
    case 'PUBREC': return { role: 'reply', key, end: false, ...(refused(f) && { error: true as const }) };
    case 'PUBREL': return { role: 'reply', key, end: false, from: 'self' };
    case 'SUBSCRIBE': return { role: 'request', key, call: `SUBSCRIBE ${str(f.topic) ?? '?'}` };
    case 'UNSUBSCRIBE': return { role: 'request', key, call: `UNSUBSCRIBE ${str(f.topic) ?? '?'}` };
    case 'SUBACK': case 'UNSUBACK': return { role: 'reply', key, end: true, ...(refused(f) && { error: true as const }) };
    default: return null;
  }
}

/** MQTT reason codes from 0x80 up are failures (a SUBACK's 0x80, a v5 PUBACK's 0x87…); v3 CONNACK codes 1–5 refuse. */
function refused(f: Record<string, FieldValue>): boolean {
  const code = f.reasonCode ?? f.returnCode;
  return typeof code === 'number' && (code >= 0x80 || (f.type === 'CONNACK' && code > 0));
}

/** WAMP: requests and what answers each (codes from the spec). */
const WAMP_REPLIES: Readonly<Record<number, { end: boolean }>> = {
  17: { end: true }, 33: { end: true }, 35: { end: true }, 50: { end: true }, 65: { end: true }, 67: { end: true }, 70: { end: true },
};
const WAMP_REQUESTS = new Set([16, 32, 34, 48, 64, 66, 68]);

function wamp(f: Record<string, FieldValue>, body: unknown): PairTag | null {
  const code = f.code;
  const key = keyOf(f.id);
  if (typeof code !== 'number' || key === undefined) return null;
  if (code === 8) return { role: 'reply', key, end: true, error: true };
  if (code === 49) return { role: 'reply', key, end: true, from: 'self', cancel: true };
  if (code === 50 && f.progress === true) return { role: 'reply', key, end: false };
  if (WAMP_REPLIES[code]) return { role: 'reply', key, end: true };
  if (!WAMP_REQUESTS.has(code)) return null;
  // A PUBLISH is answered only when it asks to be (Options.acknowledge).
  if (code === 16 && !(isRecord(body) && isRecord(body.options) && body.options.acknowledge === true)) return null;
  const what = str(f.procedure) ?? str(f.topic);
  return { role: 'request', key, call: `${str(f.type) ?? code}${what !== undefined ? ` ${what}` : ''}` };
}

function phoenix(f: Record<string, FieldValue>): PairTag | null {
  const ref = keyOf(f.ref);
  if (ref === undefined) return null;
  // Refs are the client's; a reply names the topic and ref of the push it answers.
  const key = `${str(f.topic) ?? ''}|${ref}`;
  if (f.event === 'phx_reply') return f.status === 'ok' ? { role: 'reply', key, end: true } : { role: 'reply', key, end: true, error: true };
  const event = str(f.event) ?? '?';
  return { role: 'request', key, call: f.topic === 'phoenix' ? event : `${event} ${str(f.topic) ?? ''}`.trimEnd() };
}

function actionCable(f: Record<string, FieldValue>): PairTag | null {
  const ident = str(f.identifier);
  if (ident === undefined) return null;
  const key = `s${ident}`;
  if (f.command === 'subscribe') return { role: 'request', key, call: `subscribe ${str(f.channel) ?? '?'}` };
  if (f.type === 'confirm_subscription') return { role: 'reply', key, end: true };
  if (f.type === 'reject_subscription') return { role: 'reply', key, end: true, error: true };
  return null;
}
