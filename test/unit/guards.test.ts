/**
 * Every hop drops a message that fails its guard, so a guard that is too strict loses real
 * traffic and one that is too lax lets a hostile page (or an old relay) feed the panel garbage.
 */
import { describe, expect, it } from 'vitest';
import {
  isHookEvent,
  isHookToRelayMessage,
  isPanelToRouterMessage,
  isRelayRequest,
  isRelayToHookMessage,
  isRelayToRouterMessage,
  isRouterQuery,
  isRouterToPanelMessage,
  isRouterToRelayMessage,
  isWireEvent,
} from '../../src/protocol/guards';
import { PROTOCOL_VERSION } from '../../src/protocol/version';
import { channelProbe } from '../../src/protocol/channel-probe';
import type { WireEvent } from '../../src/protocol/capture-events';
import { RAW_STACK_MAX_CHARS, STACK_MAX_FRAMES, STACK_NOTE_MAX } from '../../src/protocol/stack-frames';
import { cloned, closed, closingBy, created, doc, errored, opened, pageDispatchedBinary, receivedBinary, sentText, versionedBatch } from './fixtures/wire-events';

const v = PROTOCOL_VERSION;
type Rec = Record<string, unknown>;

/** A copy of `x` with one field replaced, or removed. */
const withField = (x: Rec, key: string, value: unknown): Rec => ({ ...x, [key]: value });
const without = (x: Rec, key: string): Rec => { const c = { ...x }; delete c[key]; return c; };

describe('isHookEvent', () => {
  const create = { k: 'create', sock: 1, at: 10.5, url: 'wss://a.test/', protocols: ['chat'] };
  const textFrame = { k: 'frame', sock: 1, at: 11, dir: 'sent', data: 'hi' };

  it('accepts every lifecycle kind the hook emits', () => {
    expect(isHookEvent(create)).toBe(true);
    expect(isHookEvent({ k: 'open', sock: 1, at: 1, protocol: '', extensions: 'permessage-deflate' })).toBe(true);
    expect(isHookEvent({ k: 'closing', sock: 1, at: 1, initiator: 'server' })).toBe(true);
    expect(isHookEvent({ k: 'close', sock: 1, at: 1, code: 1006, reason: '', wasClean: false })).toBe(true);
    expect(isHookEvent({ k: 'error', sock: 0, at: 1 })).toBe(true);
  });

  it('accepts text, ArrayBuffer and Blob payloads for frames', () => {
    expect(isHookEvent(textFrame)).toBe(true);
    expect(isHookEvent({ ...textFrame, dir: 'received', data: new ArrayBuffer(4) })).toBe(true);
    expect(isHookEvent({ ...textFrame, data: new Blob(['abc']) })).toBe(true);
  });

  it.each([
    ['a plain object', { byteLength: 3 }],
    ['a typed array (only ArrayBuffer is cloned by the hook)', new Uint8Array(3)],
    ['null', null],
    ['a number', 42],
  ])('rejects a frame whose payload is %s', (_name, data) => {
    expect(isHookEvent({ ...textFrame, data })).toBe(false);
  });

  it.each([
    ['unknown kind', withField(create, 'k', 'message')],
    ['missing sock', without(create, 'sock')],
    ['negative sock', withField(create, 'sock', -1)],
    ['fractional sock', withField(create, 'sock', 1.5)],
    ['NaN time', withField(create, 'at', NaN)],
    ['infinite time', withField(create, 'at', Infinity)],
    ['time as string', withField(create, 'at', '10')],
    ['protocols not strings', withField(create, 'protocols', [1])],
    ['protocols as object', withField(create, 'protocols', { 0: 'chat' })],
    ['missing url', without(create, 'url')],
    ['closing by an unknown initiator', { k: 'closing', sock: 1, at: 1, initiator: 'browser' }],
    ['close with a negative code', { k: 'close', sock: 1, at: 1, code: -1, reason: '', wasClean: true }],
    ['close with wasClean as string', { k: 'close', sock: 1, at: 1, code: 1000, reason: '', wasClean: 'yes' }],
    ['frame with unknown direction', withField(textFrame, 'dir', 'both')],
    ['an array', [create]],
    ['null', null],
  ])('rejects %s', (_name, ev) => {
    expect(isHookEvent(ev)).toBe(false);
  });
});

