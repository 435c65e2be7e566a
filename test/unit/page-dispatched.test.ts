/**
 * Events the page dispatches on its own sockets (`ws.dispatchEvent(new MessageEvent(…))`) are not
 * frames: nothing crossed the wire. They must never count as received, never reach the chart or
 * `frames` in an export, yet show as their own rows and survive export → import → export.
 */
import { describe, expect, it } from 'vitest';
import { buildExport, type ExportSource } from '../../src/panel/export/export-file';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { SessionLoader } from '../../src/panel/model/session-loader';
import { throughput } from '../../src/panel/model/stats';
import { compileFilter, DEFAULT_FILTER } from '../../src/panel/filter/filter-engine';
import { isHookEvent, isWireEvent } from '../../src/protocol/guards';
import { toWireEvent } from '../../src/relay/encode-event';
import { encodeSession } from '../../src/session/encode-session';
import { harToSession, sessionToHar } from '../../src/session/har';
import { parseSession } from '../../src/session/parse-session';
import { redactSession, REDACTED } from '../../src/session/redact';
import type { SessionFileV1 } from '../../src/session/session-format';
import type { WireEvent } from '../../src/protocol/capture-events';
import { batch, cloned, created, opened, pageDispatchedBinary, pageDispatchedText, receivedText } from './fixtures/wire-events';

const ROOMY = { maxFrames: 1000, maxBytes: 1_000_000 };

/**
 * One socket: a real frame from the server, then a text and a binary message the page made up, then
 * a page-made close. `form`: how the events travelled (by default binary as base64; `cloned` as buffers).
 */
function modelWithDispatches(form: (ev: WireEvent) => WireEvent = (ev) => ev): CaptureModel {
  const m = new CaptureModel(ROOMY);
  m.ingest(batch(([
    created(1, 1, 'wss://a.test/'), opened(2, 1),
    receivedText(3, 1, 'from server'),
    pageDispatchedText(4, 1, '{"fake":true,"token":"t0p"}'),
    pageDispatchedBinary(5, 1, [1, 2, 3]),
    { k: 'dispatched', seq: 6, sock: 1, at: 1006, event: 'close', note: 'code 4000: pretend' },
  ] as WireEvent[]).map(form)));
  return m;
}

const exportOf = (m: CaptureModel, filtered: ExportSource['filtered'] = null): SessionFileV1 => {
  const src: ExportSource = { page: m.page, connections: m.connections, frames: m.allFrames(), dispatched: m.allDispatches(), filtered, dropped: m.dropped(), notices: [], notes: {} };
  return JSON.parse(buildExport(src, { format: 'session', onlyFiltered: filtered !== null, redact: false, redactKeys: [] }, new Date(0), '1').text) as SessionFileV1;
};

describe('page-dispatched events in the panel model', () => {
  it('are rows of their own, never frames: no received count, no bytes, no chart', () => {
    const m = modelWithDispatches();
    const c = m.connections[0]!;
    expect(c.framesIn).toBe(1);
    expect(c.bytesIn).toBe('from server'.length);
    expect(m.allFrames().map((f) => f.data)).toEqual(['from server']);
    expect(throughput(m.rows, new Set(), 1000, 60).reduce((n, b) => n + b.received, 0)).toBe(1);
    const rows = [...m.rows].filter((r) => r.kind === 'lifecycle' && r.event === 'dispatched');
    expect(rows.map((r) => r.kind === 'lifecycle' && r.text)).toEqual([
      'page dispatched a message event: {"fake":true,"token":"t0p"}',
      'page dispatched a message event: 01 02 03',
      'page dispatched a close event (code 4000: pretend)',
    ]);
  });

  it('keep binary data as its bytes, and read the same, whether it came as a buffer or as base64', () => {
    const rowsOf = (m: CaptureModel) => [...m.rows].map((r) => (r.kind === 'lifecycle' ? r.text : r.kind));
    const viaClone = modelWithDispatches(cloned), viaJson = modelWithDispatches();
    expect(rowsOf(viaClone)).toEqual(rowsOf(viaJson));
    for (const m of [viaClone, viaJson]) {
      expect(m.allDispatches().map((r) => r.dispatch?.data)).toEqual(['{"fake":true,"token":"t0p"}', Uint8Array.of(1, 2, 3), undefined]);
    }
    expect(exportOf(viaClone)).toEqual(exportOf(viaJson));
  });

  it('are found by the text filter and hidden with the lifecycle rows', () => {
    const m = modelWithDispatches();
    const find = compileFilter({ ...DEFAULT_FILTER, text: 'page dispatched' });
    if (!find.ok) throw new Error(find.error);
    expect([...m.rows].filter((r) => r.kind !== 'navigation' && find.matches(r) === true)).toHaveLength(3);
    const noLifecycle = compileFilter({ ...DEFAULT_FILTER, types: { text: true, binary: true, lifecycle: false } });
    if (!noLifecycle.ok) throw new Error(noLifecycle.error);
    expect([...m.rows].filter((r) => r.kind !== 'navigation' && noLifecycle.matches(r) === true).map((r) => r.kind)).toEqual(['frame']);
  });
});

