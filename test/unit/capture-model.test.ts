/**
 * What the panel shows: connections with their state and counters, frames in capture order, and
 * an honest "N frames dropped" whatever replays, reconnects and caps happened on the way.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel, type ModelCaps } from '../../src/panel/model/capture-model';
import { stateOf } from '../../src/panel/model/types';
import { Outbox } from '../../src/relay/outbox';
import { toWireEvent } from '../../src/relay/encode-event';
import type { WireEvent } from '../../src/protocol/capture-events';
import { HistoryBuffer } from '../../src/relay/history-buffer';
import {
  batch, closed, closingBy, created, doc, errored, opened, receivedBinary, receivedText, sentText,
} from './fixtures/wire-events';

const roomy: ModelCaps = { maxFrames: 1_000_000, maxBytes: 1_000_000_000 };
const newModel = (caps: ModelCaps = roomy) => new CaptureModel(caps);
const frameTexts = (m: CaptureModel) => m.allFrames().map((f) => f.data);

describe('CaptureModel: connections', () => {
  it('creates a connection with its url and requested protocols, CONNECTING', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://chat.test/ws', ['v2.chat', 'v1.chat'])], { frameId: 4 }));
    expect(m.connections).toHaveLength(1);
    const c = m.connections[0]!;
    expect(c).toMatchObject({ id: 'doc-top:1', url: 'wss://chat.test/ws', requestedProtocols: ['v2.chat', 'v1.chat'], frameId: 4, frameUrl: 'https://example.test/app' });
    expect(stateOf(c)).toBe('CONNECTING');
  });

  it('records the negotiated protocol and extensions when the socket opens', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/', ['v1']), opened(2, 1, 'v1', 'permessage-deflate')]));
    const c = m.connections[0]!;
    expect(c.protocol).toBe('v1');
    expect(c.extensions).toBe('permessage-deflate');
    expect(c.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN']);
    expect(stateOf(c)).toBe('OPEN');
  });

  it('says the page closed a socket when the page started the closing handshake', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), opened(2, 1), closingBy(3, 1, 'page'), closed(4, 1, 1000, 'done', true)]));
    const c = m.connections[0]!;
    expect(c.close).toEqual({ code: 1000, reason: 'done', wasClean: true, initiator: 'page' });
    expect(c.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']);
  });

  it('says the server closed a socket when the server started the closing handshake', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), opened(2, 1), closingBy(3, 1, 'server'), closed(4, 1, 4001, 'kicked', true)]));
    expect(m.connections[0]!.close).toMatchObject({ code: 4001, initiator: 'server' });
  });

  it('says "unknown" for a close with no closing handshake (e.g. the connection dropped)', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), opened(2, 1), errored(3, 1), closed(4, 1, 1006, '', false)]));
    const c = m.connections[0]!;
    expect(c.close).toEqual({ code: 1006, reason: '', wasClean: false, initiator: 'unknown' });
    expect(c.errors).toEqual([1003]);
  });

  it('counts frames and bytes in and out per connection', () => {
    const m = newModel();
    m.ingest(batch([
      created(1, 1, 'wss://a/'), created(2, 2, 'wss://b/'),
      sentText(3, 1, 'héllo'), receivedText(4, 1, 'ok'), receivedBinary(5, 1, [1, 2, 3, 4]), sentText(6, 2, 'x'),
    ]));
    const [a, b] = m.connections;
    expect(a).toMatchObject({ framesOut: 1, bytesOut: 6, framesIn: 2, bytesIn: 6 });
    expect(b).toMatchObject({ framesOut: 1, bytesOut: 1, framesIn: 0, bytesIn: 0 });
    expect(m.allFrames().map((f) => f.conn.id)).toEqual(['doc-top:1', 'doc-top:1', 'doc-top:1', 'doc-top:2']);
  });

  it('keeps frames for a socket whose create was evicted, under a placeholder connection', () => {
    const m = newModel();
    m.ingest(batch([receivedText(40, 3, 'late'), sentText(41, 3, 'reply')], {
      snapshot: true, evicted: { frames: 0, bytes: 0, throughSeq: 39, lifecycle: 1 },
    }));
    expect(m.connections).toHaveLength(1);
    const c = m.connections[0]!;
    expect(c.id).toBe('doc-top:3');
    expect(c.url).toMatch(/before the capture history/);
    expect(c).toMatchObject({ framesIn: 1, framesOut: 1 });
    expect(frameTexts(m)).toEqual(['late', 'reply']);
  });

  it('keeps sockets of different documents (iframes, reloads) apart even with the same numbers', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://top/'), sentText(2, 1, 'top')]));
    m.ingest(batch([created(1, 1, 'wss://iframe/'), sentText(2, 1, 'iframe')], { doc: doc('doc-iframe', { top: false }), frameId: 7 }));
    expect(m.connections.map((c) => [c.id, c.url, c.frameId])).toEqual([['doc-top:1', 'wss://top/', 0], ['doc-iframe:1', 'wss://iframe/', 7]]);
    expect(frameTexts(m)).toEqual(['top', 'iframe']);
  });
});

describe('CaptureModel: replays', () => {
  it('adds nothing twice when a replayed snapshot overlaps what was received live', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), opened(2, 1), sentText(3, 1, 'one')]));
    // The service worker restarted: the relay replays its whole history, then goes on live.
    m.ingest(batch([created(1, 1, 'wss://a/'), opened(2, 1), sentText(3, 1, 'one'), receivedText(4, 1, 'two')], { snapshot: true }));
    expect(m.connections).toHaveLength(1);
    expect(m.connections[0]!.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN']);
    expect(frameTexts(m)).toEqual(['one', 'two']);
    expect(m.connections[0]).toMatchObject({ framesOut: 1, framesIn: 1 });
  });

  it('reports a change for a snapshot even when it brings nothing new, and none for a pure duplicate', () => {
    const m = newModel();
    expect(m.ingest(batch([created(1, 1, 'wss://a/')]))).toBe(true);
    expect(m.ingest(batch([created(1, 1, 'wss://a/')]))).toBe(false);
    expect(m.ingest(batch([], { snapshot: true }))).toBe(true);
  });

  it('reassembles a large frame sent in parts across batches', () => {
    const payload = 'a large payload '.repeat(100);
    // The relay's outbox cuts it, as in the extension.
    const packs: WireEvent[][] = [];
    const tasks: (() => void)[] = [];
    const box = new Outbox({ post: (evs) => { packs.push(evs); return true; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 300, maxEvents: 100 });
    for (const e of [created(1, 1, 'wss://a/'), receivedText(2, 1, payload), sentText(3, 1, 'small')]) box.add(e);
    box.flush();
    while (tasks.length > 0) tasks.shift()!();
    expect(packs.length).toBeGreaterThan(3);
    const m = newModel();
    for (const p of packs) m.ingest(batch(p));
    expect(frameTexts(m)).toEqual([payload, 'small']);
    expect(m.connections[0]).toMatchObject({ framesIn: 1, bytesIn: payload.length });
  });
});

describe('CaptureModel: page info', () => {
  it('takes the page url and title from the top document, not from iframes', () => {
    const m = newModel();
    m.ingest(batch([], { doc: doc('top', { url: 'https://site.test/', title: 'Site', top: true }) }));
    m.ingest(batch([], { doc: doc('ad', { url: 'https://ads.test/frame', title: 'Ad', top: false }) }));
    expect(m.page).toEqual({ url: 'https://site.test/', title: 'Site' });
    m.ingest(batch([], { doc: doc('top', { url: 'https://site.test/#chat', title: 'Site: chat', top: true }) }));
    expect(m.page).toEqual({ url: 'https://site.test/#chat', title: 'Site: chat' });
  });
});

describe('CaptureModel: dropped()', () => {
  it('is zero when nothing was lost anywhere', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'x')]));
    expect(m.dropped()).toEqual({ frames: 0, bytes: 0 });
  });

  it('counts relay evictions of frames the panel never received', () => {
    const m = newModel();
    // DevTools opened late: frames 2..4 (3 + 3 + 4 bytes) were evicted before the snapshot.
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(5, 1, 'kept')], {
      snapshot: true, evicted: { frames: 3, bytes: 10, throughSeq: 4, lifecycle: 0 },
    }));
    expect(m.dropped()).toEqual({ frames: 3, bytes: 10 });
  });

  it('does not count relay evictions of frames the panel already had', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'aaa'), sentText(3, 1, 'bbb'), sentText(4, 1, 'cccc')]));
    // Later the relay evicts 2..4 (which the panel holds) and then 5 arrives.
    m.ingest(batch([sentText(5, 1, 'new')], { evicted: { frames: 3, bytes: 10, throughSeq: 4, lifecycle: 0 } }));
    expect(m.dropped()).toEqual({ frames: 0, bytes: 0 });
  });

  it('counts only the evicted frames the panel missed when it had some of them', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'aa'), sentText(3, 1, 'bbb')]));
    // The port dropped; meanwhile 4 and 5 were sent and evicted along with 2 and 3.
    m.ingest(batch([sentText(6, 1, 'f')], { snapshot: true, evicted: { frames: 4, bytes: 2 + 3 + 4 + 5, throughSeq: 5, lifecycle: 0 } }));
    expect(m.dropped()).toEqual({ frames: 2, bytes: 9 });
  });

  it('adds what the hook lost before the relay, per document; the relay reports a running total', () => {
    const m = newModel();
    m.ingest(batch([], { lost: { frames: 2, bytes: 20 } }));
    m.ingest(batch([], { lost: { frames: 3, bytes: 30 } })); // the same document's total, now 3
    m.ingest(batch([], { doc: doc('doc-iframe', { top: false }), lost: { frames: 1, bytes: 5 } }));
    expect(m.dropped()).toEqual({ frames: 4, bytes: 35 });
  });

  it('drops its own oldest frames past maxFrames, and counts them', () => {
    const m = newModel({ maxFrames: 2, maxBytes: 1_000_000 });
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'é'), sentText(3, 1, 'bb'), sentText(4, 1, 'c'), sentText(5, 1, 'd')]));
    expect(frameTexts(m)).toEqual(['c', 'd']);
    expect(m.frameCount).toBe(2);
    expect(m.allFrames()[0]?.seq).toBe(4);
    expect(m.panelDropped).toEqual({ frames: 2, bytes: 4 });
    expect(m.dropped()).toEqual({ frames: 2, bytes: 4 });
    // The connection's totals still tell the whole story.
    expect(m.connections[0]).toMatchObject({ framesOut: 4, bytesOut: 6 });
  });

  it('drops its own oldest frames past maxBytes of held payload, and counts them', () => {
    const m = newModel({ maxFrames: 100, maxBytes: 10 });
    m.ingest(batch([created(1, 1, 'wss://a/'), receivedText(2, 1, 'aaaa'), receivedText(3, 1, 'bbbb'), receivedText(4, 1, 'cccc')]));
    expect(frameTexts(m)).toEqual(['bbbb', 'cccc']);
    expect(m.panelDropped).toEqual({ frames: 1, bytes: 4 });
  });

  it('a frame dropped by the panel and later evicted by the relay is counted once', () => {
    const m = newModel({ maxFrames: 1, maxBytes: 1_000_000 });
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'aa'), sentText(3, 1, 'b')]));
    m.ingest(batch([sentText(4, 1, 'c')], { evicted: { frames: 1, bytes: 2, throughSeq: 2, lifecycle: 0 } }));
    expect(m.dropped()).toEqual({ frames: 2, bytes: 3 });
  });

  // Fails against the current src: HistoryBuffer raises evicted.throughSeq for evicted lifecycle
  // events too, so dropped() takes the kept frames 4 and 5 (seq <= throughSeq 6) for evicted ones
  // the panel saw, and reports 0 dropped instead of 2.
  it('counts frames the relay evicted before a late panel opened, even when lifecycle events were evicted too', () => {
    // The relay's real history buffer: 2 frames kept, 1 lifecycle event kept.
    const history = new HistoryBuffer({ maxFrames: 2, maxBytes: 1_000_000, maxLifecycle: 1, maxLifecycleBytes: 1_000_000 });
    const captured = [
      created(1, 1, 'wss://a/'),
      sentText(2, 1, 'lost-1'), sentText(3, 1, 'lost-2'),
      sentText(4, 1, 'kept-1'), sentText(5, 1, 'kept-2'),
      created(6, 2, 'wss://b/'), created(7, 3, 'wss://c/'),
    ];
    for (const e of captured) history.push(e);
    const lostBytes = 6 + 6;

    // DevTools opens now and receives the relay's snapshot.
    const m = newModel();
    m.ingest(batch(history.snapshot().map(toWireEvent), { snapshot: true, evicted: { ...history.evicted } }));
    expect(frameTexts(m)).toEqual(['kept-1', 'kept-2']);
    // Frames 2 and 3 never reached the panel: the notice must say so.
    expect(m.dropped()).toEqual({ frames: 2, bytes: lostBytes });
  });
});
