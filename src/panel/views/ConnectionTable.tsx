/**
 * The connection list. Its columns follow the panel's width (conn-columns.ts) and the user's
 * choices from the header's menu (right-click, the context-menu key or Shift+F10). Narrow, the URL
 * keeps what tells the connections apart: its path, and its host only when they differ.
 */
import { useEffect, useState } from 'preact/hooks';
import { jsSnippet } from '../../session/copy-as-code';
import { toSessionConnection, toSessionFrame } from '../../session/encode-session';
import { copyText } from '../clipboard';
import type { Store } from '../store';
import { CONN_COLUMNS, connColumnsShown, URL_SHORT_BELOW_PX, type ConnColumn } from '../layout/conn-columns';
import type { LayoutStore } from '../layout/layout-store';
import { Menu, type MenuEntry } from './common/Menu';
import { ConnectionRow, hostOf } from './connections/ConnectionRow';
import { ReplayDialog } from './replay/ReplayDialog';
import type { Workspace } from '../workspace';

function columnEntries(layout: LayoutStore, shown: ReadonlySet<ConnColumn>): MenuEntry[] {
  const hidden = layout.settings.value.connHidden;
  return [
    ...CONN_COLUMNS.map((c): MenuEntry => ({
      label: c.label, kind: 'checkbox', checked: shown.has(c.id), disabled: c.id === 'url',
      onSelect: () => layout.set({ connHidden: { ...hidden, [c.id]: shown.has(c.id) } }),
    })),
    { label: 'Reset columns', group: true, onSelect: () => layout.set({ connHidden: {} }) },
  ];
}

export function ConnectionTable({ store, ws, layout, height }: { store: Store; ws: Workspace; layout: LayoutStore; height: number }) {
  store.revision.value;
  const selected = store.selectedConnections.value;
  const conns = store.model.connections;
  const one = selected.size === 1 ? conns.find((c) => selected.has(c.id)) : undefined;
  const [copied, setCopied] = useState('');
  const [replayAt, setReplayAt] = useState<HTMLElement | null>(null);
  const [menu, setMenu] = useState<{ anchor: HTMLElement; point: { x: number; y: number } | null } | null>(null);
  useEffect(() => setCopied(''), [one]);
  const width = layout.size.value.width;
  const shown = connColumnsShown(width, layout.settings.value.connHidden);
  const short = width < URL_SHORT_BELOW_PX;
  const oneHost = short && new Set(conns.map((c) => hostOf(c.url))).size <= 1;
  const select = (id: string, additive: boolean) => {
    const next = new Set(additive ? selected : []);
    if (additive && selected.has(id)) next.delete(id);
    else if (!additive && selected.size === 1 && selected.has(id)) next.clear();
    else next.add(id);
    store.selectConnections(next);
  };
  return (
    <section id="connections" class={`connections ${short ? 'short-url' : ''} ${oneHost ? 'one-host' : ''}`} aria-label="Connections" style={{ height: `${height}px` }}>
      <div class="section-head">
        <button type="button" aria-pressed={selected.size === 0} onClick={() => store.selectConnections(new Set())}>All connections</button>
        <span class="hint shrink">Click to show one connection; Ctrl/⌘-click to add more.</span>
        <span class="spacer" />
        {one && <button type="button" title="A JavaScript snippet that opens this connection's URL with its protocols and sends all its sent frames in order"
          onClick={() => void copyText(jsSnippet(toSessionConnection(one), store.model.allFrames().filter((f) => f.connId === one.id).map(toSessionFrame))).then(() => setCopied('Copied'), (e: Error) => setCopied(e.message))}>
          Copy connection as JS</button>}
        {copied && one && <span class="copied" role="status">{copied}</span>}
        {one && <button type="button" aria-haspopup="dialog" aria-expanded={replayAt !== null}
          title="Play this connection's received frames into a live socket of the inspected page, with their timing"
          onClick={(e) => setReplayAt(replayAt ? null : e.currentTarget)}>Replay into…</button>}
        {one && replayAt && <ReplayDialog ws={ws} store={store} source={one} anchor={replayAt} onClose={() => setReplayAt(null)} />}
      </div>
      <table aria-label="Connections" aria-multiselectable="true">
        <thead>
          <tr onContextMenu={(e) => { e.preventDefault(); setMenu({ anchor: e.currentTarget as HTMLElement, point: { x: e.clientX, y: e.clientY } }); }}>
            {CONN_COLUMNS.map((c) => (
              <th key={c.id} class={shown.has(c.id) ? '' : 'hidden-col'} tabIndex={c.id === 'url' ? 0 : -1}
                title="Right-click (or Shift+F10) to show or hide columns"
                onKeyDown={(e) => {
                  if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) { e.preventDefault(); e.stopPropagation(); setMenu({ anchor: e.currentTarget as HTMLElement, point: null }); }
                }}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {conns.length === 0 && <tr><td colSpan={11} class="empty">No WebSocket yet. Sockets opened since this page loaded appear here.</td></tr>}
          {conns.map((c) => <ConnectionRow key={c.id} c={c} selected={selected.has(c.id)} shown={shown} onSelect={(add) => select(c.id, add)} onChoose={(mode) => store.setDecodeMode(c.id, mode)} />)}
        </tbody>
      </table>
      {menu && <Menu anchor={menu.anchor} point={menu.point} label="Connection columns" entries={columnEntries(layout, shown)} onClose={() => setMenu(null)} />}
    </section>
  );
}
