/**
 * The live capture's handshakes, from the browser's DevTools network log, read through the
 * DevTools extension API (`devtools.network.getHAR`, and `onRequestFinished` as requests end),
 * and matched to the connections by src/session/handshake.ts.
 *
 * The log is read when a connection appears that it may hold (a few times, spaced out, until it
 * does), and while the Handshake tab shows one it does not hold yet. Chrome's HAR carries every
 * frame of every socket: each read keeps only the handshakes, and reads never overlap.
 */
import { signal } from '@preact/signals';
import { browser } from '../../platform/browser';
import { handshakeFromHarEntry, HANDSHAKE_CLUSTER_GAP_MS, matchHandshakes, type HandshakeLookup, type LoggedHandshake, type SocketForMatch } from '../../session/handshake';
import type { Connection } from '../model/types';
import { socketForMatch, type HandshakeSource } from './handshake-source';

/** Reads of the log after a connection appears, at these delays, until it holds the handshake. */
const AUTO_READ_DELAYS_MS = [100, 300, 1000, 2000, 4000, 8000] as const;
/** At most one read of the log in this time. */
const MIN_READ_INTERVAL_MS = 250;

export const OUTSIDE_DEVTOOLS = 'The panel is open outside DevTools, so there is no DevTools network log to read the handshake from.';

interface NetworkApi {
  getHAR(): Promise<{ entries?: unknown[] }>;
  onRequestFinished: { addListener(cb: (entry: unknown) => void): void };
}

/** Set on the panel's window by the devtools page (src/devtools/devtools.ts) when the panel is shown. */
export interface DevtoolsOpenedHook {
  sockscopeDevtoolsOpenedAt?: number;
  sockscopeOnDevtoolsOpened?: (at: number) => void;
}

function networkApi(): NetworkApi | null {
  const n = (browser as unknown as { devtools?: { network?: Partial<NetworkApi> } }).devtools?.network;
  return n?.getHAR && n.onRequestFinished ? (n as NetworkApi) : null;
}

const keyOf = (l: LoggedHandshake) => `${l.url} ${l.handshake.startedAt}`;

export function liveHandshakes(win: Window & DevtoolsOpenedHook = window): HandshakeSource {
  const api = networkApi();
  const version = signal(0);
  if (!api) {
    return { version, lookup: (conns) => new Map(conns.map((c) => [c.id, { kind: 'unavailable', reason: OUTSIDE_DEVTOOLS }])), refresh() {} };
  }
  let openedAt: number | null = typeof win.sockscopeDevtoolsOpenedAt === 'number' ? win.sockscopeDevtoolsOpenedAt : null;
  win.sockscopeOnDevtoolsOpened = (at) => { if (openedAt !== at) { openedAt = at; version.value++; } };

  const logged = new Map<string, LoggedHandshake>();
  const take = (entry: unknown): boolean => {
    const l = handshakeFromHarEntry(entry);
    if (!l || logged.has(keyOf(l))) return false;
    logged.set(keyOf(l), l);
    return true;
  };
  api.onRequestFinished.addListener((entry) => { if (take(entry)) version.value++; });

  let waitingNow = false;
  let autoReads = 0;
  const scheduleAuto = () => {
    const delay = AUTO_READ_DELAYS_MS[autoReads++];
    if (delay !== undefined) setTimeout(refresh, delay);
  };
  let reading = false;
  let again = false;
  let lastRead = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const read = async () => {
    if (reading) { again = true; return; }
    reading = true;
    lastRead = Date.now();
    let changed = false;
    try {
      const log = await api.getHAR();
      for (const e of log.entries ?? []) changed = take(e) || changed;
      if (changed) version.value++;
    } catch { /* the log is gone (DevTools closing): nothing to add */ }
    reading = false;
    if (again) { again = false; refresh(); } else if (waitingNow && !changed) scheduleAuto();
  };
  function refresh(): void {
    if (timer !== null) return;
    timer = setTimeout(() => { timer = null; void read(); }, Math.max(0, lastRead + MIN_READ_INTERVAL_MS - Date.now()));
  }

  let memo: { key: string; result: Map<string, HandshakeLookup> } | null = null;
  let knownConns = 0;
  return {
    version,
    refresh,
    lookup(conns: readonly Connection[]) {
      const key = `${version.value}:${conns.length}:${openedAt}`;
      if (memo?.key === key) return memo.result;
      const sockets = conns.map(socketForMatch).filter((s): s is SocketForMatch => s !== null);
      const result = matchHandshakes(sockets, [...logged.values()], openedAt);
      for (const c of conns) if (!result.has(c.id)) result.set(c.id, { kind: 'not-in-log' });
      memo = { key, result };
      if (conns.length > knownConns) { knownConns = conns.length; autoReads = 0; }
      // A socket the log may still come to hold: created with DevTools open (or nearly).
      const waiting = sockets.some((s) => {
        const k = result.get(s.id)!.kind;
        return (k === 'not-in-log' || k === 'ambiguous') && (openedAt === null || s.createdAt >= openedAt - HANDSHAKE_CLUSTER_GAP_MS);
      });
      waitingNow = waiting;
      if (waiting) scheduleAuto();
      return result;
    },
  };
}
