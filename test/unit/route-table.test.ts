/**
 * The background router's table: relays learn their tab and when to stream; a panel gets only
 * its own tab's batches, with binary in the form its channel carries; one dead port never blocks
 * the others.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable, type Outlet } from '../../src/background/route-table';
import type { RouterToPanelMessage, RouterToRelayMessage } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import type { WireEvent } from '../../src/protocol/capture-events';
import { base64ToBytes } from '../../src/protocol/bytes';
import { batch, cloned, created, doc, pageDispatchedBinary, receivedBinary, sentText } from './fixtures/wire-events';

const v = PROTOCOL_VERSION;

/** A port that records what was posted to it; `broken` ports throw like a disconnected port. */
class FakePort<T> implements Outlet<T> {
  readonly posts: T[] = [];
  constructor(private readonly broken = false) {}
  postMessage(msg: T): void {
    if (this.broken) throw new Error('Attempting to use a disconnected port object');
    this.posts.push(msg);
  }
  kinds(): string[] { return this.posts.map((m) => (m as { t: string }).t); }
}

const relayPort = (broken = false) => new FakePort<RouterToRelayMessage>(broken);
const panelPort = (broken = false) => new FakePort<RouterToPanelMessage>(broken);
const relayBatch = (docId: string) => { const { frameId: _f, ...b } = batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'hi')], { doc: doc(docId) }); return b; };

describe('RouteTable', () => {
  it('welcomes a relay with its tab id, and nothing more while no panel watches', () => {
    const t = new RouteTable();
    const relay = relayPort();
    t.addRelay(12, 0, relay);
    expect(relay.posts).toEqual([{ v, t: 'welcome', tabId: 12 }]);
    expect(t.hasPanel(12)).toBe(false);
  });

  it('tells a relay to attach when a panel for its tab is already there', () => {
    const t = new RouteTable();
    const panel = panelPort();
    t.addPanel(12, panel, true);
    const relay = relayPort();
    t.addRelay(12, 3, relay);
    expect(relay.posts).toEqual([{ v, t: 'welcome', tabId: 12 }, { v, t: 'attach' }]);
    expect(panel.posts).toEqual([{ v, t: 'subscribed', tabId: 12, clone: true }]);
  });

  it('tells every relay of the tab to attach when a panel arrives later', () => {
    const t = new RouteTable();
    const top = relayPort(), iframe = relayPort(), otherTab = relayPort();
    t.addRelay(12, 0, top);
    t.addRelay(12, 5, iframe);
    t.addRelay(13, 0, otherTab);
    t.addPanel(12, panelPort(), true);
    expect(top.kinds()).toEqual(['welcome', 'attach']);
    expect(iframe.kinds()).toEqual(['welcome', 'attach']);
    expect(otherTab.kinds()).toEqual(['welcome']);
  });

  it('asks relays to attach again for a second panel, so it gets the history too', () => {
    const t = new RouteTable();
    const relay = relayPort();
    t.addRelay(12, 0, relay);
    t.addPanel(12, panelPort(), true);
    t.addPanel(12, panelPort(), true);
    expect(relay.kinds()).toEqual(['welcome', 'attach', 'attach']);
  });

  it('forwards a batch only to panels of the same tab, stamped with the frame id', () => {
    const t = new RouteTable();
    const mine = panelPort(), also = panelPort(), otherTab = panelPort();
    t.addPanel(12, mine, true);
    t.addPanel(12, also, true);
    t.addPanel(13, otherTab, true);
    const b = relayBatch('doc-a');
    t.forward(12, 7, b);

    const expected = { ...b, v, frameId: 7 };
    expect(mine.posts.at(-1)).toEqual(expected);
    expect(also.posts.at(-1)).toEqual(expected);
    expect(otherTab.kinds()).toEqual(['subscribed']);
  });

  it('forwards nothing for a tab without a panel', () => {
    const t = new RouteTable();
    const otherTab = panelPort();
    t.addPanel(13, otherTab, true);
    t.forward(12, 0, relayBatch('doc-a'));
    expect(otherTab.kinds()).toEqual(['subscribed']);
  });

  it('tells relays to detach when the last panel of the tab goes, not before', () => {
    const t = new RouteTable();
    const relay = relayPort(), otherTabRelay = relayPort();
    t.addRelay(12, 0, relay);
    t.addRelay(13, 0, otherTabRelay);
    const removeFirst = t.addPanel(12, panelPort(), true);
    const removeSecond = t.addPanel(12, panelPort(), true);

    removeFirst();
    expect(relay.kinds()).toEqual(['welcome', 'attach', 'attach']);
    expect(t.hasPanel(12)).toBe(true);

    removeSecond();
    expect(relay.kinds()).toEqual(['welcome', 'attach', 'attach', 'detach']);
    expect(t.hasPanel(12)).toBe(false);
    expect(otherTabRelay.kinds()).toEqual(['welcome']);
  });

  it('stops forwarding to a removed panel', () => {
    const t = new RouteTable();
    const panel = panelPort();
    const remove = t.addPanel(12, panel, true);
    remove();
    t.forward(12, 0, relayBatch('doc-a'));
    expect(panel.kinds()).toEqual(['subscribed']);
  });

  it('does not ask a removed relay to attach', () => {
    const t = new RouteTable();
    const relay = relayPort();
    t.addRelay(12, 0, relay).remove();
    t.addPanel(12, panelPort(), true);
    expect(relay.kinds()).toEqual(['welcome']);
  });

  it('keeps delivering to the other panels when one port throws', () => {
    const t = new RouteTable();
    const broken = panelPort(true), healthy = panelPort();
    expect(() => t.addPanel(12, broken, true)).not.toThrow();
    t.addPanel(12, healthy, true);
    expect(() => t.forward(12, 0, relayBatch('doc-a'))).not.toThrow();
    expect(healthy.kinds()).toEqual(['subscribed', 'batch']);
  });

  it('keeps telling the other relays when one relay port throws', () => {
    const t = new RouteTable();
    const broken = relayPort(true), healthy = relayPort();
    expect(() => t.addRelay(12, 0, broken)).not.toThrow();
    t.addRelay(12, 1, healthy);
    const remove = t.addPanel(12, panelPort(), true);
    remove();
    expect(healthy.kinds()).toEqual(['welcome', 'attach', 'detach']);
  });
});

