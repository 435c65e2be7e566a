/**
 * Worker sockets on their way to the user: the guards that let a `create` with a worker label and
 * a `notice` through (and nothing malformed), the panel's model, and the session file. A worker
 * the capture cannot reach must never be silent, so a notice has to survive every hop: the
 * history replay, export and import.
 */
import { describe, expect, it } from 'vitest';
import { buildExport, type ExportOptions } from '../../src/panel/export/export-file';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { SessionLoader } from '../../src/panel/model/session-loader';
import type { WireEvent, WireLifecycle, WorkerLabel } from '../../src/protocol/capture-events';
import { isHookEvent, isRouterToPanelMessage, isWireEvent, isWorkerLabel } from '../../src/protocol/guards';
import { encodeSession } from '../../src/session/encode-session';
import { parseSession } from '../../src/session/parse-session';
import { harToSession, sessionToHar } from '../../src/session/har';
import { redactSession } from '../../src/session/redact';
import { atOf, batch, created, doc, opened, sentText, versionedBatch } from './fixtures/wire-events';

const FEED: WorkerLabel = { kind: 'dedicated', type: 'module', url: 'https://example.test/feed.js', name: 'feed' };
const SHARED: WorkerLabel = { kind: 'shared', type: 'classic', url: 'https://example.test/shared.js' };
const CSP = "CSP refuses blob: workers";

const inWorker = (ev: WireLifecycle, worker: WorkerLabel): WireLifecycle => ({ ...ev, worker } as WireLifecycle);
const notice = (seq: number, worker: WorkerLabel, reason = CSP): WireEvent => ({ k: 'notice', seq, sock: 0, at: atOf(seq), worker, reason });
const newModel = () => new CaptureModel({ maxFrames: 1000, maxBytes: 1_000_000 });

describe('guards: worker labels, worker sockets, notices', () => {
  it('isWorkerLabel accepts both kinds and types, with or without a name', () => {
    expect(isWorkerLabel(FEED)).toBe(true);
    expect(isWorkerLabel(SHARED)).toBe(true);
  });

  const bad: [string, unknown][] = [
    ['kind service', { ...SHARED, kind: 'service' }],
    ['no kind', { type: 'classic', url: 'https://a/' }],
    ['type "script"', { ...SHARED, type: 'script' }],
    ['url not a string', { ...SHARED, url: 42 }],
    ['no url', { kind: 'shared', type: 'classic' }],
    ['name not a string', { ...SHARED, name: null }],
    ['null', null],
    ['an array', [SHARED]],
  ];

  it.each(bad)('isWorkerLabel refuses %s, and so do the event guards', (_, label) => {
    expect(isWorkerLabel(label)).toBe(false);
    const hookCreate = { k: 'create', sock: 1, at: 1, url: 'wss://a/', protocols: [], worker: label };
    const hookNotice = { k: 'notice', sock: 0, at: 1, worker: label, reason: CSP };
    expect(isHookEvent(hookCreate)).toBe(false);
    expect(isHookEvent(hookNotice)).toBe(false);
    expect(isWireEvent({ ...hookCreate, seq: 1 })).toBe(false);
    expect(isWireEvent({ ...hookNotice, seq: 1 })).toBe(false);
  });

  it('accept a create with a worker, or without one, and a notice', () => {
    const create = { k: 'create', sock: 1, at: 1, url: 'wss://a/', protocols: [] };
    for (const ev of [create, { ...create, worker: FEED }, { k: 'notice', sock: 0, at: 1, worker: SHARED, reason: CSP }]) {
      expect(isHookEvent(ev)).toBe(true);
      expect(isWireEvent({ ...ev, seq: 3 })).toBe(true);
    }
    // And a whole batch carrying them reaches the panel.
    expect(isRouterToPanelMessage(versionedBatch([inWorker(created(1, 1, 'wss://a/'), FEED), notice(2, SHARED)]))).toBe(true);
  });

  it('refuse a notice without a worker or a reason', () => {
    expect(isWireEvent({ k: 'notice', seq: 1, sock: 0, at: 1, reason: CSP })).toBe(false);
    expect(isWireEvent({ k: 'notice', seq: 1, sock: 0, at: 1, worker: SHARED })).toBe(false);
    expect(isHookEvent({ k: 'notice', sock: 0, at: 1, worker: SHARED, reason: 7 })).toBe(false);
    // A notice names no socket.
    expect(isHookEvent({ k: 'notice', sock: 3, at: 1, worker: SHARED, reason: CSP })).toBe(false);
  });
});