describe('isWireEvent', () => {
  const frame = sentText(3, 1, 'hello') as unknown as Rec;

  it('accepts lifecycle events and text/binary frames with seq numbers', () => {
    for (const ev of [created(1, 1, 'wss://a/'), opened(2, 1), closingBy(4, 1, 'page'), closed(5, 1), errored(6, 1)]) {
      expect(isWireEvent(ev)).toBe(true);
    }
    expect(isWireEvent(frame)).toBe(true);
    expect(isWireEvent(receivedBinary(7, 1, [1, 2, 3]))).toBe(true);
  });

  it('accepts binary payloads as base64 (a JSON-only channel) or as an ArrayBuffer (a cloning one)', () => {
    const held: WireEvent = { k: 'intercept', seq: 8, sock: 1, at: 1, dir: 'sent', what: 'held', ruleId: 'r1', holdId: 1, type: 'binary', size: 2, data: 'yv4=' };
    for (const ev of [receivedBinary(7, 1, [1, 2, 3]), held, pageDispatchedBinary(9, 1, [1])]) {
      expect(isWireEvent(ev)).toBe(true);
      expect(isWireEvent(cloned(ev))).toBe(true);
    }
    expect(isWireEvent({ ...receivedBinary(7, 1, [1, 2, 3]), data: new ArrayBuffer(3), part: { i: 0, n: 2 } })).toBe(true);
  });

  it('accepts a frame queued behind a held one, and its release; refuses an interception it does not know', () => {
    const queued = { k: 'intercept', seq: 8, sock: 1, at: 1, dir: 'sent', what: 'queued', ruleId: '', holdId: 2, type: 'text', size: 5, data: 'after' };
    expect(isWireEvent(queued)).toBe(true);
    expect(isWireEvent({ k: 'released', seq: 9, sock: 1, at: 2, holdId: 2, forwarded: true })).toBe(true);
    expect(isHookEvent({ k: 'intercept', sock: 1, at: 1, dir: 'sent', what: 'queued', ruleId: '', holdId: 2, data: 'after' })).toBe(true);
    expect(isWireEvent({ ...queued, what: 'waiting' })).toBe(false);
  });

  it.each([
    ['text data as an ArrayBuffer', { ...sentText(3, 1, 'hello'), data: new ArrayBuffer(2) }],
    ['binary data as a typed array (only an ArrayBuffer crosses as bytes)', { ...receivedBinary(7, 1, [1, 2]), data: new Uint8Array(2) }],
    ['binary data as {} (a buffer through JSON serialization)', { ...receivedBinary(7, 1, [1, 2]), data: {} }],
    ['binary data as an array of numbers', { ...receivedBinary(7, 1, [1, 2]), data: [1, 2] }],
    ['binary dispatched data as {}', { ...pageDispatchedBinary(9, 1, [1]), data: {} }],
  ])('rejects %s', (_name, ev) => {
    expect(isWireEvent(ev)).toBe(false);
  });

  it('accepts a frame part i of n with i < n', () => {
    expect(isWireEvent({ ...frame, part: { i: 0, n: 2 } })).toBe(true);
    expect(isWireEvent({ ...frame, part: { i: 1, n: 2 } })).toBe(true);
  });

  it.each([
    ['part index equal to the count', { i: 2, n: 2 }],
    ['part index above the count', { i: 3, n: 2 }],
    ['zero parts', { i: 0, n: 0 }],
    ['negative part index', { i: -1, n: 2 }],
    ['NaN part count', { i: 0, n: NaN }],
    ['part as array', [0, 2]],
    ['part as null', null],
  ])('rejects a frame with %s', (_name, part) => {
    expect(isWireEvent({ ...frame, part })).toBe(false);
  });

  it.each([
    ['missing seq', without(frame, 'seq')],
    ['negative seq', withField(frame, 'seq', -1)],
    ['Infinity seq', withField(frame, 'seq', Infinity)],
    ['negative size', withField(frame, 'size', -5)],
    ['NaN size', withField(frame, 'size', NaN)],
    ['size as string', withField(frame, 'size', '5')],
    ['unknown type', withField(frame, 'type', 'blob')],
    ['text data as an ArrayBuffer', withField(frame, 'data', new ArrayBuffer(2))],
    ['missing direction', without(frame, 'dir')],
    ['NaN time', withField(frame, 'at', NaN)],
  ])('rejects a frame with %s', (_name, ev) => {
    expect(isWireEvent(ev)).toBe(false);
  });

  it('rejects a lifecycle event without a seq (a hook event is not yet a wire event)', () => {
    expect(isWireEvent({ k: 'create', sock: 1, at: 1, url: 'wss://a/', protocols: [] })).toBe(false);
  });
});

