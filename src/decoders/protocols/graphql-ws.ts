/**
 * GraphQL over WebSocket, in its two protocols: `graphql-transport-ws` (the graphql-ws library)
 * and the legacy `subscriptions-transport-ws` (Apollo's, whose subprotocol is confusingly named
 * `graphql-ws`). Both send JSON objects `{ type, id?, payload? }`.
 *
 * One session understands both vocabularies: their message types do not clash in meaning, and
 * detection by shape commits on the first frame it is sure of, which is usually the
 * `connection_init` both protocols open with. A connection sniffed as the wrong flavour still
 * decodes fully; sniff scores only decide which label it gets.
 */
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue, ProtocolId } from '../types';
import { utf8 } from './json-frame';

type Flavour = 'graphql-ws' | 'subscriptions-transport-ws';

interface TypeSpec {
  /** The message names an operation (subscribe/next/…) and is malformed without an id. */
  id?: boolean;
  heartbeat?: boolean;
  /** Starts an operation: its payload carries the query, remembered by id. */
  starts?: boolean;
  /** The payload is an execution result ({ data, errors }). */
  result?: boolean;
  /** The payload is an error or a list of errors. */
  errors?: boolean;
  /** Which protocol has this type: both when absent. */
  only?: Flavour;
}

const TYPE_TABLE: Record<string, TypeSpec> = {
  connection_init: {},
  connection_ack: {},
  // graphql-transport-ws
  ping: { heartbeat: true, only: 'graphql-ws' },
  pong: { heartbeat: true, only: 'graphql-ws' },
  subscribe: { id: true, starts: true, only: 'graphql-ws' },
  next: { id: true, result: true, only: 'graphql-ws' },
  // subscriptions-transport-ws
  connection_error: { errors: true, only: 'subscriptions-transport-ws' },
  connection_terminate: { only: 'subscriptions-transport-ws' },
  ka: { heartbeat: true, only: 'subscriptions-transport-ws' },
  start: { id: true, starts: true, only: 'subscriptions-transport-ws' },
  data: { id: true, result: true, only: 'subscriptions-transport-ws' },
  stop: { id: true, only: 'subscriptions-transport-ws' },
  // both
  error: { id: true, errors: true },
  complete: { id: true },
};

/** A Map, so a type named `toString` or `__proto__` finds nothing rather than Object.prototype's. */
const TYPES = new Map(Object.entries(TYPE_TABLE));

type OperationType = 'query' | 'mutation' | 'subscription';

interface Operation {
  name?: string;
  type?: OperationType;
}

/** Operations remembered per connection; old ones are forgotten past this many. */
const OPERATIONS_MAX = 1000;
/** Only the start of a query is searched for its operation name. */
const QUERY_SCAN_CHARS = 64 * 1024;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** An operation keyword at the start of the document or after a closing brace (past fragments). */
const OPERATION_HEAD = /(?:^|\})[\s,\ufeff]*(query|mutation|subscription)\b[\s,]*([_A-Za-z][_0-9A-Za-z]*)?/;

/**
 * The operation's name and type from the query text, with a cheap regex and no GraphQL parse:
 * `subscription OnPrice { … }` → OnPrice, `{ hello }` → an anonymous query. `wanted` is
 * payload.operationName, which picks one operation in a document holding several.
 */
