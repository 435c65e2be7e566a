import type { CloseInitiator, Direction, FrameType, ReadyStateName } from '../../protocol/capture-events';

export interface StateChange {
  state: ReadyStateName;
  at: number;
}

export interface Connection {
  /** `${docId}:${sock}`: unique across frames and reloads. */
  id: string;
  docId: string;
  frameId: number;
  frameUrl: string;
  url: string;
  requestedProtocols: string[];
  protocol: string;
  extensions: string;
  states: StateChange[];
  close: { code: number; reason: string; wasClean: boolean; initiator: CloseInitiator } | null;
  closingInitiator: 'page' | 'server' | null;
  /** When error events fired. */
  errors: number[];
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface FrameRecord {
  conn: Connection;
  seq: number;
  dir: Direction;
  type: FrameType;
  at: number;
  size: number;
  /** Text, or base64 for binary. */
  data: string;
}

export interface PageInfo {
  url: string;
  title: string;
}

export const stateOf = (c: Connection): ReadyStateName => c.states[c.states.length - 1]?.state ?? 'CONNECTING';
