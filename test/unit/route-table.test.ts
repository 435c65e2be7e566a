/**
 * The background router's table: relays learn their tab and when to stream; a panel gets only
 * its own tab's batches; one dead port never blocks the others.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable, type Outlet } from '../../src/background/route-table';
import type { RouterToPanelMessage, RouterToRelayMessage } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import { batch, created, doc, sentText } from './fixtures/wire-events';

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
    t.addPanel(12, panel);
    const relay = relayPort();
    t.addRelay(12, 3, relay);
    expect(relay.posts).toEqual([{ v, t: 'welcome', tabId: 12 }, { v, t: 'attach' }]);
    expect(panel.posts).toEqual([{ v, t: 'subscribed', tabId: 12 }]);
  });

  it('tells every relay of the tab to attach when a panel arrives later', () => {
    const t = new RouteTable();
    const top = relayPort(), iframe = relayPort(), otherTab = relayPort();
    t.addRelay(12, 0, top);
    t.addRelay(12, 5, iframe);
    t.addRelay(13, 0, otherTab);
    t.addPanel(12, panelPort());
    expect(top.kinds()).toEqual(['welcome', 'attach']);
    expect(iframe.kinds()).toEqual(['welcome', 'attach']);
    expect(otherTab.kinds()).toEqual(['welcome']);
  });

  it('asks relays to attach again for a second panel, so it gets the history too', () => {
    const t = new RouteTable();
    const relay = relayPort();
    t.addRelay(12, 0, relay);
    t.addPanel(12, panelPort());
    t.addPanel(12, panelPort());
    expect(relay.kinds()).toEqual(['welcome', 'attach', 'attach']);
  });

  it('forwards a batch only to panels of the same tab, stamped with the frame id', () => {
    const t = new RouteTable();
    const mine = panelPort(), also = panelPort(), otherTab = panelPort();
    t.addPanel(12, mine);
    t.addPanel(12, also);
    t.addPanel(13, otherTab);
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
    t.addPanel(13, otherTab);
    t.forward(12, 0, relayBatch('doc-a'));
    expect(otherTab.kinds()).toEqual(['subscribed']);
  });

  it('tells relays to detach when the last panel of the tab goes, not before', () => {
    const t = new RouteTable();
    const relay = relayPort(), otherTabRelay = relayPort();
    t.addRelay(12, 0, relay);
    t.addRelay(13, 0, otherTabRelay);
    const removeFirst = t.addPanel(12, panelPort());
    const removeSecond = t.addPanel(12, panelPort());

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
    const remove = t.addPanel(12, panel);
    remove();
    t.forward(12, 0, relayBatch('doc-a'));
    expect(panel.kinds()).toEqual(['subscribed']);
  });

  it('does not ask a removed relay to attach', () => {
    const t = new RouteTable();
    const relay = relayPort();
    t.addRelay(12, 0, relay).remove();
    t.addPanel(12, panelPort());
    expect(relay.kinds()).toEqual(['welcome']);
  });

  it('keeps delivering to the other panels when one port throws', () => {
    const t = new RouteTable();
    const broken = panelPort(true), healthy = panelPort();
    expect(() => t.addPanel(12, broken)).not.toThrow();
    t.addPanel(12, healthy);
    expect(() => t.forward(12, 0, relayBatch('doc-a'))).not.toThrow();
    expect(healthy.kinds()).toEqual(['subscribed', 'batch']);
  });

  it('keeps telling the other relays when one relay port throws', () => {
    const t = new RouteTable();
    const broken = relayPort(true), healthy = relayPort();
    expect(() => t.addRelay(12, 0, broken)).not.toThrow();
    t.addRelay(12, 1, healthy);
    const remove = t.addPanel(12, panelPort());
    remove();
    expect(healthy.kinds()).toEqual(['welcome', 'attach', 'detach']);
  });
});
