/**
 * The panel store and the rules the inspected page gets: none scoped to a site before the page's
 * origin is known, those of the page's origin once it is, and they follow the tab to another
 * origin. Rules saved before scopes load off. And what else it asks of the page hook: *Record send
 * stacks*, off unless the user switched it on, remembered with the settings.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/panel/store';
import type { PanelBatch, PanelTransport } from '../../src/panel/transport/panel-transport';
import type { InterceptRule } from '../../src/protocol/intercept-rules';
import { batch, created, doc } from './fixtures/wire-events';

const A = 'http://127.0.0.1:8080';
const B = 'http://localhost:8080';

function fakeTransport() {
  const sent: string[][] = [];
  const options: boolean[] = [];
  let deliver: (b: PanelBatch) => void = () => {};
  const transport: PanelTransport = {
    start(onBatch) { deliver = onBatch; },
    command: async () => ({ ok: true }),
    setRules(rules) { sent.push(rules.map((r) => r.id)); },
    setOptions(o) { options.push(o.sendStacks); },
  };
  return { transport, sent, options, page: (url: string, docId: string) => deliver({ ...batch([created(1, 1, 'ws://x/')], { doc: doc(docId, { url }) }), v: 1 } as PanelBatch) };
}

const SETTINGS_KEY = 'sockscope.settings.v1';

function storage(settings: unknown): Storage {
  const m = new Map<string, string>([[SETTINGS_KEY, JSON.stringify(settings)]]);
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { m.set(k, v); } } as Storage;
}

const rule = (id: string, o: Partial<InterceptRule> = {}): InterceptRule =>
  ({ id, enabled: true, urlPattern: '', direction: 'sent', match: 'secret', action: { type: 'pause' }, ...o });

describe('store: rules for the inspected page', () => {
  it('sends only all-sites rules until the page is known, then the rules of its origin, and follows a navigation', () => {
    const t = fakeTransport();
    const store = createStore(t.transport, storage({ rules: [rule('on-a', { scope: { origin: A } }), rule('on-b', { scope: { origin: B } }), rule('all', { scope: { all: true } })] }));
    expect(t.sent).toEqual([['all']]);
    expect(store.pageOrigin.value).toBeNull();
    t.page(`${A}/app`, 'doc-a');
    expect(store.pageOrigin.value).toBe(A);
    expect(t.sent.at(-1)).toEqual(['on-a', 'all']);
    expect(store.rulesInEffect.value.map((r) => r.id)).toEqual(['on-a', 'all']);
    t.page(`${A}/app#more`, 'doc-a');
    expect(t.sent).toHaveLength(2);
    t.page(`${B}/app`, 'doc-b');
    expect(t.sent.at(-1)).toEqual(['on-b', 'all']);
    t.page('about:blank', 'doc-c');
    expect(t.sent.at(-1)).toEqual(['all']);
  });

  it('loads a rule saved before scopes off, so it reaches no page until the user chooses where it applies', () => {
    const t = fakeTransport();
    const store = createStore(t.transport, storage({ rules: [rule('old')] }));
    t.page(`${A}/app`, 'doc-a');
    expect(store.rules.value).toEqual([{ ...rule('old'), enabled: false }]);
    expect(t.sent.every((s) => s.length === 0)).toBe(true);
    store.setRules([{ ...store.rules.value[0]!, scope: { origin: A }, enabled: true }]);
    expect(t.sent.at(-1)).toEqual(['old']);
  });

  it('editing a rule that is off sends nothing; switching it on sends it', () => {
    const t = fakeTransport();
    const store = createStore(t.transport, storage({ rules: [] }));
    t.page(`${A}/app`, 'doc-a');
    const before = t.sent.length;
    const draft = rule('n', { enabled: false, match: '', scope: { origin: A } });
    store.setRules([draft]);
    store.setRules([{ ...draft, match: 'sec' }]);
    expect(t.sent).toHaveLength(before);
    store.setRules([{ ...draft, match: 'sec', enabled: true }]);
    expect(t.sent.at(-1)).toEqual(['n']);
  });
});

describe('store: record send stacks', () => {
  const saved = (s: Storage) => (JSON.parse(s.getItem(SETTINGS_KEY)!) as { sendStacks?: unknown }).sendStacks;

  it('is off by default and asks the page for nothing', () => {
    for (const s of [null, storage({}), storage({ sendStacks: 'yes' })]) {
      const t = fakeTransport();
      const store = createStore(t.transport, s);
      expect(store.sendStacks.value).toBe(false);
      expect(t.options).toEqual([]);
    }
  });

  it('switched on: asks the page for send stacks and saves the setting', () => {
    const t = fakeTransport();
    const s = storage({});
    const store = createStore(t.transport, s);
    store.setSendStacks(true);
    expect(store.sendStacks.value).toBe(true);
    expect(t.options).toEqual([true]);
    expect(saved(s)).toBe(true);
  });

  it('a panel opened later (a new store over the same settings) starts with it on, and asks the page at once', () => {
    const s = storage({});
    createStore(fakeTransport().transport, s).setSendStacks(true);
    const t = fakeTransport();
    const store = createStore(t.transport, s);
    expect(store.sendStacks.value).toBe(true);
    expect(t.options).toEqual([true]);
  });

  it('switched off again: tells the page, and the next panel starts with it off', () => {
    const s = storage({});
    const t = fakeTransport();
    const store = createStore(t.transport, s);
    store.setSendStacks(true);
    store.setSendStacks(false);
    expect(t.options).toEqual([true, false]);
    expect(saved(s)).toBe(false);
    const next = fakeTransport();
    expect(createStore(next.transport, s).sendStacks.value).toBe(false);
    expect(next.options).toEqual([]);
  });

  it('keeps the other settings when it is saved', () => {
    const s = storage({ rules: [rule('all', { scope: { all: true } })], preserveLog: true });
    createStore(fakeTransport().transport, s).setSendStacks(true);
    const t = fakeTransport();
    const store = createStore(t.transport, s);
    expect(store.preserveLog.value).toBe(true);
    expect(store.rules.value.map((r) => r.id)).toEqual(['all']);
    expect(t.sent).toEqual([['all']]);
  });
});
