/** HAR export and import: Chrome's WebSocket HARs read in, and our own export reads back without loss. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeSession } from '../../src/session/encode-session';
import { harToSession, sessionToHar } from '../../src/session/har';
import type { SessionFileV1 } from '../../src/session/session-format';
import { EXPORTED_AT, capturedModel, sourceOf } from './fixtures/session-capture';

const CHROME_HAR = readFileSync(new URL('./fixtures/chrome-websocket.har.json', import.meta.url), 'utf8');
const IMPORTED_AT = new Date('2030-01-01T00:00:00Z');

type Json = Record<string, any>;
/** The Chrome fixture with one change, as text. */
const edited = (change: (h: Json) => void) => {
  const h = JSON.parse(CHROME_HAR) as Json;
  change(h);
  return JSON.stringify(h);
};
const errorOf = (text: string) => {
  const r = harToSession(text, IMPORTED_AT);
  if (r.ok) throw new Error('expected the HAR to be refused');
  return r.error;
};
const sessionOf = (text: string) => {
  const r = harToSession(text, IMPORTED_AT);
  if (!r.ok) throw new Error(r.error);
  return r.session;
};

describe('harToSession on a Chrome HAR', () => {
  it('turns the websocket entry into one connection and ignores the document entry', () => {
    const s = sessionOf(CHROME_HAR);
    const start = Date.parse('2025-03-04T05:06:07.250Z');
    expect(s.exportedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(s.page).toEqual({ url: 'https://chat.test/room', title: 'https://chat.test/room' });
    expect(s.dropped).toEqual({ frames: 0, bytes: 0 });
    expect(s.connections).toEqual([{
      id: 'har-1',
      url: 'wss://chat.test/ws',
      frameUrl: 'https://chat.test/room',
      requestedProtocols: ['v2', 'v1'],
      protocol: 'v2',
      extensions: 'permessage-deflate',
      states: [{ state: 'CONNECTING', at: start }, { state: 'OPEN', at: start }],
      close: null,
      errors: [],
    }]);
  });

  it('turns messages into frames: seconds to milliseconds, UTF-8 sizes for text, decoded sizes for binary', () => {
    expect(sessionOf(CHROME_HAR).frames).toEqual([
      { connectionId: 'har-1', direction: 'sent', type: 'text', at: 1741064767312.5, size: 15, text: '{"hello":"☃"}' },
      { connectionId: 'har-1', direction: 'received', type: 'text', at: 1741064767401, size: 7, text: 'welcome' },
      { connectionId: 'har-1', direction: 'received', type: 'binary', at: 1741064768500, size: 4, base64: 'AAEC/w==' },
    ]);
  });

  it('falls back to the first entry URL for the page when the page title is not a URL', () => {
    const s = sessionOf(edited((h) => { h.log.pages[0].title = 'Room'; }));
    expect(s.page).toEqual({ url: 'https://chat.test/room', title: 'Room' });
  });
});

describe('sessionToHar', () => {
  const session = encodeSession(sourceOf(capturedModel()), EXPORTED_AT);
  const har = sessionToHar(session, '1.2.3') as Json;

  it('writes a HAR 1.2 log with one websocket entry per connection', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'Sockscope', version: '1.2.3' });
    expect(har.log.pages).toHaveLength(1);
    expect(har.log.entries).toHaveLength(session.connections.length);
    const e = har.log.entries[0];
    expect(e).toMatchObject({
      _resourceType: 'websocket', cache: {}, pageref: har.log.pages[0].id,
      request: { method: 'GET', url: 'wss://chat.test/ws' },
      response: { status: 101 },
    });
    expect(e.startedDateTime).toBe(new Date(session.connections[0]!.states[0]!.at).toISOString());
    expect(e.request.headers).toContainEqual({ name: 'Sec-WebSocket-Protocol', value: 'v2, v1' });
    expect(e.response.headers).toContainEqual({ name: 'Sec-WebSocket-Protocol', value: 'v2' });
    expect(e.response.headers).toContainEqual({ name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate' });
    expect(typeof e.time).toBe('number');
    expect(e.timings.wait).toBe(e.time);
  });

  it('writes messages in the Chrome shape: seconds, opcode 1 text, opcode 2 base64', () => {
    const msgs = har.log.entries[0]._webSocketMessages as Json[];
    const frames = session.frames.filter((f) => f.connectionId === session.connections[0]!.id);
    expect(msgs.map(({ _sockscope, ...m }) => m)).toEqual(frames.map((f) => ({
      type: f.direction === 'sent' ? 'send' : 'receive',
      time: f.at / 1000,
      opcode: f.type === 'text' ? 1 : 2,
      data: f.type === 'text' ? f.text : f.base64,
    })));
    expect(msgs.map((m) => m.opcode)).toEqual([1, 2]);
  });

  it('keeps close code and reason under _sockscope', () => {
    const closedConn = session.connections.find((c) => c.close)!;
    const entry = (har.log.entries as Json[]).find((e) => e.request.url === closedConn.url)!;
    expect(entry._sockscope.close).toEqual({ code: 1011, reason: 'oops', wasClean: false, initiator: 'server' });
    expect(entry.request.headers).not.toContainEqual(expect.objectContaining({ name: 'Sec-WebSocket-Protocol' }));
  });
});

