/**
 * Frames that carry several messages, for every decoder that can: JSON-RPC batches and their
 * batched replies (the specification's batch example), SignalR frames of several records (JSON and
 * MessagePack, framed as HubProtocol.md says), WAMP `.batched` frames (JSON and MessagePack),
 * SockJS `a[…]` arrays, Engine.IO payloads (v4 written by engine.io-parser itself, v3 in its
 * `<length>:<packet>` form) and several STOMP frames in one message. MQTT is in
 * decoders-batched-mqtt.test.ts. Each frame keeps every message's own fields, and the panel's
 * filter finds the frame when one message matches every term, never by mixing two messages.
 */
import { encode as msgpack } from '@msgpack/msgpack';
import { encodePayload, type Packet } from 'engine.io-parser';
import { Encoder as SocketIoEncoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { MESSAGES_MAX, withinBudget } from '../../src/decoders/budget';
import { decoderById, safeDecode } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput, DecoderSession, ProtocolId } from '../../src/decoders/types';
import { filterFinds } from '../support/field-filter';

const RS = '\x1e';
const text = (dir: DecodeInput['dir'], t: string): DecodeInput => ({ dir, type: 'text', text: t });
const binary = (dir: DecodeInput['dir'], bytes: Uint8Array): DecodeInput => ({ dir, type: 'binary', bytes });

/** One connection's session, decoding as the panel does (through the budget). */
function connection(id: ProtocolId): (f: DecodeInput) => DecodedMessage {
  const s: DecoderSession = decoderById(id)!.session();
  return (f) => {
    const m = safeDecode(s, f, id);
    if (!m) throw new Error('expected a message');
    return m;
  };
}

const fieldsOf = (m: DecodedMessage) => m.messages?.map((x) => x.fields);

