/**
 * The promise: "round trip: export → import → export gives identical JSON, apart from
 * exportedAt". A realistic capture goes through the panel's own path: CaptureModel (live) →
 * buildExport → readSessionText → SessionLoader (chunked, as the import worker sends it) →
 * CaptureModel (imported) → buildExport again. The same through HAR, with redaction and with a
 * filtered export, whose notes must survive the second export.
 */
import { describe, expect, it } from 'vitest';
import { buildExport, type ExportOptions, type ExportSource } from '../../src/panel/export/export-file';
import { chunkEnd } from '../../src/panel/import/import-messages';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { SessionLoader } from '../../src/panel/model/session-loader';
import type { FrameRecord, Row } from '../../src/panel/model/types';
import type { WireEvent } from '../../src/protocol/capture-events';
import { base64ToBytes } from '../../src/protocol/bytes';
import { readSessionText, type SessionFileKind } from '../../src/session/read-session-file';
import { DEFAULT_REDACT_KEYS, REDACTED } from '../../src/session/redact';
import type { SessionFileV1, SessionFrame } from '../../src/session/session-format';
import {
  batch, cloned, closed, closingBy, created, doc, errored, opened, receivedBinary, receivedText, sentBinary, sentText,
} from './fixtures/wire-events';

const ROOMY = { maxFrames: 1_000_000, maxBytes: 1_000_000_000 };
const VERSION = '1.0.0';
const FIRST_EXPORT = new Date('2025-03-04T05:06:07.089Z');
const IMPORTED_AT = new Date('2025-03-05T00:00:00.000Z');
const SECOND_EXPORT = new Date('2025-03-06T10:11:12.345Z');

const T0 = 1_741_064_767_000;
/** The event at T0 + ms (fractional milliseconds, as performance.now() gives). */
const at = <E extends WireEvent>(ev: E, ms: number): E => ({ ...ev, at: T0 + ms });

const TOP = doc('top-doc', { url: 'https://app.test/room?session=abc', title: 'Room' });
const AD = doc('ad-doc', { top: false, url: 'https://ads.test/frame', title: 'Ad' });
const bigBinary = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);

/**
 * Three sockets in the top page (one closed by the page with a clean close, one errored and closed
 * by the server, one still open), one in an iframe; text and binary both ways; frames the panel
 * resent, composed and injected; frames lost by the hook in both documents.
 */
function liveModel(form: (ev: WireEvent) => WireEvent = (ev) => ev): CaptureModel {
  const m = new CaptureModel(ROOMY);
  const ingest = (b: ReturnType<typeof batch>) => m.ingest({ ...b, events: b.events.map(form) });
  ingest(batch([
    at(created(1, 1, 'wss://chat.test/ws?access_token=s3cr3t&room=42', ['v2', 'v1']), 1.25),
    at(opened(2, 1, 'v2', 'permessage-deflate'), 10.5),
    at(sentText(3, 1, '{"type":"auth","token":"abc123","user":{"name":"ann","password":"hunter2"}}'), 12),
    at(receivedText(4, 1, '{"type":"welcome","session":"sess-1","items":[1,2,3]}'), 20.125),
    at(receivedBinary(5, 1, [0, 1, 2, 255, 128]), 21),
    at(created(6, 2, 'wss://feed.test/live'), 22),
    at(sentBinary(7, 1, bigBinary), 30.0625),
  ], { doc: TOP, lost: { frames: 2, bytes: 30 } }));
  ingest(batch([
    at(created(1, 1, 'wss://ads.test/rt'), 5),
    at(opened(2, 1), 6),
    at(receivedText(3, 1, 'ad ☃ 𝄞'), 11),
    at(receivedBinary(4, 1, [9, 9]), 45),
  ], { doc: AD, frameId: 7, lost: { frames: 1, bytes: 4 } }));
  ingest(batch([
    at(opened(8, 2), 40),
    at(receivedText(9, 2, 'tick ☃ 1'), 41),
    at({ ...sentText(10, 1, 'ping'), origin: 'resent' as const }, 50),
    at({ ...receivedText(11, 1, '{"type":"note"}'), origin: 'injected' as const }, 51),
    at(errored(12, 2), 60),
    at(closingBy(13, 2, 'server'), 61),
    at(closed(14, 2, 1011, 'server restarting', false), 62),
    at({ ...sentText(15, 1, ''), origin: 'composed' as const }, 70),
    at(sentText(16, 1, 'bye'), 80),
    at(closingBy(17, 1, 'page'), 80),
    at(closed(18, 1, 1000, 'done', true), 80), // same time as the last frame: the close still comes after it
    at(created(19, 3, 'ws://localhost:8080/socket', ['graphql-ws']), 90),
    at(opened(20, 3, 'graphql-ws'), 95),
    at(sentText(21, 3, 'user=ann&password=pw'), 96),
  ], { doc: TOP, lost: { frames: 2, bytes: 30 } }));
  return m;
}

