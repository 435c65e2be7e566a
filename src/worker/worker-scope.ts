/**
 * Makes a worker started from the hook's blob: wrapper look and resolve URLs as if it had been
 * started from its own script URL: `self.location` reads as the script's URL, and the APIs that
 * take a relative URL resolve it against the script (the wrapper's base URL is a blob: URL,
 * against which nothing relative resolves). Absolute URLs and non-string arguments pass through
 * untouched, so the browser still checks them (CSP, same-origin, Trusted Types) as it would.
 */
import { installConstructor, installMethod } from '../page/install';
import { bareHandler } from '../page/natives';
import { maskAs } from '../page/mask-native';
import { natives } from '../page/natives';

/** The parts of `self.location`, in the order WorkerLocation lists them. */
const LOCATION_PARTS = ['href', 'origin', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;

export function resolverFor(scriptUrl: string): (url: string) => string | null {
  return (url) => {
    try { new natives.URL(url); return null; } catch { /* relative: resolved below */ }
    try { return new natives.URL(url, scriptUrl).href; } catch { return null; }
  };
}

export function maskLocation(scope: typeof globalThis, scriptUrl: string): void {
  const locProto = natives.getPrototypeOf(scope.location) as object;
  const parsed = new natives.URL(scriptUrl);
  const values: Record<string, string> = {};
  for (const part of LOCATION_PARTS) values[part] = parsed[part];
  for (const part of LOCATION_PARTS) {
    const desc = natives.getOwnPropertyDescriptor(locProto, part);
    if (!desc?.get) continue;
    const value = values[part]!;
    // The native getter still runs first, so a call on anything but `self.location` throws as native.
    const get = new Proxy(desc.get, bareHandler({ apply(target, self, args) { natives.apply(target, self, args); return value; } }));
    maskAs(get, desc.get);
    natives.defineProperty(locProto, part, { ...desc, get });
  }
  const toStringDesc = natives.getOwnPropertyDescriptor(locProto, 'toString');
  if (toStringDesc && typeof toStringDesc.value === 'function') {
    const href = values.href!;
    const toString = new Proxy(toStringDesc.value as () => string, bareHandler({ apply(target, self, args) { natives.apply(target, self, args); return href; } }));
    maskAs(toString, toStringDesc.value as object);
    natives.defineProperty(locProto, 'toString', { ...toStringDesc, value: toString });
  }
}

/** Replaces `owner[key]` (a function) with a Proxy that resolves the argument at `index`. */
function resolveArg(owner: object | undefined, key: string, index: number, resolve: (u: string) => string | null, trap: 'apply' | 'construct'): void {
  if (!owner) return;
  const desc = natives.getOwnPropertyDescriptor(owner, key);
  const original = desc?.value as ((...a: unknown[]) => unknown) | undefined;
  if (typeof original !== 'function') return;
  const fix = (args: unknown[]): unknown[] => {
    const arg = args[index];
    if (typeof arg !== 'string') return args;
    const resolved = resolve(arg);
    if (resolved === null) return args;
    const next: unknown[] = [];
    for (let i = 0; i < args.length; i++) next[i] = i === index ? resolved : args[i];
    return next;
  };
  const wrapped = trap === 'apply'
    ? new Proxy(original, bareHandler({ apply: (target, self, args) => natives.apply(target, self, fix(args)) }))
    : new Proxy(original, bareHandler({ construct: (target, args, newTarget) => natives.construct(target, fix(args), newTarget) }));
  if (trap === 'construct') installConstructor(owner, key, wrapped, original as unknown as { prototype: object });
  else installMethod(owner, key, wrapped, original);
}

/** The object on `obj`'s prototype chain that owns `key` (importScripts and fetch live on WorkerGlobalScope.prototype). */
function ownerOf(obj: object, key: string): object | undefined {
  for (let o: object | null = obj; o; o = natives.getPrototypeOf(o) as object | null) {
    if (natives.getOwnPropertyDescriptor(o, key)) return o;
  }
  return undefined;
}

export function resolveRelativeUrls(scope: typeof globalThis, resolve: (u: string) => string | null): void {
  const s = scope as unknown as Record<string, { prototype?: object } | undefined>;
  // importScripts takes any number of URLs.
  const importOwner = ownerOf(scope, 'importScripts');
  const importDesc = importOwner && natives.getOwnPropertyDescriptor(importOwner, 'importScripts');
  if (importOwner && importDesc && typeof importDesc.value === 'function') {
    const original = importDesc.value as (...urls: unknown[]) => void;
    const wrapped = new Proxy(original, bareHandler({
      apply(target, self, args) {
        const next: unknown[] = [];
        for (let i = 0; i < args.length; i++) next[i] = typeof args[i] === 'string' ? resolve(args[i] as string) ?? args[i] : args[i];
        return natives.apply(target, self, next);
      },
    }));
    installMethod(importOwner, 'importScripts', wrapped, original);
  }
  resolveArg(ownerOf(scope, 'fetch'), 'fetch', 0, resolve, 'apply');
  resolveArg(s.XMLHttpRequest?.prototype, 'open', 1, resolve, 'apply');
  for (const ctor of ['Request', 'EventSource']) resolveArg(ownerOf(scope, ctor), ctor, 0, resolve, 'construct');
}
