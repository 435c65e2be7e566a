/**
 * A label for a worker Sockscope does not capture, read from the constructor's own arguments
 * without running page code: a string URL or a URL object (through the native getter), and the
 * options' own data properties (never a getter or a toString).
 */
import type { WorkerLabel } from '../protocol/capture-events';
import { natives } from './natives';

const urlHref = natives.getOwnPropertyDescriptor(URL.prototype, 'href')?.get as (this: URL) => string;

function dataProperty(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  try {
    const d = natives.getOwnPropertyDescriptor(o, key);
    return d && 'value' in d ? d.value : undefined;
  } catch { return undefined; }
}

export function labelWorker(kind: WorkerLabel['kind'], url: unknown, options: unknown, base: string): WorkerLabel {
  let href = '(an object Sockscope does not convert to a URL)';
  if (typeof url === 'string') {
    try { href = new natives.URL(url, base).href; } catch { href = url; }
  } else {
    try { href = natives.apply(urlHref, url, []) as string; } catch { /* not a URL object */ }
  }
  const name = typeof options === 'string' ? options : dataProperty(options, 'name');
  const type = dataProperty(options, 'type') === 'module' ? 'module' : 'classic';
  return { kind, type, url: href, ...(typeof name === 'string' && name !== '' && { name }) };
}