type Notes = ExportSource['notes'];

/** What src/panel/export-session.ts's exportSource builds from a store's model. */
function sourceOf(m: CaptureModel, notes: Notes = {}, filtered: ExportSource['filtered'] = null): ExportSource {
  return { page: m.page, connections: m.connections, frames: m.allFrames(), filtered, dropped: m.dropped(), notices: m.notices, notes };
}

const ALL: ExportOptions = { format: 'session', onlyFiltered: false, redact: false, redactKeys: [] };
const HAR: ExportOptions = { ...ALL, format: 'har' };
const REDACT: ExportOptions = { ...ALL, redact: true, redactKeys: DEFAULT_REDACT_KEYS };

type Chunking = (frames: readonly SessionFrame[], start: number) => number;
const CHUNKINGS: [string, Chunking][] = [
  ['chunkEnd', chunkEnd],
  ['1 frame', (_, s) => s + 1],
  ['5 frames', (_, s) => s + 5],
  ['7 frames', (_, s) => s + 7],
];

interface Imported { model: CaptureModel; notes: Notes; session: SessionFileV1; kind: SessionFileKind; chunks: number }

/** What the workspace does with a file: read it, then load header and frames chunk by chunk. */
function importText(text: string, chunking: Chunking = chunkEnd): Imported {
  const r = readSessionText(text, IMPORTED_AT);
  if (!r.ok) throw new Error(`import refused: ${r.error}`);
  const { frames, ...header } = r.session;
  const model = new CaptureModel(ROOMY);
  const notes: Notes = { ...(header.redacted && { redacted: header.redacted }), ...(header.filtered && { filtered: header.filtered }) };
  const loader = new SessionLoader(model, header);
  let chunks = 0;
  for (let start = 0; start < frames.length;) {
    const end = Math.min(frames.length, chunking(frames, start));
    expect(end).toBeGreaterThan(start);
    loader.addFrames(frames.slice(start, end));
    chunks++;
    start = end;
  }
  loader.finish();
  return { model, notes, session: r.session, kind: r.kind, chunks };
}

const EXPORTED_AT_FIELD = /"exportedAt": "[^"]*"/g;
/** The text with its one exportedAt blanked (and a check there is exactly one). */
function withoutExportedAt(text: string): string {
  expect(text.match(EXPORTED_AT_FIELD)).toHaveLength(1);
  return text.replace(EXPORTED_AT_FIELD, '"exportedAt": "…"');
}
const parsed = (text: string) => JSON.parse(text) as SessionFileV1;

