/**
 * The panel's connection to the router. The views depend on this interface only, so they can
 * be driven by another transport (a test, an imported file) without the extension around them.
 */
import type { CommandResult, SocketCommand } from '../../protocol/commands';
import type { InterceptRule } from '../../protocol/intercept-rules';
import type { HookOptions } from '../../protocol/hook-options';
import type { RouterToPanelMessage } from '../../protocol/messages';

export type PanelBatch = Extract<RouterToPanelMessage, { t: 'batch' }>;

/** A command's answer while the panel reconnects (the extension's service worker was restarted): worth a retry. */
export const NOT_CONNECTED = 'Not connected to the extension yet; try again in a moment.';

export interface PanelTransport {
  /** Starts delivery; `onBatch` gets every validated batch, in order. */
  start(onBatch: (b: PanelBatch) => void, onStatus: (s: TransportStatus) => void): void;
  /** Sends a command to a socket of the inspected tab; resolves with its one result. */
  command(frameId: number, docId: string, cmd: SocketCommand): Promise<Omit<CommandResult, 'id'>>;
  /** The intercept rules for the inspected tab; kept, and sent again after every reconnect. */
  setRules(rules: InterceptRule[]): void;
  /** What the page hook should do beyond rules (send stacks); kept, and sent again after every reconnect. */
  setOptions(options: HookOptions): void;
}

export type TransportStatus = 'connecting' | 'live' | 'reconnecting';
