/**
 * "Export": what file the user gets (name, format, which frames and connections), what it says
 * about itself (`filtered`, `redacted`), and that secrets are masked when asked. Also the import's
 * chunking (chunkEnd) and the filter's description that a filtered export records.
 */
import { describe, expect, it } from 'vitest';
import { buildExport, type ExportOptions, type ExportSource } from '../../src/panel/export/export-file';
import { describeFilter } from '../../src/panel/filter/describe-filter';
import { DEFAULT_FILTER, type FilterSpec } from '../../src/panel/filter/filter-engine';
import { IMPORT_CHUNK_CHARS, IMPORT_CHUNK_FRAMES, chunkEnd } from '../../src/panel/import/import-messages';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { SessionLoader } from '../../src/panel/model/session-loader';
import { utf8ByteLength } from '../../src/protocol/bytes';
import type { WireEvent } from '../../src/protocol/capture-events';
import type { Har } from '../../src/session/har';
import { readSessionText } from '../../src/session/read-session-file';
import { DEFAULT_REDACT_KEYS, REDACTED } from '../../src/session/redact';
import type { SessionFileV1, SessionFrame } from '../../src/session/session-format';
import { batch, closed, created, doc, opened, receivedBinary, receivedText, sentText } from './fixtures/wire-events';

const T0 = 1_741_064_767_000;
const at = <E extends WireEvent>(ev: E, ms: number): E => ({ ...ev, at: T0 + ms });
/** Local time, as the file name uses it. */
const NOW = new Date(2025, 2, 4, 5, 6, 7);
const VERSION = '2.3.4';

const SECRET_JSON = '{"op":"auth","Authorization":"Bearer abc","data":{"user":"ann","password":"hunter2","list":[{"cookie":"c=1"},{"api_key":"k-9","keep":"visible"}]},"access_token":"at-1"}';

function model(): CaptureModel {
  const m = new CaptureModel({ maxFrames: 1000, maxBytes: 1_000_000 });
  m.ingest(batch([
    at(created(1, 1, 'wss://chat.test/ws?TOKEN=abc&room=1', ['v1']), 1),
    at(opened(2, 1, 'v1'), 2),
    at(sentText(3, 1, SECRET_JSON), 3),
    at(receivedText(4, 1, 'welcome ☃'), 4.5),
    at(receivedBinary(5, 1, [0, 1, 2, 255]), 5.25),
    at(created(6, 2, 'wss://feed.test/?api_key=k1&x=2'), 6),
    at(opened(7, 2), 7),
    at(receivedText(8, 2, '{"tick":1,"token":"t-2"}'), 8),
    at(created(9, 3, 'wss://idle.test/'), 9),
    at(closed(10, 3, 1000, 'bye'), 10),
  ], { doc: doc('top', { url: 'https://chat.test:8443/room?token=pagetok', title: 'Room' }) }));
  return m;
}

const source = (m: CaptureModel, over: Partial<ExportSource> = {}): ExportSource => ({
  page: m.page, connections: m.connections, frames: m.allFrames(), filtered: null, dropped: m.dropped(), notices: m.notices, notes: {}, ...over,
});
const SESSION: ExportOptions = { format: 'session', onlyFiltered: false, redact: false, redactKeys: [] };
const REDACT: ExportOptions = { ...SESSION, redact: true, redactKeys: DEFAULT_REDACT_KEYS };
const parse = (text: string) => JSON.parse(text) as SessionFileV1;
const parseHar = (text: string) => JSON.parse(text) as Har;

