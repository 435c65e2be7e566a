/**
 * The STOMP decoder on hand-made frames: the corners real clients rarely show (1.2 header
 * escaping, several frames per message, NULs inside a content-length body, CRLF line ends,
 * frames cut across messages) and garbage, which must never throw.
 */
import { describe, expect, it } from 'vitest';
import { withinBudget } from '../../src/decoders/budget';
import { stompDecoder } from '../../src/decoders/protocols/stomp';
import { decoderForSubprotocol, safeDecode, sniffFrame } from '../../src/decoders/registry';
import type { DecodedMessage, DecodeInput } from '../../src/decoders/types';

const text = (t: string, dir: DecodeInput['dir'] = 'received'): DecodeInput => ({ dir, type: 'text', text: t });
const binary = (b: Uint8Array | string, dir: DecodeInput['dir'] = 'sent'): DecodeInput =>
  ({ dir, type: 'binary', bytes: typeof b === 'string' ? new TextEncoder().encode(b) : b });

/** One frame through a fresh session. */
const decode = (f: DecodeInput) => stompDecoder.session().decode(f);
const ok = (f: DecodeInput): DecodedMessage => {
  const m = decode(f);
  expect(m).not.toBeNull();
  expect(m!.error).toBeUndefined();
  return m!;
};
const bodyOf = (m: DecodedMessage) => m.body as { headers: Record<string, string>; body: unknown };

describe('STOMP commands', () => {
  it('summarises every command with what identifies it', () => {
    const cases: [string, string][] = [
      ['CONNECT\naccept-version:1.2\nhost:broker\n\n\0', 'CONNECT broker v1.2'],
      ['STOMP\naccept-version:1.1,1.2\n\n\0', 'STOMP v1.1,1.2'],
      ['CONNECTED\nversion:1.2\n\n\0', 'CONNECTED v1.2'],
      ['CONNECTED\n\n\0', 'CONNECTED v1.0'],
      ['SEND\ndestination:/queue/a\n\nhi\0', 'SEND /queue/a'],
      ['SUBSCRIBE\nid:0\ndestination:/topic/orders\n\n\0', 'SUBSCRIBE /topic/orders'],
      ['UNSUBSCRIBE\nid:0\n\n\0', 'UNSUBSCRIBE 0'],
      ['ACK\nid:m-1\n\n\0', 'ACK m-1'],
      ['NACK\nmessage-id:m-2\nsubscription:0\n\n\0', 'NACK m-2'],
      ['BEGIN\ntransaction:tx1\n\n\0', 'BEGIN tx1'],
      ['COMMIT\ntransaction:tx1\n\n\0', 'COMMIT tx1'],
      ['ABORT\ntransaction:tx1\n\n\0', 'ABORT tx1'],
      ['DISCONNECT\nreceipt:77\n\n\0', 'DISCONNECT'],
      ['MESSAGE\nsubscription:0\nmessage-id:9\ndestination:/topic/orders\n\nx\0', 'MESSAGE /topic/orders'],
      ['RECEIPT\nreceipt-id:77\n\n\0', 'RECEIPT 77'],
      ['ERROR\nmessage:malformed frame received\n\nThe message:\n-----\nMESSAGE\n\0', 'ERROR: malformed frame received'],
      ['ERROR\n\n\0', 'ERROR'],
    ];
    for (const [frame, summary] of cases) expect(ok(text(frame)).summary, frame).toBe(summary);
  });

  it('fills the shared fields', () => {
    const m = ok(text('MESSAGE\nsubscription:sub-1\nmessage-id:9\ndestination:/topic/orders\nreceipt:r1\n\n\0'));
    expect(m.fields).toEqual({ type: 'MESSAGE', command: 'MESSAGE', destination: '/topic/orders', subscription: 'sub-1', receipt: 'r1' });
    expect(ok(text('SUBSCRIBE\nid:7\ndestination:/q\n\n\0')).fields).toMatchObject({ id: '7' });
    expect(ok(text('RECEIPT\nreceipt-id:77\n\n\0')).fields).toEqual({ type: 'RECEIPT', command: 'RECEIPT', receipt: '77' });
    expect(ok(text('BEGIN\ntransaction:tx\n\n\0')).fields.transaction).toBe('tx');
  });

  it('parses JSON bodies when the content-type says so or the body looks like JSON', () => {
    const json = ok(text('SEND\ndestination:/q\ncontent-type:application/json;charset=utf-8\n\n{"a":[1,2]}\0'));
    expect(bodyOf(json)).toEqual({ headers: { destination: '/q', 'content-type': 'application/json;charset=utf-8' }, body: { a: [1, 2] } });
    expect(bodyOf(ok(text('SEND\ndestination:/q\n\n[true]\0'))).body).toEqual([true]);
    expect(bodyOf(ok(text('SEND\ndestination:/q\ncontent-type:text/plain\n\n42\0'))).body).toBe('42');
    expect(bodyOf(ok(text('SEND\ndestination:/q\n\n{not json\0'))).body).toBe('{not json');
    const bad = decode(text('SEND\ndestination:/q\ncontent-type:application/json\n\n{oops\0'))!;
    expect(bad.summary).toBe('SEND /q');
    expect(bad.error).toMatch(/not valid JSON/);
    expect(bodyOf(bad).body).toBe('{oops');
  });

  it('keeps the first of repeated headers (STOMP 1.2)', () => {
    expect(bodyOf(ok(text('MESSAGE\ndestination:/a\ndestination:/b\n\n\0'))).headers.destination).toBe('/a');
    expect(ok(text('MESSAGE\ndestination:/a\ndestination:/b\n\n\0')).summary).toBe('MESSAGE /a');
  });
});

