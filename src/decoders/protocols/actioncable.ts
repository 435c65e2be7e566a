/**
 * Rails Action Cable (subprotocols `actioncable-v1-json`, `actioncable-unsupported`; AnyCable's
 * `actioncable-v1-ext-json` and MessagePack variants too). The server sends `{"type":"welcome"}`,
 * `{"type":"ping","message":<unix seconds>}`, `confirm_subscription` / `reject_subscription`,
 * `disconnect`, and broadcasts `{"identifier":…,"message":…}`; the client sends commands
 * `{"command":"subscribe"|"unsubscribe"|"message","identifier":"<JSON string>","data":"<JSON string>"}`.
 * The identifier is itself JSON naming the channel (`{"channel":"ChatChannel",…}`).
 */
import { decodeMsgpack } from '../binary-codecs';
import type { DecodedMessage, DecodeInput, Decoder, DecoderSession, FieldValue } from '../types';
import { firstChar, has, isRecord, lastChar, malformed, parseJson, scalarText, SNIFF_PARSE_MAX } from './json-frame';

/** The channel an identifier names: `ChatChannel` from `{"channel":"ChatChannel","room":"1"}`. */
function channelOf(identifier: unknown): { channel?: string; params?: Record<string, unknown> } {
  if (isRecord(identifier)) return { channel: scalarText(identifier.channel, 256), params: identifier };
  if (typeof identifier !== 'string') return {};
  if (firstChar(identifier) === '{') {
    const r = parseJson(identifier);
    if (r.ok && isRecord(r.value)) return { channel: scalarText(r.value.channel, 256), params: r.value };
  }
  return { channel: identifier.length <= 256 ? identifier : undefined };
}

function describe(o: Record<string, unknown>): DecodedMessage {
  const fields: Record<string, FieldValue> = {};
  const out = (summary: string, body?: unknown, heartbeat = false): DecodedMessage => {
    const m: DecodedMessage = { protocol: 'actioncable', summary, fields, heartbeat };
    if (body !== undefined) m.body = body;
    return m;
  };
  const ident = has(o, 'identifier') ? channelOf(o.identifier) : {};
  const channel = ident.channel ?? '?';
  if (ident.channel !== undefined) fields.channel = ident.channel;
  if (typeof o.identifier === 'string') fields.identifier = o.identifier;

  if (typeof o.command === 'string') {
    const command = o.command;
    fields.command = command;
    fields.type = command;
    if (command === 'message') {
      let data: unknown = o.data;
      let error: string | undefined;
      if (typeof o.data === 'string') {
        const r = parseJson(o.data);
        if (r.ok) data = r.value;
        else error = `"data" is not JSON: ${r.error}`;
      }
      const action = isRecord(data) ? scalarText(data.action, 256) : undefined;
      if (action !== undefined) { fields.action = action; fields.event = action; }
      const m = out(`${channel} perform${action !== undefined ? ` ${action}` : ''}`, data);
      if (error) m.error = error;
      if (ident.channel === undefined) m.error = m.error ?? 'message without a channel identifier';
      return m;
    }
    const m = out(`${command} ${channel}`, ident.params ?? o);
    if ((command === 'subscribe' || command === 'unsubscribe') && ident.channel === undefined) m.error = `${command} without a channel identifier`;
    return m;
  }

  if (typeof o.type === 'string') {
    const type = o.type;
    fields.type = type;
    switch (type) {
      case 'welcome': {
        const sid = scalarText(o.sid);
        if (sid !== undefined) fields.sid = sid;
        return out('welcome', o);
      }
      case 'ping':
        return out('ping', o.message, true);
      case 'disconnect': {
        const reason = scalarText(o.reason);
        if (reason !== undefined) fields.reason = reason;
        if (typeof o.reconnect === 'boolean') fields.reconnect = o.reconnect;
        return out(`disconnect${reason !== undefined ? ` ${reason}` : ''}${o.reconnect === false ? ' (no reconnect)' : ''}`, o);
      }
      case 'confirm_subscription':
      case 'reject_subscription':
        return out(`${type} ${channel}`, ident.params ?? o);
      default:
        if (has(o, 'message') && ident.channel !== undefined) return out(`${channel} ${type}`, o.message);
        return out(ident.channel !== undefined ? `${type} ${channel}` : type, o);
    }
  }

  if (has(o, 'identifier') && has(o, 'message')) {
    fields.type = 'message';
    return out(`${channel} message`, o.message);
  }
  const m = out('(not an Action Cable message)', o);
  m.error = 'neither a command, a typed server message, nor a broadcast';
  return m;
}

class ActionCableSession implements DecoderSession {
  decode(frame: DecodeInput): DecodedMessage | null {
    let value: unknown;
    if (frame.type === 'binary') {
      // AnyCable's MessagePack variant: the same objects, MessagePack-encoded.
      const bytes = frame.bytes ?? new Uint8Array(0);
      if (bytes.length === 0) return null;
      const r = decodeMsgpack(bytes);
      if (!r.ok) return malformed('actioncable', '(not an Action Cable message)', r.error);
      value = r.value;
    } else {
      const text = frame.text ?? '';
      if (!text) return null;
      if (firstChar(text) !== '{') return malformed('actioncable', '(not an Action Cable message)', 'not a JSON object: every Action Cable message is one');
      const r = parseJson(text);
      if (!r.ok) return malformed('actioncable', '(invalid JSON)', r.error);
      value = r.value;
    }
    if (!isRecord(value)) return malformed('actioncable', '(not an Action Cable message)', 'an Action Cable message is an object', value);
    return describe(value);
  }
}

const SERVER_TYPE = /^\s*\{\s*"(?:identifier"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*")?type"\s*:\s*"(welcome|ping|confirm_subscription|reject_subscription|disconnect)"/;
const COMMANDS = new Set(['subscribe', 'unsubscribe', 'message']);

export const actionCableDecoder: Decoder = {
  id: 'actioncable',
  label: 'Action Cable',
  subprotocols: ['actioncable-v1-json', 'actioncable-unsupported', /^actioncable-v1-(ext-)?(json|msgpack)$/],
  sniff(frame) {
    if (frame.type !== 'text') return 0;
    const text = frame.text ?? '';
    if (firstChar(text) !== '{' || lastChar(text) !== '}') return 0;
    const head = text.slice(0, 1024);
    const m = SERVER_TYPE.exec(head);
    if (m) {
      // A bare `{"type":"ping"}` is graphql-ws's; Action Cable's carries the server time.
      if (m[1] === 'ping') return /"message"\s*:\s*\d/.test(head) ? 0.95 : 0;
      if (m[1] === 'disconnect') return /"reason"\s*:/.test(head) ? 0.7 : 0;
      return 0.95;
    }
    if (text.length > SNIFF_PARSE_MAX) return 0;
    const r = parseJson(text);
    if (!r.ok || !isRecord(r.value)) return 0;
    const o = r.value;
    const identified = typeof o.identifier === 'string' && channelOf(o.identifier).channel !== undefined && firstChar(o.identifier) === '{';
    if (typeof o.command === 'string' && COMMANDS.has(o.command) && identified) return 0.95;
    if (typeof o.type === 'string' && ['welcome', 'confirm_subscription', 'reject_subscription'].includes(o.type)) return 0.95;
    if (o.type === 'ping' && typeof o.message === 'number') return 0.95;
    if (identified && has(o, 'message') && Object.keys(o).length <= 3) return 0.8;
    return 0;
  },
  session: () => new ActionCableSession(),
};
