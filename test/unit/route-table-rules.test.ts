/**
 * The router gives a tab's relays only the rules in effect for the tab's top-level page, as the
 * browser reported its URL: a tab that navigates to another origin never gets the rules scoped
 * to the page it left, even before its panel has seen the new page.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable, type Outlet } from '../../src/background/route-table';
import type { InterceptRule } from '../../src/protocol/intercept-rules';
import type { RouterToPanelMessage, RouterToRelayMessage } from '../../src/protocol/messages';

const A = 'http://127.0.0.1:8080';
const B = 'http://localhost:8080';

class FakePort<T> implements Outlet<T> {
  readonly posts: T[] = [];
  postMessage(msg: T): void { this.posts.push(msg); }
}
const relayPort = () => new FakePort<RouterToRelayMessage>();

/** The rule ids of each rules message a relay got, in order. */
const rulesGot = (p: FakePort<RouterToRelayMessage>) =>
  p.posts.flatMap((m) => (m.t === 'rules' ? [m.rules.map((r) => r.id)] : []));

const rule = (id: string, scope: InterceptRule['scope']): InterceptRule =>
  ({ id, enabled: true, urlPattern: '', direction: 'sent', match: 'secret', action: { type: 'pause' }, scope });
const onA = rule('on-a', { origin: A });
const onB = rule('on-b', { origin: B });
const everywhere = rule('everywhere', { all: true });

function tabWithPanel() {
  const t = new RouteTable();
  t.addPanel(7, new FakePort<RouterToPanelMessage>(), true);
  return t;
}

describe('RouteTable: rules by the origin of the tab', () => {
  it('sends relays of a page on A the rules for A and for all sites', () => {
    const t = tabWithPanel();
    const top = relayPort(), iframe = relayPort();
    t.addRelay(7, 0, top, `${A}/app`);
    t.addRelay(7, 3, iframe, 'https://ads.example/frame');
    t.setRules(7, [onA, onB, everywhere]);
    expect(rulesGot(top)).toEqual([['on-a', 'everywhere']]);
    // An iframe is in its page's scope, whatever its own origin.
    expect(rulesGot(iframe)).toEqual([['on-a', 'everywhere']]);
  });

  it('sends only all-sites rules while no top frame has said where the tab is', () => {
    const t = tabWithPanel();
    t.setRules(7, [onA, everywhere]);
    const iframe = relayPort();
    t.addRelay(7, 3, iframe, `${A}/frame`);
    expect(rulesGot(iframe)).toEqual([['everywhere']]);
    const top = relayPort();
    t.addRelay(7, 0, top, `${A}/app`);
    expect(rulesGot(top)).toEqual([['on-a', 'everywhere']]);
    expect(rulesGot(iframe)).toEqual([['everywhere'], ['on-a', 'everywhere']]);
  });

  it('a navigation to B: the new page gets none of the rules for A, though the panel still sends them', () => {
    const t = tabWithPanel();
    const oldTop = relayPort();
    const oldRelay = t.addRelay(7, 0, oldTop, `${A}/app`);
    t.setRules(7, [onA, everywhere]);
    const newTop = relayPort();
    t.addRelay(7, 0, newTop, `${B}/app`);
    expect(rulesGot(newTop)).toEqual([['everywhere']]);
    const newIframe = relayPort();
    t.addRelay(7, 2, newIframe, `${A}/frame`);
    expect(rulesGot(newIframe)).toEqual([['everywhere']]);
    // The old page's relay goes after the new one came: the tab stays on B.
    oldRelay.remove();
    expect(t.rulesFor(7).map((r) => r.id)).toEqual(['everywhere']);
    // The panel has seen the page on B: it sends the rules in effect there.
    t.setRules(7, [onB, everywhere]);
    expect(rulesGot(newTop).at(-1)).toEqual(['on-b', 'everywhere']);
  });

  it('when the top frame goes, the tab is nowhere until the next one comes', () => {
    const t = tabWithPanel();
    const top = relayPort(), iframe = relayPort();
    const topRelay = t.addRelay(7, 0, top, `${A}/app`);
    t.addRelay(7, 4, iframe, `${A}/frame`);
    t.setRules(7, [onA, everywhere]);
    topRelay.remove();
    expect(rulesGot(iframe).at(-1)).toEqual(['everywhere']);
    const back = relayPort();
    t.addRelay(7, 0, back, `${A}/app`);
    expect(rulesGot(back)).toEqual([['on-a', 'everywhere']]);
    expect(rulesGot(iframe).at(-1)).toEqual(['on-a', 'everywhere']);
  });

  it('never passes on a rule that is off, incomplete or without a scope', () => {
    const t = tabWithPanel();
    const top = relayPort();
    t.addRelay(7, 0, top, `${A}/app`);
    t.setRules(7, [{ ...onA, enabled: false }, { ...onA, id: 'all-frames', match: '' }, { ...onA, id: 'unscoped', scope: undefined }, everywhere]);
    expect(rulesGot(top)).toEqual([['everywhere']]);
  });

  it('a page without an origin (about:blank) gets only all-sites rules', () => {
    const t = tabWithPanel();
    const top = relayPort();
    t.addRelay(7, 0, top, 'about:blank');
    t.setRules(7, [onA, everywhere]);
    expect(rulesGot(top)).toEqual([['everywhere']]);
  });

  it('other tabs are not touched', () => {
    const t = tabWithPanel();
    const other = relayPort();
    t.addRelay(8, 0, other, `${A}/app`);
    t.setRules(7, [onA, everywhere]);
    t.addRelay(7, 0, relayPort(), `${B}/app`);
    expect(rulesGot(other)).toEqual([]);
  });
});
