/**
 * Takes the JavaScript stack of the code calling into the hook (`new WebSocket(…)`, `send()`),
 * without running or revealing anything the page can observe.
 *
 * V8 reads two properties of the realm's own Error constructor: `Error.stackTraceLimit` when an
 * error is made (as a data property only: an accessor is never called, and no stack is taken)
 * and `Error.prepareStackTrace` when its `stack` is first read (a plain [[Get]]: a page's getter,
 * or its function, would run). Formatting also reads the error's `name` and `message`, through
 * Error.prototype unless the error has its own. So the hook:
 * - reads those properties only through the native getOwnPropertyDescriptor (no page getter runs);
 * - gives its error its own `name` and `message`;
 * - where the page put a function in a writable `Error.prepareStackTrace`, sets it to undefined
 *   for the few statements it takes, and puts it back; likewise raises a writable numeric
 *   `Error.stackTraceLimit` (our own frames must not eat the page's) and puts it back. Nothing
 *   of the page runs in between, so no page code can see either value;
 * - where the page made either an accessor, or froze it with a function or a limit the hook
 *   cannot use, takes no stack and says why.
 * SpiderMonkey formats stacks without Error.prepareStackTrace; the same checks still apply to
 * `Error.stackTraceLimit` there, and an accessor of the page's (not the engine's own) is refused.
 *
 * Only the stack text leaves here: it is parsed in the relay (src/protocol/stack-frames.ts).
 */
import { natives } from './natives';
import { RAW_STACK_MAX_CHARS } from '../protocol/stack-frames';

export type TakenStack = { rawStack: string } | { stackNote: string };

const NativeError = Error;
const gopd = natives.getOwnPropertyDescriptor;
const define = natives.defineProperty;
const hasOwnProperty = Object.prototype.hasOwnProperty;
/**
 * A descriptor's own field. Never `d.value` of an accessor's descriptor: that would look the field
 * up through Object.prototype, where a page may have put a getter.
 */
const field = (d: PropertyDescriptor, key: keyof PropertyDescriptor): unknown => (natives.apply(hasOwnProperty, d, [key]) ? d[key] : undefined);
const isData = (d: PropertyDescriptor) => natives.apply(hasOwnProperty, d, ['value']) as boolean;
/** A descriptor without a prototype: defineProperty reads `get`, `set`, … and would find a page's on Object.prototype. */
const valueOnly = (value: unknown): PropertyDescriptor => ({ __proto__: null, value } as unknown as PropertyDescriptor);
/** SpiderMonkey keeps `stack` as an accessor on Error.prototype; V8 makes it an own property of each error. */
const protoStackDesc = gopd(Error.prototype, 'stack');
const protoStackGet = protoStackDesc && !isData(protoStackDesc) ? field(protoStackDesc, 'get') as (() => unknown) | undefined : undefined;
/** The engine's own stackTraceLimit, as it was before any page script: an accessor of its own is no page's. */
const limitAtStart = gopd(Error, 'stackTraceLimit');
const limitGetAtStart = limitAtStart && !isData(limitAtStart) ? field(limitAtStart, 'get') : undefined;
/** Room for the hook's own frames above the page's (see parseStack's cap). */
const LIMIT = 32;

function readStack(err: Error): unknown {
  const own = gopd(err, 'stack');
  if (own && isData(own)) return field(own, 'value');
  const get = own ? field(own, 'get') as (() => unknown) | undefined : protoStackGet;
  return get ? natives.apply(get, err, []) : undefined;
}

/** The stack here, as the engine formats it, or why none was taken. Never throws, never runs page code. */
export function takeStack(): TakenStack {
  const prep = gopd(NativeError, 'prepareStackTrace');
  const limit = gopd(NativeError, 'stackTraceLimit');
  if (prep && !isData(prep)) return { stackNote: 'stack not recorded: the page made Error.prepareStackTrace an accessor' };
  const prepValue = prep ? field(prep, 'value') : undefined;
  const prepFn = typeof prepValue === 'function';
  if (prepFn && field(prep!, 'writable') !== true) return { stackNote: 'stack not recorded: the page fixed Error.prepareStackTrace to a function (frozen)' };
  let limitValue: unknown;
  let raiseLimit = false;
  if (limit === undefined) {
    if (limitAtStart !== undefined) return { stackNote: 'stack not recorded: the page removed Error.stackTraceLimit' };
  } else if (!isData(limit)) {
    if (limitGetAtStart === undefined || field(limit, 'get') !== limitGetAtStart) return { stackNote: 'stack not recorded: the page made Error.stackTraceLimit an accessor' };
  } else {
    limitValue = field(limit, 'value');
    const usable = typeof limitValue === 'number' && limitValue > 0;
    raiseLimit = field(limit, 'writable') === true && typeof limitValue === 'number' && !(limitValue >= LIMIT);
    if (!usable && !raiseLimit) return { stackNote: 'stack not recorded: the page set Error.stackTraceLimit to 0 or a non-number, and froze it' };
  }
  let text: unknown;
  try {
    if (prepFn) define(NativeError, 'prepareStackTrace', valueOnly(undefined));
    if (raiseLimit) define(NativeError, 'stackTraceLimit', valueOnly(LIMIT));
    const err = new NativeError('');
    define(err, 'name', valueOnly('Error'));
    text = readStack(err);
  } catch {
    text = undefined;
  } finally {
    if (raiseLimit) define(NativeError, 'stackTraceLimit', valueOnly(limitValue));
    if (prepFn) define(NativeError, 'prepareStackTrace', valueOnly(prepValue));
  }
  if (typeof text !== 'string') return { stackNote: 'stack not recorded: the browser gave none' };
  return { rawStack: text.length > RAW_STACK_MAX_CHARS ? natives.apply(natives.stringSlice, text, [0, RAW_STACK_MAX_CHARS]) as string : text };
}