describe('export → import round trip', () => {
  const roundTrip = (s: SessionFileV1) => sessionOf(JSON.stringify(sessionToHar(s, '0.0.0')));

  it('gives back the captured session (text, binary, close, protocols, errors, iframe)', () => {
    const session = encodeSession(sourceOf(capturedModel()), EXPORTED_AT);
    expect(session.frames.some((f) => f.type === 'binary')).toBe(true);
    expect(session.connections.some((c) => c.close)).toBe(true);
    const back = roundTrip(session);
    expect(back.connections).toStrictEqual(session.connections);
    expect(back.frames).toStrictEqual(session.frames);
    expect(back.page).toEqual(session.page);
    expect(back.dropped).toEqual(session.dropped);
    expect({ ...back, exportedAt: '' }).toStrictEqual({ ...session, exportedAt: '' });
  });

  it('keeps exact fractional times, origins and the order of frames with equal times across sockets', () => {
    const conn = (id: string) => ({
      id, url: `ws://local.test/${id}`, frameUrl: 'http://local.test/', requestedProtocols: [], protocol: '', extensions: '',
      states: [{ state: 'CONNECTING' as const, at: 1000.1 }, { state: 'OPEN' as const, at: 1003.7 }], close: null, errors: [],
    });
    const session: SessionFileV1 = {
      format: 'sockscope-session', version: 1, exportedAt: EXPORTED_AT.toISOString(), page: { url: 'http://local.test/', title: '' },
      connections: [conn('b'), conn('a')],
      frames: [
        { connectionId: 'a', direction: 'sent', type: 'text', at: 1700000000123.4567, size: 2, text: 'a1', origin: 'composed' },
        { connectionId: 'b', direction: 'received', type: 'binary', at: 1700000000123.4567, size: 0, base64: '' },
        { connectionId: 'a', direction: 'received', type: 'text', at: 1700000000123.4567, size: 3, text: '\ud800' },
      ],
      dropped: { frames: 0, bytes: 0 },
    };
    const back = roundTrip(session);
    expect(back.connections).toStrictEqual(session.connections);
    expect(back.frames).toStrictEqual(session.frames);
  });
});

