/**
 * What the panel can make a socket do. Commands travel panel → router → relay → hook, and only
 * that way: the router takes them from our extension pages only, and the relay hands them to the
 * hook over the private MessagePort, which page scripts cannot reach. Each command gets exactly
 * one result back along the same path.
 */
export type CommandPayload = { type: 'text'; text: string } | { type: 'binary'; base64: string };

export type SocketCommand =
  /** Send on the page's socket, as if the page had called send(). */
  | { op: 'send'; sock: number; payload: CommandPayload; origin: 'resent' | 'composed' | 'replayed' }
  /** Deliver to the page's listeners as if the server had sent it (`replayed`: by a replay, else `injected`). */
  | { op: 'inject'; sock: number; payload: CommandPayload; origin?: 'replayed' }
  | { op: 'close'; sock: number; code?: number; reason?: string }
  /** Let a held frame go on (edited, if a payload is given) or drop it. */
  | { op: 'release'; sock: number; holdId: number; forward: boolean; payload?: CommandPayload };

/** The answer to a command whose socket's document is gone. */
export const FRAME_GONE = 'The page or frame that opened this socket has navigated away or closed.';

export interface CommandResult {
  id: number;
  ok: boolean;
  /** Why it failed, worded for the user. */
  error?: string;
}

/** The hook's form of a command: binary payloads are already bytes. */
export type HookCommand =
  | { op: 'send'; sock: number; data: string | ArrayBuffer; origin: 'resent' | 'composed' | 'replayed' }
  | { op: 'inject'; sock: number; data: string | ArrayBuffer; origin?: 'replayed' }
  | { op: 'close'; sock: number; code?: number; reason?: string }
  | { op: 'release'; sock: number; holdId: number; forward: boolean; data?: string | ArrayBuffer };
