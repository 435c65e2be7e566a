/**
 * *Record send stacks* is the panel's to ask and costs the page every send(): the router hands the
 * tab's relays the options the panel set, now and when a relay connects later, posts only a
 * change, and switches them back off when the tab's last panel goes.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable, type Outlet } from '../../src/background/route-table';
import type { RouterToPanelMessage, RouterToRelayMessage } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/version';

const v = PROTOCOL_VERSION;

class FakePort<T> implements Outlet<T> {
  readonly posts: T[] = [];
  postMessage(msg: T): void { this.posts.push(msg); }
}
const relayPort = () => new FakePort<RouterToRelayMessage>();

/** The sendStacks of each options message a relay got, in order. */
const optionsGot = (p: FakePort<RouterToRelayMessage>) => p.posts.flatMap((m) => (m.t === 'options' ? [m.options.sendStacks] : []));

function tabWithPanel(tabId = 7) {
  const t = new RouteTable();
  const removePanel = t.addPanel(tabId, new FakePort<RouterToPanelMessage>(), true);
  return { t, removePanel };
}

describe('RouteTable: hook options (send stacks)', () => {
  it('sends the options to every relay of the tab, and to no other tab', () => {
    const { t } = tabWithPanel();
    const top = relayPort(), iframe = relayPort(), other = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    t.addRelay(7, 3, iframe, 'https://ads.test/');
    t.addRelay(8, 0, other, 'https://b.test/');
    t.setOptions(7, { sendStacks: true });
    expect(optionsGot(top)).toEqual([true]);
    expect(optionsGot(iframe)).toEqual([true]);
    expect(optionsGot(other)).toEqual([]);
    expect(top.posts.at(-1)).toEqual({ v, t: 'options', options: { sendStacks: true } });
  });

  it('gives a relay that connects later the options in force, as it connects', () => {
    const { t } = tabWithPanel();
    t.setOptions(7, { sendStacks: true });
    const late = relayPort();
    t.addRelay(7, 0, late, 'https://a.test/');
    expect(optionsGot(late)).toEqual([true]);
  });

  it('sends the defaults to nobody: a relay of a tab whose panel never asked gets no options message', () => {
    const { t } = tabWithPanel();
    const top = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    t.setOptions(7, { sendStacks: false });
    const late = relayPort();
    t.addRelay(7, 2, late, 'https://a.test/f');
    expect(optionsGot(top)).toEqual([]);
    expect(optionsGot(late)).toEqual([]);
  });

  it('posts only a change: the same options again (a panel reconnecting) are not sent twice', () => {
    const { t } = tabWithPanel();
    const top = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    t.setOptions(7, { sendStacks: true });
    t.setOptions(7, { sendStacks: true });
    expect(optionsGot(top)).toEqual([true]);
    t.setOptions(7, { sendStacks: false });
    t.setOptions(7, { sendStacks: false });
    expect(optionsGot(top)).toEqual([true, false]);
    // Switched off: a relay connecting now is not told anything.
    const late = relayPort();
    t.addRelay(7, 2, late, 'https://a.test/f');
    expect(optionsGot(late)).toEqual([]);
  });

  it('switches send stacks off in every relay of the tab when its last panel goes, and not before', () => {
    const t = new RouteTable();
    const first = t.addPanel(7, new FakePort<RouterToPanelMessage>(), true);
    const second = t.addPanel(7, new FakePort<RouterToPanelMessage>(), true);
    const top = relayPort(), iframe = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    t.addRelay(7, 3, iframe, 'https://ads.test/');
    t.setOptions(7, { sendStacks: true });
    first();
    expect(optionsGot(top)).toEqual([true]);
    second();
    expect(optionsGot(top)).toEqual([true, false]);
    expect(optionsGot(iframe)).toEqual([true, false]);
    expect(top.posts.slice(-2)).toEqual([{ v, t: 'detach' }, { v, t: 'options', options: { sendStacks: false } }]);
    // They ended with the panel: a relay connecting afterwards does not record stacks.
    const late = relayPort();
    t.addRelay(7, 0, late, 'https://a.test/');
    expect(optionsGot(late)).toEqual([]);
  });

  it('says nothing about options when the last panel goes without ever having switched them on', () => {
    const { t, removePanel } = tabWithPanel();
    const top = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    removePanel();
    expect(top.posts.map((m) => m.t)).toEqual(['welcome', 'attach', 'detach']);
  });

  it('a new panel starts from the defaults: the options of the one before do not come back', () => {
    const { t, removePanel } = tabWithPanel();
    t.setOptions(7, { sendStacks: true });
    removePanel();
    t.addPanel(7, new FakePort<RouterToPanelMessage>(), true);
    const top = relayPort();
    t.addRelay(7, 0, top, 'https://a.test/');
    expect(optionsGot(top)).toEqual([]);
    t.setOptions(7, { sendStacks: true });
    expect(optionsGot(top)).toEqual([true]);
  });
});