describe('RouteTable: binary payloads and the panel\'s channel', () => {
  const bytes = Uint8Array.from([0x00, 0xff, 0x10, 0x80, 0x7f]);
  const held: WireEvent = { k: 'intercept', seq: 4, sock: 1, at: 1004, dir: 'sent', what: 'held', ruleId: 'r1', holdId: 1, type: 'binary', size: 2, data: 'yv4=' };
  /** A batch from a relay whose channel clones buffers: binary payloads as ArrayBuffers. */
  const bufferBatch = () => {
    const { frameId: _f, ...b } = batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'hi'), receivedBinary(3, 1, bytes), held, pageDispatchedBinary(5, 1, [9, 8])].map(cloned), { doc: doc('doc-a') });
    return b;
  };
  const dataOf = (m: RouterToPanelMessage | undefined) => (m as { events: { data?: unknown }[] }).events.map((e) => e.data);

  it('says in subscribed whether the panel\'s channel clones buffers', () => {
    const t = new RouteTable();
    const cloning = panelPort(), json = panelPort();
    t.addPanel(12, cloning, true);
    t.addPanel(12, json, false);
    expect(cloning.posts).toEqual([{ v, t: 'subscribed', tabId: 12, clone: true }]);
    expect(json.posts).toEqual([{ v, t: 'subscribed', tabId: 12, clone: false }]);
  });

  it.each([
    ['cloning panel first', ['clone', 'json'] as const],
    ['JSON-only panel first', ['json', 'clone'] as const],
  ])('gives a JSON-only panel base64 of the same bytes, and a cloning panel on the same tab the ArrayBuffers (%s)', (_name, order) => {
    const t = new RouteTable();
    const ports = { clone: panelPort(), json: panelPort() };
    for (const k of order) t.addPanel(12, ports[k], k === 'clone');
    const b = bufferBatch();
    const sent = dataOf({ ...b, v, frameId: 0 });
    t.forward(12, 7, b);

    const json = ports.json.posts.at(-1)!, clone = ports.clone.posts.at(-1)!;
    // Nothing but the binary payloads differs.
    const withoutData = (m: RouterToPanelMessage) => ({ ...m, events: (m as { events: object[] }).events.map(({ data: _d, ...e }: { data?: unknown }) => e) });
    expect(withoutData(json)).toEqual(withoutData({ ...b, v, frameId: 7 }));
    expect(withoutData(clone)).toEqual(withoutData({ ...b, v, frameId: 7 }));

    const [, text, frame, intercept, dispatched] = dataOf(json);
    expect(text).toBe('hi');
    for (const [got, want] of [[frame, bytes], [intercept, Uint8Array.of(0xca, 0xfe)], [dispatched, Uint8Array.of(9, 8)]] as const) {
      expect(typeof got).toBe('string');
      expect(base64ToBytes(got as string)).toEqual(want);
    }
    // The cloning panel gets the relay's buffers as they came, unconverted by the other panel.
    const cloneData = dataOf(clone);
    expect(cloneData[1]).toBe('hi');
    for (const i of [2, 3, 4]) {
      expect(cloneData[i]).toBeInstanceOf(ArrayBuffer);
      expect(cloneData[i]).toBe(sent[i]);
    }
    expect(new Uint8Array(cloneData[2] as ArrayBuffer)).toEqual(bytes);
    expect(dataOf({ ...b, v, frameId: 0 })).toEqual(sent);
  });

  it('passes base64 from a relay on a JSON-only channel to every panel as it is', () => {
    const t = new RouteTable();
    const cloning = panelPort(), json = panelPort();
    t.addPanel(12, cloning, true);
    t.addPanel(12, json, false);
    const { frameId: _f, ...b } = batch([receivedBinary(3, 1, bytes)], { doc: doc('doc-a') });
    t.forward(12, 7, b);
    expect(cloning.posts.at(-1)).toEqual({ ...b, v, frameId: 7 });
    expect(json.posts.at(-1)).toEqual({ ...b, v, frameId: 7 });
  });
});
