/**
 * The SockJS decoder on frames from the SockJS protocol specification
 * (https://sockjs.github.io/sockjs-protocol/sockjs-protocol-0.3.3.html, whose examples are the
 * framing section and its WebSocket tests: `o`, `h`, `a["a"]`, `c[3000,"Go away!"]`,
 * `c[2010,"Another connection still open"]`, `c[1002,"Connection interrupted"]`, the client's
 * `["a"]`, its empty frame and its broken `["a`), plus malformed frames. Traffic from a real
 * sockjs-node server is in test/protocols/sockjs.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { sockjsDecoder } from '../../src/decoders/protocols/sockjs';
import { sniffFrame } from '../../src/decoders/registry';
import type { DecodeInput } from '../../src/decoders/types';

const rx = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const tx = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const decode = (f: DecodeInput) => sockjsDecoder.session().decode(f);

describe('server frames', () => {
  it('open and heartbeat', () => {
    expect(decode(rx('o'))).toEqual({ protocol: 'sockjs', summary: 'open', fields: { type: 'open' }, heartbeat: false });
    expect(decode(rx('h'))).toEqual({ protocol: 'sockjs', summary: 'heartbeat', fields: { type: 'heartbeat' }, heartbeat: true });
  });

  it('an array of messages', () => {
    expect(decode(rx('a["a"]'))).toEqual({ protocol: 'sockjs', summary: 'message: a', fields: { type: 'message', count: 1 }, heartbeat: false, body: ['a'] });
    expect(decode(rx('a["message1","message2"]'))).toMatchObject({ summary: '2 messages', fields: { count: 2 }, body: ['message1', 'message2'] });
    expect(decode(rx(`a[${Array(8).fill('"a"').join(',')}]`))).toMatchObject({ summary: '8 messages', fields: { count: 8 } });
    expect(decode(rx('a[]'))).toMatchObject({ summary: '0 messages', fields: { count: 0 }, body: [] });
  });

  it('parses messages that hold a JSON object or array, and leaves other text alone', () => {
    expect(decode(rx('a["{\\"type\\":\\"chat\\"}","[1,2]","42","true","text","{broken"]'))!.body).toEqual([{ type: 'chat' }, [1, 2], '42', 'true', 'text', '{broken']);
  });

  it('previews the first line of a single message (STOMP over SockJS)', () => {
    expect(decode(rx('a["MESSAGE\\ndestination:/topic/greetings\\n\\nHello\\u0000"]'))).toMatchObject({ summary: 'message: MESSAGE' });
  });

  it('the single-message `m` frame', () => {
    expect(decode(rx('m"message"'))).toMatchObject({ summary: 'message: message', fields: { type: 'message', count: 1 }, body: ['message'] });
  });

  it('close frames', () => {
    expect(decode(rx('c[3000,"Go away!"]'))).toEqual({
      protocol: 'sockjs', summary: 'close 3000 Go away!', fields: { type: 'close', code: 3000, reason: 'Go away!' }, heartbeat: false, body: [3000, 'Go away!'],
    });
    expect(decode(rx('c[2010,"Another connection still open"]'))).toMatchObject({ summary: 'close 2010 Another connection still open', fields: { code: 2010 } });
    expect(decode(rx('c[1002,"Connection interrupted"]'))).toMatchObject({ fields: { code: 1002, reason: 'Connection interrupted' } });
  });

  it('tolerates the newline that ends frames on the HTTP transports', () => {
    expect(decode(rx('o\n'))).toMatchObject({ summary: 'open' });
    expect(decode(rx('a["a"]\n'))).toMatchObject({ body: ['a'] });
  });
});

describe('client frames', () => {
  it('an array of strings, or one string', () => {
    expect(decode(tx('["a"]'))).toEqual({ protocol: 'sockjs', summary: 'message: a', fields: { type: 'message', count: 1 }, heartbeat: false, body: ['a'] });
    expect(decode(tx('["x","{\\"a\\":1}"]'))).toMatchObject({ summary: '2 messages', body: ['x', { a: 1 }] });
    expect(decode(tx('"a"'))).toMatchObject({ summary: 'message: a', body: ['a'] });
  });

  it('the empty frame the server ignores', () => {
    expect(decode(tx(''))).toBeNull();
  });

  it('broken JSON, on which the server drops the connection', () => {
    expect(decode(tx('["a'))).toMatchObject({ protocol: 'sockjs', error: 'invalid JSON: the server closes the connection on this' });
  });

  it('server framing is not client framing', () => {
    expect(decode(tx('o'))).toBeNull();
    expect(decode(tx('a["a"]'))).toBeNull();
  });
});

describe('malformed and foreign frames', () => {
  it('reports frames that look like SockJS but are broken', () => {
    expect(decode(rx('a[1,"x"]'))).toMatchObject({ summary: '2 messages', error: '1 of 2 messages are not strings', body: [1, 'x'] });
    expect(decode(rx('a["x"'))).toMatchObject({ error: 'invalid JSON in an `a` frame' });
    expect(decode(rx('m"x'))).toMatchObject({ error: 'invalid JSON in an `m` frame' });
    expect(decode(rx('c[3000]'))).toMatchObject({ summary: 'close 3000', error: 'close frame should be [code, "reason"]' });
    expect(decode(rx('c[oops'))).toMatchObject({ summary: 'close', error: 'close frame without a JSON [code, reason]' });
    expect(decode(tx('{"a":1}'))).toBeNull();
    expect(decode(tx('[1,2]'))).toMatchObject({ error: '2 of 2 messages are not strings' });
  });

  it('returns null for what is not SockJS framing', () => {
    for (const t of ['', 'ok', 'hello', 'open', 'a', 'abc', 'a{"x":1}', 'cat', 'c', 'm1', '42["x"]', '{"a":1}', '[1]']) expect(decode(rx(t)), t).toBeNull();
    expect(decode({ dir: 'received', type: 'binary', bytes: new Uint8Array([0x6f]) })).toBeNull();
    expect(decode({ dir: 'received', type: 'text' })).toBeNull();
  });

  it('never throws on random frames', () => {
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = ['o', 'h', 'a', 'm', 'c', '[', ']', '"', ',', '\\', 'u', '3000', '{', '}', '\n', ' ', '\ud800'];
    const s = sockjsDecoder.session();
    for (let i = 0; i < 5_000; i++) {
      let text = '';
      const n = Math.floor(r() * 10);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(r() * pieces.length)];
      const f = r() < 0.5 ? rx(text) : tx(text);
      expect(() => s.decode(f), text).not.toThrow();
      const sc = sockjsDecoder.sniff(f);
      expect(sc >= 0 && sc <= 1).toBe(true);
    }
  });
});

describe('sniff', () => {
  it('picks SockJS from the server frames', () => {
    for (const t of ['o', 'h', 'a["a"]', 'c[3000,"Go away!"]']) expect(sniffFrame(rx(t)), t).toBe(sockjsDecoder);
  });

  it('stays below the threshold for what the client sends, and for other shapes', () => {
    expect(sockjsDecoder.sniff(tx('["a"]'))).toBeLessThan(0.5);
    expect(sockjsDecoder.sniff(tx('o'))).toBe(0);
    for (const t of ['ok', 'hello', '42["x"]', '0{"sid":"x"}', 'a', 'cat']) expect(sockjsDecoder.sniff(rx(t)), t).toBe(0);
    expect(sockjsDecoder.sniff({ dir: 'received', type: 'binary', bytes: new Uint8Array([0x6f]) })).toBe(0);
  });

  it('judges a huge frame by its head, without parsing it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(sockjsDecoder.sniff(rx(`a["${'x'.repeat(5_000_000)}`))).toBeGreaterThan(0.5);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
