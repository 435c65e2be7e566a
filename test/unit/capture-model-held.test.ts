/**
 * Frames waiting in the page, as the panel model keeps them: held by a rule, or queued behind
 * one; every one listed and counted, and each release names the frame it let go.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { heldTitle } from '../../src/panel/model/held-list';
import { batch, created, doc, intercepted, released, sentText } from './fixtures/wire-events';

const newModel = () => new CaptureModel({ maxFrames: 1000, maxBytes: 1 << 20 });
const lifecycleTexts = (m: CaptureModel) => [...m.rows].flatMap((r) => (r.kind === 'lifecycle' && r.event === 'intercept' ? [r.text] : []));
const waiting = (m: CaptureModel) => [...m.held].map((h) => `${h.state} ${h.dir} ${String(h.data)}`);

describe('CaptureModel: frames waiting in the page', () => {
  it('lists and counts a frame queued behind a held one, in the order they began to wait', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), intercepted(2, 1, 'held', 'secret: 1', { holdId: 1 }), intercepted(3, 1, 'queued', 'after', { holdId: 2 })]));
    expect(waiting(m)).toEqual(['held sent secret: 1', 'queued sent after']);
    expect(m.held.length).toBe(2);
    expect(heldTitle(m.held.counts)).toBe('Held: 2 outgoing, 0 incoming (1 queued behind an earlier frame)');
    expect(lifecycleTexts(m)).toEqual(['rule held ↑ secret: 1', 'queued behind an earlier frame ↑ after']);
  });

  it('names the frame a release let go, as its hold did; a queued frame\'s turn adds no row', () => {
    const m = newModel();
    m.ingest(batch([
      created(1, 1, 'wss://a/'),
      intercepted(2, 1, 'held', 'secret: 1', { holdId: 1 }), intercepted(3, 1, 'queued', 'after', { holdId: 2 }),
      released(4, 1, 1, true), sentText(5, 1, 'secret: 1'), sentText(6, 1, 'after'), released(7, 1, 2, true),
      intercepted(8, 1, 'held', 'secret: 2', { holdId: 3, dir: 'received' }), released(9, 1, 3, false),
    ]));
    expect(m.held.length).toBe(0);
    expect(lifecycleTexts(m)).toEqual([
      'rule held ↑ secret: 1', 'queued behind an earlier frame ↑ after', 'held frame forwarded ↑ secret: 1', 'rule held ↓ secret: 2', 'held frame dropped ↓ secret: 2',
    ]);
  });

  it('says when a queued frame never went because its socket closed', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), intercepted(2, 1, 'held', 'x', { holdId: 1 }), intercepted(3, 1, 'queued', 'y', { holdId: 2 }), released(4, 1, 1, false), released(5, 1, 2, false)]));
    expect(lifecycleTexts(m).slice(2)).toEqual(['held frame dropped ↑ x', 'queued frame not sent: its socket closed ↑ y']);
  });

  it('still reads a release whose hold it never saw (evicted before the panel came)', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), released(2, 1, 9, true)]));
    expect(lifecycleTexts(m)).toEqual(['held frame #9 forwarded']);
  });

  it('keeps holds of two sockets with the same hold id apart (a worker\'s hook numbers its own)', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://page/'), created(2, 2, 'wss://worker/'), intercepted(3, 1, 'held', 'page', { holdId: 1 }), intercepted(4, 2, 'held', 'worker', { holdId: 1 }), released(5, 2, 1, true)]));
    expect(waiting(m)).toEqual(['held sent page']);
    expect(lifecycleTexts(m).at(-1)).toBe('held frame forwarded ↑ worker');
  });

  it('counts by direction, and a delayed or dropped frame is not waiting for the user', () => {
    const m = newModel();
    m.ingest(batch([
      created(1, 1, 'wss://a/'),
      intercepted(2, 1, 'held', 'in-1', { holdId: 1, dir: 'received' }), intercepted(3, 1, 'queued', 'in-2', { holdId: 2, dir: 'received' }),
      intercepted(4, 1, 'queued', 'in-3', { holdId: 3, dir: 'received' }), intercepted(5, 1, 'delayed', 'out', { ms: 800 }), intercepted(6, 1, 'dropped', 'gone'),
    ]));
    expect(heldTitle(m.held.counts)).toBe('Held: 0 outgoing, 3 incoming (2 queued behind earlier frames)');
    expect(lifecycleTexts(m).slice(3)).toEqual(['rule delayed 800 ms ↑ out', 'rule dropped ↑ gone']);
  });

  it('a navigation empties it', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/'), intercepted(2, 1, 'held', 'x', { holdId: 1 }), intercepted(3, 1, 'queued', 'y', { holdId: 2 })]));
    m.ingest(batch([created(1, 1, 'wss://b/')], { doc: doc('doc-next', { url: 'https://next.test/' }) }));
    expect(m.held.length).toBe(0);
    expect(heldTitle(m.held.counts)).toBe('Held: 0 outgoing, 0 incoming');
  });
});
