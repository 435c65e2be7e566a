/** The filtered view stays in step with the log as rows arrive, are evicted and are cleared. */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { FilteredView, type RowMatcher } from '../../src/panel/model/filtered-view';
import type { Row } from '../../src/panel/model/types';
import { batch, created, doc, sentText } from './fixtures/wire-events';

const onlyText = (needle: string): RowMatcher => (r) => r.kind === 'frame' && typeof r.data === 'string' && r.data.includes(needle);
const shown = (v: FilteredView, m: CaptureModel) => Array.from({ length: v.count }, (_, i) => m.rows.at(v.index(i)!) as Row).map((r) => (r.kind === 'frame' ? r.data : r.kind));

describe('FilteredView', () => {
  it('tests only new rows as they arrive, and counts matching frames', () => {
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1e9 });
    let tested = 0;
    const view = new FilteredView((r) => { tested++; return onlyText('x')(r); });
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'x1'), sentText(3, 1, 'y')]));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['x1']);
    expect(tested).toBe(3);
    m.ingest(batch([sentText(4, 1, 'x2')]));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['x1', 'x2']);
    expect(tested).toBe(4);
    expect(view.frameMatches).toBe(2);
  });

  it('re-tests everything when the filter changes', () => {
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1e9 });
    const view = new FilteredView(onlyText('x'));
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'x'), sentText(3, 1, 'y')]));
    view.sync(m.rows);
    view.setMatcher(onlyText('y'), m.rows);
    expect(shown(view, m)).toEqual(['y']);
  });

  it('drops rows the model evicted past its cap, and keeps the frame count right', () => {
    const m = new CaptureModel({ maxFrames: 2, maxBytes: 1e9 });
    const view = new FilteredView(() => true);
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'a'), sentText(3, 1, 'b')]));
    view.sync(m.rows);
    m.ingest(batch([sentText(4, 1, 'c')]));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['b', 'c']);
    expect(view.frameMatches).toBe(2);
  });

  it('empties on Clear and on a navigation, then follows new rows', () => {
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1e9 });
    const view = new FilteredView(() => true);
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'a')]));
    view.sync(m.rows);
    m.clear();
    view.sync(m.rows);
    expect(view.count).toBe(0);
    expect(view.frameMatches).toBe(0);
    m.ingest(batch([created(1, 1, 'wss://b/'), sentText(2, 1, 'b')], { doc: doc('next-page') }));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['lifecycle', 'b']);
  });

  it('finds a row by absolute index and by time, by binary search', () => {
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1e9 });
    const view = new FilteredView(onlyText('x'));
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'x1'), sentText(3, 1, 'y'), sentText(4, 1, 'x2')]));
    view.sync(m.rows);
    const x2 = view.index(1)!;
    expect(view.positionOf(x2)).toBe(1);
    expect(view.positionOf(view.index(0)! + 1)).toBe(-1); // 'y' is filtered out
    expect(view.positionAtTime(1003, m.rows)).toBe(1); // 'y' at 1003 is hidden; the next shown is x2 at 1004
  });

  it('at the cap, evicting as fast as it adds, stays consistent', () => {
    const m = new CaptureModel({ maxFrames: 1000, maxBytes: 1e9 });
    const view = new FilteredView(onlyText('keep'));
    m.ingest(batch([created(1, 1, 'wss://a/')]));
    for (let s = 2; s < 5000; s++) {
      m.ingest(batch([sentText(s, 1, s % 2 ? 'keep' : 'drop')]));
      view.sync(m.rows);
    }
    expect(m.frameCount).toBe(1000);
    expect(view.count).toBe(500);
    expect(view.frameMatches).toBe(500);
  });

  it('always shows navigation separators, whatever the filter', () => {
    const m = new CaptureModel({ maxFrames: 100, maxBytes: 1e9 });
    m.preserveLog = true;
    const view = new FilteredView(() => false);
    m.ingest(batch([created(1, 1, 'wss://a/')], { doc: doc('p1') }));
    m.ingest(batch([created(1, 1, 'wss://b/')], { doc: doc('p2') }));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['navigation']);
  });
});

describe('FilteredView: Hide heartbeats', () => {
  // A matcher that calls frames with "ping" in them heartbeats, as the compiled filter does for decoded pings.
  const hideHb: RowMatcher = (r) => (r.kind === 'frame' && typeof r.data === 'string' && r.data.startsWith('ping') ? 'heartbeat' : true);

  it('counts the heartbeats it hides, and forgets them as the model evicts them', () => {
    const m = new CaptureModel({ maxFrames: 3, maxBytes: 1e9 });
    const view = new FilteredView(hideHb);
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'ping 1'), sentText(3, 1, 'hello'), sentText(4, 1, 'ping 2')]));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['lifecycle', 'hello']);
    expect(view.heartbeatsHidden).toBe(2);
    expect(view.frameMatches).toBe(1);
    // Two more frames push the lifecycle row and "ping 1" (and then "hello") out of the capped log.
    m.ingest(batch([sentText(5, 1, 'bye'), sentText(6, 1, 'ping 3')]));
    view.sync(m.rows);
    expect(shown(view, m)).toEqual(['bye']);
    expect(view.heartbeatsHidden).toBe(2);
  });

  it('a new matcher starts the count afresh', () => {
    const m = new CaptureModel({ maxFrames: 10, maxBytes: 1e9 });
    const view = new FilteredView(hideHb);
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'ping 1')]));
    view.sync(m.rows);
    expect(view.heartbeatsHidden).toBe(1);
    view.setMatcher(() => true, m.rows);
    expect(view.heartbeatsHidden).toBe(0);
    expect(view.frameMatches).toBe(1);
  });
});