describe('buildExport: the file', () => {
  const m = model();

  it('names the file after the page host and the local time, .json for a session', () => {
    const f = buildExport(source(m), SESSION, NOW, VERSION);
    expect(f.name).toBe('sockscope-chat.test_8443-20250304-050607.json');
    expect(f.mime).toBe('application/json');
    expect(f.frames).toBe(4);
    expect(f.redactedValues).toBe(0);
  });

  it('names a HAR export .har', () => {
    expect(buildExport(source(m), { ...SESSION, format: 'har' }, NOW, VERSION).name).toBe('sockscope-chat.test_8443-20250304-050607.har');
  });

  it('calls the host "page" when the page has none', () => {
    for (const url of ['about:blank', '', 'file:///home/me/test.html']) {
      expect(buildExport(source(m, { page: { url, title: '' } }), SESSION, NOW, VERSION).name).toBe('sockscope-page-20250304-050607.json');
    }
  });

  it('writes the session format with the export time', () => {
    const s = parse(buildExport(source(m), SESSION, NOW, VERSION).text);
    expect(s).toMatchObject({ format: 'sockscope-session', version: 1, exportedAt: NOW.toISOString(), dropped: { frames: 0, bytes: 0 } });
    expect(s.connections.map((c) => c.id)).toEqual(['top:1', 'top:2', 'top:3']);
    expect(s.frames).toHaveLength(4);
    expect(s).not.toHaveProperty('filtered');
    expect(s).not.toHaveProperty('redacted');
    expect(readSessionText(buildExport(source(m), SESSION, NOW, VERSION).text, NOW)).toMatchObject({ ok: true, kind: 'sockscope' });
  });
});

describe('buildExport: only what the filter shows', () => {
  const m = model();
  const all = m.allFrames();
  const shown = all.filter((f) => f.connId === 'top:1' && f.type === 'text');

  it('exports only the shown frames, the connections they belong to and the selected ones, and records the filter', () => {
    const src = source(m, { filtered: { frames: shown, query: 'types: text, lifecycle', connectionIds: ['top:3'] } });
    const f = buildExport(src, { ...SESSION, onlyFiltered: true }, NOW, VERSION);
    const s = parse(f.text);
    expect(f.frames).toBe(2);
    expect(s.frames.map((x) => x.text)).toEqual([SECRET_JSON, 'welcome ☃']);
    expect(s.connections.map((c) => c.id)).toEqual(['top:1', 'top:3']);
    expect(s.filtered).toEqual({ query: 'types: text, lifecycle', ofFrames: 4 });
    expect(readSessionText(f.text, NOW).ok).toBe(true);
  });

  it('without a connection selection, keeps only connections with a frame in the export', () => {
    const src = source(m, { filtered: { frames: all.filter((f) => f.connId === 'top:2'), query: 'matching tick', connectionIds: null } });
    const s = parse(buildExport(src, { ...SESSION, onlyFiltered: true }, NOW, VERSION).text);
    expect(s.connections.map((c) => c.id)).toEqual(['top:2']);
    expect(s.frames).toHaveLength(1);
    expect(s.filtered).toEqual({ query: 'matching tick', ofFrames: 4 });
  });

  it('a filter that shows no frames exports no frames (and only the selected connections)', () => {
    const s = parse(buildExport(source(m, { filtered: { frames: [], query: 'matching nothing', connectionIds: null } }), { ...SESSION, onlyFiltered: true }, NOW, VERSION).text);
    expect(s.frames).toEqual([]);
    expect(s.connections).toEqual([]);
    expect(s.filtered).toEqual({ query: 'matching nothing', ofFrames: 4 });
  });

  it('exports everything, with no `filtered`, when not asked to or when no filter is active', () => {
    const withFilter = source(m, { filtered: { frames: shown, query: 'x', connectionIds: null } });
    const notAsked = parse(buildExport(withFilter, SESSION, NOW, VERSION).text);
    expect(notAsked.frames).toHaveLength(4);
    expect(notAsked).not.toHaveProperty('filtered');
    const noFilter = parse(buildExport(source(m), { ...SESSION, onlyFiltered: true }, NOW, VERSION).text);
    expect(noFilter.frames).toHaveLength(4);
    expect(noFilter.connections).toHaveLength(3);
    expect(noFilter).not.toHaveProperty('filtered');
  });

  it('a HAR of the filtered frames has entries only for the kept connections, and the filter under _sockscope', () => {
    const src = source(m, { filtered: { frames: shown, query: 'types: text, lifecycle', connectionIds: null } });
    const har = parseHar(buildExport(src, { ...SESSION, format: 'har', onlyFiltered: true }, NOW, VERSION).text);
    expect(har.log.entries.map((e) => e.request.url)).toEqual(['wss://chat.test/ws?TOKEN=abc&room=1']);
    expect(har.log.entries[0]!._webSocketMessages).toHaveLength(2);
    expect(har.log._sockscope.filtered).toEqual({ query: 'types: text, lifecycle', ofFrames: 4 });
  });

  it('keeps the filter note an imported file carried', () => {
    const s = parse(buildExport(source(m, { notes: { filtered: { query: 'matching a', ofFrames: 99 } } }), SESSION, NOW, VERSION).text);
    expect(s.filtered).toEqual({ query: 'matching a', ofFrames: 99 });
  });
});

