/**
 * The MQTT decoder on real traffic: mqtt.js clients through the recording proxy to a real broker.
 * aedes 1.x speaks MQTT 3.1 and 3.1.1 only (it answers a v5 CONNECT with return code 1), so v5
 * traffic comes from a small v5 broker built on mqtt-packet, the codec both aedes and mqtt.js use.
 *
 * The two transports frame differently, and both matter: mqtt.js and aedes in Node write each field
 * of a packet as a WebSocket frame of its own (packets span frames), while mqtt.js's browser
 * transport, used here through forceNativeWebSocket, sends whole packets and packs packets written
 * in one tick into one frame, as the pages Sockscope inspects do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import { browserStreamBuilder } from 'mqtt/lib/connect/ws';
import mqttPacket, { type IPublishPacket, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, createWebSocketStream } from 'ws';
import { SNIFF_FRAMES } from '../../src/decoders/budget';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import { mqttDecoder } from '../../src/decoders/protocols/mqtt';
import type { DecodedMessage } from '../../src/decoders/types';
import { startFrameRecorder, type FrameRecorder, type RecordedConnection } from '../support/frame-recorder';
import { filterFinds } from '../support/field-filter';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listen(http: Server): Promise<string> {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const closeHttp = (http: Server) => new Promise<void>((r) => http.close(() => r()));

/** aedes behind a ws server, as aedes documents it (docs/Examples.md). */
async function startAedes() {
  const broker = await Aedes.createBroker();
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => broker.handle(createWebSocketStream(ws), req));
  const url = await listen(http);
  return {
    url,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => broker.close(() => r()));
      wss.close();
      await closeHttp(http);
    },
  };
}

/** MQTT topic filter matching (`+` one level, `#` the rest). */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

interface Subscription { qos: number; identifier?: number }

/**
 * Just enough of an MQTT 5 broker for one test: enhanced auth (one AUTH round), subscriptions with
 * identifiers, retained messages, QoS 0/1/2 both ways, incoming topic aliases, pings. What it
 * sends in one turn of the event loop goes out as one frame, as brokers with a write buffer do.
 */
async function startV5Broker() {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
  const retained = new Map<string, IPublishPacket>();
  const deliverers = new Set<(p: IPublishPacket) => void>();

  wss.on('connection', (ws) => {
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const subs = new Map<string, Subscription>();
    const aliases = new Map<number, string>();
    let outbox: Buffer[] = [];
    let nextId = 1;
    const send = (p: Packet) => {
      outbox.push(mqttPacket.generate(p, { protocolVersion: 5 }));
      if (outbox.length === 1) setImmediate(() => { if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat(outbox)); outbox = []; });
    };
    const deliver = (p: IPublishPacket, retain = false) => {
      for (const [filter, sub] of subs) {
        if (!matches(filter, p.topic)) continue;
        const qos = Math.min(p.qos, sub.qos) as 0 | 1 | 2;
        const { topicAlias: _alias, ...properties } = p.properties ?? {};
        if (sub.identifier !== undefined) properties.subscriptionIdentifier = sub.identifier;
        send({ cmd: 'publish', topic: p.topic, payload: p.payload, qos, retain, dup: false, ...(qos > 0 ? { messageId: nextId++ } : {}), properties });
        return;
      }
    };
    const connack = () => send({
      cmd: 'connack', sessionPresent: false, reasonCode: 0,
      properties: { topicAliasMaximum: 10, receiveMaximum: 100, maximumQoS: 2, retainAvailable: true, sharedSubscriptionAvailable: false, authenticationMethod: 'demo-auth', userProperties: { broker: 'mini-v5' } },
    });
    const live = (p: IPublishPacket) => deliver(p);
    deliverers.add(live);
    ws.on('close', () => deliverers.delete(live));

    parser.on('packet', (p: Packet) => {
      switch (p.cmd) {
        case 'connect':
          if (p.properties?.authenticationMethod) send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: p.properties.authenticationMethod, authenticationData: Buffer.from('server-challenge') } });
          else connack();
          break;
        case 'auth': connack(); break;
        case 'subscribe': {
          const granted: number[] = [];
          for (const s of p.subscriptions) {
            subs.set(s.topic, { qos: s.qos, identifier: p.properties?.subscriptionIdentifier as number | undefined });
            granted.push(s.qos);
          }
          send({ cmd: 'suback', messageId: p.messageId, granted, properties: { reasonString: 'subscribed' } } as Packet);
          for (const r of retained.values()) deliver(r, true);
          break;
        }
        case 'unsubscribe':
          send({ cmd: 'unsuback', messageId: p.messageId, granted: p.unsubscriptions.map((t) => (subs.delete(t) ? 0 : 0x11)) } as Packet);
          break;
        case 'publish': {
          const alias = p.properties?.topicAlias;
          if (alias !== undefined) { if (p.topic) aliases.set(alias, p.topic); else p.topic = aliases.get(alias) ?? ''; }
          if (p.retain) retained.set(p.topic, p);
          for (const d of deliverers) d(p);
          if (p.qos === 1) send({ cmd: 'puback', messageId: p.messageId, reasonCode: 0 });
          if (p.qos === 2) send({ cmd: 'pubrec', messageId: p.messageId, reasonCode: 0 });
          break;
        }
        case 'pubrel': send({ cmd: 'pubcomp', messageId: p.messageId, reasonCode: 0 }); break;
        case 'pubrec': send({ cmd: 'pubrel', messageId: p.messageId, reasonCode: 0 }); break;
        case 'pingreq': send({ cmd: 'pingresp' }); break;
        case 'disconnect': ws.close(); break;
        default: break;
      }
    });
    ws.on('message', (data) => parser.parse(data as Buffer));
  });
  const url = await listen(http);
  return {
    url,
    close: async () => { for (const c of wss.clients) c.terminate(); wss.close(); await closeHttp(http); },
  };
}