describe('harToSession errors', () => {
  it('says text that is not JSON is not JSON', () => {
    expect(errorOf('{"log": ')).toMatch(/^Not JSON/);
  });

  it('refuses JSON without a log', () => {
    expect(errorOf('{"entries": []}')).toBe('log: expected an object (this does not look like a HAR file)');
    expect(errorOf('[]')).toBe('file: expected a JSON object');
  });

  it('refuses log.entries that is not an array', () => {
    expect(errorOf(edited((h) => { h.log.entries = {}; }))).toBe('log.entries: expected an array');
  });

  it('names a bad opcode with its path', () => {
    expect(errorOf(edited((h) => { h.log.entries[1]._webSocketMessages[2].opcode = 9; })))
      .toBe('log.entries[1]._webSocketMessages[2].opcode: expected 1 (text) or 2 (binary)');
  });

  it('names a bad time with its path', () => {
    expect(errorOf(edited((h) => { h.log.entries[1]._webSocketMessages[0].time = '12:00'; })))
      .toBe('log.entries[1]._webSocketMessages[0].time: expected epoch seconds (a number ≥ 0)');
    expect(errorOf(edited((h) => { h.log.entries[1]._webSocketMessages[1].time = -1; })))
      .toBe('log.entries[1]._webSocketMessages[1].time: expected epoch seconds (a number ≥ 0)');
  });

  it('refuses invalid base64 in a binary message', () => {
    for (const bad of ['AAEC/w=', 'AA=C', 'not base64!', 'AAE']) {
      expect(errorOf(edited((h) => { h.log.entries[1]._webSocketMessages[2].data = bad; })))
        .toBe('log.entries[1]._webSocketMessages[2].data: expected base64 (opcode 2 is binary)');
    }
  });

  it('says so when no entry carries websocket messages', () => {
    expect(errorOf(edited((h) => { h.log.entries.splice(1, 1); })))
      .toBe('This HAR has no WebSocket messages (no entry has _webSocketMessages)');
    expect(errorOf('{"log": {"version": "1.2", "entries": []}}'))
      .toBe('This HAR has no WebSocket messages (no entry has _webSocketMessages)');
  });

  it('names bad _sockscope data in our own export', () => {
    const har = sessionToHar(encodeSession(sourceOf(capturedModel()), EXPORTED_AT), '0.0.0') as Json;
    har.log.entries[0]._sockscope.states[1].state = 'GONE';
    expect(errorOf(JSON.stringify(har))).toBe('log.entries[0]._sockscope.states[1].state: expected CONNECTING|OPEN|CLOSING|CLOSED');
  });
});

describe('harToSession on our HAR from another writer', () => {
  it('reads _sockscope as the session file reads its fields: left out, each takes the same default', () => {
    const har = sessionToHar(encodeSession(sourceOf(capturedModel()), EXPORTED_AT), '0.0.0') as Json;
    const full = sessionOf(JSON.stringify(har));
    for (const e of har.log.entries) { delete e._sockscope.errors; delete e._sockscope.close?.initiator; }
    delete har.log._sockscope.dropped;
    const read = sessionOf(JSON.stringify(har));
    expect(read.connections.map((c) => [c.errors, c.close?.initiator])).toEqual(full.connections.map((c) => [[], c.close ? 'unknown' : undefined]));
    expect(read.dropped).toEqual({ frames: 0, bytes: 0 });
    expect(read.frames).toEqual(full.frames);
  });
});

describe('harToSession on malformed HARs', () => {
  /** Every path to a value inside `v`, e.g. ['log', 'entries', 1, 'request']. */
  function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    if (typeof v !== 'object' || v === null) return [];
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    return keys.flatMap((k) => [[...at, k], ...paths((v as Json)[k as string], [...at, k])]);
  }
  const MUTATIONS: [string, (parent: Json, key: string | number) => void][] = [
    ['delete', (p, k) => { if (Array.isArray(p)) p.splice(k as number, 1); else delete p[k]; }],
    ['null', (p, k) => { p[k] = null; }],
    ['number', (p, k) => { p[k] = 42; }],
    ['string', (p, k) => { p[k] = 'x'; }],
    ['array', (p, k) => { p[k] = []; }],
  ];
  const ours = JSON.stringify(sessionToHar(encodeSession(sourceOf(capturedModel()), EXPORTED_AT), '0.0.0'));

  for (const [name, base] of [['Chrome HAR', CHROME_HAR], ['Sockscope HAR', ours]] as const) {
    it(`never throws, and either reads or names the problem, for each one-field change of a ${name}`, () => {
      const variants: string[] = [];
      for (const path of paths(JSON.parse(base))) {
        for (const [, mutate] of MUTATIONS) {
          const h = JSON.parse(base) as Json;
          const parent = path.slice(0, -1).reduce<Json>((o, k) => o[k as string], h);
          mutate(parent, path[path.length - 1]!);
          variants.push(JSON.stringify(h));
        }
      }
      expect(variants.length).toBeGreaterThanOrEqual(50);
      let refused = 0;
      for (const v of variants) {
        const r = harToSession(v, IMPORTED_AT);
        if (r.ok) expect(r.session.connections.length).toBeGreaterThan(0);
        else { expect(r.error).toMatch(/\S/); refused++; }
      }
      expect(refused).toBeGreaterThan(0);
    });
  }
});