describe('JSON-RPC 2.0 batches (the specification\'s batch, and its reply)', () => {
  const dec = connection('json-rpc');
  const request = dec(text('sent', JSON.stringify([
    { jsonrpc: '2.0', method: 'get_data', id: 9 },
    { jsonrpc: '2.0', method: 'sum', params: [1, 2, 4], id: 10 },
    { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
  ])));
  const reply = dec(text('received', JSON.stringify([
    { jsonrpc: '2.0', result: ['hello', 5], id: 9 },
    { jsonrpc: '2.0', result: 7, id: 10 },
  ])));

  it('keeps each member with its own method and id', () => {
    expect(request.summary).toBe('batch[3]: call get_data #9; call sum #10; notify notify_hello');
    expect(fieldsOf(request)).toEqual([
      { id: 9, method: 'get_data', type: 'request' },
      { id: 10, method: 'sum', type: 'request' },
      { method: 'notify_hello', type: 'notification' },
    ]);
    expect(fieldsOf(reply)).toEqual([{ id: 9, method: 'get_data', type: 'result' }, { id: 10, method: 'sum', type: 'result' }]);
  });

  it('method:sum finds the batch and its reply; terms must hold in one member', () => {
    expect(filterFinds(request, 'method:sum')).toBe(true);
    expect(filterFinds(reply, 'method:sum')).toBe(true);
    expect(filterFinds(request, 'method:notify_hello')).toBe(true);
    expect(filterFinds(request, 'method:sum id:10')).toBe(true);
    expect(filterFinds(reply, 'method:sum id:9')).toBe(false);
    expect(filterFinds(reply, 'method:sum type:request')).toBe(false);
  });

  it('keeps at most MESSAGES_MAX members and says how many more there were', () => {
    const calls = Array.from({ length: MESSAGES_MAX + 44 }, (_, i) => ({ jsonrpc: '2.0', method: `m${i}` }));
    const m = connection('json-rpc')(text('sent', JSON.stringify(calls)));
    expect(m.messages).toHaveLength(MESSAGES_MAX);
    expect(m.messagesNotKept).toBe(44);
    expect(filterFinds(m, `method:m${MESSAGES_MAX - 1}`)).toBe(true);
    expect(filterFinds(m, `method:m${MESSAGES_MAX}`)).toBe(false);
  });
});

describe('SignalR: several records in one frame', () => {
  it('JSON: each record keeps its target and invocation id', () => {
    const dec = connection('signalr');
    dec(text('sent', `{"protocol":"json","version":1}${RS}`));
    dec(text('received', `{}${RS}`));
    dec(text('sent', `{"type":1,"invocationId":"1","target":"Send","arguments":["ann","hi"]}${RS}`));
    const m = dec(text('received', `{"type":1,"target":"ReceiveMessage","arguments":["ann","hi"]}${RS}{"type":3,"invocationId":"1","result":42}${RS}{"type":6}${RS}`));
    expect(m.summary).toBe('invoke ReceiveMessage; completion #1 Send; ping');
    expect(fieldsOf(m)).toEqual([
      { type: 'invocation', target: 'ReceiveMessage', op: 'ReceiveMessage' },
      { type: 'completion', id: '1', target: 'Send', op: 'Send' },
      { type: 'ping' },
    ]);
    expect(m.messages!.map((x) => x.heartbeat)).toEqual([false, false, true]);
    expect(filterFinds(m, 'target:Send')).toBe(true);
    expect(filterFinds(m, 'target:Send id:1')).toBe(true);
    expect(filterFinds(m, 'target:ReceiveMessage id:1')).toBe(false);
  });

  it('MessagePack: each length-prefixed message keeps its own fields', () => {
    const frame = (...messages: unknown[]) => {
      const out: number[] = [];
      for (const x of messages.map((v) => msgpack(v))) {
        let n = x.length;
        do { let b = n & 0x7f; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
        out.push(...x);
      }
      return Uint8Array.from(out);
    };
    const dec = connection('signalr');
    dec(binary('sent', frame([1, {}, '7', 'Sum', [1, 2]])));
    const m = dec(binary('received', frame([1, {}, null, 'Tick', [3]], [3, {}, '7', 3, 3], [6])));
    expect(fieldsOf(m)).toEqual([
      { type: 'invocation', target: 'Tick', op: 'Tick' },
      { type: 'completion', id: '7', target: 'Sum', op: 'Sum' },
      { type: 'ping' },
    ]);
    expect(filterFinds(m, 'target:Sum')).toBe(true);
    expect(filterFinds(m, 'target:Tick id:7')).toBe(false);
  });
});

describe('WAMP .batched', () => {
  const call = [48, 7, {}, 'com.myapp.add', [2, 3]];
  const subscribe = [32, 8, {}, 'com.myapp.topic1'];
  const result = [50, 7, {}, [5]];
  const subscribed = [33, 8, 5512315355];

  it('JSON: every message and its ids, each followed by 0x1E', () => {
    const dec = connection('wamp');
    const out = dec(text('sent', `${JSON.stringify(call)}${RS}${JSON.stringify(subscribe)}${RS}`));
    const back = dec(text('received', `${JSON.stringify(result)}${RS}${JSON.stringify(subscribed)}${RS}`));
    expect(fieldsOf(out)).toEqual([
      { type: 'CALL', code: 48, id: 7, procedure: 'com.myapp.add' },
      { type: 'SUBSCRIBE', code: 32, id: 8, topic: 'com.myapp.topic1' },
    ]);
    expect(fieldsOf(back)).toEqual([
      { type: 'RESULT', code: 50, id: 7, procedure: 'com.myapp.add' },
      { type: 'SUBSCRIBED', code: 33, id: 8, subscription: 5512315355, topic: 'com.myapp.topic1' },
    ]);
    expect(filterFinds(out, 'id:8')).toBe(true);
    expect(filterFinds(back, 'type:SUBSCRIBED')).toBe(true);
    expect(filterFinds(back, 'type:SUBSCRIBED id:7')).toBe(false);
  });

  it('MessagePack: 4-byte length before each message', () => {
    const batch = (...messages: unknown[]) => {
      const out: number[] = [];
      for (const p of messages.map((v) => msgpack(v))) out.push((p.length >>> 24) & 255, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255, ...p);
      return Uint8Array.from(out);
    };
    const dec = connection('wamp');
    const out = dec(binary('sent', batch(call, subscribe)));
    expect(out.messages).toHaveLength(2);
    expect(filterFinds(out, 'topic:com.myapp.topic1 id:8')).toBe(true);
    expect(filterFinds(out, 'procedure:com.myapp.add id:8')).toBe(false);
  });
});

describe('SockJS arrays', () => {
  it('each message of `a[…]` is a message of its own; a JSON object names its event, id…', () => {
    const m = connection('sockjs')(text('received', `a${JSON.stringify([JSON.stringify({ event: 'chat', id: 1 }), JSON.stringify({ event: 'typing', id: 2 }), 'plain text'])}`));
    expect(m).toMatchObject({ summary: '3 messages', fields: { type: 'message', count: 3 } });
    expect(m.messages!.map((x) => [x.summary, x.fields])).toEqual([
      ['message: {"event":"chat","id":1}', { type: 'message', event: 'chat', id: 1 }],
      ['message: {"event":"typing","id":2}', { type: 'message', event: 'typing', id: 2 }],
      ['message: plain text', { type: 'message' }],
    ]);
    expect(filterFinds(m, 'event:typing')).toBe(true);
    expect(filterFinds(m, 'event:typing id:1')).toBe(false);
  });

  it('the client\'s array too; one message stays a frame without a list', () => {
    const m = connection('sockjs')(text('sent', JSON.stringify([JSON.stringify({ method: 'join' }), JSON.stringify({ method: 'say' })])));
    expect(filterFinds(m, 'method:say')).toBe(true);
    const single = connection('sockjs')(text('sent', JSON.stringify([JSON.stringify({ method: 'join' })])));
    expect(single.messages).toBeUndefined();
    expect(single.fields).toEqual({ type: 'message', method: 'join', count: 1 });
  });
});

describe('Engine.IO payloads', () => {
  const sio = (data: unknown[]) => new SocketIoEncoder().encode({ type: PacketType.EVENT, nsp: '/', data })[0] as string;

  it('v4: packets separated by 0x1E, as engine.io-parser writes a payload', async () => {
    const packets: Packet[] = [
      { type: 'message', data: sio(['chat:message', 'hi']) },
      { type: 'message', data: sio(['typing', { on: true }]) },
      { type: 'ping' },
    ];
    const payload = await new Promise<string>((r) => encodePayload(packets, r));
    expect(payload).toBe(`42["chat:message","hi"]${RS}42["typing",{"on":true}]${RS}2`);
    const m = connection('socket.io')(text('received', payload));
    expect(m.summary).toBe('emit chat:message; emit typing; ping');
    expect(fieldsOf(m)).toEqual([
      { type: 'event', namespace: '/', event: 'chat:message' },
      { type: 'event', namespace: '/', event: 'typing' },
      { type: 'ping' },
    ]);
    expect(m.error).toBeUndefined();
    expect(filterFinds(m, 'event:typing')).toBe(true);
  });

  it('v3: `<length>:<packet>`, the length in characters', () => {
    const packets = ['42["chat:message","héllo"]', '42["typing"]'];
    const m = connection('socket.io')(text('received', packets.map((p) => `${p.length}:${p}`).join('')));
    expect(m.summary).toBe('emit chat:message; emit typing');
    expect(filterFinds(m, 'event:typing')).toBe(true);
    expect(filterFinds(m, 'event:chat:message')).toBe(true);
  });

  it('a single packet is not taken for a payload', () => {
    const m = connection('socket.io')(text('received', '42["a:b","1:2"]'));
    expect(m).toMatchObject({ summary: 'emit a:b', fields: { event: 'a:b' } });
    expect(m.messages).toBeUndefined();
  });
});

describe('STOMP: several frames in one WebSocket message', () => {
  it('each frame keeps its destination and subscription', () => {
    const frame = (destination: string, sub: string, id: string) => `MESSAGE\ndestination:${destination}\nsubscription:${sub}\nmessage-id:${id}\ncontent-length:2\n\nhi\0`;
    const m = connection('stomp')(text('received', frame('/topic/a', '0', 'm1') + frame('/topic/b', '1', 'm2')));
    expect(m.summary).toBe('MESSAGE /topic/a | MESSAGE /topic/b');
    expect(fieldsOf(m)).toEqual([
      { type: 'MESSAGE', command: 'MESSAGE', destination: '/topic/a', subscription: '0' },
      { type: 'MESSAGE', command: 'MESSAGE', destination: '/topic/b', subscription: '1' },
    ]);
    expect(filterFinds(m, 'destination:/topic/b')).toBe(true);
    expect(filterFinds(m, 'destination:/topic/b subscription:0')).toBe(false);
  });
});

describe('withinBudget and the messages of a frame', () => {
  const part = (i: number): DecodedMessage => ({ protocol: 'json-rpc', summary: `call m${i}`, fields: { method: `m${i}`, id: i }, heartbeat: false, body: { big: 'x'.repeat(1000) } });

  it('copies each kept message without its body, clips it like the frame, and counts what it drops', () => {
    const parts = Array.from({ length: MESSAGES_MAX + 3 }, (_, i) => part(i));
    parts[0]!.fields = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'y'.repeat(10_000)]));
    parts[1]!.error = 'e'.repeat(10_000);
    const m = withinBudget({ protocol: 'json-rpc', summary: 'batch', fields: {}, heartbeat: false, messages: parts, messagesNotKept: 2 });
    expect(m.messages).toHaveLength(MESSAGES_MAX);
    expect(m.messagesNotKept).toBe(5);
    expect(m.messages![2]).toEqual({ summary: 'call m2', fields: { method: 'm2', id: 2 }, heartbeat: false });
    expect(Object.keys(m.messages![0]!.fields)).toHaveLength(32);
    expect(Object.values(m.messages![0]!.fields).every((v) => String(v).length <= 512)).toBe(true);
    expect(m.messages![1]!.error!.length).toBeLessThanOrEqual(512);
  });

  it('a list of one is the frame itself: no list is kept', () => {
    const m = withinBudget({ protocol: 'json-rpc', summary: 'call m0', fields: { method: 'm0' }, heartbeat: false, messages: [part(0)] });
    expect(m).not.toHaveProperty('messages');
  });
});