describe('session round trip: export → import → export', () => {
  const live = liveModel();
  const first = buildExport(sourceOf(live), ALL, FIRST_EXPORT, VERSION);
  const file = parsed(first.text);

  it('starts from a capture that has everything a session can hold', () => {
    expect(file.connections.map((c) => c.id)).toEqual(['top-doc:1', 'top-doc:2', 'ad-doc:1', 'top-doc:3']);
    expect(file.frames).toHaveLength(12);
    expect(new Set(file.frames.map((f) => f.type))).toEqual(new Set(['text', 'binary']));
    expect(new Set(file.frames.map((f) => f.direction))).toEqual(new Set(['sent', 'received']));
    expect(file.frames.map((f) => f.origin).filter(Boolean)).toEqual(['resent', 'injected', 'composed']);
    expect(file.connections[1]!.close).toEqual({ code: 1011, reason: 'server restarting', wasClean: false, initiator: 'server' });
    expect(file.connections[1]!.errors).toEqual([T0 + 60]);
    expect(file.connections[2]!.frameUrl).toBe('https://ads.test/frame');
    expect(file.dropped).toEqual({ frames: 3, bytes: 34 });
    expect(file.exportedAt).toBe(FIRST_EXPORT.toISOString());
  });

  it.each(CHUNKINGS)('gives identical JSON apart from exportedAt (frames loaded in chunks: %s)', (name, chunking) => {
    const imported = importText(first.text, chunking);
    expect(imported.kind).toBe('sockscope');
    if (name === '1 frame') expect(imported.chunks).toBe(12);
    if (name === '7 frames') expect(imported.chunks).toBe(2);
    const second = buildExport(sourceOf(imported.model, imported.notes), ALL, SECOND_EXPORT, VERSION);
    expect(parsed(second.text).exportedAt).toBe(SECOND_EXPORT.toISOString());
    expect(withoutExportedAt(second.text)).toBe(withoutExportedAt(first.text));
    const unstamped = (name: string) => name.replace(/-\d{8}-\d{6}\./, '.');
    expect(unstamped(second.name)).toBe(unstamped(first.name));
    expect(unstamped(first.name)).toBe('sockscope-app.test.json');
  });

  it('exports the same file when the capture\'s binary reached the panel as buffers (structured-clone messaging)', () => {
    const viaBuffers = liveModel(cloned);
    expect(viaBuffers.binaryArrivals.buffers).toBeGreaterThan(0);
    expect(viaBuffers.binaryArrivals.base64).toBe(0);
    expect(buildExport(sourceOf(viaBuffers), ALL, FIRST_EXPORT, VERSION).text).toBe(first.text);
    expect(buildExport(sourceOf(viaBuffers), HAR, FIRST_EXPORT, VERSION).text).toBe(buildExport(sourceOf(live), HAR, FIRST_EXPORT, VERSION).text);
  });

  it('stays identical over several generations', () => {
    let text = first.text;
    for (let i = 0; i < 3; i++) {
      const { model, notes } = importText(text, (_, s) => s + 3);
      text = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION).text;
    }
    expect(withoutExportedAt(text)).toBe(withoutExportedAt(first.text));
  });

  it('keeps the file\'s connection ids, so frames still belong to the same connections', () => {
    const { model } = importText(first.text);
    expect(model.connections.map((c) => c.id)).toEqual(file.connections.map((c) => c.id));
    expect(model.allFrames().map((f) => f.connId)).toEqual(file.frames.map((f) => f.connectionId));
  });

  it('shows the dropped counts the file carries', () => {
    const { model } = importText(first.text);
    expect(model.dropped()).toEqual({ frames: 3, bytes: 34 });
    expect(model.dropped()).toEqual(live.dropped());
  });

  it('counts each connection\'s frames and bytes as the file has them', () => {
    const { model } = importText(first.text, (_, s) => s + 5);
    for (const c of file.connections) {
      const mine = file.frames.filter((f) => f.connectionId === c.id);
      const sum = (fs: SessionFrame[]) => fs.reduce((n, f) => n + f.size, 0);
      const sent = mine.filter((f) => f.direction === 'sent');
      const received = mine.filter((f) => f.direction === 'received');
      const loaded = model.connections.find((x) => x.id === c.id)!;
      expect({ id: c.id, framesOut: loaded.framesOut, framesIn: loaded.framesIn, bytesOut: loaded.bytesOut, bytesIn: loaded.bytesIn })
        .toEqual({ id: c.id, framesOut: sent.length, framesIn: received.length, bytesOut: sum(sent), bytesIn: sum(received) });
      const original = live.connections.find((x) => x.id === c.id)!;
      expect([loaded.framesOut, loaded.framesIn, loaded.bytesOut, loaded.bytesIn])
        .toEqual([original.framesOut, original.framesIn, original.bytesOut, original.bytesIn]);
    }
    expect(file.connections.length).toBe(4);
  });

  const rowsOf = (m: CaptureModel, id: string) => [...m.rows].filter((r): r is Exclude<Row, { kind: 'navigation' }> => r.kind !== 'navigation' && r.connId === id);
  const label = (r: Row) => (r.kind === 'frame' ? `frame ${r.dir} ${r.type} ${r.data}` : r.kind === 'lifecycle' ? r.event : 'navigation');

  it('rebuilds lifecycle rows: connecting, open, the frames, close, in that order', () => {
    const { model } = importText(first.text, (_, s) => s + 2);
    const rows = rowsOf(model, 'top-doc:1');
    const frames = file.frames.filter((f) => f.connectionId === 'top-doc:1');
    expect(frames).toHaveLength(8);
    expect(rows.map((r) => (r.kind === 'frame' ? 'frame' : r.kind === 'lifecycle' ? r.event : '?')))
      .toEqual(['connecting', 'open', ...frames.map(() => 'frame'), 'close']);
    // The panel keeps binary as bytes: the file's base64 is decoded once, at import.
    expect(rows.filter((r): r is FrameRecord => r.kind === 'frame').map((r) => r.data)).toEqual(frames.map((f) => f.text ?? base64ToBytes(f.base64!)));
    expect(rows.filter((r): r is FrameRecord => r.kind === 'frame' && r.type === 'binary').every((r) => r.data instanceof Uint8Array)).toBe(true);
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort((a, b) => a - b));
    expect(rows.at(-1)).toMatchObject({ kind: 'lifecycle', event: 'close', text: 'close 1000 Normal Closure: done (by page)', at: T0 + 80 });
    expect(rows[0]).toMatchObject({ kind: 'lifecycle', event: 'connecting', text: 'connecting wss://chat.test/ws?access_token=s3cr3t&room=42 (v2, v1)' });
    expect(rows[1]).toMatchObject({ kind: 'lifecycle', event: 'open', text: 'open protocol v2 · permessage-deflate' });
  });

  it('rebuilds the error row of an errored connection between its frames and its close', () => {
    const { model } = importText(first.text);
    expect(rowsOf(model, 'top-doc:2').map(label)).toEqual(['connecting', 'open', 'frame received text tick ☃ 1', 'error', 'close']);
  });

  it('reads like the live capture: each connection has the same rows, in the same order, with the same text', () => {
    const { model } = importText(first.text, (_, s) => s + 7);
    const shape = (r: Row) => (r.kind === 'frame'
      ? { kind: r.kind, dir: r.dir, type: r.type, at: r.at, size: r.size, data: r.data, origin: r.origin }
      : r.kind === 'lifecycle' ? { kind: r.kind, event: r.event, at: r.at, text: r.text } : r);
    for (const c of file.connections) {
      expect(rowsOf(model, c.id).map(shape), c.id).toEqual(rowsOf(live, c.id).map(shape));
    }
  });
});

