/**
 * Makes our wrappers print as the natives they replace. Function.prototype.toString is itself
 * wrapped (a Proxy over the native one), and reports its own source as native too, so
 * `WebSocket.toString()`, `WebSocket.prototype.send.toString()` and
 * `Function.prototype.toString.toString()` all read exactly as in a page without the extension.
 */
import { bareHandler, natives } from './natives';
import { SafeWeakMap } from './safe-collections';

const sources = new SafeWeakMap<object, string>();

/** `wrapper` will print as `original` does. */
export function maskAs(wrapper: object, original: object): void {
  sources.set(wrapper, natives.apply(natives.functionToString, original, []) as string);
}

export function installToStringMask(): void {
  const nativeToString = natives.functionToString;
  const masked = new Proxy(nativeToString, bareHandler({
    apply(target, self, args) {
      const source = sources.get(self as object);
      return source !== undefined ? source : natives.apply(target, self, args);
    },
  }));
  maskAs(masked, nativeToString);
  const desc = natives.getOwnPropertyDescriptor(Function.prototype, 'toString');
  natives.defineProperty(Function.prototype, 'toString', { ...desc, value: masked });
}