describe('STOMP header names', () => {
  it('treats __proto__, toString and constructor as ordinary headers', () => {
    const m = ok(text('SEND\n__proto__:x\ntoString:y\nconstructor:z\ndestination:/q\n\n\0'));
    const headers = bodyOf(m).headers;
    expect(Object.keys(headers)).toEqual(['__proto__', 'toString', 'constructor', 'destination']);
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('x');
    expect(m.summary).toBe('SEND /q');
    expect(ok(text('UNSUBSCRIBE\n\n\0')).summary).toBe('UNSUBSCRIBE');
  });
});

describe('STOMP header escaping', () => {
  it('decodes \\r \\n \\c \\\\ in header names and values', () => {
    const m = ok(text('MESSAGE\ndestination:/topic/a\\cb\nnote:line1\\nline2\\r\\\\end\nweird\\cname:v\n\n\0'));
    expect(m.summary).toBe('MESSAGE /topic/a:b');
    expect(bodyOf(m).headers).toEqual({ destination: '/topic/a:b', note: 'line1\nline2\r\\end', 'weird:name': 'v' });
  });

  it('leaves CONNECT, STOMP and CONNECTED headers as sent', () => {
    expect(bodyOf(ok(text('CONNECT\naccept-version:1.2\npasscode:a\\cb\\n\n\n\0'))).headers.passcode).toBe('a\\cb\\n');
    expect(bodyOf(ok(text('STOMP\naccept-version:1.2\nlogin:x\\y\n\n\0'))).headers.login).toBe('x\\y');
    expect(bodyOf(ok(text('CONNECTED\nversion:1.2\nserver:a\\cb\n\n\0'))).headers.server).toBe('a\\cb');
  });

  it('reports an undefined escape without throwing', () => {
    const m = decode(text('SEND\ndestination:/a\\tb\n\n\0'))!;
    expect(m.summary).toBe('SEND /a\\tb');
    expect(m.error).toMatch(/invalid header escape/);
    expect(decode(text('SEND\ndestination:/a\\\n\n\0'))!.error).toMatch(/invalid header escape/);
  });

  it('does not unescape once CONNECTED says STOMP 1.0', () => {
    const s = stompDecoder.session();
    expect(s.decode(text('CONNECTED\nsession:1\n\n\0'))!.summary).toBe('CONNECTED v1.0');
    const m = s.decode(text('MESSAGE\ndestination:/a\\cb\n\n\0'))!;
    expect(m.summary).toBe('MESSAGE /a\\cb');
    expect(m.error).toBeUndefined();
    // A 1.2 connection unescapes the same frame.
    const s12 = stompDecoder.session();
    s12.decode(text('CONNECTED\nversion:1.2\n\n\0'));
    expect(s12.decode(text('MESSAGE\ndestination:/a\\cb\n\n\0'))!.summary).toBe('MESSAGE /a:b');
  });
});