/**
 * A client on mqtt.js's browser transport (on a `ws` socket: Node 20 has no global WebSocket).
 * mqtt.connect() picks its transports once per process, so this builds the client itself.
 */
function browserClient(url: string, options: IClientOptions): MqttClient {
  const { hostname, port } = new URL(url);
  const opts: IClientOptions = {
    ...options, protocol: 'ws', hostname, port: Number(port), path: '/', forceNativeWebSocket: true,
    createWebsocket: (u: string, protocols: string[]) => new WebSocket(u, protocols, { perMessageDeflate: false }),
  };
  return new MqttClient((client) => browserStreamBuilder(client, opts), opts);
}

type Message = DecodedMessage & { dir: 'sent' | 'received' };

/** Every frame through one session, as the panel does; the non-partial results are the packets. */
function decodeAll(rec: RecordedConnection): { all: (DecodedMessage | null)[]; messages: Message[] } {
  const session = mqttDecoder.session();
  const all = rec.frames.map((f) => safeDecode(session, f, 'mqtt'));
  const messages = all.flatMap((m, i) => (m && !m.partial ? [{ ...m, dir: rec.frames[i]!.dir }] : []));
  return { all, messages };
}

const line = (m: Message) => `${m.dir === 'sent' ? '>' : '<'} ${m.summary}`;
const summaries = (messages: Message[], dir: Message['dir']) => messages.filter((m) => m.dir === dir).map((m) => m.summary);

/** The first message whose summary matches (in this direction). */
function find(messages: Message[], summary: string | RegExp, dir?: Message['dir']): Message {
  const m = messages.find((x) => (typeof summary === 'string' ? x.summary === summary : summary.test(x.summary)) && (dir === undefined || x.dir === dir));
  if (!m) throw new Error(`no "${String(summary)}" in:\n${messages.map(line).join('\n')}`);
  return m;
}

const body = (m: Message) => m.body as Record<string, any>;

/** Waits until `check` holds (frames reach the recorder a little after the client's promises resolve). */
async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) { if (Date.now() > end) throw new Error('timed out'); await sleep(20); }
}

const sentDisconnect = (rec: RecordedConnection | undefined) => () => rec?.frames.some((f) => f.dir === 'sent' && f.bytes?.[0] === 0xe0) ?? false;