describe('buildExport: redaction', () => {
  it('masks at least the well-known secret names by default', () => {
    for (const k of ['token', 'access_token', 'authorization', 'password', 'cookie', 'api_key']) expect(DEFAULT_REDACT_KEYS).toContain(k);
  });

  const m = model();
  const f = buildExport(source(m), REDACT, NOW, VERSION);
  const s = parse(f.text);

  it('masks secret query parameters in connection and page URLs, whatever their case, and nothing else', () => {
    expect(s.connections.map((c) => c.url)).toEqual([`wss://chat.test/ws?TOKEN=${REDACTED}&room=1`, `wss://feed.test/?api_key=${REDACTED}&x=2`, 'wss://idle.test/']);
    expect(s.page.url).toBe(`https://chat.test:8443/room?token=${REDACTED}`);
  });

  it('masks secret keys at any depth in JSON text frames, and leaves other keys and frames alone', () => {
    const masked = JSON.parse(s.frames[0]!.text!);
    expect(masked).toEqual({
      op: 'auth', Authorization: REDACTED, access_token: REDACTED,
      data: { user: 'ann', password: REDACTED, list: [{ cookie: REDACTED }, { api_key: REDACTED, keep: 'visible' }] },
    });
    expect(s.frames[0]!.size).toBe(utf8ByteLength(s.frames[0]!.text!));
    expect(s.frames[1]).toMatchObject({ text: 'welcome ☃', size: 11 });
    expect(s.frames[2]).toMatchObject({ type: 'binary', base64: 'AAEC/w==', size: 4 });
    expect(JSON.parse(s.frames[3]!.text!)).toEqual({ tick: 1, token: REDACTED });
    for (const secret of ['abc', 'hunter2', 'c=1', 'k-9', 'at-1', 't-2', 'k1', 'pagetok']) expect(f.text).not.toContain(secret);
  });

  it('records the keys and how many values were masked', () => {
    // URLs: TOKEN, api_key, the page's token and each connection's frameUrl (the page's); frames: 5 in the JSON, 1 in the tick.
    expect(s.connections.map((c) => c.frameUrl)).toEqual(Array(3).fill(`https://chat.test:8443/room?token=${REDACTED}`));
    expect(f.redactedValues).toBe(2 + 1 + 3 + 5 + 1);
    expect(s.redacted).toEqual({ keys: [...DEFAULT_REDACT_KEYS], count: 12 });
  });

  it('does not touch the capture itself: the panel still shows the real values', () => {
    expect(m.connections[0]!.url).toBe('wss://chat.test/ws?TOKEN=abc&room=1');
    expect(m.allFrames()[0]!.data).toBe(SECRET_JSON);
    expect(m.page.url).toBe('https://chat.test:8443/room?token=pagetok');
  });

  it('masks only the keys asked for', () => {
    const only = buildExport(source(m), { ...REDACT, redactKeys: ['room', 'keep'] }, NOW, VERSION);
    const x = parse(only.text);
    expect(x.connections[0]!.url).toBe(`wss://chat.test/ws?TOKEN=abc&room=${REDACTED}`);
    expect(JSON.parse(x.frames[0]!.text!).data.list[1]).toEqual({ api_key: 'k-9', keep: REDACTED });
    expect(x.redacted).toEqual({ keys: ['room', 'keep'], count: 2 });
  });

  it('masks the HAR export too: request URLs, message data, and the record under _sockscope', () => {
    const har = buildExport(source(m), { ...REDACT, format: 'har' }, NOW, VERSION);
    const h = parseHar(har.text);
    expect(h.log.entries[0]!.request.url).toBe(`wss://chat.test/ws?TOKEN=${REDACTED}&room=1`);
    expect(JSON.parse(h.log.entries[0]!._webSocketMessages[0]!.data).data.password).toBe(REDACTED);
    expect(h.log._sockscope.redacted).toEqual({ keys: [...DEFAULT_REDACT_KEYS], count: 12 });
    for (const secret of ['abc', 'hunter2', 'pagetok']) expect(har.text).not.toContain(secret);
  });

  it('without redaction, writes the values as captured and no `redacted`', () => {
    const plain = buildExport(source(m), SESSION, NOW, VERSION);
    expect(plain.text).toContain('hunter2');
    expect(parse(plain.text)).not.toHaveProperty('redacted');
  });
});

