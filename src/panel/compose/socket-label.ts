/**
 * The composer's socket picker: one line a socket, which the select cuts at its width (40ch, about
 * 38 characters of text). Sockets of one app usually share a scheme and host, so the line starts
 * with what tells them apart: the state and the socket's number, then the part of the path and
 * query where this socket's URL differs from the others' (its end, unless the difference is
 * earlier), then when it opened and its worker. The whole URL closes the line, for the open list,
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
 * For each string, where it first differs from the most alike other string (different from it):
 * its longest common prefix with a sorted neighbour. -1 when no other string differs from it.
 */
function firstDifference(rests: readonly string[]): number[] {
  const order = rests.map((_, i) => i).sort((a, b) => (rests[a]! < rests[b]! ? -1 : rests[a]! > rests[b]! ? 1 : 0));
  const at = rests.map(() => -1);
  for (let k = 0; k < order.length; k++) {
    const me = rests[order[k]!]!;
    // Neighbours equal to this string say nothing; the nearest different one on each side does.
    for (const step of [-1, 1]) {
      let j = k + step;
      while (j >= 0 && j < order.length && rests[order[j]!] === me) j += step;
      if (j >= 0 && j < order.length) at[order[k]!] = Math.max(at[order[k]!]!, common(me, rests[order[j]!]!));
    }
  }
  return at;
}

/** WHERE_CHARS of `rest` around the first difference `at` (its end when that is in view), with … where cut. */
function cut(rest: string, at: number, max: number): string {
  if (rest.length <= max) return rest || '/';
  if (at < 0 || at >= rest.length - (max - 1)) return `…${rest.slice(rest.length - (max - 1))}`;
  const start = Math.max(0, at - CONTEXT_CHARS);
  const body = rest.slice(start, start + max - (start > 0 ? 2 : 1));
  return `${start > 0 ? '…' : ''}${body}…`;
}

/** The picker's line for each socket, in the order given. */
export function socketLabels(conns: readonly Connection[]): string[] {
  const parts = conns.map((c) => split(c.url));
  const oneHost = new Set(parts.map((p) => p.host)).size <= 1;
  const rests = parts.map((p) => (oneHost ? p.rest : p.host + p.rest));
  const at = firstDifference(rests);
  return conns.map((c, i) => {
    const host = parts[i]!.host;
    // Hosts differ: the host leads, cut short, and the path's own difference follows it.
    const where = oneHost || host.length <= HOST_CHARS
      ? cut(rests[i]!, at[i]!, WHERE_CHARS + (oneHost ? 0 : Math.min(host.length, HOST_CHARS)))
      : `${host.slice(0, HOST_CHARS - 1)}…${cut(parts[i]!.rest, at[i]! - host.length, WHERE_CHARS).replace(/^…/, '')}`;
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
