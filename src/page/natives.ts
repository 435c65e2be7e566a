/**
 * Native functions, taken when the hook first runs, before any page script. The hook calls only
 * these, so a page that later patches Reflect, EventTarget, timers or getters cannot see captured
 * data or break capture.
 */
const proto = (WebSocket as typeof WebSocket).prototype;
const getter = (o: object, name: string) => Object.getOwnPropertyDescriptor(o, name)?.get as (this: unknown) => unknown;

export const natives = {
  WebSocket,
  apply: Reflect.apply,
  construct: Reflect.construct,
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getPrototypeOf: Object.getPrototypeOf,
  isArray: Array.isArray,
  isView: ArrayBuffer.isView,
  Uint8Array,
  WeakMap,
  WeakRef,
  Map,
  MessageEvent,
  CloseEvent,
  CustomEvent,
  Blob,
  URL,
  EventTarget,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  removeEventListener: EventTarget.prototype.removeEventListener,
  preventDefault: Event.prototype.preventDefault,
  MessageChannel,
  channelPort1: getter(MessageChannel.prototype, 'port1') as (this: MessageChannel) => MessagePort,
  channelPort2: getter(MessageChannel.prototype, 'port2') as (this: MessageChannel) => MessagePort,
  addEventListener: EventTarget.prototype.addEventListener,
  stopImmediatePropagation: Event.prototype.stopImmediatePropagation,
  postMessage: MessagePort.prototype.postMessage,
  portStart: MessagePort.prototype.start,
  portClose: MessagePort.prototype.close,
  // The hook also runs inside workers (see src/worker): nothing here may name `window`.
  windowPostMessage: globalThis.postMessage,
  setTimeout: globalThis.setTimeout.bind(globalThis),
  jsonParse: JSON.parse,
  jsonStringify: JSON.stringify,
  now: performance.now.bind(performance),
  timeOrigin: performance.timeOrigin,
  ArrayBuffer,
  /** %TypedArray%.prototype.set: copies from a typed array without looking up any species (see copyBytes). */
  typedArraySet: Object.getPrototypeOf(Uint8Array.prototype).set as (this: Uint8Array, src: ArrayLike<number>) => void,
  arrayBufferByteLength: getter(ArrayBuffer.prototype, 'byteLength') as (this: ArrayBuffer) => number,
  blobSize: getter(Blob.prototype, 'size') as (this: Blob) => number,
  blobSlice: Blob.prototype.slice,
  stringSlice: String.prototype.slice,
  textEncoder: new TextEncoder(),
  textEncode: TextEncoder.prototype.encode,
  wsSend: proto.send,
  wsClose: proto.close,
  wsReadyState: getter(proto, 'readyState') as (this: WebSocket) => number,
  wsUrl: getter(proto, 'url') as (this: WebSocket) => string,
  wsProtocol: getter(proto, 'protocol') as (this: WebSocket) => string,
  wsExtensions: getter(proto, 'extensions') as (this: WebSocket) => string,
  wsBinaryType: getter(proto, 'binaryType') as (this: WebSocket) => BinaryType,
  /**
   * `isTrusted` is an unforgeable own accessor of every event (no prototype holds it); one event's
   * getter reads any event's. True only for what the browser itself fired: what the network delivered.
   */
  eventIsTrusted: getter(new Event('sockscope'), 'isTrusted') as (this: Event) => boolean,
  messageData: getter(MessageEvent.prototype, 'data') as (this: MessageEvent) => unknown,
  messagePorts: getter(MessageEvent.prototype, 'ports') as (this: MessageEvent) => readonly MessagePort[],
  messageOrigin: getter(MessageEvent.prototype, 'origin') as (this: MessageEvent) => string,
  messageLastEventId: getter(MessageEvent.prototype, 'lastEventId') as (this: MessageEvent) => string,
  closeCode: getter(CloseEvent.prototype, 'code') as (this: CloseEvent) => number,
  closeReason: getter(CloseEvent.prototype, 'reason') as (this: CloseEvent) => string,
  closeWasClean: getter(CloseEvent.prototype, 'wasClean') as (this: CloseEvent) => boolean,
  viewBuffer: getter(Object.getPrototypeOf(Uint8Array.prototype), 'buffer') as (this: ArrayBufferView) => ArrayBuffer,
  viewOffset: getter(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset') as (this: ArrayBufferView) => number,
  viewLength: getter(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength') as (this: ArrayBufferView) => number,
  dataViewBuffer: getter(DataView.prototype, 'buffer') as (this: DataView) => ArrayBuffer,
  dataViewOffset: getter(DataView.prototype, 'byteOffset') as (this: DataView) => number,
  dataViewLength: getter(DataView.prototype, 'byteLength') as (this: DataView) => number,
  functionToString: Function.prototype.toString,
};

export const epochNow = (): number => natives.timeOrigin + natives.now();

/**
 * A copy of `len` bytes of `buf` from `off`. Not ArrayBuffer.prototype.slice: that looks up the
 * buffer's constructor and its Symbol.species, which a page can define, so its code would run
 * inside send() and could hand back a buffer it keeps.
 */
export function copyBytes(buf: ArrayBuffer, off: number, len: number): ArrayBuffer {
  const out = new natives.ArrayBuffer(len);
  natives.apply(natives.typedArraySet, new natives.Uint8Array(out), [new natives.Uint8Array(buf, off, len)]);
  return out;
}

const setPrototypeOf = Object.setPrototypeOf;
/**
 * A Proxy handler without a prototype. A trap the handler lacks (`get`, `has`, …) is looked up on
 * it each time the Proxy is used (`Reflect.construct` reads `prototype` through it): on a plain
 * object that lookup reaches Object.prototype, where a page may have put a getter.
 */
export function bareHandler<T extends object>(h: ProxyHandler<T>): ProxyHandler<T> {
  setPrototypeOf(h, null);
  return h;
}