describe('isHookToRelayMessage', () => {
  const cols = (n: number, data: unknown[] = ['a', new Blob(['x'])].slice(0, n), flags = [0, 3].slice(0, n)) =>
    ({ n, sock: new Uint32Array([1, 1]), at: new Float64Array([2, 3]), flags: new Uint8Array(flags), data });
  const msg = {
    v, t: 'events',
    frames: cols(2),
    events: [{ k: 'create', sock: 1, at: 1, url: 'wss://a/', protocols: [] }, { k: 'frame', sock: 1, at: 2, dir: 'sent', data: new Blob(['x']) }],
    after: [0, 1],
    dropped: { frames: 0, bytes: 0 },
  };

  it('accepts a batch of hook events of the current version', () => {
    expect(isHookToRelayMessage(msg)).toBe(true);
    expect(isHookToRelayMessage({ ...msg, events: [], after: [] })).toBe(true);
    expect(isHookToRelayMessage({ ...msg, frames: cols(0), after: [0, 0] })).toBe(true);
    // Columns checked by value: plain arrays with good values pass, as typed arrays with spare room do.
    expect(isHookToRelayMessage({ ...msg, frames: { n: 1, sock: [1], at: [2], flags: [14], data: ['a'] }, after: [0, 1] })).toBe(false);
    expect(isHookToRelayMessage({ ...msg, frames: { n: 1, sock: [1], at: [2], flags: [12], data: ['a'] }, after: [0, 1] })).toBe(true);
  });

  it.each([
    ['no frames', without(msg, 'frames')],
    ['frames as array', withField(msg, 'frames', [])],
    ['a count past the columns', withField(msg, 'frames', { ...cols(2), n: 3 })],
    ['data longer than the count', withField(msg, 'frames', { ...cols(2), n: 1 })],
    ['a payload that is neither text nor binary', withField(msg, 'frames', cols(2, ['a', {}]))],
    ['an unknown flag', withField(msg, 'frames', cols(2, undefined, [0, 14]))],
    ['a time that is not a number', withField(msg, 'frames', { ...cols(2), at: new Float64Array([1, NaN]) })],
    ['a socket column that is missing', withField(msg, 'frames', { ...cols(2), sock: undefined })],
    ['no after', without(msg, 'after')],
    ['after shorter than events', withField(msg, 'after', [0])],
    ['after decreasing', withField(msg, 'after', [1, 0])],
    ['after past the frames', withField(msg, 'after', [0, 3])],
  ])('rejects columns with %s', (_name, m) => {
    expect(isHookToRelayMessage(m)).toBe(false);
  });

  it.each([
    ['an older version', withField(msg, 'v', v - 1)],
    ['a newer version', withField(msg, 'v', v + 1)],
    ['the version as string', withField(msg, 'v', String(v))],
    ['no version', without(msg, 'v')],
    ['an unknown t', withField(msg, 't', 'ready')],
    ['no t', without(msg, 't')],
    ['events as object', withField(msg, 'events', { 0: msg.events[0] })],
    ['one bad event among good ones', withField(msg, 'events', [...msg.events, { k: 'frame', sock: 1, at: 3, dir: 'sent', data: {} }])],
    ['missing dropped counts', without(msg, 'dropped')],
    ['negative dropped frames', withField(msg, 'dropped', { frames: -1, bytes: 0 })],
    ['dropped bytes NaN', withField(msg, 'dropped', { frames: 0, bytes: NaN })],
    ['dropped as null', withField(msg, 'dropped', null)],
    ['dropped as array', withField(msg, 'dropped', [0, 0])],
  ])('rejects %s', (_name, m) => {
    expect(isHookToRelayMessage(m)).toBe(false);
  });

  it('rejects null, arrays and primitives', () => {
    expect(isHookToRelayMessage(null)).toBe(false);
    expect(isHookToRelayMessage(Object.assign([], msg))).toBe(false);
    expect(isHookToRelayMessage('events')).toBe(false);
  });
});

