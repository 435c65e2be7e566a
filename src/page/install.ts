/**
 * Puts our Proxies where the natives were, keeping each property's attributes (writable,
 * enumerable, configurable) exactly as native, so property descriptors read the same.
 */
import { maskAs } from './mask-native';
import { natives } from './natives';

/** Replaces the value of an existing own property; does nothing when there is none. */
export function redefine(obj: object, key: string, value: unknown): void {
  const desc = natives.getOwnPropertyDescriptor(obj, key);
  if (desc) natives.defineProperty(obj, key, { ...desc, value });
}

/** `proxy` becomes `owner[key]` and its prototype's `constructor`, and prints as `native` does. */
export function installConstructor(owner: object, key: string, proxy: object, native: { prototype: object }): void {
  maskAs(proxy, native);
  redefine(native.prototype, 'constructor', proxy);
  redefine(owner, key, proxy);
}

/** `proxy` replaces the method `proto[key]` and prints as `native` does. */
export function installMethod(proto: object, key: string, proxy: object, native: object): void {
  maskAs(proxy, native);
  redefine(proto, key, proxy);
}