function waitForMessages(client: MqttClient, n: number): Promise<void> {
  let got = 0;
  return new Promise((resolve) => client.on('message', () => { if (++got === n) resolve(); }));
}

describe('MQTT 3.1.1: mqtt.js (Node transport) and aedes', () => {
  let broker: Awaited<ReturnType<typeof startAedes>>;
  let recorder: FrameRecorder;
  let rec: RecordedConnection;
  let messages: Message[];
  let all: (DecodedMessage | null)[];

  beforeAll(async () => {
    broker = await startAedes();
    recorder = await startFrameRecorder(broker.url);
    const client = await mqtt.connectAsync(recorder.url, { protocolVersion: 4, clientId: 'client-1', keepalive: 1, reconnectPeriod: 0 });
    const received = waitForMessages(client, 3);
    await client.subscribeAsync('sensors/#', { qos: 2 });
    await client.subscribeAsync('alerts/+', { qos: 0 });
    await client.publishAsync('alerts/fire', 'smoke', { qos: 0 });
    await client.publishAsync('sensors/1', '21.5', { qos: 1, retain: true });
    await client.publishAsync('sensors/raw', Buffer.from([0xff, 0xfe, 0x00, 0x01]), { qos: 2 });
    await received;
    // Keep-alive is 1 s: idle long enough for a PINGREQ and its PINGRESP.
    await sleep(1600);
    await client.unsubscribeAsync('alerts/+');
    await client.endAsync();
    await until(sentDisconnect(recorder.connections[0]));
    rec = recorder.connections[0]!;
    ({ all, messages } = decodeAll(rec));
  });

  afterAll(async () => { await recorder?.close(); await broker?.close(); });

  it('negotiates the mqtt subprotocol, and detection finds MQTT in the first frames', () => {
    expect(rec.protocol).toBe('mqtt');
    expect(decoderForSubprotocol(rec.protocol)).toBe(mqttDecoder);
    // This transport sends CONNECT a field per frame (0x10, the length, 00 04, "MQTT", …): the first
    // frame alone is one byte, and the protocol name frame is what detection recognises.
    expect(rec.frames[0]!.bytes).toEqual(new Uint8Array([0x10]));
    expect(rec.frames.slice(0, SNIFF_FRAMES).map((f) => sniffFrame(f)).find(Boolean)).toBe(mqttDecoder);
  });

  it('reassembles packets that span frames: the fragments are partial, the last one carries the packet', () => {
    const partial = all.filter((m) => m?.partial);
    expect(partial.length).toBeGreaterThan(messages.length);
    expect(partial[0]).toMatchObject({ summary: 'CONNECT (partial: 1 byte)', fields: { type: 'CONNECT' } });
    expect(all.every((m) => m !== null && !m.error)).toBe(true);
  });

  it('decodes the client side in order', () => {
    const sent = summaries(messages, 'sent').filter((s) => !/^(PUBACK|PUBREC|PUBREL|PUBCOMP|PINGREQ)/.test(s));
    expect(sent).toEqual([
      'CONNECT client-1 v3.1.1', 'SUBSCRIBE sensors/# qos2', 'SUBSCRIBE alerts/+ qos0', 'PUBLISH alerts/fire qos0',
      'PUBLISH sensors/1 qos1', 'PUBLISH sensors/raw qos2', 'UNSUBSCRIBE alerts/+', 'DISCONNECT',
    ]);
    const connect = find(messages, 'CONNECT client-1 v3.1.1');
    expect(connect.fields).toEqual({ type: 'CONNECT', clientId: 'client-1' });
    expect(body(connect)).toMatchObject({ protocolName: 'MQTT', protocolLevel: 4, cleanSession: true, keepAlive: 1 });
    expect(find(messages, 'CONNACK Accepted', 'received').fields).toEqual({ type: 'CONNACK', reasonCode: 0 });
  });

  it('matches subscriptions, publishes and their acknowledgements by packet id', () => {
    const sub = find(messages, 'SUBSCRIBE sensors/# qos2');
    expect(sub.fields).toMatchObject({ type: 'SUBSCRIBE', topic: 'sensors/#', qos: 2 });
    expect(find(messages, `SUBACK #${sub.fields.id} Granted QoS 2`, 'received').fields).toMatchObject({ id: sub.fields.id, reasonCode: 2 });

    const qos1 = find(messages, 'PUBLISH sensors/1 qos1', 'sent');
    expect(qos1.fields).toMatchObject({ type: 'PUBLISH', topic: 'sensors/1', qos: 1, retain: true, dup: false });
    expect(body(qos1).payload).toBe('21.5');
    find(messages, `PUBACK #${qos1.fields.id}`, 'received');
    // The broker's copy: a live delivery, so not retained, with the broker's own packet id, acknowledged by the client.
    const delivered = find(messages, 'PUBLISH sensors/1 qos1', 'received');
    expect(delivered.fields).toMatchObject({ retain: false, qos: 1 });
    find(messages, `PUBACK #${delivered.fields.id}`, 'sent');

    // QoS 2 both ways: PUBLISH, PUBREC, PUBREL, PUBCOMP share the id.
    const qos2 = find(messages, 'PUBLISH sensors/raw qos2', 'sent');
    expect(body(qos2).payload).toEqual({ binary: '4 bytes', hex: 'ff fe 00 01' });
    const id = qos2.fields.id;
    for (const [type, dir] of [['PUBREC', 'received'], ['PUBREL', 'sent'], ['PUBCOMP', 'received']] as const) {
      expect(find(messages, `${type} #${id}`, dir).fields).toEqual({ type, id });
    }
    const back = find(messages, 'PUBLISH sensors/raw qos2', 'received');
    for (const [type, dir] of [['PUBREC', 'sent'], ['PUBREL', 'received'], ['PUBCOMP', 'sent']] as const) find(messages, `${type} #${back.fields.id}`, dir);

    find(messages, 'PUBLISH alerts/fire qos0', 'received');
    const unsub = find(messages, 'UNSUBSCRIBE alerts/+');
    expect(unsub.fields).toMatchObject({ topic: 'alerts/+' });
    find(messages, `UNSUBACK #${unsub.fields.id}`, 'received');
  });

  it('marks pings, and only pings, as heartbeats (fragments of a ping too)', () => {
    expect(find(messages, 'PINGREQ', 'sent').heartbeat).toBe(true);
    expect(find(messages, 'PINGRESP', 'received').heartbeat).toBe(true);
    for (const m of all) expect(m!.heartbeat).toBe(m!.fields.type === 'PINGREQ' || m!.fields.type === 'PINGRESP');
  });

  it('decodes the refusal aedes sends a v5 client (a 3.1.1 CONNACK, return code 1)', async () => {
    await expect(mqtt.connectAsync(recorder.url, { protocolVersion: 5, clientId: 'client-5', reconnectPeriod: 0 }, false)).rejects.toThrow(/protocol version/i);
    await until(() => recorder.connections[1] !== undefined && decodeAll(recorder.connections[1]).messages.length >= 2);
    const { messages: refused } = decodeAll(recorder.connections[1]!);
    expect(refused.map(line)).toEqual(['> CONNECT client-5 v5', '< CONNACK Unacceptable protocol version']);
    expect(refused[1]!.fields).toEqual({ type: 'CONNACK', reasonCode: 1 });
    expect(refused.some((m) => m.error)).toBe(false);
  });
});

