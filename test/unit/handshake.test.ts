/**
 * Handshakes from DevTools' network log: reading a HAR entry (Chrome's own, recorded), the
 * matching rule (one URL, several sockets close together, sockets from before DevTools), and the
 * export's masking of cookie and authorization values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handshakeFromHarEntry, matchHandshakes, redactHandshake, type LoggedHandshake, type SocketForMatch } from '../../src/session/handshake';
import { redactSession, REDACTED } from '../../src/session/redact';
import type { SessionHandshake } from '../../src/session/session-format';
import { VALID_SESSION } from './fixtures/valid-session';

const CHROME_HAR = JSON.parse(readFileSync(new URL('./fixtures/chrome-real-websocket.har.json', import.meta.url), 'utf8')) as { log: { entries: unknown[] } };

const URL_A = 'ws://app.test/live';
const ORIGIN = 'http://app.test';

function logged(at: number, opts: { url?: string; asked?: string; agreed?: string; origin?: string } = {}): LoggedHandshake {
  const requestHeaders = [{ name: 'Origin', value: opts.origin ?? ORIGIN }, ...(opts.asked ? [{ name: 'Sec-WebSocket-Protocol', value: opts.asked }] : [])];
  const responseHeaders = [{ name: 'Upgrade', value: 'websocket' }, ...(opts.agreed ? [{ name: 'Sec-WebSocket-Protocol', value: opts.agreed }] : [])];
  const handshake: SessionHandshake = {
    status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', requestHeaders, responseHeaders, startedAt: at, time: 5,
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 5, receive: 0 },
  };
  return { url: opts.url ?? URL_A, handshake };
}

function socket(id: string, createdAt: number, opts: Partial<SocketForMatch> = {}): SocketForMatch {
  return { id, url: URL_A, createdAt, requestedProtocols: [], protocol: '', origin: ORIGIN, ...opts };
}

const kinds = (m: Map<string, { kind: string }>) => Object.fromEntries([...m].map(([id, l]) => [id, l.kind]));
const startOf = (m: Map<string, unknown>, id: string) => (m.get(id) as { handshake: SessionHandshake }).handshake.startedAt;

describe('reading a HAR entry', () => {
  it("takes Chrome's WebSocket entry: status, both sides' headers, start and timings", () => {
    const l = handshakeFromHarEntry(CHROME_HAR.log.entries[0])!;
    expect(l.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/har-echo\?room=1$/);
    expect(l.handshake).toMatchObject({ status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', startedAt: Date.parse('2026-11-22T04:39:11.331Z') });
    expect(l.handshake.requestHeaders).toContainEqual({ name: 'Sec-WebSocket-Protocol', value: 'accept-v2, v1' });
    expect(l.handshake.responseHeaders).toContainEqual({ name: 'Sec-WebSocket-Protocol', value: 'accept-v2' });
    expect(l.handshake.timings.wait).toBeCloseTo(63.144, 2);
  });

  it('takes an http(s) upgrade request as its ws(s) URL, and leaves other requests', () => {
    const upgrade = { startedDateTime: '2026-01-01T00:00:00.000Z', request: { url: 'https://a.test/s', headers: [{ name: 'Upgrade', value: 'websocket' }] }, response: { status: 101 } };
    expect(handshakeFromHarEntry(upgrade)?.url).toBe('wss://a.test/s');
    expect(handshakeFromHarEntry({ ...upgrade, request: { url: 'https://a.test/app.js', headers: [] } })).toBeNull();
    expect(handshakeFromHarEntry({ request: { url: 'ws://a.test/' } })).toBeNull(); // no start time
    expect(handshakeFromHarEntry(null)).toBeNull();
  });

  it("takes Firefox's shape: a ws: URL, status 101, no _resourceType", () => {
    const ff = { startedDateTime: '2026-12-05T22:05:30.224+00:00', time: 3, request: { url: 'ws://127.0.0.1:1/hs', headers: [{ name: 'Sec-WebSocket-Protocol', value: 'a, b' }] },
      response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers: [{ name: 'Sec-WebSocket-Protocol', value: 'a' }] } };
    expect(handshakeFromHarEntry(ff)).toMatchObject({ url: 'ws://127.0.0.1:1/hs', handshake: { status: 101, startedAt: Date.parse('2026-12-05T22:05:30.224Z'), time: 3 } });
  });
});

describe('matching handshakes to sockets', () => {
  it('one socket, one handshake of its URL a few ms later: found', () => {
    const m = matchHandshakes([socket('s1', 1000)], [logged(1004)], 500);
    expect(kinds(m)).toEqual({ s1: 'found' });
  });

  it('two sockets to one URL opened close together, both logged: paired in order', () => {
    const m = matchHandshakes([socket('s2', 1003), socket('s1', 1000)], [logged(1009), logged(1005)], 500);
    expect(startOf(m, 's1')).toBe(1005);
    expect(startOf(m, 's2')).toBe(1009);
  });

  it('two sockets close together and one handshake: neither gets it', () => {
    const m = matchHandshakes([socket('s1', 1000), socket('s2', 1200)], [logged(1210)], 900);
    expect(m.get('s1')).toEqual({ kind: 'ambiguous', sockets: 2, handshakes: 1 });
    expect(kinds(m)).toEqual({ s1: 'ambiguous', s2: 'ambiguous' });
  });

  it('sockets of one URL far apart are matched each to its own, even with one missing', () => {
    const m = matchHandshakes([socket('old', 1000), socket('new', 9000)], [logged(9002)], 5000);
    expect(kinds(m)).toEqual({ old: 'before-devtools', new: 'found' });
    expect(m.get('old')).toEqual({ kind: 'before-devtools', devtoolsOpenedAt: 5000 });
  });

  it('a socket from before DevTools is said to be; one after it, not in the log, is not', () => {
    const m = matchHandshakes([socket('before', 1000), socket('after', 6000, { url: 'ws://b.test/' })], [], 5000);
    expect(kinds(m)).toEqual({ before: 'before-devtools', after: 'not-in-log' });
  });

  it('with the open time unknown, no socket is said to be from before DevTools', () => {
    expect(kinds(matchHandshakes([socket('s', 1000)], [], null))).toEqual({ s: 'not-in-log' });
  });

  it('a handshake that asked other subprotocols, agreed another, or came from another origin is not this socket\'s', () => {
    const s = socket('s', 1000, { requestedProtocols: ['chat', 'v1'], protocol: 'chat' });
    expect(kinds(matchHandshakes([s], [logged(1001, { asked: 'chat, v1', agreed: 'chat' })], 0))).toEqual({ s: 'found' });
    expect(kinds(matchHandshakes([s], [logged(1001, { asked: 'chat' , agreed: 'chat' })], 0))).toEqual({ s: 'ambiguous' });
    expect(kinds(matchHandshakes([s], [logged(1001, { asked: 'chat, v1', agreed: 'v1' })], 0))).toEqual({ s: 'ambiguous' });
    expect(kinds(matchHandshakes([s], [logged(1001, { asked: 'chat, v1', agreed: 'chat', origin: 'http://evil.test' })], 0))).toEqual({ s: 'ambiguous' });
  });

  it('handshakes of other URLs, and ones with no socket, change nothing', () => {
    const m = matchHandshakes([socket('s', 1000)], [logged(1001, { url: 'ws://other.test/' }), logged(1002), logged(60_000)], 0);
    expect(startOf(m, 's')).toBe(1002);
  });

  it('a chain of sockets each within the gap of the next is one cluster', () => {
    const socks = [0, 800, 1600, 2400].map((t, i) => socket(`s${i}`, 10_000 + t));
    const m = matchHandshakes(socks, [0, 800, 1600].map((t) => logged(10_005 + t)), 0);
    expect(new Set(Object.values(kinds(m)))).toEqual(new Set(['ambiguous']));
  });
});

describe('masking a handshake', () => {
  const h: SessionHandshake = {
    ...logged(1).handshake,
    requestHeaders: [
      { name: 'Cookie', value: 'sid=abc123; theme=dark' }, { name: 'authorization', value: 'Bearer t0k3n' },
      { name: 'Proxy-Authorization', value: 'Basic dXNlcjpwYXNz' }, { name: 'X-Api-Key', value: 'k' }, { name: 'Origin', value: ORIGIN },
    ],
    responseHeaders: [{ name: 'Set-Cookie', value: 'seen=1; Path=/; HttpOnly' }],
  };

  it('masks cookie values (names kept), credentials (scheme kept), and headers named like a key', () => {
    let n = 0;
    const r = redactHandshake(h, new Set(['x-api-key']), REDACTED, () => { n++; });
    expect(r.requestHeaders).toEqual([
      { name: 'Cookie', value: `sid=${REDACTED}; theme=${REDACTED}` }, { name: 'authorization', value: `Bearer ${REDACTED}` },
      { name: 'Proxy-Authorization', value: `Basic ${REDACTED}` }, { name: 'X-Api-Key', value: REDACTED }, { name: 'Origin', value: ORIGIN },
    ]);
    expect(r.responseHeaders).toEqual([{ name: 'Set-Cookie', value: `seen=${REDACTED}; Path=/; HttpOnly` }]);
    expect(n).toBe(6);
    expect(h.requestHeaders[0]!.value).toBe('sid=abc123; theme=dark'); // never mutates
  });

  it('masking again masks nothing more', () => {
    const once = redactHandshake(h, new Set(), REDACTED, () => {});
    let n = 0;
    expect(redactHandshake(once, new Set(), REDACTED, () => { n++; })).toEqual(once);
    expect(n).toBe(0);
  });

  it("the export's redaction masks the handshake and counts it", () => {
    const r = redactSession(VALID_SESSION, ['token']);
    const hs = r.connections[0]!.handshake!;
    expect(hs.requestHeaders.find((x) => x.name === 'Cookie')!.value).toBe(`sid=${REDACTED}; theme=${REDACTED}`);
    expect(hs.responseHeaders.find((x) => x.name === 'Set-Cookie')!.value).toBe(`seen=${REDACTED}; Path=/`);
    expect(JSON.stringify(r)).not.toContain('abc');
    expect(r.redacted.count).toBe(3);
  });
});
