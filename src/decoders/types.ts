/**
 * Protocol decoders: what a frame means to the application on top of WebSocket. Each decoder is
 * pure (no DOM, no extension API) and never throws on garbage; the registry wraps every call so a
 * decoder bug still cannot break the panel. Decoders see one connection's frames in order, through
 * a per-connection session, because some protocols span frames (Socket.IO binary attachments,
 * JSON-RPC responses matched to requests).
 */

export type ProtocolId =
  | 'socket.io' | 'sockjs' | 'signalr' | 'stomp' | 'mqtt' | 'graphql-ws' | 'subscriptions-transport-ws'
  | 'phoenix' | 'actioncable' | 'wamp' | 'json-rpc' | 'msgpack' | 'cbor';

/** One frame as a decoder sees it. Binary frames come as bytes; text as a string. */
export interface DecodeInput {
  dir: 'sent' | 'received';
  type: 'text' | 'binary';
  /** The text of a text frame. */
  text?: string;
  /** The bytes of a binary frame. */
  bytes?: Uint8Array;
  /** The payload's size in bytes, when the caller knows it without the payload (a frame too large to decode in the list comes without it). */
  size?: number;
}

/** A field value the filter can match (`event:chat:message`, `topic:sensors/#`, `qos:1`). */
export type FieldValue = string | number | boolean;

/**
 * One of several messages a frame carries (an MQTT packet among those a client wrote in one tick,
 * a member of a JSON-RPC batch, a SignalR record…), with its own fields, id included: the filter
 * matches each message on its own, and pairing requests with responses needs each one's id.
 */
export interface BatchedMessage {
  summary: string;
  fields: Record<string, FieldValue>;
  heartbeat: boolean;
  error?: string;
}

export interface DecodedMessage {
  protocol: ProtocolId;
  /** One line for the table's Message column, e.g. `emit chat:message`, `PUBLISH sensors/1 qos1`. */
  summary: string;
  /**
   * Named fields for the filter and the detail pane. Names are shared across protocols where they
   * mean the same thing: type, event, namespace, id, topic, qos, destination, command, op, channel,
   * method, target.
   */
  fields: Record<string, FieldValue>;
  /** The decoded content (arguments, body, properties) as plain JSON-like data, for the tree view. */
  body?: unknown;
  /** Keep-alive traffic with no application meaning (pings, heart-beats): "Hide heartbeats" hides it. */
  heartbeat: boolean;
  /**
   * Set when this frame is one part of a message that later frames complete (a Socket.IO packet
   * waiting for its binary attachments); the completing frame carries the whole message.
   */
  partial?: boolean;
  /** Set when the frame did not fully fit the protocol: what was wrong (the rest is best effort). */
  error?: string;
  /**
   * Only when the frame carries more than one message: each message, in order. A field filter
   * matches the frame when one of them matches every term; `fields` above merges them for the
   * detail pane. Left out for a single message, so a million ordinary frames cost nothing more.
   */
  messages?: BatchedMessage[];
  /** How many more messages the frame carries than `messages` keeps (past MESSAGES_MAX). */
  messagesNotKept?: number;
}

/** One connection's decoding state. */
export interface DecoderSession {
  /** Never throws; returns null when the frame is not this protocol's (the table shows no message). */
  decode(frame: DecodeInput): DecodedMessage | null;
}

export interface Decoder {
  id: ProtocolId;
  /** Shown in the connection row and the protocol menu. */
  label: string;
  /** Negotiated subprotocols that name this protocol (lower case, exact or a RegExp). */
  subprotocols: readonly (string | RegExp)[];
  /**
   * How sure the decoder is, from one frame's shape alone, that the connection speaks its
   * protocol: 0 (no) to 1 (certain). Detection takes the best score ≥ SNIFF_THRESHOLD over the
   * first frames. Must be cheap and never throw.
   */
  sniff(frame: DecodeInput): number;
  /** A fresh session for one connection. */
  session(): DecoderSession;
}