describe('isRelayToRouterMessage', () => {
  const hello = { v, t: 'hello', doc: doc('abc') };
  const relayBatch = (() => { const { frameId: _f, ...b } = versionedBatch([created(1, 1, 'wss://a/'), sentText(2, 1, 'hi')]); return b; })();

  it('accepts hello and batch messages', () => {
    expect(isRelayToRouterMessage(hello)).toBe(true);
    expect(isRelayToRouterMessage(relayBatch)).toBe(true);
  });

  it('accepts hello with whatever came in place of the channel probe (the router checks it, never trusts it)', () => {
    expect(isRelayToRouterMessage({ ...hello, probe: channelProbe() })).toBe(true);
    expect(isRelayToRouterMessage({ ...hello, probe: {} })).toBe(true);
  });

  it('accepts a batch whose binary payloads are buffers', () => {
    const { frameId: _f, ...b } = versionedBatch([created(1, 1, 'wss://a/'), cloned(receivedBinary(2, 1, [1, 2]))]);
    expect(isRelayToRouterMessage(b)).toBe(true);
  });

  it('accepts a docId of exactly 64 characters', () => {
    expect(isRelayToRouterMessage({ ...hello, doc: doc('x'.repeat(64)) })).toBe(true);
  });

  it.each([
    ['an empty docId', { ...hello, doc: doc('') }],
    ['a docId of 65 characters', { ...hello, doc: doc('x'.repeat(65)) }],
    ['a numeric docId', { ...hello, doc: { ...doc(), docId: 7 } }],
    ['top as string', { ...hello, doc: { ...doc(), top: 'true' } }],
    ['doc missing', without(hello, 'doc')],
    ['doc as array', { ...hello, doc: [doc()] }],
    ['doc as null', { ...hello, doc: null }],
    ['wrong version', { ...hello, v: v + 1 }],
    ['unknown t', { ...hello, t: 'goodbye' }],
  ])('rejects hello with %s', (_name, m) => {
    expect(isRelayToRouterMessage(m)).toBe(false);
  });

  it.each([
    ['snapshot missing', without(relayBatch, 'snapshot')],
    ['events as object', withField(relayBatch, 'events', {})],
    ['an invalid wire event', withField(relayBatch, 'events', [{ ...sentText(2, 1, 'hi'), size: -1 }])],
    ['lost missing', without(relayBatch, 'lost')],
    ['evicted without throughSeq', withField(relayBatch, 'evicted', { frames: 0, bytes: 0, lifecycle: 0 })],
    ['evicted with negative lifecycle', withField(relayBatch, 'evicted', { frames: 0, bytes: 0, throughSeq: 0, lifecycle: -1 })],
    ['evicted as null', withField(relayBatch, 'evicted', null)],
    ['no version', without(relayBatch, 'v')],
  ])('rejects a batch with %s', (_name, m) => {
    expect(isRelayToRouterMessage(m)).toBe(false);
  });
});

describe('isRouterToRelayMessage', () => {
  it('accepts welcome with a tab id, channel with what the probe showed, attach and detach', () => {
    expect(isRouterToRelayMessage({ v, t: 'welcome', tabId: 12 })).toBe(true);
    expect(isRouterToRelayMessage({ v, t: 'channel', clone: true })).toBe(true);
    expect(isRouterToRelayMessage({ v, t: 'channel', clone: false })).toBe(true);
    expect(isRouterToRelayMessage({ v, t: 'attach' })).toBe(true);
    expect(isRouterToRelayMessage({ v, t: 'detach' })).toBe(true);
  });

  it.each([
    ['welcome without tabId', { v, t: 'welcome' }],
    ['welcome with negative tabId', { v, t: 'welcome', tabId: -1 }],
    ['welcome with NaN tabId', { v, t: 'welcome', tabId: NaN }],
    ['channel without clone', { v, t: 'channel' }],
    ['channel with clone as string', { v, t: 'channel', clone: 'true' }],
    ['attach of another version', { v: v + 1, t: 'attach' }],
    ['an unknown t', { v, t: 'reconnect' }],
    ['null', null],
    ['an array', [{ v, t: 'attach' }]],
  ])('rejects %s', (_name, m) => {
    expect(isRouterToRelayMessage(m)).toBe(false);
  });
});

