/** The layout choices survive a save and a load, and whatever is stored can never break the panel. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, LAYOUT_KEY, loadLayout, parseLayout, type LayoutSettings } from '../../src/panel/layout/layout-settings';
import { createLayoutStore } from '../../src/panel/layout/layout-store';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(initial));
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => { m.delete(k); },
    setItem: (k, v) => { m.set(k, String(v)); },
  };
}

const chosen: LayoutSettings = {
  connectionsHeight: 180, detailWidth: 520, detailHeight: 260, detailCollapsed: true,
  showConnections: false, showChart: true, chartUnit: 'bytes',
  columns: { widths: { time: 120, message: 300 }, hidden: { type: true, size: false } },
  connHidden: { origin: false, protocol: true },
};

describe('layout settings', () => {
  it('a round trip through storage gives back every choice', () => {
    const storage = memoryStorage();
    const a = createLayoutStore(storage);
    a.set(chosen);
    expect(createLayoutStore(storage).settings.value).toEqual(chosen);
  });

  it('a drag changes the settings at once but saves them only when let go', () => {
    const storage = memoryStorage();
    const a = createLayoutStore(storage);
    a.set({ detailWidth: 400 }, false);
    expect(a.settings.value.detailWidth).toBe(400);
    expect(loadLayout(storage).detailWidth).toBeNull();
    a.save();
    expect(loadLayout(storage).detailWidth).toBe(400);
  });

  it('reset puts every choice back to its default, stored too', () => {
    const storage = memoryStorage();
    const a = createLayoutStore(storage);
    a.set(chosen);
    a.reset();
    expect(a.settings.value).toEqual(DEFAULT_LAYOUT);
    expect(loadLayout(storage)).toEqual(DEFAULT_LAYOUT);
  });

  it('nothing stored, unreadable JSON or no storage at all: the defaults', () => {
    expect(loadLayout(memoryStorage())).toEqual(DEFAULT_LAYOUT);
    expect(loadLayout(memoryStorage({ [LAYOUT_KEY]: '{not json' }))).toEqual(DEFAULT_LAYOUT);
    expect(loadLayout(null)).toEqual(DEFAULT_LAYOUT);
    for (const raw of [null, 42, 'x', [], true]) expect(parseLayout(raw)).toEqual(DEFAULT_LAYOUT);
  });

  it('each bad field falls back on its own, and good ones next to it are kept', () => {
    const s = parseLayout({
      connectionsHeight: -5, detailWidth: 'wide', detailHeight: Number.NaN, detailCollapsed: 'yes',
      showConnections: 0, showChart: false, chartUnit: 'furlongs',
      columns: { widths: { time: 120, size: 1, type: 1e9, data: 500, message: '300' }, hidden: { type: 'true', dir: true, bogus: true } },
      connHidden: { url: true, close: false, nope: true },
    });
    expect(s).toEqual({
      ...DEFAULT_LAYOUT, showChart: false,
      columns: { widths: { time: 120 }, hidden: { dir: true } },
      connHidden: { close: false },
    });
  });

  it('a storage that throws on write leaves the panel working', () => {
    const storage = memoryStorage();
    storage.setItem = () => { throw new Error('QuotaExceededError'); };
    const a = createLayoutStore(storage);
    expect(() => a.set({ detailWidth: 300 })).not.toThrow();
    expect(a.settings.value.detailWidth).toBe(300);
  });
});