describe('STOMP framing', () => {
  it('decodes several frames in one message', () => {
    const m = ok(text('MESSAGE\ndestination:/a\nsubscription:1\n\none\0\nMESSAGE\ndestination:/b\nsubscription:1\n\ntwo\0\n'));
    expect(m.summary).toBe('MESSAGE /a | MESSAGE /b');
    expect(m.heartbeat).toBe(false);
    expect(m.fields).toMatchObject({ command: 'MESSAGE', destination: '/a', frames: 2 });
    expect(m.body).toEqual([
      { command: 'MESSAGE', headers: { destination: '/a', subscription: '1' }, body: 'one' },
      { command: 'MESSAGE', headers: { destination: '/b', subscription: '1' }, body: 'two' },
    ]);
  });

  it('honours content-length, so the body may hold NULs', () => {
    const m = ok(text('SEND\ndestination:/q\ncontent-length:5\n\na\0b\0c\0RECEIPT\nreceipt-id:1\n\n\0'));
    expect(m.summary).toBe('SEND /q | RECEIPT 1');
    expect((m.body as { body: unknown }[])[0]!.body).toBe('a\0b\0c');
  });

  it('counts content-length in UTF-8 bytes, not characters', () => {
    // 'naïve' is 5 characters and 6 bytes: counting characters would end inside it.
    const m = ok(text('SEND\ndestination:/q\ncontent-length:6\n\nnaïve\0'));
    expect(bodyOf(m).body).toBe('naïve');
  });

  it('reports a content-length that does not end at a NUL, and falls back to the NUL', () => {
    const m = decode(text('SEND\ndestination:/q\ncontent-length:2\n\nhello\0'))!;
    expect(bodyOf(m).body).toBe('hello');
    expect(m.error).toMatch(/no NUL after content-length/);
    const past = decode(text('SEND\ndestination:/q\ncontent-length:99\n\nhello\0'))!;
    expect(bodyOf(past).body).toBe('hello');
    expect(past.error).toMatch(/runs past the frame/);
    expect(decode(text('SEND\ndestination:/q\ncontent-length:x\n\nhi\0'))!.error).toMatch(/bad content-length/);
  });

  it('accepts CRLF line ends (STOMP 1.2)', () => {
    const m = ok(text('SEND\r\ndestination:/queue/a\r\ncontent-type:text/plain\r\n\r\nhi\0\r\n'));
    expect(m.summary).toBe('SEND /queue/a');
    expect(bodyOf(m)).toEqual({ headers: { destination: '/queue/a', 'content-type': 'text/plain' }, body: 'hi' });
  });

  it('marks lone EOLs as heart-beats, LF or CRLF', () => {
    for (const beat of ['\n', '\r\n', '\n\n', '\r\n\r\n']) {
      const m = ok(text(beat, 'sent'));
      expect(m.heartbeat, JSON.stringify(beat)).toBe(true);
      expect(m.summary).toBe('heart-beat');
    }
    expect(ok(binary('\n')).heartbeat).toBe(true);
  });

  it('decodes binary WebSocket frames as UTF-8 STOMP', () => {
    const m = ok(binary('SEND\ndestination:/queue/b\ncontent-type:application/json\ncontent-length:10\n\n{"x":"é"}\0'));
    expect(m.summary).toBe('SEND /queue/b');
    expect(bodyOf(m).body).toEqual({ x: 'é' });
  });

  it('keeps a body that is not UTF-8 as bytes', () => {
    const head = new TextEncoder().encode('MESSAGE\ndestination:/b\ncontent-length:3\n\n');
    const bytes = new Uint8Array([...head, 0xff, 0x00, 0xfe, 0x00]);
    const m = withinBudget(ok(binary(bytes, 'received')));
    expect(m.summary).toBe('MESSAGE /b');
    expect(bodyOf(m).body).toEqual({ binary: '3 bytes' });
  });

  it('completes a frame cut across messages (stompjs splitLargeFrames)', () => {
    const s = stompDecoder.session();
    const first = s.decode(text('SEND\ndestination:/q\ncontent-type:application/json\n\n{"a":', 'sent'))!;
    expect(first.partial).toBe(true);
    expect(first.summary).toBe('SEND (continues)');
    // The other direction is a separate stream.
    expect(s.decode(text('\n', 'received'))!.heartbeat).toBe(true);
    const rest = s.decode(text('1}\0', 'sent'))!;
    expect(rest.partial).toBeUndefined();
    expect(rest.error).toBeUndefined();
    expect(rest.summary).toBe('SEND /q');
    expect(bodyOf(rest).body).toEqual({ a: 1 });
  });

  it('drops a cut frame when the next message starts a new one', () => {
    const s = stompDecoder.session();
    expect(s.decode(text('SEND\ndestination:/q\n\nabc', 'sent'))!.partial).toBe(true);
    const m = s.decode(text('SEND\ndestination:/r\n\nx\0', 'sent'))!;
    expect(m.summary).toBe('SEND /r');
    expect(m.error).toMatch(/cut off/);
  });

  it('completes a frame cut inside its command line', () => {
    const s = stompDecoder.session();
    const first = s.decode(text('RECEIPT\nreceipt-id:1\n\n\0MESS'))!;
    expect(first).toMatchObject({ summary: 'RECEIPT 1 | MESS (continues)', partial: true });
    expect(first.error).toBeUndefined();
    const m = s.decode(text('AGE\ndestination:/t\n\nx\0'))!;
    expect(m.summary).toBe('MESSAGE /t');
    expect(m.error).toBeUndefined();
  });

  it('reports junk after the last frame', () => {
    const m = decode(text('RECEIPT\nreceipt-id:1\n\n\0junk'))!;
    expect(m.summary).toBe('RECEIPT 1');
    expect(m.partial).toBeUndefined();
    expect(m.error).toMatch(/bytes after the last frame/);
  });

  it('reports a bad frame after a good one in the same message', () => {
    const m = decode(text('SEND\ndestination:/q\n\nx\0HELLO\nworld\n\n\0'))!;
    expect(m.summary).toBe('SEND /q');
    expect(m.error).toMatch(/not a STOMP command/);
    const noColon = decode(text('SEND\ndestination:/q\nnocolon\n\nx\0'))!;
    expect(noColon.summary).toBe('SEND /q');
    expect(noColon.error).toMatch(/without a colon/);
  });

  it('says so on a frame that is not STOMP (the connection is STOMP: it cannot be another protocol\'s)', () => {
    for (const t of ['{"type":"connection_init"}', 'hello world', 'send\ndestination:/q\n\n\0', '42']) {
      expect(decode(text(t)), JSON.stringify(t)).toMatchObject({ protocol: 'stomp', summary: '(not STOMP)', error: expect.stringMatching(/^not a STOMP frame: starts with /) });
    }
    expect(decode(binary(new Uint8Array([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54])))!.error).toMatch(/^not a STOMP frame/);
  });

  it('returns null for empty frames, and holds a frame cut inside its command line', () => {
    expect(decode(text(''))).toBeNull();
    expect(decode({ dir: 'sent', type: 'binary' })).toBeNull();
    expect(decode({ dir: 'sent', type: 'text' })).toBeNull();
    const s = stompDecoder.session();
    expect(s.decode(text('CONN'))).toMatchObject({ summary: 'CONN (continues)', partial: true });
    expect(s.decode(text('ECTED\nversion:1.2\n\n\0'))).toMatchObject({ summary: 'CONNECTED v1.2' });
  });
});

