/** What a toolbar control does, the same whether it sits on the row or in the "⋮" menu. */
import type { Store } from '../../store';

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
      store.composer.value = store.composer.value ? null : { connId: store.selectedConnections.value.values().next().value ?? null, mode: 'text', text: '' };
    },
    openFile,
  };
}
