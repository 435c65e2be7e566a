/**
 * The panel store and the rules the inspected page gets: none scoped to a site before the page's
 * origin is known, those of the page's origin once it is, and they follow the tab to another
 * origin. Rules saved before scopes load off.
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
  let deliver: (b: PanelBatch) => void = () => {};
  const transport: PanelTransport = {
    start(onBatch) { deliver = onBatch; },
    command: async () => ({ ok: true }),
    setRules(rules) { sent.push(rules.map((r) => r.id)); },
  };
  return { transport, sent, page: (url: string, docId: string) => deliver({ ...batch([created(1, 1, 'ws://x/')], { doc: doc(docId, { url }) }), v: 1 } as PanelBatch) };
}

function storage(settings: unknown): Storage {
  const m = new Map<string, string>([['sockscope.settings.v1', JSON.stringify(settings)]]);
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
