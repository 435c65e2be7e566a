/**
 * Where the panel gets each connection's handshake: DevTools' network log for the live capture
 * (live-handshakes.ts), the file for an opened session. The views and the export see only this.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { HandshakeLookup, SocketForMatch } from '../../session/handshake';
import type { SessionConnection, SessionHandshake } from '../../session/session-format';
import type { Connection } from '../model/types';

export interface HandshakeSource {
  /** Bumped when what `lookup` answers may have changed; views read it to subscribe. */
  readonly version: ReadonlySignal<number>;
  /** Every connection's lookup. */
  lookup(conns: readonly Connection[]): ReadonlyMap<string, HandshakeLookup>;
  /** Reads the network log again (live only); cheap to call often, one read at a time. */
  refresh(): void;
}

/** The handshakes found, for an export. */
export function foundHandshakes(source: HandshakeSource, conns: readonly Connection[]): Map<string, SessionHandshake> {
  const out = new Map<string, SessionHandshake>();
  for (const [id, l] of source.lookup(conns)) if (l.kind === 'found') out.set(id, l.handshake);
  return out;
}

/** What the matcher needs of a connection; null for one with no creation time. */
export function socketForMatch(c: Connection): SocketForMatch | null {
  const createdAt = c.states[0]?.at;
  if (createdAt === undefined) return null;
  return { id: c.id, url: c.url, createdAt, requestedProtocols: c.requestedProtocols, protocol: c.protocol, origin: httpOrigin(c.worker?.url ?? c.frameUrl) };
}

/** The http(s) origin of a URL, else '' (about:blank and srcdoc documents take their parent's, which we do not know here). */
function httpOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : '';
  } catch {
    return '';
  }
}

const nothing = signal(0);

/** For a store with no log to read (tests, and until the live source is attached). */
export function noHandshakes(reason: string): HandshakeSource {
  return {
    version: nothing,
    lookup: (conns) => new Map(conns.map((c) => [c.id, { kind: 'unavailable', reason }])),
    refresh() {},
  };
}

/** An opened session: what the file says, by connection id. */
export function fileHandshakes(connections: readonly SessionConnection[]): HandshakeSource {
  const byId = new Map(connections.flatMap((c) => (c.handshake ? [[c.id, c.handshake] as const] : [])));
  return {
    version: nothing,
    lookup: (conns) => new Map(conns.map((c): [string, HandshakeLookup] => {
      const h = byId.get(c.id);
      return [c.id, h ? { kind: 'found', handshake: h } : { kind: 'not-in-file' }];
    })),
    refresh() {},
  };
}
