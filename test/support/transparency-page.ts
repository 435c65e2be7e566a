import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { Initiator } from '../../src/protocol/stack-frames';
import type { SessionFileV1 } from '../../src/session/session-format';

/** A page that carries the transparency probe; the test calls window.runTransparencyProbe(base). */
export function transparencyPage(): string {
  return `<!doctype html><script>${readFileSync(resolve('test/fixtures/transparency-probe.js'), 'utf8')}</script>`;
}

/**
 * The worker the probe starts: it reports what a script can see of itself and of its globals,
 * which must not change when the hook runs first.
 */
/** The SharedWorker the probe connects to twice: it reports what it sees of itself and of each connection. */
export const PROBE_SHARED = `
  let n = 0;
  const native = (f) => Function.prototype.toString.call(f);
  onconnect = (c) => {
    const port = c.ports[0];
    const k = ++n;
    const connect = [c.type, c.constructor.name, c.data, c.origin, c.lastEventId, c.ports.length, c.source === port, c.bubbles, c.cancelable];
    port.onmessage = (e) => port.postMessage({
      k, connect, got: e.data.hello, bufLength: e.data.buf ? e.data.buf.byteLength : null,
      href: location.href, str: String(location), name: self.name,
      globals: Object.getOwnPropertyNames(self).sort(),
      leaked: [typeof SOCKSCOPE_WORKER, typeof SOCKSCOPE_IMPORT],
      toStrings: [native(WebSocket), native(importScripts), native(Object.getOwnPropertyDescriptor(WorkerLocation.prototype, 'href').get)],
      relative: new Request('x/y?z').url,
    });
  };`;

export const PROBE_WORKER = `
  const native = (f) => Function.prototype.toString.call(f);
  onmessage = (e) => postMessage({
    got: e.data.hello, bufLength: e.data.buf ? e.data.buf.byteLength : null,
    href: location.href, str: String(location), origin: location.origin, pathname: location.pathname, name: self.name,
    globals: Object.getOwnPropertyNames(self).sort(),
    leaked: [typeof SOCKSCOPE_WORKER, typeof SOCKSCOPE_IMPORT],
    toStrings: [native(WebSocket), native(importScripts), native(fetch), native(Object.getOwnPropertyDescriptor(WorkerLocation.prototype, 'href').get),
      native(Function.prototype.toString), native(WebSocket.prototype.send), native(Worker)],
    locationKeys: Reflect.ownKeys(WorkerLocation.prototype).map(String),
    relative: new Request('x/y?z').url,
  });`;

/** The stack probe's steps (runStackProbe): each opens a socket to /echo and sends its own name. */
export const STACK_PROBE_STEPS = ['prep-data', 'limit-accessor', 'prep-accessor', 'proto-traps', 'frozen'];

/** Each step's sent frame, in step order (undefined where the export has none yet). */
export const stackProbeSends = (s: SessionFileV1) => STACK_PROBE_STEPS.map((step) => s.frames.find((f) => f.direction === 'sent' && f.text === step));

/**
 * What the hook recorded for each step of the stack probe, for its sockets (or, with *Record send
 * stacks* on, its sends): a stack where it could take one unseen, else why not.
 */
export function expectStackProbeInitiators(initiators: (Initiator | undefined)[], origin: string): void {
  expect(initiators).toHaveLength(STACK_PROBE_STEPS.length);
  expect(initiators[0]!.stack[0]).toMatchObject({ fn: 'stackProbeConnect', url: `${origin}/probe` });
  expect(initiators[0]!.stack[0]!.line).toBeGreaterThan(0);
  expect(initiators[1]).toEqual({ stack: [], note: 'stack not recorded: the page made Error.stackTraceLimit an accessor' });
  expect(initiators[2]).toEqual({ stack: [], note: 'stack not recorded: the page made Error.prepareStackTrace an accessor' });
  expect(initiators[3]!.stack[0]).toMatchObject({ fn: 'stackProbeConnect', url: `${origin}/probe` });
  expect(initiators[4]).toEqual({ stack: [], note: 'stack not recorded: the page fixed Error.prepareStackTrace to a function (frozen)' });
}