describe('buildExport: redacting an already-redacted import', () => {
  const m = model();
  const before = { keys: ['token', 'x-custom'], count: 3 };

  it('merges the records: every key masked so far (no duplicates), and the counts summed', () => {
    const fresh = buildExport(source(m), { ...REDACT, redactKeys: ['token', 'password'] }, NOW, VERSION);
    const merged = buildExport(source(m, { notes: { redacted: before } }), { ...REDACT, redactKeys: ['token', 'password'] }, NOW, VERSION);
    expect(fresh.redactedValues).toBe(7); // TOKEN in the URL, the page's token (page and 3 frameUrls), password, tick token
    expect(merged.redactedValues).toBe(7);
    expect(parse(merged.text).redacted).toEqual({ keys: ['token', 'x-custom', 'password'], count: 3 + 7 });
  });

  it('without redacting again, keeps the imported record as it was', () => {
    expect(parse(buildExport(source(m, { notes: { redacted: before } }), SESSION, NOW, VERSION).text).redacted).toEqual(before);
  });

  it('counts only values it newly masked: re-masking "[redacted]" is not another secret', () => {
    const first = buildExport(source(m), REDACT, NOW, VERSION);
    const r = readSessionText(first.text, NOW);
    if (!r.ok) throw new Error(r.error);
    const { frames, ...header } = r.session;
    const imported = new CaptureModel({ maxFrames: 1000, maxBytes: 1_000_000 });
    const loader = new SessionLoader(imported, header);
    loader.addFrames(frames);
    loader.finish();
    const again = buildExport(source(imported, { notes: { redacted: header.redacted! } }), REDACT, NOW, VERSION);
    expect(withoutTime(again.text)).toBe(withoutTime(first.text)); // nothing left to mask: the same file
    expect(parse(again.text).redacted).toEqual({ keys: [...DEFAULT_REDACT_KEYS], count: first.redactedValues });
  });

  const withoutTime = (t: string) => t.replace(/"exportedAt": "[^"]*"/, '');
});