/** What the issue saw: eight messages published in one tick, the fourth to alerts/fire at QoS 2. */
const BATCH: [string, 0 | 1 | 2][] = [
  ['sensors/1/temp', 1], ['sensors/1/hum', 1], ['sensors/2/temp', 0], ['alerts/fire', 2],
  ['sensors/2/hum', 0], ['sensors/3/temp', 1], ['status/gw', 0], ['sensors/3/hum', 1],
];

/** Publishes BATCH in one tick and waits until every message is acknowledged (QoS 0 ones are sent). */
function publishBatch(client: MqttClient): Promise<unknown> {
  return Promise.all(BATCH.map(([topic, qos]) => new Promise<void>((resolve, reject) => {
    client.publish(topic, `${topic} reading`, { qos }, (e) => (e ? reject(e) : resolve()));
  })));
}

/** The frame that carries the batch, and the checks the issue asks for. */
function expectBatchFound(messages: Message[]): void {
  const batch = find(messages, /^PUBLISH sensors\/1\/temp qos1 \+ PUBLISH sensors\/1\/hum qos1 \+/, 'sent');
  expect(batch.messages!.map((m) => [m.fields.topic, m.fields.qos])).toEqual(BATCH);
  // Each QoS 1 and 2 packet keeps its own packet id, distinct within the batch.
  const ids = batch.messages!.filter((m) => m.fields.qos !== 0).map((m) => m.fields.id);
  expect(new Set(ids).size).toBe(5);
  expect(filterFinds(batch, 'topic:alerts/#')).toBe(true);
  expect(filterFinds(batch, 'topic:alerts/# qos:2')).toBe(true);
  expect(filterFinds(batch, 'topic:sensors/# qos:2')).toBe(false);
  const fire = batch.messages![3]!;
  // The broker's PUBREC answers the alerts/fire packet by its id.
  expect(messages.some((m) => m.dir === 'received' && (m.messages ?? [m]).some((x) => x.fields.type === 'PUBREC' && x.fields.id === fire.fields.id))).toBe(true);
}

