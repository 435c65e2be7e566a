/**
 * Session files are what users keep and share: the export must match the documented format
 * (README and the JSON Schema) exactly.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import type { WorkerLabel } from '../../src/protocol/capture-events';
import { encodeSession, sessionFileName } from '../../src/session/encode-session';
import { SESSION_FORMAT, SESSION_VERSION } from '../../src/session/session-format';
import schema from '../../src/session/sockscope-session.schema.json';
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

describe('session JSON Schema agrees with encodeSession', () => {
  const file = encodeSession(sourceOf(capturedModel()), EXPORTED_AT);
  const sorted = (xs: readonly string[]) => [...xs].sort();
  const textFrame = file.frames.find((f) => f.type === 'text')!;
  const binaryFrame = file.frames.find((f) => f.type === 'binary')!;
  const closedConnection = file.connections.find((c) => c.close !== null)!;

  it('top level: required = the keys written', () => {
    expect(sorted(schema.required)).toEqual(sorted(Object.keys(file)));
    // Besides what every file has: the optional notes a redacted or a filtered export adds, and the
    // notices of workers not captured (written only when there are some).
    expect(sorted(Object.keys(schema.properties))).toEqual(sorted([...Object.keys(file), 'notices', 'redacted', 'filtered']));
    expect(schema.properties.format.const).toBe(SESSION_FORMAT);
    expect(schema.properties.version.const).toBe(SESSION_VERSION);
  });

  it('page and dropped: required = the keys written', () => {
    expect(sorted(schema.properties.page.required)).toEqual(sorted(Object.keys(file.page)));
    expect(sorted(schema.properties.dropped.required)).toEqual(sorted(Object.keys(file.dropped)));
  });

  it('connection: required = the keys written, and so are the close keys', () => {
    const conn = schema.$defs.connection;
    for (const c of file.connections) expect(sorted(conn.required)).toEqual(sorted(Object.keys(c)));
    // `worker` is the one optional key: written only for sockets a worker opened.
    expect(sorted(Object.keys(conn.properties))).toEqual(sorted([...Object.keys(closedConnection), 'worker']));
    const closeObject = conn.properties.close.oneOf.find((o) => o.type === 'object') as { required: string[] };
    expect(sorted(closeObject.required)).toEqual(sorted(Object.keys(closedConnection.close!)));
    expect(sorted(conn.properties.states.items.required)).toEqual(sorted(Object.keys(closedConnection.states[0]!)));
  });

  it('worker label and notice: the keys written fit the schema', () => {
    // A capture with a named worker's socket and a notice, so both optional parts are written.
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1_000_000 });
    const worker: WorkerLabel = { kind: 'dedicated', type: 'module', url: 'https://a.test/w.js', name: 'feed' };
    m.ingest(batch([{ k: 'create', seq: 1, sock: 1, at: 1001, url: 'wss://a/', protocols: [], worker }, { k: 'notice', seq: 2, sock: 0, at: 1002, worker, reason: 'csp' }]));
    const withWorkers = encodeSession({ ...sourceOf(m), notices: m.notices.map(({ key: _key, ...n }) => n) }, EXPORTED_AT);
    const label = schema.$defs.workerLabel;
    const written = Object.keys(withWorkers.connections[0]!.worker!);
    expect(sorted(written)).toEqual(sorted(Object.keys(label.properties))); // name given: every key
    for (const k of label.required) expect(written).toContain(k);
    expect(schema.$defs.connection.properties.worker.$ref).toBe('#/$defs/workerLabel');
    const notice = schema.properties.notices.items;
    expect(sorted(Object.keys(withWorkers.notices![0]!))).toEqual(sorted(notice.required));
    expect(sorted(Object.keys(notice.properties))).toEqual(sorted(notice.required));
    expect(notice.properties.worker.$ref).toBe('#/$defs/workerLabel');
  });

  it('frame: required + the payload key of its type = the keys written', () => {
    const frame = schema.$defs.frame;
    const payloadKey = (type: string) => frame.oneOf.find((o) => o.properties.type.const === type)!.required;
    expect(sorted([...frame.required, ...payloadKey('text')])).toEqual(sorted(Object.keys(textFrame)));
    expect(sorted([...frame.required, ...payloadKey('binary')])).toEqual(sorted(Object.keys(binaryFrame)));
    // `origin` is the one optional key: written only for frames the panel made.
    expect(sorted(Object.keys(frame.properties))).toEqual(sorted([...new Set([...Object.keys(textFrame), ...Object.keys(binaryFrame), 'origin'])]));
    expect(frame.properties.origin.enum).toEqual(['resent', 'composed', 'injected', 'modified']);
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