describe('STOMP detection', () => {
  it('is named by the v1x.stomp subprotocols', () => {
    for (const p of ['v10.stomp', 'v11.stomp', 'v12.stomp', 'V12.STOMP']) expect(decoderForSubprotocol(p)).toBe(stompDecoder);
  });

  it('is certain of CONNECT, STOMP and CONNECTED with their version header', () => {
    expect(stompDecoder.sniff(text('CONNECT\naccept-version:1.2,1.1\nheart-beat:0,0\n\n\0', 'sent'))).toBe(1);
    expect(stompDecoder.sniff(text('STOMP\r\nhost:x\r\naccept-version:1.2\r\n\r\n\0', 'sent'))).toBe(1);
    expect(stompDecoder.sniff(text('CONNECTED\nversion:1.2\n\n\0'))).toBe(1);
    expect(stompDecoder.sniff(binary('CONNECT\naccept-version:1.2\n\n\0'))).toBe(1);
    expect(stompDecoder.sniff(text('CONNECT\nlogin:a\n\n\0'))).toBeGreaterThanOrEqual(0.5);
    expect(sniffFrame(text('CONNECT\naccept-version:1.2\n\n\0'))).toBe(stompDecoder);
  });

  it('is fairly sure of other commands followed by header lines', () => {
    const s = stompDecoder.sniff(text('SEND\ndestination:/q\n\nhi\0'));
    expect(s).toBeGreaterThanOrEqual(0.5);
    expect(s).toBeLessThan(1);
    expect(stompDecoder.sniff(text('DISCONNECT\n\n\0'))).toBeGreaterThanOrEqual(0.5);
  });

  it('is not fooled by other traffic', () => {
    for (const t of ['\n', 'SEND', 'SEND me the file', 'SENDX\na:b\n\n\0', '{"type":"ping"}', 'MESSAGE\nnot a header line\n']) {
      expect(stompDecoder.sniff(text(t)), JSON.stringify(t)).toBeLessThan(0.5);
    }
  });
});

