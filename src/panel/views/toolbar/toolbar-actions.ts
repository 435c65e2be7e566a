/** What a toolbar control does, the same whether it sits on the row or in the "⋮" menu. */
import type { Store } from '../../store';

export const SEND_STACKS_TITLE = 'Take the JavaScript stack of every send() in the page, and show it with the sent frame. Costs each send some microseconds; off until you turn it on.';

export interface ToolbarActions {
  toggleRules(): void;
  toggleComposer(): void;
  openFile(): void;
}

export function toolbarActions(store: Store, openFile: () => void): ToolbarActions {
  return {
    toggleRules() {
      store.rulesOpen.value = !store.rulesOpen.value;
      if (store.rulesOpen.value) store.composer.value = null;
    },
    toggleComposer() {
      store.lastCommand.value = null;
      store.rulesOpen.value = false;
      store.composer.value = store.composer.value ? null : { connId: composeTarget(store), mode: 'text', text: '' };
    },
    openFile,
  };
}

/** The socket a new message is for: the connection chosen in the list, else the selected row's. */
function composeTarget(store: Store): string | null {
  const chosen = store.selectedConnections.value.values().next().value;
  if (chosen !== undefined) return chosen;
  const sel = store.selectedRow.value;
  const row = sel === null ? undefined : store.model.rows.at(sel);
  return row && row.kind !== 'navigation' ? row.conn.id : null;
}
