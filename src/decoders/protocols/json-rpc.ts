/**
 * JSON-RPC 2.0 (jsonrpc.org/specification): requests `{"jsonrpc":"2.0","method","params","id"}`,
 * notifications (no id), responses with `result` or `error: {code, message, data?}`, and batches
 * (arrays of any of these). No subprotocol names it; `"jsonrpc":"2.0"` at the top of a frame is
 * certain. The session remembers each request's method by id, so a response says what it answers
 * (`result #4 eth_getBalance`); subscriptions made with a `*_subscribe` call are remembered too, so
 * their notifications say which stream they carry.
 */
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import {
  BoundedMap, combine, firstChar, has, idField, isRecord, lastChar, malformed, parseJson, scalarText, SNIFF_PARSE_MAX, utf8,
} from './json-frame';

interface Request { method: string; firstParam?: string }

/** A JSON-RPC id as a map key: 4 and "4" are different ids. */
const idKey = (id: unknown) => (typeof id === 'string' ? `s:${id}` : `n:${String(id)}`);
const idLabel = (id: unknown) => (id === null ? 'null' : typeof id === 'string' || typeof id === 'number' ? String(id) : '?');

class JsonRpcSession implements DecoderSession {
  /** `${dir}|${idKey}` of a request → its method; a response looks it up from the other direction. */
  private readonly requests = new BoundedMap<string, Request>(4096);
  /** Subscription id (the result of a `*_subscribe` call) → what was subscribed to (`newHeads`). */
  private readonly subscriptions = new BoundedMap<string, string>(1024);

  decode(frame: DecodeInput): DecodedMessage | null {
    let text: string;
    if (frame.type === 'binary') {
      const bytes = frame.bytes ?? new Uint8Array(0);
      if (bytes[0] !== 0x7b && bytes[0] !== 0x5b) return null;
      const t = utf8(bytes);
      if (t === undefined) return null;
      text = t;
    } else {
      text = frame.text ?? '';
    }
    const c = firstChar(text);
    if (c !== '{' && c !== '[') return null;
    const r = parseJson(text);
    if (!r.ok) return malformed('json-rpc', '(invalid JSON)', r.error);
    const v = r.value;
    if (Array.isArray(v)) {
      if (v.length === 0) return malformed('json-rpc', 'batch[0]', 'an empty batch is invalid', v);
      const parts = v.map((x) => this.describe(x, frame.dir));
      const m = combine('json-rpc', parts, v);
      m.summary = `batch[${v.length}]: ${m.summary}`;
      m.fields.batch = true;
      return m;
    }
    return this.describe(v, frame.dir);
  }