describe('MQTT 3.1.1: mqtt.js (browser transport) and aedes, eight messages published in one tick', () => {
  let broker: Awaited<ReturnType<typeof startAedes>>;
  let recorder: FrameRecorder;
  let messages: Message[];

  beforeAll(async () => {
    broker = await startAedes();
    recorder = await startFrameRecorder(broker.url);
    const client = browserClient(recorder.url, { protocolVersion: 4, clientId: 'browser-311', reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    await publishBatch(client);
    await client.endAsync();
    await until(sentDisconnect(recorder.connections[0]));
    ({ messages } = decodeAll(recorder.connections[0]!));
  });

  afterAll(async () => { await recorder?.close(); await broker?.close(); });

  it('the eight PUBLISH are one frame; each keeps its topic, QoS and id; topic:alerts/# finds it', () => {
    expectBatchFound(messages);
  });
});

describe('MQTT 5: mqtt.js (browser transport) and a v5 broker', () => {
  let broker: Awaited<ReturnType<typeof startV5Broker>>;
  let recorder: FrameRecorder;
  let rec: RecordedConnection;
  let messages: Message[];
  let all: (DecodedMessage | null)[];

  beforeAll(async () => {
    broker = await startV5Broker();
    recorder = await startFrameRecorder(broker.url);
    const client = browserClient(recorder.url, {
      protocolVersion: 5, clientId: 'client-5', keepalive: 1, reconnectPeriod: 0, autoAssignTopicAlias: true,
      properties: { sessionExpiryInterval: 300, receiveMaximum: 20, userProperties: { app: 'sockscope', env: ['test', 'ci'] }, authenticationMethod: 'demo-auth', authenticationData: Buffer.from('client-hello') },
      will: { topic: 'clients/client-5', payload: Buffer.from('offline'), qos: 1, retain: true, properties: { willDelayInterval: 5, contentType: 'text/plain' } },
    });
    client.handleAuth = (_packet, cb) => cb(undefined, { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'demo-auth', authenticationData: Buffer.from('client-response') } });
    await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
    const received = waitForMessages(client, 5);
    await client.subscribeAsync({ 'sensors/#': { qos: 2, rap: true }, 'alerts/+': { qos: 1, nl: true } }, { properties: { subscriptionIdentifier: 7, userProperties: { who: 'test' } } });
    const properties = { contentType: 'text/plain', messageExpiryInterval: 60, payloadFormatIndicator: true, responseTopic: 'replies/client-5', correlationData: Buffer.from([0xca, 0xfe]), userProperties: { unit: 'C' } };
    await client.publishAsync('sensors/temp', '21.5', { qos: 1, retain: true, properties });
    // The same topic again: mqtt.js now sends an empty topic and the alias it assigned.
    await client.publishAsync('sensors/temp', '21.6', { qos: 1 });
    await client.publishAsync('sensors/raw', Buffer.from([0xff, 0xfe, 0x00]), { qos: 2 });
    // Two publishes in one tick: the browser transport packs them into one frame.
    client.publish('sensors/a', 'A', { qos: 0 });
    client.publish('sensors/b', 'B', { qos: 0 });
    await received;
    await publishBatch(client);
    await sleep(1600);
    await client.unsubscribeAsync(['alerts/+', 'nothing/here']);
    await client.endAsync(false, { reasonCode: 0, properties: { reasonString: 'done' } });
    await until(sentDisconnect(recorder.connections[0]));
    rec = recorder.connections[0]!;
    ({ all, messages } = decodeAll(rec));
  });

  afterAll(async () => { await recorder?.close(); await broker?.close(); });

  it('is picked by subprotocol and by sniffing the first frame (a whole CONNECT)', () => {
    expect(rec.protocol).toBe('mqtt');
    expect(decoderForSubprotocol(rec.protocol)).toBe(mqttDecoder);
    expect(mqttDecoder.sniff(rec.frames[0]!)).toBe(1);
    expect(sniffFrame(rec.frames[0]!)).toBe(mqttDecoder);
  });

  it('decodes every frame without errors, whole packets only', () => {
    expect(all.every((m) => m !== null && !m.error && !m.partial)).toBe(true);
    expect(summaries(messages, 'sent').slice(0, 3)).toEqual(['CONNECT client-5 v5', 'AUTH Continue authentication', 'SUBSCRIBE sensors/# qos2, alerts/+ qos1']);
    expect(summaries(messages, 'received').slice(0, 3)).toEqual(['AUTH Continue authentication', 'CONNACK Success', 'SUBACK #' + find(messages, /^SUBSCRIBE/).fields.id + ' Granted QoS 2, Granted QoS 1']);
    expect(summaries(messages, 'sent').at(-1)).toBe('DISCONNECT Normal disconnection');
  });

  it('decodes CONNECT with its properties and will, the AUTH exchange and CONNACK properties', () => {
    const connect = find(messages, 'CONNECT client-5 v5');
    expect(connect.fields).toEqual({ type: 'CONNECT', clientId: 'client-5' });
    expect(body(connect)).toMatchObject({
      protocolName: 'MQTT', protocolLevel: 5, cleanStart: true, keepAlive: 1, clientId: 'client-5',
      properties: { sessionExpiryInterval: 300, receiveMaximum: 20, userProperties: { app: 'sockscope', env: ['test', 'ci'] }, authenticationMethod: 'demo-auth', authenticationData: 'client-hello' },
      will: { topic: 'clients/client-5', payload: 'offline', qos: 1, retain: true, properties: { willDelayInterval: 5, contentType: 'text/plain' } },
    });
    expect(body(find(messages, 'AUTH Continue authentication', 'received'))).toMatchObject({ reasonCode: 0x18, properties: { authenticationMethod: 'demo-auth', authenticationData: 'server-challenge' } });
    expect(body(find(messages, 'AUTH Continue authentication', 'sent')).properties.authenticationData).toBe('client-response');
    const connack = find(messages, 'CONNACK Success');
    expect(connack.fields).toEqual({ type: 'CONNACK', reasonCode: 0 });
    expect(body(connack)).toMatchObject({ sessionPresent: false, reason: 'Success', properties: { topicAliasMaximum: 10, receiveMaximum: 100, maximumQoS: 2, retainAvailable: 1, sharedSubscriptionAvailable: 0, userProperties: { broker: 'mini-v5' } } });
  });

  it('decodes SUBSCRIBE options and properties, and SUBACK', () => {
    const sub = find(messages, /^SUBSCRIBE/);
    expect(sub.fields).toMatchObject({ type: 'SUBSCRIBE', topic: 'sensors/#', qos: 2 });
    expect(body(sub)).toMatchObject({
      properties: { subscriptionIdentifier: 7, userProperties: { who: 'test' } },
      subscriptions: [
        { topic: 'sensors/#', qos: 2, noLocal: false, retainAsPublished: true, retainHandling: 0 },
        { topic: 'alerts/+', qos: 1, noLocal: true, retainAsPublished: false, retainHandling: 0 },
      ],
    });
    const suback = find(messages, /^SUBACK/);
    expect(suback.fields).toEqual({ type: 'SUBACK', id: sub.fields.id, reasonCode: 2 });
    expect(body(suback)).toMatchObject({ properties: { reasonString: 'subscribed' }, reasonCodes: [{ code: 2, reason: 'Granted QoS 2' }, { code: 1, reason: 'Granted QoS 1' }] });
  });

  it('decodes PUBLISH properties and resolves the topic alias mqtt.js assigned', () => {
    const [first, second] = messages.filter((m) => m.dir === 'sent' && m.summary === 'PUBLISH sensors/temp qos1');
    expect(first!.fields).toMatchObject({ topic: 'sensors/temp', qos: 1, retain: true });
    expect(body(first!)).toMatchObject({
      payload: '21.5',
      properties: { contentType: 'text/plain', messageExpiryInterval: 60, payloadFormatIndicator: 1, responseTopic: 'replies/client-5', correlationData: { binary: '2 bytes', hex: 'ca fe' }, userProperties: { unit: 'C' }, topicAlias: 1 },
    });
    expect(body(second!)).toMatchObject({ topic: 'sensors/temp', topicFromAlias: 1, payload: '21.6', properties: { topicAlias: 1 } });
    // The broker's copy carries the subscription identifier, packed with its PUBACK in one frame.
    const delivered = find(messages, /^PUBLISH sensors\/temp qos1 \+ PUBACK #\d+$/, 'received');
    expect(delivered.fields).toMatchObject({ type: 'PUBLISH', topic: 'sensors/temp', qos: 1 });
    expect((delivered.body as Record<string, any>[])[0]!.properties).toMatchObject({ subscriptionIdentifier: 7, contentType: 'text/plain' });
    expect((delivered.body as Record<string, any>[])[1]).toMatchObject({ type: 'PUBACK', id: first!.fields.id, reasonCode: 0, reason: 'Success' });
  });

  it('decodes a frame with two packets: joined summary, each packet\'s fields, body of both', () => {
    const both = find(messages, 'PUBLISH sensors/a qos0 + PUBLISH sensors/b qos0', 'sent');
    expect(both.fields).toMatchObject({ type: 'PUBLISH', topic: 'sensors/a', qos: 0 });
    expect(both.messages!.map((m) => m.fields.topic)).toEqual(['sensors/a', 'sensors/b']);
    expect(filterFinds(both, 'topic:sensors/b')).toBe(true);
    expect(both.body).toMatchObject([{ topic: 'sensors/a', payload: 'A' }, { topic: 'sensors/b', payload: 'B' }]);
  });

  it('eight messages published in one tick are one frame; topic:alerts/# finds it', () => {
    expectBatchFound(messages);
  });

  it('decodes QoS 2, UNSUBACK reason codes, DISCONNECT properties and heartbeats', () => {
    const raw = find(messages, 'PUBLISH sensors/raw qos2', 'sent');
    expect(body(raw).payload).toEqual({ binary: '3 bytes', hex: 'ff fe 00' });
    find(messages, `PUBREL #${raw.fields.id}`, 'sent');
    // Whether the broker's PUBREL and PUBCOMP share a frame depends on timing: either way the PUBCOMP is there.
    find(messages, new RegExp(`PUBCOMP #${raw.fields.id}$`), 'received');
    const unsub = find(messages, 'UNSUBSCRIBE alerts/+, nothing/here');
    expect(find(messages, `UNSUBACK #${unsub.fields.id} Success, No subscription existed`).fields).toMatchObject({ reasonCode: 0 });
    expect(body(find(messages, 'DISCONNECT Normal disconnection'))).toMatchObject({ reasonCode: 0, properties: { reasonString: 'done' } });
    expect(find(messages, 'PINGREQ', 'sent').heartbeat).toBe(true);
    expect(find(messages, 'PINGRESP', 'received').heartbeat).toBe(true);
    expect(messages.filter((m) => m.heartbeat).every((m) => /^PING(REQ|RESP)$/.test(m.summary))).toBe(true);
  });
});
