/**
 * The panel's connection to the router. The views depend on this interface only, so they can
 * be driven by another transport (a test, an imported file) without the extension around them.
 */
import type { RouterToPanelMessage } from '../../protocol/messages';

export type PanelBatch = Extract<RouterToPanelMessage, { t: 'batch' }>;

export interface PanelTransport {
  /** Starts delivery; `onBatch` gets every validated batch, in order. */
  start(onBatch: (b: PanelBatch) => void, onStatus: (s: TransportStatus) => void): void;
}

export type TransportStatus = 'connecting' | 'live' | 'reconnecting';
