/**
 * What the panel shows: connections with their state and counters, frames in capture order, and
 * an honest "N frames dropped" whatever replays, reconnects and caps happened on the way.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel, type ModelCaps } from '../../src/panel/model/capture-model';
import { stateOf } from '../../src/panel/model/types';
import { Outbox } from '../../src/relay/outbox';
import { toWireEvent } from '../../src/relay/encode-event';
import type { CapturedEvent, WireEvent, WireLifecycle } from '../../src/protocol/capture-events';
import { HistoryBuffer } from '../../src/relay/history-buffer';
import { toSessionFrame } from '../../src/session/encode-session';
import {
  batch, cloned, closed, closingBy, created, doc, errored, opened, pageDispatchedBinary, receivedBinary, receivedText, sentBinary, sentText,
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
    m.ingest(batch(history.snapshot().map((e) => toWireEvent(e, false)), { snapshot: true, evicted: { ...history.evicted } }));
    expect(frameTexts(m)).toEqual(['kept-1', 'kept-2']);
    // Frames 2 and 3 never reached the panel: the notice must say so.
    expect(m.dropped()).toEqual({ frames: 2, bytes: lostBytes });
  });
});

describe('CaptureModel: binary payloads, as buffers or as base64', () => {
  const bytes = Uint8Array.from([0x00, 0x01, 0x02, 0xff, 0x80]);
  /**
   * The bytes of the binary rows, copied: a binary decoder (cbor-x, msgpackr) may hang a cached
   * DataView on the array it reads, which toEqual would count as a difference.
   */
  const binaryFrames = (m: CaptureModel) => m.allFrames().filter((f) => f.type === 'binary').map((f) => {
    expect(f.data).toBeInstanceOf(Uint8Array);
    return Uint8Array.from(f.data as Uint8Array);
  });

  it('keeps a binary frame as the same bytes whether it arrived as an ArrayBuffer or as base64', () => {
    const events = [created(1, 1, 'wss://a/'), receivedBinary(2, 1, bytes), sentBinary(3, 1, [7]), sentText(4, 1, 'text')];
    const viaJson = newModel(), viaClone = newModel();
    viaJson.ingest(batch(events));
    viaClone.ingest(batch(events.map(cloned)));
    for (const m of [viaJson, viaClone]) {
      expect(binaryFrames(m)).toEqual([bytes, Uint8Array.of(7)]);
      expect(frameTexts(m).at(-1)).toBe('text');
    }
    const rowsOf = (m: CaptureModel) => m.allFrames().map(({ kind, connId, seq, dir, type, at, size }) => ({ kind, connId, seq, dir, type, at, size }));
    expect(rowsOf(viaClone)).toEqual(rowsOf(viaJson));
    expect(viaClone.connections[0]).toMatchObject({ framesIn: 1, bytesIn: 5, framesOut: 2, bytesOut: 5 });
    expect(viaJson.connections[0]).toMatchObject({ framesIn: 1, bytesIn: 5, framesOut: 2, bytesOut: 5 });
  });

  it('counts how binary payloads arrived, per form, and nothing for text', () => {
    const viaJson = newModel(), viaClone = newModel(), mixed = newModel();
    const events = [created(1, 1, 'wss://a/'), receivedBinary(2, 1, bytes), sentBinary(3, 1, [7]), sentText(4, 1, 'text')];
    viaJson.ingest(batch(events));
    viaClone.ingest(batch(events.map(cloned)));
    expect(viaJson.binaryArrivals).toEqual({ buffers: 0, base64: 2 });
    expect(viaClone.binaryArrivals).toEqual({ buffers: 2, base64: 0 });
    // A relay that reconnected and passed its probe switches forms between batches.
    mixed.ingest(batch(events.slice(0, 2)));
    mixed.ingest(batch(events.slice(2).map(cloned)));
    expect(mixed.binaryArrivals).toEqual({ buffers: 1, base64: 1 });
    expect(binaryFrames(mixed)).toEqual([bytes, Uint8Array.of(7)]);
  });

  it.each([false, true])('reassembles a large binary frame the outbox sent in parts into its bytes (clone: %s)', (clone) => {
    const big = Uint8Array.from({ length: 2000 }, (_, i) => (i * 13) % 256);
    const packs: WireEvent[][] = [];
    const tasks: (() => void)[] = [];
    const box = new Outbox({ post: (evs) => { packs.push(evs); return true; }, nextTask: (fn) => tasks.push(fn) }, { maxChars: 300, maxEvents: 100 });
    box.setClone(clone);
    const captured: CapturedEvent[] = [created(1, 1, 'wss://a/'), { k: 'frame', seq: 2, sock: 1, at: 2, dir: 'received', data: big.slice().buffer }, { k: 'frame', seq: 3, sock: 1, at: 3, dir: 'sent', data: Uint8Array.of(1, 2).buffer }];
    for (const e of captured) box.add(e);
    box.flush();
    while (tasks.length > 0) tasks.shift()!();
    expect(packs.length).toBeGreaterThan(3);
    const m = newModel();
    for (const p of packs) m.ingest(batch(p));
    expect(binaryFrames(m)).toEqual([big, Uint8Array.of(1, 2)]);
    expect(m.connections[0]).toMatchObject({ framesIn: 1, bytesIn: 2000, framesOut: 1, bytesOut: 2 });
    // Only the form the channel uses.
    expect(clone ? m.binaryArrivals.base64 : m.binaryArrivals.buffers).toBe(0);
    expect(clone ? m.binaryArrivals.buffers : m.binaryArrivals.base64).toBeGreaterThan(0);
  });

  it('exports a binary row as the base64 of its bytes, whichever form it arrived in', () => {
    for (const form of [(e: WireEvent) => e, cloned]) {
      const m = newModel();
      m.ingest(batch([created(1, 1, 'wss://a/'), receivedBinary(2, 1, bytes), sentBinary(3, 1, []), sentText(4, 1, 'héllo')].map(form)));
      expect(m.allFrames().map(toSessionFrame)).toEqual([
        { connectionId: 'doc-top:1', direction: 'received', type: 'binary', at: 1002, size: 5, base64: Buffer.from(bytes).toString('base64') },
        { connectionId: 'doc-top:1', direction: 'sent', type: 'binary', at: 1003, size: 0, base64: '' },
        { connectionId: 'doc-top:1', direction: 'sent', type: 'text', at: 1004, size: 6, text: 'héllo' },
      ]);
    }
    // Every byte value, and a length that needs no padding.
    const every = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), cloned(receivedBinary(2, 1, every))]));
    expect(toSessionFrame(m.allFrames()[0]!).base64).toBe(Buffer.from(every).toString('base64'));
  });

  it('caps held binary payload by its bytes, not by the length of its base64', () => {
    // Three frames of 4 bytes (8 base64 characters each): 12 bytes, over a 10-byte cap by one frame only.
    const m = newModel({ maxFrames: 100, maxBytes: 10 });
    m.ingest(batch([created(1, 1, 'wss://a/'), receivedBinary(2, 1, [1, 1, 1, 1]), receivedBinary(3, 1, [2, 2, 2, 2]), receivedBinary(4, 1, [3, 3, 3, 3])]));
    expect(binaryFrames(m)).toEqual([Uint8Array.of(2, 2, 2, 2), Uint8Array.of(3, 3, 3, 3)]);
    expect(m.panelDropped).toEqual({ frames: 1, bytes: 4 });
  });

  it('keeps the binary data of held frames and page-dispatched messages as bytes, from either form', () => {
    const held: WireLifecycle = { k: 'intercept', seq: 2, sock: 1, at: 1002, dir: 'received', what: 'held', ruleId: 'r1', holdId: 4, type: 'binary', size: 3, data: Buffer.from([0xca, 0xfe, 0x01]).toString('base64') };
    for (const form of [(e: WireEvent) => e, cloned]) {
      const m = newModel();
      m.ingest(batch([created(1, 1, 'wss://a/'), held, pageDispatchedBinary(3, 1, [9, 8, 7])].map(form)));
      expect([...m.held].map((h) => h.data)).toEqual([Uint8Array.of(0xca, 0xfe, 0x01)]);
      expect(m.allDispatches().map((r) => r.dispatch?.data)).toEqual([Uint8Array.of(9, 8, 7)]);
      expect(m.binaryArrivals).toEqual(form === cloned ? { buffers: 2, base64: 0 } : { buffers: 0, base64: 2 });
      // The intercept row previews the bytes as hex.
      expect([...m.rows].some((r) => r.kind === 'lifecycle' && r.text.endsWith('ca fe 01'))).toBe(true);
    }
  });

  it('shows held and page-dispatched binary whose base64 is corrupt as no bytes, and goes on with the batch', () => {
    const m = newModel();
    const held: WireLifecycle = { k: 'intercept', seq: 2, sock: 1, at: 1002, dir: 'received', what: 'held', ruleId: 'r1', holdId: 4, type: 'binary', size: 3, data: '!!!!' };
    expect(() => m.ingest(batch([created(1, 1, 'wss://a/'), held, { ...pageDispatchedBinary(3, 1, [1]), data: '*' } as WireLifecycle, sentText(4, 1, 'after')]))).not.toThrow();
    expect([...m.held].map((h) => h.data)).toEqual([new Uint8Array(0)]);
    expect(m.allDispatches().map((r) => r.dispatch?.data)).toEqual([new Uint8Array(0)]);
    expect(frameTexts(m)).toEqual(['after']);
  });

  it('keeps a binary frame whose base64 is corrupt (never from our relay) as no bytes, and the frames after it', () => {
    const m = newModel();
    expect(() => m.ingest(batch([created(1, 1, 'wss://a/'), { ...receivedBinary(2, 1, [1]), data: '!!!!' }, sentText(3, 1, 'after')]))).not.toThrow();
    const frames = m.allFrames();
    expect(frames.map((f) => f.data)).toEqual([new Uint8Array(0), 'after']);
    expect(frames[0]!.size).toBe(1);
  });
});
