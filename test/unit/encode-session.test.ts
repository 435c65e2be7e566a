/**
 * Session files are what users keep and share: the export must match the documented format
 * (README and the JSON Schema) exactly.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import type { WorkerLabel } from '../../src/protocol/capture-events';
import { encodeSession, sessionFileName } from '../../src/session/encode-session';
import { schema, schemaError, schemaProperties } from '../support/session-schema';
import { EXPORTED_AT, capturedModel, sourceOf } from './fixtures/session-capture';
import { batch, closed, created, doc, sentText } from './fixtures/wire-events';

describe('encodeSession', () => {
  const file = encodeSession(sourceOf(capturedModel()), EXPORTED_AT);

  it('writes the format header, export time, page and dropped counts', () => {
    expect(file.format).toBe('sockscope-session');
    expect(file.version).toBe(1);
    expect(file.exportedAt).toBe('2025-03-04T05:06:07.089Z');
    expect(file.page).toEqual({ url: 'https://chat.test/room', title: 'Room' });
    expect(file.dropped).toEqual({ frames: 1, bytes: 3 });
  });

  it('writes text frames with `text` and binary frames with `base64`, never both', () => {
    expect(file.frames[1]).toEqual({ connectionId: 'top:1', direction: 'sent', type: 'text', at: 1003, size: 9, text: 'hello ☃' });
    expect(file.frames[2]).toEqual({ connectionId: 'top:1', direction: 'received', type: 'binary', at: 1004, size: 4, base64: 'AAEC/w==' });
  });

  it('writes connections with their states, close and errors', () => {
    expect(file.connections.map((c) => c.id)).toEqual(['top:1', 'top:2', 'iframe:1']);
    expect(file.connections[0]).toEqual({
      id: 'top:1', url: 'wss://chat.test/ws', frameUrl: 'https://chat.test/room', requestedProtocols: ['v2', 'v1'],
      protocol: 'v2', extensions: 'permessage-deflate',
      states: [{ state: 'CONNECTING', at: 1001 }, { state: 'OPEN', at: 1002 }], close: null, errors: [],
    });
    expect(file.connections[1]).toMatchObject({
      states: [{ state: 'CONNECTING', at: 1005 }, { state: 'CLOSING', at: 1007 }, { state: 'CLOSED', at: 1008 }],
      close: { code: 1011, reason: 'oops', wasClean: false, initiator: 'server' },
      errors: [1006],
    });
  });

  it('orders frames by time across documents, keeping equal times in capture order', () => {
    // Top frames are at 1003 and 1004; the iframe frame is at 1002 (seq 2 of its document).
    expect(file.frames.map((f) => [f.connectionId, f.at])).toEqual([['iframe:1', 1002], ['top:1', 1003], ['top:1', 1004]]);

    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1_000_000 });
    const sameTime = (seq: number, text: string) => ({ ...sentText(seq, 1, text), at: 5000 });
    m.ingest(batch([created(1, 1, 'wss://a/'), sameTime(2, 'first'), sameTime(3, 'second'), { ...sentText(4, 1, 'earlier'), at: 10 }, sameTime(5, 'third')]));
    expect(encodeSession(sourceOf(m), EXPORTED_AT).frames.map((f) => f.text)).toEqual(['earlier', 'first', 'second', 'third']);
  });

  it('does not share arrays or objects with the live model (later capture cannot change an export)', () => {
    const m = capturedModel();
    const exported = encodeSession(sourceOf(m), EXPORTED_AT);
    m.ingest(batch([closed(9, 1)], { doc: doc('top', { url: 'https://chat.test/room', title: 'Room' }) }));
    expect(m.connections[0]!.states).toHaveLength(3);
    expect(exported.connections[0]!.states).toHaveLength(2);
  });
});

describe('encodeSession writes what the JSON Schema declares, leaving nothing to defaults', () => {
  // A capture with a named worker's socket and a notice too, so that the optional parts are written.
  const m = capturedModel();
  const worker: WorkerLabel = { kind: 'dedicated', type: 'module', url: 'https://a.test/w.js', name: 'feed' };
  m.ingest(batch([{ k: 'create', seq: 1, sock: 1, at: 1001, url: 'wss://a/', protocols: [], worker }, { k: 'notice', seq: 2, sock: 0, at: 1002, worker, reason: 'csp' }], { doc: doc('worker-frame', { top: false, url: 'https://a.test/' }) }));
  const files = {
    plain: encodeSession(sourceOf(capturedModel()), EXPORTED_AT),
    'with workers': encodeSession({ ...sourceOf(m), notices: m.notices.map(({ key: _key, ...n }) => n) }, EXPORTED_AT),
  };
  const properties = schemaProperties();
  /** Every record in the file with its place: "connections[].close" for each closed connection's close. */
  const records = (v: unknown, path = ''): [string, Record<string, unknown>][] =>
    Array.isArray(v) ? v.flatMap((x) => records(x, `${path}[]`))
      : v !== null && typeof v === 'object' ? [[path, v as Record<string, unknown>], ...Object.entries(v).flatMap(([k, x]) => records(x, path ? `${path}.${k}` : k))] : [];

  it.each(Object.entries(files))('%s: the schema accepts it', (_, file) => {
    expect(schemaError(file)).toBeUndefined();
    expect(file.format).toBe(schema.properties.format.const);
    expect(file.version).toBe(schema.properties.version.const);
  });

  it.each(Object.entries(files))('%s: every field it writes is declared, and every field with a default is written', (_, file) => {
    for (const [path, rec] of records(file)) {
      const own = properties.filter((p) => p.path.slice(0, p.path.lastIndexOf('.') + 1) === (path ? `${path}.` : ''));
      for (const key of Object.keys(rec)) expect(own.map((p) => p.path), `${path}.${key}`).toContain(path ? `${path}.${key}` : key);
      for (const p of own.filter((x) => x.required || x.requiredForTypes?.includes(rec.type as string) || 'default' in x)) expect(rec, p.path).toHaveProperty(p.path.slice(p.path.lastIndexOf('.') + 1));
    }
  });

  it('writes the optional parts when there is something to say: a worker, notices, a frame\'s size', () => {
    const written = new Set(records(files['with workers']).flatMap(([path, rec]) => Object.keys(rec).map((k) => (path ? `${path}.${k}` : k))));
    for (const p of ['connections[].worker', 'connections[].worker.name', 'notices', 'notices[].worker', 'frames[].size']) expect(written).toContain(p);
  });
});

describe('sessionFileName', () => {
  const when = new Date(2025, 0, 2, 3, 4, 5); // local time, as the file name uses

  it('is sockscope-<host>-<yyyymmdd-hhmmss>.json', () => {
    expect(sessionFileName('https://chat.example.com/room?id=1', when)).toBe('sockscope-chat.example.com-20250102-030405.json');
  });

  it('keeps the port, with a file-name-safe separator', () => {
    expect(sessionFileName('http://localhost:8080/', when)).toBe('sockscope-localhost_8080-20250102-030405.json');
  });

  it('says "page" for pages without a host', () => {
    expect(sessionFileName('about:blank', when)).toBe('sockscope-page-20250102-030405.json');
    expect(sessionFileName('', when)).toBe('sockscope-page-20250102-030405.json');
  });

  it('pads every part of the time to two digits, and uses the whole year', () => {
    expect(sessionFileName('https://a.test/', new Date(2031, 11, 31, 23, 59, 58))).toBe('sockscope-a.test-20311231-235958.json');
  });
});
