/**
 * What the Worker and SharedWorker Proxies share before they decide how to start a worker: the
 * page's arguments converted once, in WebIDL's order (URL, then the options' members in
 * lexicographic order), so page getters and toString run exactly once, as natively; the label;
 * why a URL cannot be wrapped; and the blob: wrapper itself.
 */
import type { WorkerLabel } from '../protocol/capture-events';
import { natives } from './natives';
import { workerNatives as wn } from './worker-natives';
import { classicWrapper, moduleHook, moduleWrapper, type WorkerConfig } from './worker-wrapper';

const WORKER_HOOK_SOURCE = __SOCKSCOPE_WORKER_HOOK__;

export interface WorkerArgs {
  urlString: string;
  url: URL;
  options: Record<string, unknown>;
  type: 'classic' | 'module';
  label: WorkerLabel;
}

/** A SharedWorker takes a string as its name; a Worker's options must be a dictionary. */
function readOptions(o: unknown, stringIsName: boolean): Record<string, unknown> | null {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' && typeof o !== 'function') return stringIsName ? { name: `${o as string}` } : null;
  const out: Record<string, unknown> = {};
  const rec = o as Record<string, unknown>;
  const credentials = rec.credentials; if (credentials !== undefined) out.credentials = credentials;
  const name = rec.name; if (name !== undefined) out.name = `${name as string}`;
  const type = rec.type; if (type !== undefined) out.type = type;
  return out;
}

/**
 * The converted arguments, or the arguments native must get to give the page its own outcome
 * (an exception, say) when Sockscope has nothing to do with this worker.
 */
export function convertWorkerArgs(args: unknown[], kind: WorkerLabel['kind']): { ok: true; a: WorkerArgs } | { ok: false; nativeArgs: unknown[] } {
  if (args.length === 0 || typeof args[0] !== 'string' && (typeof args[0] !== 'object' || args[0] === null)) return { ok: false, nativeArgs: args };
  const urlString = `${args[0] as string}`;
  const options = readOptions(args[1], kind === 'shared');
  if (!options || (options.type !== undefined && options.type !== 'classic' && options.type !== 'module')) {
    return { ok: false, nativeArgs: options ? [urlString, options] : [urlString, args[1]] };
  }
  let url: URL;
  try { url = new natives.URL(urlString, natives.apply(wn.documentBaseURI, document, []) as string); }
  catch { return { ok: false, nativeArgs: [urlString, options] }; }
  const type = options.type === 'module' ? 'module' : 'classic';
  const name = options.name as string | undefined;
  const label: WorkerLabel = { kind, type, url: url.href, ...(name !== undefined && (kind === 'dedicated' || name !== '') && { name }) };
  return { ok: true, a: { urlString, url, options, type, label } };
}

/** Why a worker whose URL `wrappable` refused runs natively. */
export function notWrappableReason(url: URL): string {
  return url.protocol === 'data:' ? 'A data: worker runs in an opaque origin, which a wrapper cannot keep; it runs unchanged, without capture.'
    : 'Its script is not of the page\'s origin; the browser decides as without Sockscope, and nothing is captured.';
}

export const REFUSED_AT_ONCE = 'The browser refused to start Sockscope\'s wrapper for it; it runs unchanged, without capture.';

/** The blob: wrapper a worker starts from (worker-wrapper.ts), and every blob: URL made for it. */
export interface Wrapper { url: string; blobs: string[] }

export function makeWrapper(config: WorkerConfig): Wrapper {
  const blob = (source: string) => natives.apply(wn.createObjectURL, natives.URL, [new natives.Blob([source], { type: 'text/javascript' })]) as string;
  if (config.type === 'classic') {
    const url = blob(classicWrapper(WORKER_HOOK_SOURCE, config, wn.stringify));
    return { url, blobs: [url] };
  }
  const hookUrl = blob(moduleHook(WORKER_HOOK_SOURCE, config, wn.stringify));
  const url = blob(moduleWrapper(hookUrl, config.url, wn.stringify));
  return { url, blobs: [hookUrl, url] };
}
