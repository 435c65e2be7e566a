/**
 * harToSession on a HAR Chrome really wrote (not one written by hand): the fixture is the websocket
 * entry of chrome.devtools.network.getHAR() from test/e2e/chrome/har-chrome.e2e.ts, wrapped in
 * { log } as DevTools saves a HAR file, with nothing else edited.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { harToSession } from '../../src/session/har';

const HAR_TEXT = readFileSync(new URL('./fixtures/chrome-real-websocket.har.json', import.meta.url), 'utf8');
/** Where the recording ran: the e2e test's server, on the port it got that time. */
const ORIGIN = 'http://127.0.0.1:34051';
const WS_URL = 'ws://127.0.0.1:34051/har-echo?room=1';
const SNOWMAN_JSON = JSON.stringify({ op: 'sub', topic: 'prices', note: '☃ é 😀' });
const LONG_BINARY = Buffer.from(Array.from({ length: 301 }, (_, i) => (i * 7) & 0xff)).toString('base64');
const SENT = [
  { type: 'text', text: 'hello sockscope', size: 15 },
  { type: 'text', text: SNOWMAN_JSON, size: Buffer.byteLength(SNOWMAN_JSON) },
  { type: 'binary', base64: Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]).toString('base64'), size: 6 },
  { type: 'text', text: '', size: 0 },
  { type: 'binary', base64: LONG_BINARY, size: 301 },
];
const RECEIVED = [{ type: 'text', text: 'welcome', size: 7 }, ...SENT];

type ChromeMessage = { type: string; time: number };
const entry = (JSON.parse(HAR_TEXT) as { log: { entries: { startedDateTime: string; _webSocketMessages: ChromeMessage[] }[] } }).log.entries[0]!;

const session = () => {
  const r = harToSession(HAR_TEXT, new Date('2030-01-01T00:00:00Z'));
  if (!r.ok) throw new Error(r.error);
  return r.session;
};
const strip = (f: { type: string; text?: string; base64?: string; size: number }) =>
  ({ type: f.type, size: f.size, ...(f.type === 'text' ? { text: f.text } : { base64: f.base64 }) });

describe('harToSession on a real Chrome HAR', () => {
  it('reads the socket: its URL, the protocols offered and chosen, and its extensions', () => {
    const start = Date.parse(entry.startedDateTime);
    expect(session().connections).toEqual([{
      id: 'har-0',
      url: WS_URL,
      frameUrl: `${ORIGIN}/har`,
      requestedProtocols: ['accept-v2', 'v1'],
      protocol: 'accept-v2',
      extensions: 'permessage-deflate',
      states: [{ state: 'CONNECTING', at: start }, { state: 'OPEN', at: start }],
      close: null,
      errors: [],
    }]);
    expect(session().page).toEqual({ url: `${ORIGIN}/har`, title: `${ORIGIN}/har` });
  });

  it('reads every sent and received message in order, text as text and binary as base64, with byte sizes', () => {
    const s = session();
    expect(s.frames.filter((f) => f.direction === 'sent').map(strip)).toEqual(SENT);
    expect(s.frames.filter((f) => f.direction === 'received').map(strip)).toEqual(RECEIVED);
  });

  it('puts both directions in one timeline by Chrome\'s message times, in milliseconds', () => {
    const times = entry._webSocketMessages.map((m) => m.time * 1000).sort((a, b) => a - b);
    const at = session().frames.map((f) => f.at);
    expect(at).toHaveLength(times.length);
    at.forEach((t, i) => expect(t).toBeCloseTo(times[i]!, 3));
  });
});