describe('round trip through HAR', () => {
  const live = liveModel();
  const sessionText = buildExport(sourceOf(live), ALL, FIRST_EXPORT, VERSION).text;
  const har = buildExport(sourceOf(live), HAR, FIRST_EXPORT, VERSION);

  it('is read back as a HAR', () => {
    expect(har.name).toMatch(/\.har$/);
    expect(importText(har.text).kind).toBe('har');
  });

  it.each(CHUNKINGS)('HAR → import → session export equals the session export (chunks: %s)', (_, chunking) => {
    const { model, notes } = importText(har.text, chunking);
    const again = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION);
    expect(withoutExportedAt(again.text)).toBe(withoutExportedAt(sessionText));
  });

  it('HAR → import → HAR export gives the same HAR', () => {
    const { model, notes } = importText(har.text);
    expect(buildExport(sourceOf(model, notes), HAR, SECOND_EXPORT, VERSION).text).toBe(har.text);
  });

  it('session → import → HAR export equals the HAR exported from the live capture', () => {
    const { model, notes } = importText(sessionText);
    expect(buildExport(sourceOf(model, notes), HAR, SECOND_EXPORT, VERSION).text).toBe(har.text);
  });

  it('shows the dropped counts and the lifecycle rows the HAR carries', () => {
    const { model } = importText(har.text);
    expect(model.dropped()).toEqual({ frames: 3, bytes: 34 });
    expect(rowsOf(model, 'top-doc:1')).toEqual(rowsOf(importText(sessionText).model, 'top-doc:1'));
  });

  const rowsOf = (m: CaptureModel, id: string) => [...m.rows].filter((r) => r.kind !== 'navigation' && r.connId === id)
    .map((r) => (r.kind === 'frame' ? [r.dir, r.type, r.at, r.size, r.data, r.origin] : r.kind === 'lifecycle' ? [r.event, r.at, r.text] : []));
});