describe('isPanelToRouterMessage', () => {
  it('accepts subscribe with a tab id, with or without what came in place of the channel probe', () => {
    expect(isPanelToRouterMessage({ v, t: 'subscribe', tabId: 0 })).toBe(true);
    expect(isPanelToRouterMessage({ v, t: 'subscribe', tabId: 0, probe: channelProbe() })).toBe(true);
    expect(isPanelToRouterMessage({ v, t: 'subscribe', tabId: 0, probe: {} })).toBe(true);
  });

  it.each([
    ['tabId missing', { v, t: 'subscribe' }],
    ['tabId as string', { v, t: 'subscribe', tabId: '3' }],
    ['tabId fractional', { v, t: 'subscribe', tabId: 1.5 }],
    ['tabId Infinity', { v, t: 'subscribe', tabId: Infinity }],
    ['an unknown t', { v, t: 'unsubscribe', tabId: 3 }],
    ['version missing', { t: 'subscribe', tabId: 3 }],
  ])('rejects %s', (_name, m) => {
    expect(isPanelToRouterMessage(m)).toBe(false);
  });
});

describe('isRouterToPanelMessage', () => {
  const forwarded = versionedBatch([created(1, 1, 'wss://a/'), receivedBinary(2, 1, [0xff])], { frameId: 3 });

  it('accepts subscribed, saying whether the channel clones buffers, and batches stamped with a frame id', () => {
    expect(isRouterToPanelMessage({ v, t: 'subscribed', tabId: 4, clone: true })).toBe(true);
    expect(isRouterToPanelMessage({ v, t: 'subscribed', tabId: 4, clone: false })).toBe(true);
    expect(isRouterToPanelMessage(forwarded)).toBe(true);
    expect(isRouterToPanelMessage({ ...forwarded, events: forwarded.events.map(cloned) })).toBe(true);
  });

  it.each([
    ['a batch without frameId (not stamped by the router)', without(forwarded, 'frameId')],
    ['a fractional frameId', withField(forwarded, 'frameId', 0.5)],
    ['frameId as string', withField(forwarded, 'frameId', '0')],
    ['a batch of another version', withField(forwarded, 'v', v + 1)],
    ['subscribed without tabId', { v, t: 'subscribed', clone: true }],
    ['subscribed without clone', { v, t: 'subscribed', tabId: 4 }],
    ['subscribed with clone as a number', { v, t: 'subscribed', tabId: 4, clone: 1 }],
    ['an unknown t', { v, t: 'hello', doc: doc() }],
    ['a batch whose events array holds null', withField(forwarded, 'events', [null])],
  ])('rejects %s', (_name, m) => {
    expect(isRouterToPanelMessage(m)).toBe(false);
  });
});

/**
 * The SharedWorker handshake crosses the page, relay and router: a page script could post any of
 * these, so a lax guard would let it point another tab's worker at a script it chose.
 */