describe('STOMP garbage', () => {
  // A small deterministic generator, so a failure reproduces.
  let seed = 12345;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const ALPHABET = ['SEND', 'MESSAGE', 'CONNECT', 'CONNECTED', '\n', '\r\n', '\0', ':', '\\', '\\c', '\\n', 'content-length:', '3', '99', '-1', 'destination', '/q', '{', '}', 'é', '\ud800'];

  it('never throws, whatever the bytes or text', () => {
    const session = stompDecoder.session();
    for (let i = 0; i < 3000; i++) {
      const parts: string[] = [];
      for (let j = rand(12); j >= 0; j--) parts.push(ALPHABET[rand(ALPHABET.length)]!);
      const t = parts.join('');
      const frames: DecodeInput[] = [text(t, rand(2) ? 'sent' : 'received'), binary(Uint8Array.from({ length: rand(40) }, () => rand(256)))];
      for (const f of frames) {
        expect(() => stompDecoder.sniff(f)).not.toThrow();
        expect(() => session.decode(f)).not.toThrow();
        const m = safeDecode(session, f, 'stomp');
        if (m) expect(m.error ?? '').not.toMatch(/decoder failed/);
      }
    }
  });

  it('mutations of a valid frame decode or return null, never throw', () => {
    const valid = 'MESSAGE\ndestination:/topic/a\\cb\ncontent-length:4\nsubscription:1\n\nbody\0\n';
    for (let i = 0; i < valid.length; i++) {
      for (const insert of ['', '\0', '\n', '\\', 'x']) {
        const t = valid.slice(0, i) + insert + valid.slice(i + 1);
        expect(() => stompDecoder.session().decode(text(t))).not.toThrow();
      }
    }
  });
});
