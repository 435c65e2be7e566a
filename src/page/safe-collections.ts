/**
 * Maps for the hooks' private state, whose methods are the natives taken at document_start.
 * A page can replace Map.prototype.get (or WeakMap's, or forEach) and would then be called with
 * our map as `this`: it could read what we keep there (a worker's private port, say) or answer
 * lookups falsely. These classes never call the prototype methods the page can reach.
 */
const mapProto = Map.prototype;
const weakProto = WeakMap.prototype;
const apply = Reflect.apply;
const M = Map;
const WM = WeakMap;
const sizeOf = Object.getOwnPropertyDescriptor(mapProto, 'size')!.get!;
const { get: mGet, set: mSet, has: mHas, delete: mDelete, forEach: mForEach } = mapProto;
const { get: wGet, set: wSet, has: wHas, delete: wDelete } = weakProto;

export class SafeMap<K, V> {
  private readonly m = new M<K, V>();
  get size(): number { return apply(sizeOf, this.m, []) as number; }
  get(k: K): V | undefined { return apply(mGet, this.m, [k]) as V | undefined; }
  set(k: K, v: V): this { apply(mSet, this.m, [k, v]); return this; }
  has(k: K): boolean { return apply(mHas, this.m, [k]) as boolean; }
  delete(k: K): boolean { return apply(mDelete, this.m, [k]) as boolean; }
  /** Calls `f` for each entry, in insertion order (the native forEach, so no page iterator runs). */
  forEach(f: (v: V, k: K) => void): void { apply(mForEach, this.m, [(v: V, k: K) => f(v, k)]); }
  clear(): void { this.forEach((_, k) => this.delete(k)); }
}

export class SafeWeakMap<K extends object, V> {
  private readonly m = new WM<K, V>();
  get(k: K): V | undefined { return apply(wGet, this.m, [k]) as V | undefined; }
  set(k: K, v: V): this { apply(wSet, this.m, [k, v]); return this; }
  has(k: K): boolean { return apply(wHas, this.m, [k]) as boolean; }
  delete(k: K): boolean { return apply(wDelete, this.m, [k]) as boolean; }
}
