/**
 * Commands through the router: only to the frame and document that captured the socket, only in
 * the panel's own tab, and always answered once, even when the relay goes away.
 */
import { describe, expect, it } from 'vitest';
import { RouteTable, type Outlet } from '../../src/background/route-table';
import { FRAME_GONE, type SocketCommand } from '../../src/protocol/commands';
import { isPanelToRouterMessage, isSocketCommand } from '../../src/protocol/guards';
import type { RouterToPanelMessage, RouterToRelayMessage } from '../../src/protocol/messages';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version';

class FakePort<T> implements Outlet<T> {
  readonly posts: T[] = [];
  postMessage(msg: T): void { this.posts.push(msg); }
  last(): T | undefined { return this.posts.at(-1); }
}

const send: SocketCommand = { op: 'send', sock: 3, payload: { type: 'text', text: 'hi' }, origin: 'composed' };

function setup() {
  const t = new RouteTable();
  const relay = new FakePort<RouterToRelayMessage>();
  const handle = t.addRelay(7, 2, relay);
  handle.setDoc('doc-a');
  const panel = new FakePort<RouterToPanelMessage>();
  t.addPanel(7, panel, true);
  return { t, relay, handle, panel };
}

describe('RouteTable commands', () => {
  it('reach the relay of the frame and document named, under the router\'s own id', () => {
    const { t, relay, panel } = setup();
    t.command(7, panel, { id: 41, frameId: 2, docId: 'doc-a', cmd: send });
    expect(relay.last()).toMatchObject({ v, t: 'command', docId: 'doc-a', cmd: send });
  });

  it('carry the relay\'s result back to the panel under the panel\'s id, once', () => {
    const { t, relay, handle, panel } = setup();
    t.command(7, panel, { id: 41, frameId: 2, docId: 'doc-a', cmd: send });
    const routerId = (relay.last() as { id: number }).id;
    handle.result({ id: routerId, ok: false, error: 'The socket is closed; nothing was sent.' });
    handle.result({ id: routerId, ok: true });
    const results = panel.posts.filter((m) => m.t === 'result');
    expect(results).toEqual([{ v, t: 'result', id: 41, ok: false, error: 'The socket is closed; nothing was sent.' }]);
  });

  it('answer FRAME_GONE for a document that is not there (navigated away) or another tab', () => {
    const { t, relay, panel } = setup();
    t.command(7, panel, { id: 1, frameId: 2, docId: 'old-doc', cmd: send });
    t.command(8, panel, { id: 2, frameId: 2, docId: 'doc-a', cmd: send });
    expect(panel.posts.filter((m) => m.t === 'result')).toEqual([
      { v, t: 'result', id: 1, ok: false, error: FRAME_GONE },
      { v, t: 'result', id: 2, ok: false, error: FRAME_GONE },
    ]);
    expect(relay.posts.some((m) => m.t === 'command')).toBe(false);
  });

  it('answer every command still out when the relay goes away', () => {
    const { t, handle, panel } = setup();
    t.command(7, panel, { id: 5, frameId: 2, docId: 'doc-a', cmd: send });
    handle.remove();
    expect(panel.last()).toEqual({ v, t: 'result', id: 5, ok: false, error: FRAME_GONE });
  });
});

describe('command guards', () => {
  it('accept the commands the panel sends', () => {
    expect(isSocketCommand(send)).toBe(true);
    expect(isSocketCommand({ op: 'inject', sock: 1, payload: { type: 'binary', base64: '3q2+7w==' } })).toBe(true);
    expect(isSocketCommand({ op: 'close', sock: 1, code: 4000, reason: 'x' })).toBe(true);
    expect(isSocketCommand({ op: 'close', sock: 1 })).toBe(true);
  });
  it('refuse unknown ops, bad base64, close codes WebSocket.close would reject, and a missing origin', () => {
    expect(isSocketCommand({ op: 'eval', sock: 1 })).toBe(false);
    expect(isSocketCommand({ op: 'inject', sock: 1, payload: { type: 'binary', base64: 'not base64!' } })).toBe(false);
    expect(isSocketCommand({ op: 'close', sock: 1, code: 1006 })).toBe(false);
    expect(isSocketCommand({ op: 'close', sock: 1, code: 5000 })).toBe(false);
    expect(isSocketCommand({ op: 'send', sock: 1, payload: { type: 'text', text: 'x' } })).toBe(false);
    expect(isSocketCommand({ op: 'send', sock: -1, payload: { type: 'text', text: 'x' }, origin: 'composed' })).toBe(false);
  });
  it('a panel command names its frame and document', () => {
    expect(isPanelToRouterMessage({ v, t: 'command', id: 1, frameId: 0, docId: 'd', cmd: send })).toBe(true);
    expect(isPanelToRouterMessage({ v, t: 'command', id: 1, docId: 'd', cmd: send })).toBe(false);
  });
});