describe('CaptureModel: worker sockets and notices', () => {
  it('labels a connection with the worker that opened it, and only that one', () => {
    const m = newModel();
    m.ingest(batch([inWorker(created(1, 1, 'wss://feed.test/'), FEED), created(2, 2, 'wss://page.test/')]));
    expect(m.connections[0]!.worker).toEqual(FEED);
    expect(m.connections[1]).not.toHaveProperty('worker');
  });

  it('keeps a notice with its document URL, and makes no connection or row of it', () => {
    const m = newModel();
    const iframe = doc('ad-doc', { top: false, url: 'https://ads.test/frame' });
    m.ingest(batch([created(1, 1, 'wss://a/')]));
    expect(m.ingest(batch([notice(4, SHARED, 'no blob:')], { doc: iframe, frameId: 3 }))).toBe(true);
    expect(m.notices).toEqual([{ key: 'ad-doc:4', at: atOf(4), frameUrl: 'https://ads.test/frame', worker: SHARED, reason: 'no blob:' }]);
    expect(m.connections.map((c) => c.id)).toEqual(['doc-top:1']);
    expect([...m.rows]).toHaveLength(1); // the connecting row of doc-top:1
  });

  it('a replayed batch does not add the notice again; another seq or document does', () => {
    const m = newModel();
    const events = [notice(1, FEED), opened(2, 1)];
    m.ingest(batch(events));
    m.ingest(batch(events, { snapshot: true }));
    expect(m.notices.map((n) => n.key)).toEqual(['doc-top:1']);
    m.ingest(batch([notice(3, FEED)]));
    m.ingest(batch([notice(1, FEED)], { doc: doc('other', { top: false }) }));
    expect(m.notices.map((n) => n.key)).toEqual(['doc-top:1', 'doc-top:3', 'other:1']);
  });

  it('a navigation clears the notices, unless Preserve log is on', () => {
    const m = newModel();
    m.ingest(batch([notice(1, FEED)]));
    m.ingest(batch([created(1, 1, 'wss://b/')], { doc: doc('next', { url: 'https://example.test/next' }) }));
    expect(m.notices).toEqual([]);
    m.ingest(batch([notice(2, SHARED)], { doc: doc('doc-top') })); // a late batch of the page left: ignored
    expect(m.notices).toEqual([]);

    const kept = newModel();
    kept.preserveLog = true;
    kept.ingest(batch([notice(1, FEED)]));
    kept.ingest(batch([notice(2, SHARED)], { doc: doc('next', { url: 'https://example.test/next' }) }));
    expect(kept.notices.map((n) => [n.key, n.frameUrl])).toEqual([['doc-top:1', 'https://example.test/app'], ['next:2', 'https://example.test/next']]);
  });
});

