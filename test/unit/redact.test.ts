/** Redaction is what makes a session safe to share: secrets go, everything else stays as it was. */
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../src/protocol/bytes';
import { DEFAULT_REDACT_KEYS, REDACTED, redactSession, stringifyIteratively } from '../../src/session/redact';
import type { SessionFileV1, SessionFrame } from '../../src/session/session-format';

const text = (t: string): SessionFrame => ({ connectionId: 'c1', direction: 'sent', type: 'text', at: 1, size: utf8ByteLength(t), text: t });

function session(frames: SessionFrame[], urls: { page?: string; url?: string; frameUrl?: string } = {}): SessionFileV1 {
  return {
    format: 'sockscope-session', version: 1, exportedAt: '2025-01-01T00:00:00.000Z',
    page: { url: urls.page ?? 'https://app.test/', title: 'App' },
    connections: [{
      id: 'c1', url: urls.url ?? 'wss://app.test/ws', frameUrl: urls.frameUrl ?? 'https://app.test/',
      requestedProtocols: ['v1'], protocol: 'v1', extensions: '',
      states: [{ state: 'OPEN', at: 1 }], close: null, errors: [],
    }],
    frames,
    dropped: { frames: 0, bytes: 0 },
  };
}

describe('redactSession: URLs', () => {
  it('replaces only the values of secret query parameters, leaving the rest of the URL byte-identical', () => {
    const r = redactSession(session([], {
      page: 'https://app.test/cb?code=1&Access_Token=abc.def&x=%20y#top',
      url: 'wss://app.test/ws?token=s3cr3t&room=42',
      frameUrl: 'https://app.test/f?apikey=k&apikey=k2',
    }));
    expect(r.page.url).toBe('https://app.test/cb?code=1&Access_Token=[redacted]&x=%20y#top');
    expect(r.connections[0]!.url).toBe('wss://app.test/ws?token=[redacted]&room=42');
    expect(r.connections[0]!.frameUrl).toBe('https://app.test/f?apikey=[redacted]&apikey=[redacted]');
    expect(r.redacted.count).toBe(4);
  });

  it('matches percent-encoded parameter names, and fragment parameters (OAuth implicit flow)', () => {
    const r = redactSession(session([], { page: 'https://app.test/#access_%74oken=abc&state=1' }));
    expect(r.page.url).toBe('https://app.test/#access_%74oken=[redacted]&state=1');
  });

  it('leaves URLs that do not parse, and parameters without a value', () => {
    const r = redactSession(session([], { page: 'not a url?token=abc', url: 'wss://app.test/ws?token' }));
    expect(r.page.url).toBe('not a url?token=abc');
    expect(r.connections[0]!.url).toBe('wss://app.test/ws?token');
    expect(r.redacted.count).toBe(0);
  });
});

describe('redactSession: frames', () => {
  it('replaces secret keys at any depth in JSON, objects inside arrays too, and updates size', () => {
    const r = redactSession(session([text(JSON.stringify({ op: 'auth', Password: 'pä55', data: { items: [{ id: 1, session: { id: 'x' } }, [{ secret: 7 }]] } }))]));
    const f = r.frames[0]!;
    expect(JSON.parse(f.text!)).toEqual({ op: 'auth', Password: REDACTED, data: { items: [{ id: 1, session: REDACTED }, [{ secret: REDACTED }]] } });
    expect(f.size).toBe(utf8ByteLength(f.text!));
    expect(r.redacted.count).toBe(3);
  });

  it('leaves JSON without secrets exactly as it was (no re-serialization)', () => {
    const t = '{ "op" : "ping",  "n": 1.0 }';
    const r = redactSession(session([text(t)]));
    expect(r.frames[0]!.text).toBe(t);
    expect(r.frames[0]!.size).toBe(utf8ByteLength(t));
  });

  it('redacts key=value&… text frames; leaves other text and binary frames', () => {
    const binary: SessionFrame = { connectionId: 'c1', direction: 'received', type: 'binary', at: 2, size: 3, base64: 'AQID' };
    const r = redactSession(session([text('user=bob&passwd=hunter2&remember=1'), text('token is abc'), binary]));
    expect(r.frames[0]!.text).toBe('user=bob&passwd=[redacted]&remember=1');
    expect(r.frames[0]!.size).toBe(utf8ByteLength('user=bob&passwd=[redacted]&remember=1'));
    expect(r.frames[1]!.text).toBe('token is abc');
    expect(r.frames[2]).toEqual(binary);
    expect(r.redacted.count).toBe(1);
  });

  it('uses the keys it is given, case-insensitively, and reports them', () => {
    const r = redactSession(session([text('{"PIN":"1234","token":"t"}')]), ['pin']);
    expect(r.frames[0]!.text).toBe('{"PIN":"[redacted]","token":"t"}');
    expect(r.redacted).toEqual({ keys: ['pin'], count: 1 });
    expect(redactSession(session([])).redacted.keys).toEqual([...DEFAULT_REDACT_KEYS]);
  });

  it('handles JSON nested 100,000 deep without overflowing the stack', () => {
    const depth = 100_000;
    const deep = '[{"a":'.repeat(depth) + '{"token":"t"}' + '}]'.repeat(depth);
    const r = redactSession(session([text(deep)]));
    expect(r.frames[0]!.text).toBe('[{"a":'.repeat(depth) + '{"token":"[redacted]"}' + '}]'.repeat(depth));
    expect(r.redacted.count).toBe(1);
  });
});

describe('redactSession: purity', () => {
  it('returns a new object and never changes its input', () => {
    const input = session([text('{"token":"t"}')], { url: 'wss://app.test/?token=t' });
    const copy = structuredClone(input);
    const r = redactSession(input);
    expect(input).toEqual(copy);
    expect(r.connections[0]).not.toBe(input.connections[0]);
    expect(r.connections[0]!.states).not.toBe(input.connections[0]!.states);
    expect(r.frames[0]).not.toBe(input.frames[0]);
  });
});

describe('stringifyIteratively', () => {
  it('writes what JSON.stringify writes', () => {
    const v = JSON.parse('{"a":[1,"x\\n\\u2028",true,null,{}],"b":{"c":[]},"1":-0.5,"__proto__":{"d":"é"}}') as unknown;
    expect(stringifyIteratively(v)).toBe(JSON.stringify(v));
  });
});
