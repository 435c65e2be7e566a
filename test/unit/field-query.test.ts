/** The filter on decoded fields (`event:chat:message`, `topic:sensors/#`) and "Hide heartbeats". */
import { describe, expect, it } from 'vitest';
import { matchesFields, mqttMatch, parseFieldQuery } from '../../src/panel/filter/field-query';
import { compileFilter, DEFAULT_FILTER, type FilterRow } from '../../src/panel/filter/filter-engine';
import type { DecodedMessage } from '../../src/decoders/types';

const msg = (fields: DecodedMessage['fields'], over: Partial<DecodedMessage> = {}): DecodedMessage =>
  ({ protocol: 'socket.io', summary: 's', fields, heartbeat: false, ...over });
const terms = (q: string) => {
  const r = parseFieldQuery(q);
  if (!r || !r.ok) throw new Error(`not a field query: ${q}`);
  return r.terms;
};
const frame = (m: DecodedMessage | null, data = 'payload'): FilterRow => ({ kind: 'frame', connId: 'c', dir: 'received', type: 'text', size: data.length, data, msg: m });

describe('parseFieldQuery', () => {
  it('takes known field names only; anything else is a text search', () => {
    expect(parseFieldQuery('event:chat:message')?.ok).toBe(true);
    expect(parseFieldQuery('Topic:sensors/#')?.ok).toBe(true);
    expect(parseFieldQuery('hello')).toBeNull();
    expect(parseFieldQuery('foo:bar')).toBeNull();
    expect(parseFieldQuery('event:a plain')).toBeNull();
    expect(parseFieldQuery('"op": "x"')).toBeNull();
    expect(parseFieldQuery('  ')).toBeNull();
  });
  it('a bad regex value is an error naming the field', () => {
    const r = parseFieldQuery('event:/(/');
    expect(r && !r.ok && r.error).toMatch(/^event: invalid regex/);
  });
});