describe('buildExport: HAR', () => {
  const m = model();
  const har = parseHar(buildExport(source(m), { ...SESSION, format: 'har' }, NOW, VERSION).text);

  it('writes one websocket entry per connection, by Sockscope at the given version', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'Sockscope', version: VERSION });
    expect(har.log.entries.map((e) => [e._resourceType, e.request.url, e.response.status])).toEqual([
      ['websocket', 'wss://chat.test/ws?TOKEN=abc&room=1', 101], ['websocket', 'wss://feed.test/?api_key=k1&x=2', 101], ['websocket', 'wss://idle.test/', 101],
    ]);
  });

  it('has _webSocketMessages in Chrome\'s shape: send/receive, time in epoch seconds, opcode 1 text / 2 binary', () => {
    const msgs = har.log.entries[0]!._webSocketMessages.map(({ type, time, opcode, data }) => ({ type, time, opcode, data }));
    expect(msgs).toEqual([
      { type: 'send', time: (T0 + 3) / 1000, opcode: 1, data: SECRET_JSON },
      { type: 'receive', time: (T0 + 4.5) / 1000, opcode: 1, data: 'welcome ☃' },
      { type: 'receive', time: (T0 + 5.25) / 1000, opcode: 2, data: 'AAEC/w==' },
    ]);
    expect(har.log.entries[1]!._webSocketMessages.map((x) => [x.type, x.opcode, x.data])).toEqual([['receive', 1, '{"tick":1,"token":"t-2"}']]);
    expect(har.log.entries[2]!._webSocketMessages).toEqual([]);
    // Seconds, not milliseconds: within a day of the capture when read as seconds.
    expect(Math.abs(har.log.entries[0]!._webSocketMessages[0]!.time * 1000 - T0)).toBeLessThan(86_400_000);
  });

  it('reads back as a HAR with the same frames', () => {
    const text = buildExport(source(m), { ...SESSION, format: 'har' }, NOW, VERSION).text;
    const r = readSessionText(text, NOW);
    expect(r).toMatchObject({ ok: true, kind: 'har' });
    if (r.ok) expect(r.session.frames).toEqual(parse(buildExport(source(m), SESSION, NOW, VERSION).text).frames);
  });
});