describe('page-dispatched events in the session file', () => {
  it('are exported apart from the frames, and read back', () => {
    const file = exportOf(modelWithDispatches());
    expect(file.frames.map((f) => [f.direction, f.text])).toEqual([['received', 'from server']]);
    expect(file.dispatched).toEqual([
      { connectionId: file.connections[0]!.id, at: 1004, event: 'message', type: 'text', size: 27, text: '{"fake":true,"token":"t0p"}' },
      { connectionId: file.connections[0]!.id, at: 1005, event: 'message', type: 'binary', size: 3, base64: 'AQID' },
      { connectionId: file.connections[0]!.id, at: 1006, event: 'close', note: 'code 4000: pretend' },
    ]);
    const parsed = parseSession(JSON.stringify(file));
    expect(parsed).toEqual({ ok: true, session: file });
  });

  it('come back as the same rows when the file is opened, and export to the same file again', () => {
    const file = exportOf(modelWithDispatches());
    const { frames, ...header } = file;
    const imported = new CaptureModel(ROOMY);
    const loader = new SessionLoader(imported, header);
    loader.addFrames(frames);
    loader.finish();
    expect([...imported.rows].map((r) => r.kind === 'lifecycle' ? r.text : r.kind === 'frame' ? `frame ${r.data}` : '')).toEqual(
      [...modelWithDispatches().rows].map((r) => r.kind === 'lifecycle' ? r.text : r.kind === 'frame' ? `frame ${r.data}` : ''));
    expect(imported.connections[0]!.framesIn).toBe(1);
    expect(exportOf(imported)).toEqual(file);
  });

  it('survive a HAR round trip without ever becoming a received message', () => {
    const file = exportOf(modelWithDispatches());
    const har = sessionToHar(file, '1');
    expect(har.log.entries[0]!._webSocketMessages.map((x) => x.data)).toEqual(['from server']);
    const back = harToSession(JSON.stringify(har), new Date(0));
    if (!back.ok) throw new Error(back.error);
    expect(back.session.dispatched).toEqual(file.dispatched);
  });

  it('keep the connection they belong to in a filtered export', () => {
    const m = modelWithDispatches();
    const rows = m.allDispatches().slice(0, 1);
    const file = exportOf(m, { frames: [], dispatched: rows, query: 'fake', connectionIds: null });
    expect(file.connections).toHaveLength(1);
    expect(file.dispatched).toHaveLength(1);
    expect(parseSession(JSON.stringify(file)).ok).toBe(true);
  });

  it('have their text masked by redaction as a frame would', () => {
    const r = redactSession(exportOf(modelWithDispatches()), ['token']);
    expect(r.dispatched![0]!.text).toBe(`{"fake":true,"token":"${REDACTED}"}`);
    expect(r.redacted.count).toBe(1);
  });

  it('are refused, by name, when malformed', () => {
    const file = exportOf(modelWithDispatches());
    const bad = (change: (d: Record<string, unknown>) => void) => {
      const f = structuredClone(file) as unknown as { dispatched: Record<string, unknown>[] };
      change(f.dispatched[0]!);
      const r = parseSession(JSON.stringify(f));
      return r.ok ? 'accepted' : r.error;
    };
    expect(bad((d) => { d.connectionId = 'nope'; })).toBe('dispatched[0].connectionId: expected the id of a connection in this file');
    expect(bad((d) => { d.event = 'frame'; })).toBe('dispatched[0].event: expected message|open|error|close');
    expect(bad((d) => { delete d.text; })).toBe('dispatched[0].text: expected a string');
    expect(bad((d) => { d.type = 'binary'; d.base64 = '!!'; })).toBe('dispatched[0].base64: expected base64 text');
  });

  it('are absent from a file with none, so version-1 readers that predate them see nothing new', () => {
    const m = new CaptureModel(ROOMY);
    m.ingest(batch([created(1, 1, 'wss://a.test/'), receivedText(2, 1, 'x')]));
    expect(exportOf(m)).not.toHaveProperty('dispatched');
    expect(encodeSession({ page: m.page, connections: m.connections, frames: m.allFrames(), dropped: m.dropped() }, new Date(0))).not.toHaveProperty('dispatched');
  });
});

describe('page-dispatched events on the way from the hook', () => {
  it('pass the hook→relay and wire guards, with their data or with none', () => {
    expect(isHookEvent({ k: 'dispatched', sock: 1, at: 1, event: 'message', data: 'x' })).toBe(true);
    expect(isHookEvent({ k: 'dispatched', sock: 1, at: 1, event: 'message', data: new ArrayBuffer(2), size: 2 })).toBe(true);
    expect(isHookEvent({ k: 'dispatched', sock: 1, at: 1, event: 'open' })).toBe(true);
    expect(isHookEvent({ k: 'dispatched', sock: 1, at: 1, event: 'frame' })).toBe(false);
    expect(isHookEvent({ k: 'dispatched', sock: 1, at: 1, event: 'message', data: {} })).toBe(false);
    expect(isWireEvent(pageDispatchedText(1, 1, 'x'))).toBe(true);
    expect(isWireEvent({ k: 'dispatched', seq: 1, sock: 1, at: 1, event: 'message', data: 'x' })).toBe(false); // data without its type
  });

  it('travel with binary data as base64 on a JSON-only channel, as the buffer on a cloning one, and without data as they are', () => {
    const data = Uint8Array.of(1, 2, 3).buffer;
    const json = toWireEvent({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'message', data, size: 3 }, false);
    expect(json).toEqual({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'message', type: 'binary', data: 'AQID', size: 3 });
    const clone = toWireEvent({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'message', data, size: 3 }, true);
    // toStrictEqual: toEqual does not compare the contents of ArrayBuffers.
    expect(clone).toStrictEqual({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'message', type: 'binary', data: Uint8Array.of(1, 2, 3).buffer, size: 3 });
    expect(isWireEvent(json)).toBe(true);
    expect(isWireEvent(clone)).toBe(true);
    for (const c of [false, true]) {
      expect(toWireEvent({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'error' }, c)).toEqual({ k: 'dispatched', seq: 3, sock: 1, at: 1, event: 'error' });
    }
  });
});
