/** Where the panel's parts go at the dock sizes DevTools is really used at (the panel is ~27 px shorter than the window). */
import { describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/panel/layout/frame-columns';
import { DEFAULT_LAYOUT, type LayoutSettings } from '../../src/panel/layout/layout-settings';
import { BAR_PX, CHART_PX, computeLayout, FRAME_HEAD_PX, ROW_PX, SPLITTER_PX, SUMMARY_PX, type PanelLayout } from '../../src/panel/layout/panel-layout';

const settings = (patch: Partial<LayoutSettings> = {}): LayoutSettings => ({ ...structuredClone(DEFAULT_LAYOUT), ...patch });
const at = (width: number, height: number, s = settings(), connections = 6) => computeLayout({ width, height, connections, detailShown: true }, s);

/** Frame rows fully in view, from the heights the layout gives each part. */
function rows(l: PanelLayout, height: number): number {
  let list = height - 2 * BAR_PX - SUMMARY_PX - (l.showConnections ? l.connections.size + SPLITTER_PX : 0);
  if (l.placement === 'below') list -= l.detail.size + SPLITTER_PX;
  if (l.showChart) list -= CHART_PX;
  return Math.floor((list - FRAME_HEAD_PX) / ROW_PX);
}
const dataPx = (l: PanelLayout) => layoutColumns(l.listWidth, true, { widths: {}, hidden: {} }).data;

describe('computeLayout at the issue\'s sizes, a frame selected and a decoded connection', () => {
  it('1280 × 260, bottom dock: detail beside, connections and chart folded, ≥ 5 rows, Data ≥ 300 px', () => {
    const l = at(1280, 233);
    expect(l).toMatchObject({ placement: 'beside', showConnections: false, showChart: false });
    expect(rows(l, 233)).toBeGreaterThanOrEqual(5);
    expect(dataPx(l)).toBeGreaterThanOrEqual(300);
  });
  it('1000 × 330, bottom dock: ≥ 8 rows, Data ≥ 250 px', () => {
    const l = at(1000, 303);
    expect(l).toMatchObject({ placement: 'beside', showConnections: false, showChart: false });
    expect(rows(l, 303)).toBeGreaterThanOrEqual(8);
    expect(dataPx(l)).toBeGreaterThanOrEqual(250);
  });
  it('450 × 900, right dock: detail under the list, connections shown, chart folded, ≥ 20 rows, Data ≥ 150 px', () => {
    const l = at(450, 873);
    expect(l).toMatchObject({ placement: 'below', showConnections: true, showChart: false, listWidth: 450 });
    expect(rows(l, 873)).toBeGreaterThanOrEqual(20);
    expect(dataPx(l)).toBeGreaterThanOrEqual(150);
  });
  it('1600 × 900: everything shown, ≥ 22 rows, Data ≥ 500 px', () => {
    const l = at(1600, 873);
    expect(l).toMatchObject({ placement: 'beside', showConnections: true, showChart: true });
    expect(rows(l, 873)).toBeGreaterThanOrEqual(22);
    expect(dataPx(l)).toBeGreaterThanOrEqual(500);
  });
});

describe('computeLayout: the user\'s choices', () => {
  it('an explicit fold or unfold wins over the automatic one', () => {
    expect(at(1280, 233, settings({ showConnections: true, showChart: true }))).toMatchObject({ showConnections: true, showChart: true });
    expect(at(1600, 873, settings({ showConnections: false, showChart: false }))).toMatchObject({ showConnections: false, showChart: false });
  });
  it('splitter positions are kept, within what leaves the frames room', () => {
    expect(at(1600, 873, settings({ detailWidth: 700, connectionsHeight: 200 }))).toMatchObject({ detail: { size: 700 }, connections: { size: 200 }, listWidth: 899 });
    const squeezed = at(1600, 873, settings({ detailWidth: 5000, connectionsHeight: 5000 }));
    expect(squeezed.detail.size).toBe(squeezed.detail.max);
    expect(squeezed.listWidth).toBeGreaterThanOrEqual(300);
    expect(squeezed.connections.size).toBe(squeezed.connections.max);
    expect(at(450, 873, settings({ detailHeight: 10 })).detail.size).toBe(100);
  });
  it('beside and below keep their own sizes, as DevTools does for its dock sides', () => {
    const s = settings({ detailWidth: 500, detailHeight: 300 });
    expect(at(1280, 700, s).detail.size).toBe(500);
    expect(at(450, 873, s).detail.size).toBe(300);
  });
  it('with no frame selected the list takes the whole width', () => {
    expect(computeLayout({ width: 1280, height: 233, connections: 1, detailShown: false }, settings()).listWidth).toBe(1280);
  });
  it('a tiny panel still gets sizes within their bounds', () => {
    const l = at(200, 120);
    for (const p of [l.detail, l.connections]) expect(p.size).toBeGreaterThanOrEqual(p.min);
  });
});

describe('layoutColumns', () => {
  it('the Data column takes what the others leave', () => {
    const c = layoutColumns(1600, false, { widths: {}, hidden: {} });
    expect(c.shown).toEqual(['dir', 'time', 'size', 'type']);
    expect(c.data).toBe(1600 - 12 - 15 - (14 + 96 + 72 + 44) - 4 * 8);
  });
  it('narrow: the Message column gives way first, then Type, then Size; the time stays', () => {
    expect(layoutColumns(1000, true, { widths: {}, hidden: {} })).toMatchObject({ shown: ['dir', 'time', 'size', 'type', 'message'], autoHidden: [] });
    const mid = layoutColumns(666, true, { widths: {}, hidden: {} });
    expect(mid.widths.message).toBeLessThan(200);
    expect(mid.data).toBeGreaterThanOrEqual(266);
    expect(layoutColumns(450, true, { widths: {}, hidden: {} })).toMatchObject({ shown: ['dir', 'time', 'message'], autoHidden: ['type', 'size'] });
  });
  it('a column the user showed is never hidden for room, and one they hid stays hidden', () => {
    const c = layoutColumns(450, true, { widths: {}, hidden: { size: false, time: true } });
    expect(c.shown).toContain('size');
    expect(c.shown).not.toContain('time');
  });
  it('a width the user set is kept, and a column cannot be dragged past what leaves Data its floor', () => {
    const c = layoutColumns(900, true, { widths: { message: 320 }, hidden: {} });
    expect(c.widths.message).toBe(320);
    expect(c.data - (c.maxWidth('message') - 320)).toBe(80);
  });
  it('Message shows only when a connection is decoded', () => {
    expect(layoutColumns(1600, false, { widths: {}, hidden: { message: false } }).shown).not.toContain('message');
  });
});