describe('chunkEnd', () => {
  const text = (t: string): SessionFrame => ({ connectionId: 'c', direction: 'sent', type: 'text', at: 1, size: t.length, text: t });
  const binary = (b64: string): SessionFrame => ({ connectionId: 'c', direction: 'received', type: 'binary', at: 1, size: 0, base64: b64 });
  const chunksOf = (frames: readonly SessionFrame[]) => {
    const out: [number, number][] = [];
    for (let s = 0; s < frames.length;) {
      const e = chunkEnd(frames, s);
      expect(e, `chunk starting at ${s}`).toBeGreaterThan(s);
      expect(e).toBeLessThanOrEqual(frames.length);
      out.push([s, e]);
      s = e;
    }
    return out;
  };
  const charsOf = (frames: readonly SessionFrame[]) => frames.reduce((n, f) => n + (f.text ?? f.base64 ?? '').length, 0);

  it('has the documented limits', () => {
    expect(IMPORT_CHUNK_FRAMES).toBe(10_000);
    expect(IMPORT_CHUNK_CHARS).toBe(4 * 1024 * 1024);
  });

  it('splits small frames every IMPORT_CHUNK_FRAMES frames', () => {
    const frames = Array.from({ length: 25_001 }, (_, i) => text(`m${i}`));
    expect(chunksOf(frames)).toEqual([[0, 10_000], [10_000, 20_000], [20_000, 25_001]]);
    expect(chunksOf(frames.slice(0, 20_000))).toEqual([[0, 10_000], [10_000, 20_000]]);
    expect(chunkEnd(frames, 24_999)).toBe(25_001);
    expect(chunkEnd(frames, 7)).toBe(10_007);
  });

  it('gives one frame even when that frame alone is over IMPORT_CHUNK_CHARS', () => {
    const huge = text('x'.repeat(IMPORT_CHUNK_CHARS + 1));
    expect(chunkEnd([huge], 0)).toBe(1);
    expect(chunkEnd([huge, huge, huge], 1)).toBe(2);
    expect(chunksOf([huge, text('a'), huge])).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('stops before the frame that would take the chunk over IMPORT_CHUNK_CHARS, counting base64 too', () => {
    const mb = 'x'.repeat(1024 * 1024);
    const frames = Array.from({ length: 10 }, (_, i) => (i % 2 ? binary(mb) : text(mb)));
    // Four 1 MiB frames are exactly 4 MiB (allowed); a fifth is over.
    expect(chunksOf(frames)).toEqual([[0, 4], [4, 8], [8, 10]]);
    const plusOne = [text(mb), text(mb), text(mb), text(mb.slice(1)), text('ab')];
    expect(chunkEnd(plusOne, 0)).toBe(4);
  });

  it('keeps every chunk within both limits and covers every frame once, for mixed sizes', () => {
    const sizes = [1, 3_000_000, 900_000, 5, 4_194_304, 0, 2_000_000, 2_194_304, 17];
    const frames = Array.from({ length: 20_000 }, (_, i) => {
      const n = sizes[i % sizes.length]! * (i < 50 ? 1 : 0); // big frames only at the start, to keep memory low
      return i % 3 ? text('y'.repeat(n)) : binary('z'.repeat(n));
    });
    const chunks = chunksOf(frames);
    expect(chunks[0]![0]).toBe(0);
    expect(chunks.at(-1)![1]).toBe(frames.length);
    for (const [s, e] of chunks) {
      expect(e - s).toBeLessThanOrEqual(IMPORT_CHUNK_FRAMES);
      if (e - s > 1) expect(charsOf(frames.slice(s, e))).toBeLessThanOrEqual(IMPORT_CHUNK_CHARS);
    }
    for (let k = 1; k < chunks.length; k++) expect(chunks[k]![0]).toBe(chunks[k - 1]![1]);
  });

  it('returns the end when there is nothing left', () => {
    expect(chunkEnd([], 0)).toBe(0);
    expect(chunkEnd([text('a')], 1)).toBe(1);
  });
});

describe('describeFilter', () => {
  const spec = (over: Partial<FilterSpec>): FilterSpec => ({ ...DEFAULT_FILTER, ...over, types: { ...DEFAULT_FILTER.types, ...over.types } });

  it('says "everything" for the default filter', () => {
    expect(describeFilter(DEFAULT_FILTER)).toBe('everything');
  });

  it('says "everything" for settings that hide nothing: invert without text, a blank query', () => {
    expect(describeFilter(spec({ invert: true }))).toBe('everything');
    // compileFilter treats a blank query as no query; the file must not claim a filter that showed everything.
    expect(describeFilter(spec({ text: '   ' }))).toBe('everything');
  });

  it.each<[string, Partial<FilterSpec>, string]>([
    ['text', { text: 'hello' }, 'matching hello'],
    ['regex text', { text: '/^ping \\d+$/i' }, 'matching /^ping \\d+$/i'],
    ['inverted text', { text: 'ping', invert: true }, 'not matching ping'],
    ['sent only', { direction: 'sent' }, 'sent only'],
    ['received only', { direction: 'received' }, 'received only'],
    ['no binary', { types: { text: true, binary: false, lifecycle: true } }, 'types: text, lifecycle'],
    ['binary only', { types: { text: false, binary: true, lifecycle: false } }, 'types: binary'],
    ['no types', { types: { text: false, binary: false, lifecycle: false } }, 'types: none'],
    ['minimum size', { minSize: 10 }, 'size 10–∞ bytes'],
    ['maximum size', { maxSize: 100 }, 'size 0–100 bytes'],
    ['size range', { minSize: 5, maxSize: 50 }, 'size 5–50 bytes'],
    ['one connection', { connections: ['top:1'] }, '1 connection: top:1'],
    ['two connections', { connections: ['top:1', 'ad:2'] }, '2 connections: top:1, ad:2'],
  ])('describes %s', (_, over, words) => {
    expect(describeFilter(spec(over))).toBe(words);
  });

  it('joins the parts in a fixed order with "; "', () => {
    expect(describeFilter(spec({
      text: 'auth', invert: true, direction: 'received', types: { text: true, binary: false, lifecycle: false }, minSize: 1, maxSize: 2, connections: ['c1'],
    }))).toBe('not matching auth; received only; types: text; size 1–2 bytes; 1 connection: c1');
  });
});
