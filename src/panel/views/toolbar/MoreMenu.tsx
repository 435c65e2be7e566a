/**
 * "⋮": the toolbar's controls that did not fit its row, then the panel's layout (the connection
 * list, the chart, the frame details, and a reset of every splitter, fold and column).
 */
import type { LayoutStore } from '../../layout/layout-store';
import type { PanelLayout } from '../../layout/panel-layout';
import type { ToolbarControl } from '../../layout/bars';
import type { Store } from '../../store';
import { Menu, useMenuButton, type MenuEntry } from '../common/Menu';
import { SEND_STACKS_TITLE, type ToolbarActions } from './toolbar-actions';

interface Props { store: Store; layout: LayoutStore; lay: PanelLayout; inline: Set<ToolbarControl>; actions: ToolbarActions }

function overflowEntries({ store, inline, actions }: Props): MenuEntry[] {
  const out: MenuEntry[] = [];
  const live = !store.readOnly;
  if (live && !inline.has('rules')) out.push({ label: 'Rules', kind: 'checkbox', checked: store.rulesOpen.value, onSelect: actions.toggleRules });
  if (live && !inline.has('compose')) out.push({ label: 'Compose', kind: 'checkbox', checked: store.composer.value !== null, onSelect: actions.toggleComposer });
  if (live && !inline.has('preserveLog')) out.push({ label: 'Preserve log', kind: 'checkbox', checked: store.preserveLog.value, onSelect: () => store.setPreserveLog(!store.preserveLog.value) });
  if (!inline.has('timeMode')) {
    out.push(
      { label: 'Time: clock', kind: 'radio', checked: store.timeMode.value === 'absolute', onSelect: () => store.setTimeMode('absolute') },
      { label: 'Time: since open', kind: 'radio', checked: store.timeMode.value === 'relative', onSelect: () => store.setTimeMode('relative') },
    );
  }
  if (live && !inline.has('sendStacks')) out.push({ label: 'Record send stacks', kind: 'checkbox', checked: store.sendStacks.value, title: SEND_STACKS_TITLE, onSelect: () => store.setSendStacks(!store.sendStacks.value) });
  if (!inline.has('openSession')) out.push({ label: 'Open session…', onSelect: actions.openFile });
  return out;
}

export function MoreMenu(props: Props) {
  const { layout, lay } = props;
  const menu = useMenuButton();
  const s = layout.settings.value;
  const entries: MenuEntry[] = [
    ...overflowEntries(props),
    { label: 'Show connection list', kind: 'checkbox', checked: lay.showConnections, group: true, onSelect: () => layout.set({ showConnections: !lay.showConnections }) },
    { label: 'Show throughput chart', kind: 'checkbox', checked: lay.showChart, onSelect: () => layout.set({ showChart: !lay.showChart }) },
    { label: 'Show frame details', kind: 'checkbox', checked: !s.detailCollapsed, onSelect: () => layout.set({ detailCollapsed: !s.detailCollapsed }) },
    { label: 'Reset layout', title: 'Splitters, folds and columns back to their defaults', onSelect: () => layout.reset() },
  ];
  return (
    <>
      <button type="button" class="more" aria-label="More options" title="More options" {...menu.props}>⋮</button>
      {menu.open && <Menu anchor={menu.anchor.current} align="end" label="More options" entries={entries} onClose={menu.close} />}
    </>
  );
}