describe('matchesFields', () => {
  it('matches a whole value, case-insensitively; the value may contain colons', () => {
    expect(matchesFields(msg({ event: 'chat:message' }), terms('event:chat:message'))).toBe(true);
    expect(matchesFields(msg({ event: 'Chat:Message' }), terms('event:chat:message'))).toBe(true);
    expect(matchesFields(msg({ event: 'chat:message:edit' }), terms('event:chat:message'))).toBe(false);
    expect(matchesFields(msg({ event: 'chat' }), terms('event:chat:message'))).toBe(false);
  });
  it('* is a wildcard; /regex/ is a regex', () => {
    expect(matchesFields(msg({ event: 'chat:message' }), terms('event:chat:*'))).toBe(true);
    expect(matchesFields(msg({ op: 'OnPrice' }), terms('op:/price$/i'))).toBe(true);
    expect(matchesFields(msg({ op: 'OnPriceX' }), terms('op:/price$/i'))).toBe(false);
  });
  it('topic and destination take MQTT wildcards', () => {
    expect(matchesFields(msg({ topic: 'sensors/1' }), terms('topic:sensors/#'))).toBe(true);
    expect(matchesFields(msg({ topic: 'sensors' }), terms('topic:sensors/#'))).toBe(true);
    expect(matchesFields(msg({ topic: 'sensorsx/1' }), terms('topic:sensors/#'))).toBe(false);
    expect(matchesFields(msg({ destination: '/topic/a/b' }), terms('destination:/topic/+/b'))).toBe(true);
  });
  it('every term must match; protocol and heartbeat are fields too; numbers compare as text', () => {
    const m = msg({ type: 'PUBLISH', topic: 'a/b', qos: 1 }, { protocol: 'mqtt' });
    expect(matchesFields(m, terms('protocol:mqtt qos:1 topic:a/+'))).toBe(true);
    expect(matchesFields(m, terms('protocol:mqtt qos:2'))).toBe(false);
    expect(matchesFields(msg({}, { heartbeat: true }), terms('heartbeat:true'))).toBe(true);
    expect(matchesFields(msg({ clientId: 'c-1' }), terms('clientid:c-1'))).toBe(true);
  });
  it('a frame without a decoded message or without the field never matches', () => {
    expect(matchesFields(null, terms('event:x'))).toBe(false);
    expect(matchesFields(msg({ topic: 'x' }), terms('event:x'))).toBe(false);
  });
  it('a frame of several messages matches when one message matches every term', () => {
    const batch = msg({ type: 'PUBLISH', topic: 'sensors/1', qos: 1 }, {
      protocol: 'mqtt',
      messages: [
        { summary: 'PUBLISH sensors/1 qos1', fields: { type: 'PUBLISH', topic: 'sensors/1', qos: 1, id: 4 }, heartbeat: false },
        { summary: 'PUBLISH alerts/fire qos2', fields: { type: 'PUBLISH', topic: 'alerts/fire', qos: 2, id: 5 }, heartbeat: false },
      ],
    });
    expect(matchesFields(batch, terms('topic:alerts/#'))).toBe(true);
    expect(matchesFields(batch, terms('topic:alerts/# qos:2 id:5'))).toBe(true);
    // Never by mixing two messages: alerts/fire is qos2, sensors/1 is the qos1 one.
    expect(matchesFields(batch, terms('topic:alerts/# qos:1'))).toBe(false);
    expect(matchesFields(batch, terms('protocol:mqtt topic:alerts/fire'))).toBe(true);
    expect(matchesFields(batch, terms('heartbeat:false topic:alerts/fire'))).toBe(true);
    // With a list, the merged fields are the detail pane's, not the filter's.
    expect(matchesFields(msg({ topic: 'x' }, { messages: [] }), terms('topic:x'))).toBe(false);
  });
  it('mqttMatch follows the MQTT rules', () => {
    expect(mqttMatch('#', 'a/b/c')).toBe(true);
    expect(mqttMatch('a/+/c', 'a/b/c')).toBe(true);
    expect(mqttMatch('a/+', 'a/b/c')).toBe(false);
    expect(mqttMatch('a/#/c', 'a/b/c')).toBe(false);
  });
});

describe('compileFilter with decoded data', () => {
  const compile = (over: Partial<typeof DEFAULT_FILTER>) => {
    const c = compileFilter({ ...DEFAULT_FILTER, ...over });
    if (!c.ok) throw new Error(c.error);
    return c.matches;
  };
  it('a field query matches decoded frames only, and invert flips it', () => {
    const m = compile({ text: 'event:ping' });
    expect(m(frame(msg({ event: 'ping' })))).toBe(true);
    expect(m(frame(msg({ event: 'pong' })))).toBe(false);
    expect(m(frame(null, 'event:ping'))).toBe(false);
    expect(m({ kind: 'lifecycle', connId: 'c', text: 'event:ping' })).toBe(false);
    expect(compile({ text: 'event:ping', invert: true })(frame(msg({ event: 'pong' })))).toBe(true);
  });
  it('Hide heartbeats says "heartbeat" for what it hides, so the view can count them', () => {
    const m = compile({ hideHeartbeats: true });
    expect(m(frame(msg({ type: 'ping' }, { heartbeat: true })))).toBe('heartbeat');
    expect(m(frame(msg({ type: 'message' })))).toBe(true);
    expect(m(frame(null))).toBe(true);
    expect(compile({})(frame(msg({ type: 'ping' }, { heartbeat: true })))).toBe(true);
    // Rows the rest of the filter hides are not counted as hidden heartbeats.
    expect(compile({ hideHeartbeats: true, direction: 'sent' })(frame(msg({}, { heartbeat: true })))).toBe(false);
  });
  it('a bad field regex is a filter error', () => {
    const c = compileFilter({ ...DEFAULT_FILTER, text: 'event:/[/' });
    expect(c.ok).toBe(false);
  });
});
