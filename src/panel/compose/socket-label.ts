/**
 * The composer's socket picker: one line a socket, which the select cuts at its width (40ch, about
 * 38 characters of text). Sockets of one app usually share a scheme and host, so the line starts
 * with what tells them apart: the state and the socket's number, then the end of the path and
 * query (or, when another socket's URL ends the same, the part where this one differs), then when
 * it opened and its worker. The whole URL closes the line, for the open list,
 * which is as wide as its longest line.
 */
import type { Connection } from '../../session/capture-model-types';
import { stateOf } from '../../session/capture-model-types';
import { formatClock } from '../format';
import { workerShort } from '../views/worker-label';

/** Characters of the path and query a label shows. */
export const WHERE_CHARS = 20;
/** Characters kept before the first one that differs, when the label cannot show the URL's end. */
const CONTEXT_CHARS = 4;
const HOST_CHARS = 12;

function split(url: string): { host: string; rest: string } {
  try {
    const u = new URL(url);
    if (u.host && url.startsWith(`${u.protocol}//${u.host}`)) return { host: u.host, rest: u.pathname + u.search + u.hash };
  } catch { /* an imported session may hold any string */ }
  return { host: '', rest: url };
}

const common = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/**
 * For each string, how many characters it shares at its start with the most alike other string
 * (one different from it): its longest common prefix with a sorted neighbour. -1 when every
 * other string is the same as it.
 */
function sharedStart(strings: readonly string[]): number[] {
  const order = strings.map((_, i) => i).sort((a, b) => (strings[a]! < strings[b]! ? -1 : strings[a]! > strings[b]! ? 1 : 0));
  const shared = strings.map(() => -1);
  for (let k = 0; k < order.length; k++) {
    const me = strings[order[k]!]!;
    // Neighbours equal to this string say nothing; the nearest different one on each side does.
    for (const step of [-1, 1]) {
      let j = k + step;
      while (j >= 0 && j < order.length && strings[order[j]!] === me) j += step;
      if (j >= 0 && j < order.length) shared[order[k]!] = Math.max(shared[order[k]!]!, common(me, strings[order[j]!]!));
    }
  }
  return shared;
}

const reversed = (s: string) => [...s].reverse().join('');

/**
 * `max` characters of `rest`, with … where cut: its end, unless the end is one another socket
 * shares (`end` characters or more), and then from just before where it first differs (`start`).
 */
function cut(rest: string, start: number, end: number, max: number): string {
  if (rest.length <= max) return rest || '/';
  const tail = `…${rest.slice(rest.length - (max - 1))}`;
  if (end < max - 1 || start < 0 || start >= rest.length - (max - 1)) return tail;
  const from = Math.max(0, start - CONTEXT_CHARS);
  const body = rest.slice(from, from + max - (from > 0 ? 2 : 1));
  return `${from > 0 ? '…' : ''}${body}…`;
}

/** The picker's line for each socket, in the order given. */
export function socketLabels(conns: readonly Connection[]): string[] {
  const parts = conns.map((c) => split(c.url));
  const oneHost = new Set(parts.map((p) => p.host)).size <= 1;
  const rests = parts.map((p) => (oneHost ? p.rest : p.host + p.rest));
  const starts = sharedStart(rests);
  const ends = sharedStart(rests.map(reversed));
  return conns.map((c, i) => {
    const host = parts[i]!.host;
    // Hosts differ: the host leads, cut short, and the path's own difference follows it.
    const where = oneHost || host.length <= HOST_CHARS
      ? cut(rests[i]!, starts[i]!, ends[i]!, WHERE_CHARS + (oneHost ? 0 : Math.min(host.length, HOST_CHARS)))
      : `${host.slice(0, HOST_CHARS - 1)}…${cut(parts[i]!.rest, starts[i]! - host.length, ends[i]!, WHERE_CHARS).replace(/^…/, '')}`;
    const opened = c.states[0]?.at;
    return [
      `${stateOf(c).toLowerCase()} #${c.sock}`,
      where,
      ...(opened !== undefined ? [formatClock(opened).slice(0, 8)] : []),
      ...(c.worker ? [workerShort(c.worker)] : []),
      c.url,
    ].join(' · ');
  });
}