describe('notes survive re-export: redacted', () => {
  const live = liveModel();
  const redacted = buildExport(sourceOf(live), REDACT, FIRST_EXPORT, VERSION);
  const file = parsed(redacted.text);

  it('masks the secrets and records what it masked', () => {
    expect(redacted.redactedValues).toBeGreaterThanOrEqual(5);
    expect(file.redacted).toEqual({ keys: [...DEFAULT_REDACT_KEYS], count: redacted.redactedValues });
    for (const secret of ['s3cr3t', 'abc123', 'hunter2', 'sess-1', '=pw']) expect(redacted.text).not.toContain(secret);
    expect(file.connections[0]!.url).toBe(`wss://chat.test/ws?access_token=${REDACTED}&room=42`);
    expect(file.page.url).toBe(`https://app.test/room?session=${REDACTED}`);
    expect(file.frames.find((f) => f.text?.includes('"auth"'))!.text)
      .toBe(`{"type":"auth","token":"${REDACTED}","user":{"name":"ann","password":"${REDACTED}"}}`);
  });

  it('an import of it, exported without redaction, keeps the record and the masked values', () => {
    for (const [, chunking] of CHUNKINGS) {
      const { model, notes } = importText(redacted.text, chunking);
      const again = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION);
      expect(parsed(again.text).redacted).toEqual(file.redacted);
      expect(again.text).toContain(`access_token=${REDACTED}`);
      expect(withoutExportedAt(again.text)).toBe(withoutExportedAt(redacted.text));
    }
  });

  it('the same through HAR: redacted HAR → import → session export', () => {
    const redactedHar = buildExport(sourceOf(live), { ...REDACT, format: 'har' }, FIRST_EXPORT, VERSION);
    const { model, notes } = importText(redactedHar.text);
    expect(notes.redacted).toEqual(file.redacted);
    const again = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION);
    expect(withoutExportedAt(again.text)).toBe(withoutExportedAt(redacted.text));
  });

  it('the imported model counts the masked frames at their masked size', () => {
    const { model } = importText(redacted.text);
    const c = model.connections.find((x) => x.id === 'top-doc:1')!;
    const sent = file.frames.filter((f) => f.connectionId === 'top-doc:1' && f.direction === 'sent');
    expect(c.bytesOut).toBe(sent.reduce((n, f) => n + f.size, 0));
  });
});

describe('notes survive re-export: filtered', () => {
  const live = liveModel();
  const all = live.allFrames();
  const shown = all.filter((f) => f.connId === 'top-doc:1' && f.type === 'text');
  const filteredSource = sourceOf(live, {}, { frames: shown, query: 'types: text, lifecycle; 1 connection: top-doc:1', connectionIds: ['top-doc:1'] });
  const exported = buildExport(filteredSource, { ...ALL, onlyFiltered: true }, FIRST_EXPORT, VERSION);
  const file = parsed(exported.text);

  it('writes only what the filter shows, and says so', () => {
    expect(file.frames).toHaveLength(shown.length);
    expect(file.connections.map((c) => c.id)).toEqual(['top-doc:1']);
    expect(file.filtered).toEqual({ query: 'types: text, lifecycle; 1 connection: top-doc:1', ofFrames: all.length });
  });

  it.each(['session', 'har'] as const)('re-exporting an import of it (%s) keeps `filtered`', (format) => {
    const text = format === 'session' ? exported.text : buildExport(filteredSource, { ...HAR, onlyFiltered: true }, FIRST_EXPORT, VERSION).text;
    const { model, notes } = importText(text, (_, s) => s + 3);
    expect(notes.filtered).toEqual(file.filtered);
    const again = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION);
    expect(parsed(again.text).filtered).toEqual(file.filtered);
    expect(withoutExportedAt(again.text)).toBe(withoutExportedAt(exported.text));
  });

  it('a filtered and redacted export keeps both records through an import', () => {
    const both = buildExport(filteredSource, { ...REDACT, onlyFiltered: true, format: 'har' }, FIRST_EXPORT, VERSION);
    const { model, notes } = importText(both.text);
    const again = parsed(buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION).text);
    expect(again.filtered).toEqual(file.filtered);
    expect(again.redacted).toEqual({ keys: [...DEFAULT_REDACT_KEYS], count: both.redactedValues });
    expect(both.redactedValues).toBeGreaterThan(0);
  });
});