export function operationOf(query: unknown, wanted?: unknown): Operation {
  const name = typeof wanted === 'string' && wanted !== '' ? wanted : undefined;
  if (typeof query !== 'string') return name ? { name } : {};
  // Comments out first, so the regexes below need no comment handling (and cannot backtrack badly).
  const text = query.slice(0, QUERY_SCAN_CHARS).replace(/#[^\n\r]*/g, ' ');
  if (name) {
    // Only the named operation's keyword; a name that is not a GraphQL name matches nothing.
    const m = NAME.test(name) ? new RegExp(`\\b(query|mutation|subscription)[\\s,]+${name}\\b`).exec(text) : null;
    return m ? { name, type: m[1] as OperationType } : { name };
  }
  const m = OPERATION_HEAD.exec(text);
  if (m) return m[2] ? { name: m[2], type: m[1] as OperationType } : { type: m[1] as OperationType };
  return /^[\s,\ufeff]*\{/.test(text) ? { type: 'query' } : {};
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first error message of an error payload (a list, one error, or a result's `errors`). */
function firstErrorMessage(v: unknown): string | undefined {
  const e = Array.isArray(v) ? v[0] : v;
  if (typeof e === 'string') return e;
  return isObject(e) && typeof e.message === 'string' ? e.message : undefined;
}

class GraphqlSession implements DecoderSession {
  private readonly operations = new Map<string, Operation>();

  constructor(private readonly protocol: ProtocolId) {}

  decode(frame: DecodeInput): DecodedMessage | null {
    let raw = frame.text;
    if (frame.type === 'binary') {
      // Both protocols send JSON text; the reference servers read a binary frame as its UTF-8 text.
      if (!frame.bytes || frame.bytes.length === 0) return null;
      raw = utf8(frame.bytes);
      if (raw === undefined) return this.malformed('(binary frame)', 'binary frame that is not UTF-8: GraphQL over WebSocket sends JSON text');
    }
    if (!raw) return null;
    const text = raw.trim();
    if (!text.startsWith('{')) return this.malformed('(not a GraphQL message)', 'not a JSON object: every message is {"type": …}');
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.malformed('(invalid JSON)', 'not valid JSON');
    }
    if (!isObject(msg) || typeof msg.type !== 'string') return this.malformed('(no type)', 'message without a string "type"');
    return this.message(msg, msg.type);
  }

  private message(msg: Record<string, unknown>, type: string): DecodedMessage {
    const spec = TYPES.get(type);
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? String(msg.id) : undefined;
    const payload = msg.payload;
    const errors: string[] = [];
    if (!spec) errors.push(`unknown message type "${type}"`);
    if (spec?.id && id === undefined) errors.push(`${type} without an id`);

    let op: Operation | undefined;
    if (spec?.starts) {
      if (!isObject(payload) || typeof payload.query !== 'string') errors.push(`${type} without a query`);
      op = isObject(payload) ? operationOf(payload.query, payload.operationName) : {};
      if (id !== undefined) this.remember(id, op);
    } else if (id !== undefined) {
      op = this.operations.get(id);
    }
    if (spec?.result && !isObject(payload)) errors.push(`${type} without a result payload`);

    const fields: Record<string, FieldValue> = { type };
    if (id !== undefined) fields.id = id;
    if (op?.name) fields.op = op.name;
    if (op?.type) fields.operationType = op.type;

    let summary = type;
    if (id !== undefined) summary += ` #${id}`;
    if (op?.name) summary += ` ${op.name}`;
    else if (op?.type) summary += ` (anonymous ${op.type})`;
    const problem = spec?.errors ? firstErrorMessage(payload) : spec?.result && isObject(payload) ? firstErrorMessage(payload.errors) : undefined;
    if (problem !== undefined) summary += `: ${problem}`;

    const out: DecodedMessage = { protocol: this.protocol, summary, fields, heartbeat: spec?.heartbeat === true };
    if (payload !== undefined) out.body = payload;
    if (errors.length) out.error = errors.join('; ');
    return out;
  }

  private remember(id: string, op: Operation): void {
    this.operations.delete(id);
    this.operations.set(id, op);
    if (this.operations.size > OPERATIONS_MAX) {
      const oldest = this.operations.keys().next().value;
      if (oldest !== undefined) this.operations.delete(oldest);
    }
  }

  private malformed(summary: string, error: string): DecodedMessage {
    return { protocol: this.protocol, summary, fields: {}, heartbeat: false, error };
  }
}

/** A frame shaped like either protocol's message: a JSON object of only type, id and payload. */
function shape(frame: DecodeInput): { type: string; id: boolean; payload: unknown } | null {
  if (frame.type !== 'text' || !frame.text || frame.text.length > 64 * 1024) return null;
  const text = frame.text.trim();
  if (!text.startsWith('{') || !text.includes('"type"')) return null;
  let msg: unknown;
  try { msg = JSON.parse(text); } catch { return null; }
  if (!isObject(msg) || typeof msg.type !== 'string') return null;
  // Other protocols send {"type": …} too (Action Cable's pings carry "message"): extra keys rule them out.
  if (Object.keys(msg).some((k) => k !== 'type' && k !== 'id' && k !== 'payload')) return null;
  if (msg.id !== undefined && typeof msg.id !== 'string') return null;
  return { type: msg.type, id: typeof msg.id === 'string', payload: msg.payload };
}

const hasQuery = (p: unknown) => isObject(p) && typeof p.query === 'string';

/**
 * Scores per flavour. connection_init opens both protocols: the current one is preferred when
 * it is all there is (the session reads both vocabularies anyway). The flavour's own messages
 * (subscribe/next/ping vs start/data/ka) settle it.
 */
function sniffer(flavour: Flavour) {
  return (frame: DecodeInput): number => {
    const s = shape(frame);
    if (!s) return 0;
    const spec = TYPES.get(s.type);
    if (!spec) return 0;
    if (spec.only && spec.only !== flavour) return 0;
    const mine = flavour === 'graphql-ws';
    switch (s.type) {
      case 'connection_init': return mine ? 0.9 : 0.85;
      case 'connection_ack': return mine ? 0.7 : 0.65;
      case 'subscribe': case 'start': return s.id && hasQuery(s.payload) ? 1 : 0.6;
      case 'next': case 'data': return s.id && isObject(s.payload) ? 0.95 : 0.5;
      case 'error': case 'complete': return s.id ? (mine ? 0.6 : 0.55) : 0;
      case 'ping': case 'pong': return 0.7;
      case 'stop': return s.id ? 0.9 : 0.5;
      default: return 0.9; // ka, connection_error, connection_terminate
    }
  };
}

export const graphqlWsDecoder: Decoder = {
  id: 'graphql-ws',
  label: 'GraphQL (graphql-transport-ws)',
  subprotocols: ['graphql-transport-ws'],
  sniff: sniffer('graphql-ws'),
  session: () => new GraphqlSession('graphql-ws'),
};

export const subscriptionsTransportWsDecoder: Decoder = {
  id: 'subscriptions-transport-ws',
  label: 'GraphQL (subscriptions-transport-ws)',
  // The legacy protocol's subprotocol really is `graphql-ws`, not this decoder's id.
  subprotocols: ['graphql-ws'],
  sniff: sniffer('subscriptions-transport-ws'),
  session: () => new GraphqlSession('subscriptions-transport-ws'),
};
