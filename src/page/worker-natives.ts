/**
 * Native Worker and event APIs, taken when the page hook first runs (see natives.ts for why).
 * Apart from natives.ts because these exist in a document only: natives.ts also runs in workers.
 */
const getter = (o: object, name: string) => Object.getOwnPropertyDescriptor(o, name)?.get as (this: unknown) => unknown;

export const workerNatives = {
  Worker: typeof Worker === 'function' ? Worker : undefined,
  workerPostMessage: typeof Worker === 'function' ? Worker.prototype.postMessage : undefined,
  workerTerminate: typeof Worker === 'function' ? Worker.prototype.terminate : undefined,
  SharedWorker: typeof SharedWorker === 'function' ? SharedWorker : undefined,
  createObjectURL: URL.createObjectURL,
  revokeObjectURL: URL.revokeObjectURL,
  structuredClone,
  stringify: JSON.stringify,
  Event,
  /**
   * The error event a worker whose script did not load fires on its object: cancelable in
   * Chromium, not in Gecko. Told apart by a CSS property only Gecko knows, read before any page script.
   */
  loadErrorInit: { cancelable: !(typeof CSS !== 'undefined' && CSS.supports('-moz-appearance', 'none')) },
  ErrorEvent,
  errorMessage: getter(ErrorEvent.prototype, 'message') as (this: ErrorEvent) => string,
  errorFilename: getter(ErrorEvent.prototype, 'filename') as (this: ErrorEvent) => string,
  errorLineno: getter(ErrorEvent.prototype, 'lineno') as (this: ErrorEvent) => number,
  errorColno: getter(ErrorEvent.prototype, 'colno') as (this: ErrorEvent) => number,
  errorError: getter(ErrorEvent.prototype, 'error') as (this: ErrorEvent) => unknown,
  eventType: getter(Event.prototype, 'type') as (this: Event) => string,
  violationBlockedURI: typeof SecurityPolicyViolationEvent === 'function'
    ? getter(SecurityPolicyViolationEvent.prototype, 'blockedURI') as (this: Event) => string : undefined,
  violationDirective: typeof SecurityPolicyViolationEvent === 'function'
    ? getter(SecurityPolicyViolationEvent.prototype, 'effectiveDirective') as (this: Event) => string : undefined,
  documentBaseURI: getter(Node.prototype, 'baseURI') as (this: Node) => string,
  locationOrigin: () => location.origin,
};