describe('SharedWorker connect and answer guards', () => {
  const connect = { v, t: 'shared-connect', id: 3, url: 'https://a.test/w.js', name: 'chat', wrapper: 'blob:https://a.test/0e5c' };
  const request = { v, t: 'shared-connect', url: 'https://a.test/w.js', name: '', wrapper: 'blob:https://a.test/0e5c' };
  const answer = (a: unknown) => ({ v, t: 'shared-answer', id: 3, answer: a });

  describe('isHookToRelayMessage with shared-connect', () => {
    it('accepts a blob: wrapper, or null when the page could not wrap', () => {
      expect(isHookToRelayMessage(connect)).toBe(true);
      expect(isHookToRelayMessage({ ...connect, wrapper: null })).toBe(true);
      expect(isHookToRelayMessage({ ...connect, id: 0, name: '' })).toBe(true);
    });

    it('accepts a url of exactly 8192 characters', () => {
      expect(isHookToRelayMessage({ ...connect, url: 'u'.repeat(8192) })).toBe(true);
    });

    it.each([
      ['a wrapper that is not a blob: URL', withField(connect, 'wrapper', 'https://evil.test/w.js')],
      ['a wrapper with blob: not at the start', withField(connect, 'wrapper', 'xblob:https://a.test/1')],
      ['a wrapper that is undefined', without(connect, 'wrapper')],
      ['a wrapper that is a number', withField(connect, 'wrapper', 1)],
      ['a missing name', without(connect, 'name')],
      ['a name that is not a string', withField(connect, 'name', 7)],
      ['a missing id', without(connect, 'id')],
      ['a negative id', withField(connect, 'id', -1)],
      ['a fractional id', withField(connect, 'id', 1.5)],
      ['an id as string', withField(connect, 'id', '3')],
      ['a url longer than 8192 characters', withField(connect, 'url', 'u'.repeat(8193))],
      ['a missing url', without(connect, 'url')],
      ['another version', withField(connect, 'v', v + 1)],
      ['no version', without(connect, 'v')],
    ])('rejects %s', (_name, m) => {
      expect(isHookToRelayMessage(m)).toBe(false);
    });
  });

  describe('isRelayToHookMessage with shared-answer', () => {
    it('accepts a wrapped answer and native answers with or without split', () => {
      expect(isRelayToHookMessage(answer({ mode: 'wrapped', wrapper: 'blob:https://a.test/0e5c' }))).toBe(true);
      expect(isRelayToHookMessage(answer({ mode: 'native', reason: '' }))).toBe(true);
      expect(isRelayToHookMessage(answer({ mode: 'native', reason: 'CSP', split: true }))).toBe(true);
      expect(isRelayToHookMessage(answer({ mode: 'native', reason: 'CSP', split: false }))).toBe(true);
    });

    it.each([
      ['a wrapper that is not a blob: URL', answer({ mode: 'wrapped', wrapper: 'https://evil.test/w.js' })],
      ['a wrapped answer without a wrapper', answer({ mode: 'wrapped' })],
      ['an unknown mode', answer({ mode: 'proxied', reason: '' })],
      ['no mode', answer({ reason: '' })],
      ['a native reason that is not a string', answer({ mode: 'native', reason: 1 })],
      ['a native answer without a reason', answer({ mode: 'native' })],
      ['split that is not a boolean', answer({ mode: 'native', reason: '', split: 'yes' })],
      ['split as 1', answer({ mode: 'native', reason: '', split: 1 })],
      ['answer as null', answer(null)],
      ['answer as array', answer([{ mode: 'native', reason: '' }])],
      ['no answer', without(answer({ mode: 'native', reason: '' }), 'answer')],
      ['a negative id', withField(answer({ mode: 'native', reason: '' }), 'id', -1)],
      ['another version', withField(answer({ mode: 'native', reason: '' }), 'v', v - 1)],
    ])('rejects %s', (_name, m) => {
      expect(isRelayToHookMessage(m)).toBe(false);
    });
  });

  describe('isRelayRequest', () => {
    it('accepts a shared-connect request, with a wrapper or null', () => {
      expect(isRelayRequest(request)).toBe(true);
      expect(isRelayRequest({ ...request, wrapper: null })).toBe(true);
    });

    it.each([
      ['a wrapper that is not a blob: URL', withField(request, 'wrapper', 'data:text/javascript,1')],
      ['a missing name', without(request, 'name')],
      ['a url longer than 8192 characters', withField(request, 'url', 'u'.repeat(8193))],
      ['another t', withField(request, 't', 'shared-who')],
      ['another version', withField(request, 'v', v + 1)],
      ['no version', without(request, 'v')],
      ['null', null],
    ])('rejects %s', (_name, m) => {
      expect(isRelayRequest(m)).toBe(false);
    });
  });

  describe('isRouterQuery', () => {
    it('accepts shared-who with a key', () => {
      expect(isRouterQuery({ v, t: 'shared-who', key: 'https://a.test/w.js\nchat' })).toBe(true);
    });

    it.each([
      ['a missing key', { v, t: 'shared-who' }],
      ['a numeric key', { v, t: 'shared-who', key: 1 }],
      ['another t', { v, t: 'shared-connect', key: 'k' }],
      ['another version', { v: v + 1, t: 'shared-who', key: 'k' }],
      ['no version', { t: 'shared-who', key: 'k' }],
    ])('rejects %s', (_name, m) => {
      expect(isRouterQuery(m)).toBe(false);
    });
  });
});

