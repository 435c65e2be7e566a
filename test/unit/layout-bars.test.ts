/** Which toolbar and filter-bar controls stay on the one row at each width, and which go to the overflow menu. */
import { describe, expect, it } from 'vitest';
import { filterInline, toolbarInline } from '../../src/panel/layout/bars';
import { fitBar } from '../../src/panel/layout/fit-bar';
import { connColumnsShown } from '../../src/panel/layout/conn-columns';
import { placePopover } from '../../src/panel/layout/place-popover';

const live = { readOnly: false, rulesOn: 0, activeTab: '● Live' };
const sorted = (s: Set<string>) => [...s].sort();

describe('fitBar', () => {
  const items = [{ id: 'a', width: 50, priority: 0 }, { id: 'b', width: 50, priority: 1 }, { id: 'c', width: 10, priority: 2 }];
  it('keeps everything when it all fits, without the menu button', () => {
    expect(sorted(fitBar(210, 100, items, 30))).toEqual(['a', 'b', 'c']);
  });
  it('counts the menu button once something overflows, and never skips ahead to a smaller item', () => {
    expect(sorted(fitBar(209, 100, items, 30))).toEqual(['a']);
    expect(sorted(fitBar(120, 100, items, 30))).toEqual([]);
  });
});

describe('toolbarInline', () => {
  it('wide: everything inline', () => {
    expect(sorted(toolbarInline(1280, live))).toEqual(['compose', 'export', 'openSession', 'preserveLog', 'rules', 'sendStacks', 'timeMode']);
  });
  it('1000 px: everything but "Open session…"', () => {
    expect(toolbarInline(1000, { ...live, rulesOn: 1 }).has('timeMode')).toBe(true);
  });
  it('the 640 px default of a DevTools window: Preserve log stays, Open session… goes', () => {
    const s = toolbarInline(640, live);
    expect(s.has('preserveLog')).toBe(true);
    expect(s.has('openSession')).toBe(false);
  });
  it('side dock, 450 px, rules on: Export…, Rules and Compose inline; the rest in "⋮"', () => {
    expect(sorted(toolbarInline(450, { ...live, rulesOn: 2 }))).toEqual(['compose', 'export', 'rules']);
  });
  it('very narrow: Export… is the last to go', () => {
    expect(sorted(toolbarInline(240, live))).toEqual(['export']);
  });
  it('an imported session has no live controls to place', () => {
    expect(sorted(toolbarInline(1280, { readOnly: true, rulesOn: 0, activeTab: 'capture.json' }))).toEqual(['export', 'openSession', 'timeMode']);
  });
});

describe('filterInline', () => {
  const counts = '1234 of 1234 frames';
  it('wide: every filter inline', () => {
    expect(filterInline(1280, { counts }).size).toBe(5);
  });
  // The row starts with the Frames | Calls tabs, which never move.
  it('1000 px: the size range goes to "Filters ▾" first, then Hide heartbeats', () => {
    expect(filterInline(1100, { counts }).size).toBe(5);
    expect(sorted(filterInline(1000, { counts }))).toEqual(['direction', 'heartbeats', 'invert', 'types']);
    expect(sorted(filterInline(900, { counts }))).toEqual(['direction', 'invert', 'types']);
  });
  it('800 px: direction and Invert stay; 640 px: direction', () => {
    expect(sorted(filterInline(800, { counts }))).toEqual(['direction', 'invert']);
    expect(sorted(filterInline(640, { counts }))).toEqual(['direction']);
  });
  it('450 px: only the filter box and the counts; the rest in the menu', () => {
    expect(sorted(filterInline(450, { counts }))).toEqual([]);
  });
  it('a long counts text takes room from the filters', () => {
    expect(filterInline(1000, { counts: '12 heartbeats hidden · 1000000 of 1000000 frames' }).has('heartbeats')).toBe(false);
  });
});

describe('connColumnsShown', () => {
  it('narrow: URL, state and frames; wide: all eleven', () => {
    expect(sorted(connColumnsShown(450, {}))).toEqual(['frames', 'state', 'url']);
    expect(connColumnsShown(1280, {}).size).toBe(11);
  });
  it('the user\'s choice wins, and the URL never hides', () => {
    const s = connColumnsShown(450, { close: false, url: true, state: true });
    expect(sorted(s)).toEqual(['close', 'frames', 'url']);
  });
});

describe('placePopover', () => {
  const viewport = { width: 450, height: 873 };
  it('right-aligned under its anchor, clamped inside the panel', () => {
    // The export dialog of a button near the left edge of a side-docked panel.
    const p = placePopover({ left: 10, top: 0, right: 70, bottom: 24 }, { width: 420, height: 300 }, viewport, 'end');
    expect(p).toMatchObject({ left: 4, top: 26 });
  });
  it('moves up when it does not fit under the anchor, and scrolls when taller than the panel', () => {
    expect(placePopover({ left: 100, top: 200, right: 150, bottom: 220 }, { width: 100, height: 100 }, { width: 1280, height: 233 }, 'start'))
      .toMatchObject({ left: 100, top: 98 });
    expect(placePopover({ left: 100, top: 10, right: 150, bottom: 30 }, { width: 300, height: 600 }, { width: 1280, height: 233 }, 'start'))
      .toEqual({ left: 100, top: 4, maxHeight: 225, maxWidth: 1272 });
  });
});