  private describe(o: unknown, dir: DecodeInput['dir']): DecodedMessage {
    if (!isRecord(o)) return malformed('json-rpc', '(not a JSON-RPC message)', 'a JSON-RPC message is an object', o);
    const fields: Record<string, FieldValue> = {};
    const out = (summary: string, body: unknown): DecodedMessage => {
      const m: DecodedMessage = { protocol: 'json-rpc', summary, fields, heartbeat: false };
      if (body !== undefined) m.body = body;
      if (o.jsonrpc !== '2.0') m.error = 'missing "jsonrpc": "2.0"';
      return m;
    };
    const hasId = has(o, 'id');
    const id = o.id;
    const idf = idField(id);
    if (idf !== undefined) fields.id = idf;
    const idOk = !hasId || id === null || typeof id === 'string' || typeof id === 'number';

    if (typeof o.method === 'string') {
      const method = o.method;
      fields.method = method;
      if (!hasId) {
        fields.type = 'notification';
        let summary = `notify ${method}`;
        // eth_subscription-style notifications: params.subscription names a stream opened earlier.
        if (isRecord(o.params)) {
          const sub = scalarText(o.params.subscription, 256);
          if (sub !== undefined) {
            fields.subscription = sub;
            const what = this.subscriptions.get(sub);
            if (what !== undefined) summary += ` ${what}`;
          }
        }
        return out(summary, o.params);
      }
      fields.type = 'request';
      const first = Array.isArray(o.params) ? scalarText(o.params[0], 256) : undefined;
      this.requests.set(`${dir}|${idKey(id)}`, first !== undefined ? { method, firstParam: first } : { method });
      const m = out(`call ${method} #${idLabel(id)}`, o.params);
      if (!idOk) m.error = 'id must be a string, a number or null';
      else if (o.params !== undefined && typeof o.params !== 'object') m.error = 'params must be an array or an object';
      return m;
    }

    const isResult = has(o, 'result');
    const isError = has(o, 'error');
    if (!isResult && !isError) {
      const m = out('(not a JSON-RPC message)', o);
      m.error = 'neither a request (method) nor a response (result or error)';
      return m;
    }
    const other = dir === 'sent' ? 'received' : 'sent';
    const req = hasId && id !== null ? (this.requests.get(`${other}|${idKey(id)}`) ?? this.requests.get(`${dir}|${idKey(id)}`)) : undefined;
    if (req) fields.method = req.method;
    const forWhat = `#${idLabel(id)}${req ? ` ${req.method}` : ''}`;

    if (isError) {
      fields.type = 'error';
      const e = isRecord(o.error) ? o.error : {};
      const code = typeof e.code === 'number' ? e.code : undefined;
      const message = scalarText(e.message, 256);
      if (code !== undefined) fields.code = code;
      if (message !== undefined) fields.message = message;
      const detail = [code !== undefined ? String(code) : '', message ?? ''].filter(Boolean).join(' ');
      const m = out(`error ${forWhat}${detail ? `: ${detail}` : ''}`, o.error);
      if (!isRecord(o.error) || code === undefined) m.error = m.error ?? 'error must be an object with a numeric code';
      if (isResult) m.error = 'a response has both result and error';
      return m;
    }
    fields.type = 'result';
    if (req && /_subscribe$/i.test(req.method) && req.firstParam !== undefined) {
      const sub = scalarText(o.result, 256);
      if (sub !== undefined) this.subscriptions.set(sub, req.firstParam);
    }
    const m = out(`result ${forWhat}`, o.result);
    if (!hasId) m.error = 'a response without an id';
    return m;
  }
}

const JSONRPC_RE = /"jsonrpc"\s*:\s*"2\.0"/;
const JSONRPC_FIRST = /^\s*[[{]\s*\{?\s*"jsonrpc"\s*:\s*"2\.0"/;

/** `"jsonrpc":"2.0"` on a top-level message (or the first of a batch). */
function sniffText(text: string): number {
  const c = firstChar(text);
  if (c !== '{' && c !== '[') return 0;
  if (lastChar(text) !== (c === '{' ? '}' : ']')) return 0;
  if (text.length > SNIFF_PARSE_MAX) {
    // Too large to parse: trust the member only at the very start, where serializers put it.
    if (JSONRPC_FIRST.test(text.slice(0, 64))) return 1;
    return JSONRPC_RE.test(text.slice(0, 4096)) ? 0.6 : 0;
  }
  if (!JSONRPC_RE.test(text)) return 0;
  const r = parseJson(text);
  if (!r.ok) return 0;
  const top = Array.isArray(r.value) ? r.value[0] : r.value;
  return isRecord(top) && top.jsonrpc === '2.0' ? 1 : 0;
}

export const jsonRpcDecoder: Decoder = {
  id: 'json-rpc',
  label: 'JSON-RPC 2.0',
  subprotocols: [],
  sniff(frame) {
    if (frame.type === 'text') return sniffText(frame.text ?? '');
    const bytes = frame.bytes;
    if (!bytes || (bytes[0] !== 0x7b && bytes[0] !== 0x5b) || bytes.length > SNIFF_PARSE_MAX) return 0;
    const text = utf8(bytes);
    return text === undefined ? 0 : sniffText(text);
  },
  session: () => new JsonRpcSession(),
};