describe('send stacks and hook options', () => {
  const stackFrame = { fn: 'sendOrder', url: 'http://h/app.js', line: 8, col: 6 };
  const initiator = { stack: [stackFrame] };
  const frame = { ...sentText(3, 1, 'order'), initiator } as unknown as Rec;
  const held = { k: 'intercept', seq: 4, sock: 1, at: 1, dir: 'sent', what: 'held', ruleId: 'r1', holdId: 1, type: 'text', size: 5, data: 'order', initiator };
  const sendStack = { k: 'sendStack', sock: 1, at: 2, rawStack: 'Error\n    at takeStack (chrome-extension://x/hook.js:1:1)' };

  it('isWireEvent accepts a frame or a rule\'s event with a stack, or with only the reason there is none', () => {
    expect(isWireEvent(frame)).toBe(true);
    expect(isWireEvent(held)).toBe(true);
    expect(isWireEvent(withField(frame, 'initiator', { stack: [], note: 'stack not recorded' }))).toBe(true);
    expect(isWireEvent(withField(frame, 'initiator', { stack: Array(STACK_MAX_FRAMES).fill(stackFrame), note: 'n'.repeat(STACK_NOTE_MAX) }))).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'sendOrder app.js:8'],
    ['a stack that is not an array', { stack: { 0: stackFrame } }],
    ['no stack', { note: 'why' }],
    ['a negative line', { stack: [{ ...stackFrame, line: -1 }] }],
    ['a fractional column', { stack: [{ ...stackFrame, col: 1.5 }] }],
    ['a function name that is not a string', { stack: [{ ...stackFrame, fn: 7 }] }],
    ['a frame without its url', { stack: [without(stackFrame, 'url')] }],
    ['more frames than a stack keeps', { stack: Array(STACK_MAX_FRAMES + 1).fill(stackFrame) }],
    ['a note that is too long', { stack: [], note: 'n'.repeat(STACK_NOTE_MAX + 1) }],
    ['a note that is not a string', { stack: [], note: 1 }],
  ])('isWireEvent rejects a frame, and a rule\'s event, whose stack is %s', (_name, bad) => {
    expect(isWireEvent(withField(frame, 'initiator', bad))).toBe(false);
    expect(isWireEvent(withField(held, 'initiator', bad))).toBe(false);
  });

  it('isHookEvent accepts a send stack as the engine\'s text, or the reason none was taken', () => {
    expect(isHookEvent(sendStack)).toBe(true);
    expect(isHookEvent(withField(sendStack, 'rawStack', 'x'.repeat(RAW_STACK_MAX_CHARS)))).toBe(true);
    expect(isHookEvent({ k: 'sendStack', sock: 1, at: 2, stackNote: 'stack not recorded: the page froze Error.stackTraceLimit' })).toBe(true);
  });

  it.each([
    ['an oversized raw stack', withField(sendStack, 'rawStack', 'x'.repeat(RAW_STACK_MAX_CHARS + 1))],
    ['a raw stack that is not text', withField(sendStack, 'rawStack', ['at f (a.js:1:1)'])],
    ['a note that is too long', { k: 'sendStack', sock: 1, at: 2, stackNote: 'n'.repeat(STACK_NOTE_MAX + 1) }],
    ['no socket', without(sendStack, 'sock')],
    ['no time', without(sendStack, 'at')],
  ])('isHookEvent rejects a send stack with %s', (_name, ev) => {
    expect(isHookEvent(ev)).toBe(false);
  });

  it('a send stack never crosses to the panel: it is no wire event', () => {
    expect(isWireEvent({ ...sendStack, seq: 5 })).toBe(false);
  });

  it('every hop takes the options message, and only with a boolean sendStacks', () => {
    const guards = [isPanelToRouterMessage, isRouterToRelayMessage, isRelayToHookMessage];
    for (const guard of guards) {
      expect(guard({ v, t: 'options', options: { sendStacks: true } })).toBe(true);
      expect(guard({ v, t: 'options', options: { sendStacks: false } })).toBe(true);
      for (const options of [undefined, null, {}, { sendStacks: 'true' }, { sendStacks: 1 }]) expect(guard({ v, t: 'options', options })).toBe(false);
      expect(guard({ v: v + 1, t: 'options', options: { sendStacks: true } })).toBe(false);
    }
  });
});