describe('round trip of a capture larger than one import chunk', () => {
  it('loads 25,000 frames in several chunkEnd chunks and exports the same file', () => {
    const m = new CaptureModel(ROOMY);
    const events: WireEvent[] = [at(created(1, 1, 'wss://bulk.test/'), 0), at(opened(2, 1), 1)];
    for (let i = 0; i < 25_000; i++) {
      const seq = i + 3;
      events.push(at(i % 3 === 0 ? receivedBinary(seq, 1, [i & 255, (i >> 8) & 255]) : i % 2 ? sentText(seq, 1, `m${i}`) : receivedText(seq, 1, `r${i}`), 2 + i / 8));
    }
    events.push(at(closed(events.length + 1, 1, 4000, 'app said so', true), 10_000));
    m.ingest(batch(events, { doc: TOP }));
    const first = buildExport(sourceOf(m), ALL, FIRST_EXPORT, VERSION);
    const imported = importText(first.text);
    expect(imported.chunks).toBe(3);
    expect(imported.model.frameCount).toBe(25_000);
    const again = buildExport(sourceOf(imported.model, imported.notes), ALL, SECOND_EXPORT, VERSION);
    expect(withoutExportedAt(again.text)).toBe(withoutExportedAt(first.text));
    const rows = [...imported.model.rows];
    expect(rows).toHaveLength(25_003);
    expect(rows.slice(0, 2).map(label)).toEqual(['connecting', 'open']);
    expect(label(rows.at(-1)!)).toBe('close');
  });

  const label = (r: Row) => (r.kind === 'lifecycle' ? r.event : r.kind);
});

describe('whatever the reader accepts can be exported and read again', () => {
  /** A small valid file; each case changes one thing that the reader lets through. */
  const base = (): SessionFileV1 => ({
    format: 'sockscope-session', version: 1, exportedAt: FIRST_EXPORT.toISOString(), page: { url: 'https://app.test/', title: 'App' },
    connections: [
      { id: 'a', url: 'wss://app.test/a', frameUrl: 'https://app.test/', requestedProtocols: [], protocol: '', extensions: '', states: [{ state: 'CONNECTING', at: T0 }, { state: 'OPEN', at: T0 + 1 }], close: null, errors: [T0 + 3] },
      { id: 'b', url: 'wss://app.test/b', frameUrl: 'https://app.test/', requestedProtocols: [], protocol: '', extensions: '', states: [{ state: 'CONNECTING', at: T0 }], close: null, errors: [] },
    ],
    frames: [
      { connectionId: 'a', direction: 'sent', type: 'text', at: T0 + 2, size: 2, text: 'hi' },
      { connectionId: 'a', direction: 'received', type: 'binary', at: T0 + 4, size: 3, base64: 'AAEC' },
    ],
    dropped: { frames: 0, bytes: 0 },
  });

  const cases: [string, (s: SessionFileV1) => void][] = [
    ['unchanged', () => {}],
    ['an error time of 1e999', (s) => { s.connections[0]!.errors = [Infinity]; }],
    ['binary data "A" (not base64)', (s) => { s.frames[1]!.base64 = 'A'; }],
    ['binary data "AAEC/w=" (bad padding)', (s) => { s.frames[1]!.base64 = 'AAEC/w='; }],
    ['two connections with one id', (s) => { s.connections.push({ ...s.connections[0]!, url: 'wss://app.test/again' }); }],
  ];

  it.each(cases)('%s: accepted → export (session and HAR) → read again, unchanged, or refused in the first place', (_, change) => {
    const s = base();
    change(s);
    // JSON.stringify writes Infinity as null; a file can say 1e999, which JSON.parse reads as Infinity.
    const text = JSON.stringify(s).replace('"errors":[null]', '"errors":[1e999]');
    const first = readSessionText(text, IMPORTED_AT);
    if (!first.ok) return; // refusing such a file with a message is fine
    const { model, notes } = importText(text);
    const firstExport = buildExport(sourceOf(model, notes), ALL, SECOND_EXPORT, VERSION).text;
    for (const format of ['session', 'har'] as const) {
      const again = buildExport(sourceOf(model, notes), { ...ALL, format }, SECOND_EXPORT, VERSION).text;
      const back = readSessionText(again, IMPORTED_AT);
      expect(back.ok ? 'ok' : back.error, `${format} export of an accepted file`).toBe('ok');
      if (!back.ok) continue;
      // What was read is what the panel showed: the same connections and frames.
      expect(back.session.connections.length, format).toBe(first.session.connections.length);
      expect(back.session.frames.length, format).toBe(first.session.frames.length);
      const reloaded = buildExport(sourceOf(importText(again).model, notes), ALL, SECOND_EXPORT, VERSION).text;
      expect(withoutExportedAt(reloaded)).toBe(withoutExportedAt(firstExport));
    }
  });
});