describe('session file: worker labels and notices', () => {
  const ALL: ExportOptions = { format: 'session', onlyFiltered: false, redact: false, redactKeys: [] };
  const live = () => {
    const m = newModel();
    m.ingest(batch([inWorker(created(1, 1, 'wss://feed.test/'), FEED), opened(2, 1), sentText(3, 1, 'hi'), created(4, 2, 'wss://page.test/'), notice(5, SHARED)]));
    return m;
  };
  const exportText = (m: CaptureModel, at = new Date('2025-03-04T05:06:07.089Z')) =>
    buildExport({ page: m.page, connections: m.connections, frames: m.allFrames(), filtered: null, dropped: m.dropped(), notices: m.notices, notes: {} }, ALL, at, '1.0.0').text;

  it('writes `worker` only for worker sockets, and `notices` only when there are some', () => {
    const m = live();
    const src = { page: m.page, connections: m.connections, frames: m.allFrames(), dropped: m.dropped() };
    const file = encodeSession({ ...src, notices: [{ at: 5, frameUrl: 'https://example.test/app', worker: SHARED, reason: CSP }] }, new Date(0));
    expect(file.connections[0]!.worker).toEqual(FEED);
    expect(file.connections[0]!.worker).not.toBe(m.connections[0]!.worker); // a copy: later changes cannot reach an export
    expect(file.connections[1]).not.toHaveProperty('worker');
    expect(file.notices).toEqual([{ at: 5, frameUrl: 'https://example.test/app', worker: SHARED, reason: CSP }]);
    expect(encodeSession({ ...src, notices: [] }, new Date(0))).not.toHaveProperty('notices');
    expect(encodeSession(src, new Date(0))).not.toHaveProperty('notices');
    // The panel's own key for a notice is not part of the file.
    expect(JSON.parse(exportText(m)).notices).toEqual([{ at: atOf(5), frameUrl: 'https://example.test/app', worker: SHARED, reason: CSP }]);
  });

  it('export → parse → load keeps worker labels and notices, and exports the same file again', () => {
    const first = exportText(live());
    const r = parseSession(first);
    if (!r.ok) throw new Error(r.error);
    const { frames, ...header } = r.session;
    const model = newModel();
    const loader = new SessionLoader(model, header);
    loader.addFrames(frames);
    loader.finish();
    expect(model.connections.map((c) => c.worker)).toEqual([FEED, undefined]);
    expect(model.connections[1]).not.toHaveProperty('worker');
    expect(model.notices).toEqual([{ key: 'imported:0', at: atOf(5), frameUrl: 'https://example.test/app', worker: SHARED, reason: CSP }]);
    const again = exportText(model, new Date('2030-01-01T00:00:00Z'));
    const blank = (t: string) => t.replace(/"exportedAt": "[^"]*"/, '');
    expect(blank(again)).toBe(blank(first));
  });

  describe('parseSession', () => {
    const text = exportText(live());
    const edited = (change: (f: Record<string, any>) => void) => {
      const f = JSON.parse(text) as Record<string, any>;
      change(f);
      return parseSession(JSON.stringify(f));
    };
    const errorOf = (change: (f: Record<string, any>) => void) => {
      const r = edited(change);
      return r.ok ? 'accepted' : r.error;
    };

    it('accepts a valid worker label (with or without a name) and notices', () => {
      const r = parseSession(text);
      expect(r.ok && r.session.connections[0]!.worker).toEqual(FEED);
      expect(r.ok && r.session.notices).toHaveLength(1);
      expect(edited((f) => { delete f.connections[0].worker.name; }).ok).toBe(true);
      expect(edited((f) => { delete f.notices; }).ok).toBe(true);
    });

    it.each([
      ['kind', (f: Record<string, any>) => { f.connections[0].worker.kind = 'service'; }],
      ['type', (f: Record<string, any>) => { f.connections[0].worker.type = 'esm'; }],
      ['url', (f: Record<string, any>) => { f.connections[0].worker.url = null; }],
      ['name', (f: Record<string, any>) => { f.connections[0].worker.name = 1; }],
      ['the whole label', (f: Record<string, any>) => { f.connections[0].worker = null; }],
    ])('names connections[0].worker when its %s is wrong', (_, change) => {
      expect(errorOf(change)).toMatch(/^connections\[0\]\.worker: expected /);
    });

    it('names the notice field that is wrong', () => {
      expect(errorOf((f) => { f.notices = {}; })).toMatch(/^notices: expected /);
      expect(errorOf((f) => { f.notices = [null]; })).toMatch(/^notices\[0\]: expected /);
      expect(errorOf((f) => { f.notices[0].at = '5'; })).toMatch(/^notices\[0\]\.at: expected /);
      expect(errorOf((f) => { delete f.notices[0].frameUrl; })).toMatch(/^notices\[0\]\.frameUrl: expected /);
      expect(errorOf((f) => { f.notices[0].reason = 0; })).toMatch(/^notices\[0\]\.reason: expected /);
      expect(errorOf((f) => { f.notices[0].worker.kind = 'service'; })).toMatch(/^notices\[0\]\.worker: expected /);
      expect(errorOf((f) => { delete f.notices[0].worker; })).toMatch(/^notices\[0\]\.worker: expected /);
    });
  });
});

describe('worker labels and notices through redaction and HAR', () => {
  const tokened: WorkerLabel = { kind: 'dedicated', type: 'classic', url: 'https://example.test/w.js?token=s3cret' };
  const file = () => encodeSession({
    page: { url: 'https://example.test/app', title: 'App' },
    connections: (() => { const m = newModel(); m.ingest(batch([inWorker(created(1, 1, 'wss://feed.test/'), tokened), sentText(2, 1, 'hi')])); return m.connections; })(),
    frames: [], dropped: { frames: 0, bytes: 0 },
    notices: [{ at: 5, frameUrl: 'https://example.test/app?session=abc', worker: tokened, reason: CSP }],
  }, new Date(0));

  it('redaction masks secrets in worker URLs and in a notice\'s document URL', () => {
    const r = redactSession(file(), ['token', 'session']);
    const text = JSON.stringify(r);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('session=abc');
    expect(r.connections[0]!.worker!.url).toMatch(/^https:\/\/example\.test\/w\.js\?token=/);
    expect(r.notices![0]!.worker.url).toBe(r.connections[0]!.worker!.url);
  });

  it('our HAR reads back with its worker labels and notices', () => {
    const f = file();
    const back = harToSession(JSON.stringify(sessionToHar(f, '1.0.0')), new Date(0));
    if (!back.ok) throw new Error(back.error);
    expect(back.session.connections[0]!.worker).toEqual(tokened);
    expect(back.session.notices).toEqual(f.notices);
  });
});
