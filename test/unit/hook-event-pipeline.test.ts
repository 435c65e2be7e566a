/**
 * The relay's first step: hook events become numbered captured events, in capture order, even
 * when a Blob payload has to be read asynchronously in the middle of a batch. The sink here
 * encodes them as the outbox would on a JSON-only channel (binary as base64, the form it uses
 * until the router says the channel clones buffers), so the tests read wire events.
 */
import { describe, expect, it, vi } from 'vitest';
import type { DropCounts, HookEvent, WireEvent, WireFrame } from '../../src/protocol/capture-events';
import type { HookEventsMessage } from '../../src/relay/hook-link';
import { ColumnWriter, frameFlags } from '../../src/protocol/hook-columns';
import { HookEventPipeline } from '../../src/relay/hook-event-pipeline';
import { toWireEvent } from '../../src/relay/encode-event';
import { fromWireBinary } from '../../src/protocol/wire-payload';
import type { CapturedEvent } from '../../src/protocol/capture-events';

const hookCreate = (sock: number, at = 1): HookEvent => ({ k: 'create', sock, at, url: 'wss://a.test/', protocols: ['v1'] });
const hookSend = (sock: number, data: string | ArrayBuffer | Blob, at = 2): HookEvent => ({ k: 'frame', sock, at, dir: 'sent', data });
const hookReceive = (sock: number, data: string | ArrayBuffer | Blob, at = 3): HookEvent => ({ k: 'frame', sock, at, dir: 'received', data });

/** As the hook posts them: frames as columns, the rest as objects (see hook-columns). */
function message(events: HookEvent[], dropped: DropCounts = { frames: 0, bytes: 0 }): HookEventsMessage {
  const w = new ColumnWriter();
  for (const ev of events) {
    if (ev.k === 'frame') w.frame(ev.sock, ev.at, frameFlags(ev.dir, ev.origin), ev.data);
    else w.event(ev);
  }
  return w.take(dropped);
}

function recordingPipeline() {
  const events: WireEvent[] = [];
  const captured: CapturedEvent[] = [];
  const lost: DropCounts[] = [];
  const pipeline = new HookEventPipeline({ onEvent: (e) => { captured.push(e); events.push(toWireEvent(e, false)); }, onLost: (d) => lost.push(d) });
  return { pipeline, events, captured, lost };
}

const frameData = (e: WireEvent | undefined) => (e as WireFrame).data;

/**
 * As Firefox's relay sees the hook's event: through an Xray wrapper, which takes numbers and
 * strings but refuses a property holding one of the relay's own objects.
 */
const asXray = <T extends object>(ev: T): T => new Proxy(ev, {
  defineProperty(t, k, d) {
    if (typeof d.value === 'object' && d.value !== null) throw new TypeError('Not allowed to define cross-origin object as property on [Object] or [Array] XrayWrapper');
    return Reflect.defineProperty(t, k, d);
  },
});

describe('HookEventPipeline', () => {
  it('parses a create event\'s stack into a new object: one seen through an Xray (Firefox) is never lost', () => {
    const { pipeline, events } = recordingPipeline();
    const raw = 'takeStack@<anonymous code>:1220:16\nconstruct@<anonymous code>:1373:11\nconnectFeed@http://a.test/app.js:3:14\n@http://a.test/app.js:10:13\n';
    const create = asXray({ ...hookCreate(1), rawStack: raw } as HookEvent);
    pipeline.accept(message([create, hookSend(1, 'a')]));
    expect(events.map((e) => e.k)).toEqual(['create', 'frame']);
    expect(events[0]).toMatchObject({ k: 'create', seq: 1, url: 'wss://a.test/', stack: [
      { fn: 'connectFeed', url: 'http://a.test/app.js', line: 3, col: 14 },
      { fn: '', url: 'http://a.test/app.js', line: 10, col: 13 },
    ] });
    expect(events[0]).not.toHaveProperty('rawStack');
  });

  it('a create event whose stack holds no page frame says so', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([{ ...hookCreate(1), rawStack: 'takeStack@<anonymous code>:1:1\n' } as HookEvent]));
    expect(events[0]).toMatchObject({ k: 'create', stackNote: expect.stringContaining('no page script') });
    expect(events[0]).not.toHaveProperty('stack');
  });

  it('numbers events from 1 upwards across messages', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookCreate(1), hookSend(1, 'a')]));
    pipeline.accept(message([hookReceive(1, 'b')]));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.k)).toEqual(['create', 'frame', 'frame']);
  });

  it('keeps binary as the very bytes the hook transferred: nothing is encoded on the way into the history', () => {
    const { pipeline, captured } = recordingPipeline();
    const buf = new Uint8Array([1, 2, 3]).buffer;
    pipeline.accept(message([hookReceive(1, buf), hookSend(1, 'text')]));
    expect(captured[0]).toMatchObject({ k: 'frame', seq: 1 });
    expect((captured[0] as { data: unknown }).data).toBe(buf);
    expect(captured[0]).not.toHaveProperty('size');
    expect(captured[1]).toMatchObject({ seq: 2, data: 'text' });
  });

  it('encodes frames on the way: text with UTF-8 size, ArrayBuffer as base64', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookSend(1, '😀'), hookReceive(1, new Uint8Array([1, 2, 3]).buffer)]));
    expect(events[0]).toMatchObject({ type: 'text', size: 4, data: '😀' });
    expect(events[1]).toMatchObject({ type: 'binary', size: 3, data: 'AQID' });
  });

  it('reads a Blob payload and keeps events queued behind it in capture order', async () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookSend(1, 'before'), hookReceive(1, new Blob([new Uint8Array([0xff, 0x00])])), hookSend(1, 'after')]));
    // Nothing behind the Blob may overtake it.
    expect(events.map(frameData)).toEqual(['before']);

    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map(frameData)).toEqual(['before', '/wA=', 'after']);
    expect(events[1]).toMatchObject({ type: 'binary', size: 2, dir: 'received' });
  });

  it('keeps order for events of a later message that arrives while a Blob is being read', async () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookReceive(1, new Blob(['first']))]));
    pipeline.accept(message([hookSend(1, 'second'), hookReceive(1, new Blob(['third']))]));
    pipeline.accept(message([hookSend(1, 'fourth')]));

    await vi.waitFor(() => expect(events).toHaveLength(4));
    const decoded = events.map((e) => (e as WireFrame).type === 'binary' ? new TextDecoder().decode(fromWireBinary(frameData(e))) : frameData(e));
    expect(decoded).toEqual(['first', 'second', 'third', 'fourth']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('reports what the hook dropped to onLost', () => {
    const { pipeline, lost } = recordingPipeline();
    pipeline.accept(message([hookSend(1, 'x')], { frames: 3, bytes: 120 }));
    pipeline.accept(message([], { frames: 1, bytes: 7 }));
    expect(lost).toEqual([{ frames: 3, bytes: 120 }, { frames: 1, bytes: 7 }]);
  });

  it('does not call onLost when the hook dropped nothing', () => {
    const { pipeline, lost } = recordingPipeline();
    pipeline.accept(message([hookSend(1, 'x')]));
    expect(lost).toEqual([]);
  });

  it('counts a Blob that cannot be read as lost, and goes on with the next events', async () => {
    const { pipeline, events, lost } = recordingPipeline();
    const unreadable = new Blob(['12345']);
    unreadable.arrayBuffer = () => Promise.reject(new Error('gone'));
    pipeline.accept(message([hookReceive(1, unreadable), hookSend(1, 'next')]));

    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(lost).toEqual([{ frames: 1, bytes: 5 }]);
    expect(events[0]).toMatchObject({ seq: 1, data: 'next' });
  });
});

/**
 * *Record send stacks*: the hook posts a `sendStack` event right before the event it belongs to
 * (the sent frame, or a rule's event about it); the relay folds it into that event as `initiator`
 * and numbers only the events the panel sees.
 */
describe('HookEventPipeline: send stacks', () => {
  /** V8's text, as the hook takes it: its own frame first, then the page's. */
  const V8_SEND = 'Error\n    at takeStack (chrome-extension://x/hook.js:1:1)\n    at sendOrder (http://h/app.js:8:6)\n    at http://h/app.js:10:1';
  const SEND_ORDER = { stack: [{ fn: 'sendOrder', url: 'http://h/app.js', line: 8, col: 6 }, { fn: '', url: 'http://h/app.js', line: 10, col: 1 }] };
  const NOTE = 'stack not recorded: the page made Error.prepareStackTrace an accessor';
  const sendStack = (sock: number, taken: { rawStack: string } | { stackNote: string } = { rawStack: V8_SEND }): HookEvent => ({ k: 'sendStack', sock, at: 2, ...taken });
  const held = (sock: number, dir: 'sent' | 'received' = 'sent'): HookEvent => ({ k: 'intercept', sock, at: 2, dir, what: 'held', ruleId: 'r1', holdId: 1, data: 'secret' });
  const initiators = (events: WireEvent[]) => events.map((e) => ('initiator' in e ? e.initiator : undefined));

  it('gives a sent frame the stack posted right before it, parsed, without the hook\'s own frame', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookCreate(1), sendStack(1), hookSend(1, 'order')]));
    expect(events.map((e) => e.k)).toEqual(['create', 'frame']);
    expect(events[1]).toMatchObject({ k: 'frame', seq: 2, dir: 'sent', data: 'order' });
    expect((events[1] as WireFrame).initiator).toEqual(SEND_ORDER);
    expect((events[1] as WireFrame).initiator!.stack[0]).toEqual({ fn: 'sendOrder', url: 'http://h/app.js', line: 8, col: 6 });
  });

  it('gives a frame whose stack could not be taken the reason, with an empty stack', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([sendStack(1, { stackNote: NOTE }), hookSend(1, 'order')]));
    expect((events[0] as WireFrame).initiator).toEqual({ stack: [], note: NOTE });
  });

  it('numbers only what the panel sees: a send stack takes no seq and never reaches the sink', () => {
    const { pipeline, events, captured } = recordingPipeline();
    pipeline.accept(message([hookCreate(1), sendStack(1), hookSend(1, 'a'), hookReceive(1, 'b'), sendStack(1), hookSend(1, 'c')]));
    pipeline.accept(message([sendStack(1), hookSend(1, 'd')]));
    expect(captured.map((e) => e.k)).toEqual(['create', 'frame', 'frame', 'frame', 'frame']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(initiators(events).map(Boolean)).toEqual([false, true, false, true, true]);
  });

  it.each([
    ['a received frame', hookReceive(1, 'reply')],
    ['a sent frame of another socket', hookSend(2, 'other')],
    ['a rule\'s event about a received frame', held(1, 'received')],
    ['an open event', { k: 'open', sock: 1, at: 2, protocol: '', extensions: '' } as HookEvent],
  ])('drops a stack followed by %s; the next sent frame does not get it either', (_name, next) => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([sendStack(1), next, hookSend(1, 'later')]));
    expect(events).toHaveLength(2);
    expect(initiators(events)).toEqual([undefined, undefined]);
    expect(events[1]).not.toHaveProperty('initiator');
  });

  it('gives the stack to a rule\'s event about the sent frame (held), and the forwarded frame its own', () => {
    const { pipeline, events } = recordingPipeline();
    // The hook's event object may be seen through an Xray (Firefox): the stack goes on a new one.
    pipeline.accept(message([sendStack(1), asXray(held(1)), { k: 'released', sock: 1, at: 3, holdId: 1, forwarded: true }, sendStack(1), hookSend(1, 'secret')]));
    expect(events.map((e) => e.k)).toEqual(['intercept', 'released', 'frame']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(initiators(events)).toEqual([SEND_ORDER, undefined, SEND_ORDER]);
  });

  it('keeps a stack for its frame across batches (the hook may post between the two)', () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([hookCreate(1), sendStack(1)]));
    expect(events).toHaveLength(1);
    pipeline.accept(message([hookSend(1, 'order')]));
    expect(initiators(events)).toEqual([undefined, SEND_ORDER]);
  });

  it('gives a sent Blob its stack once it is read, and nothing behind it overtakes the two', async () => {
    const { pipeline, events } = recordingPipeline();
    pipeline.accept(message([sendStack(1), hookSend(1, new Blob(['blob'])), hookReceive(1, 'reply')]));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[0]).toMatchObject({ seq: 1, type: 'binary', dir: 'sent', initiator: SEND_ORDER });
    expect(events[1]).toMatchObject({ seq: 2, dir: 'received' });
    expect(events[1]).not.toHaveProperty('initiator');
  });

  it('drops the stack of a sent Blob that cannot be read: the panel\'s resent frame after it gets none', async () => {
    const { pipeline, events, lost } = recordingPipeline();
    const unreadable = new Blob(['12345']);
    unreadable.arrayBuffer = () => Promise.reject(new Error('gone'));
    pipeline.accept(message([sendStack(1), hookSend(1, unreadable), { ...hookSend(1, 'again'), origin: 'resent' } as HookEvent]));
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(lost).toEqual([{ frames: 1, bytes: 5 }]);
    expect(events[0]).toMatchObject({ seq: 1, origin: 'resent', data: 'again' });
    expect(events[0]).not.toHaveProperty('initiator');
  });

  it('parses each distinct stack once: frames sent from one place share one object', () => {
    const { pipeline, captured } = recordingPipeline();
    const other = V8_SEND.replace('sendOrder (http://h/app.js:8:6)', 'sendCancel (http://h/app.js:20:3)');
    pipeline.accept(message([sendStack(1), hookSend(1, 'a'), sendStack(1, { rawStack: other }), hookSend(1, 'b')]));
    pipeline.accept(message([sendStack(1), hookSend(1, 'c')]));
    const [a, b, c] = captured.map((e) => (e as { initiator?: unknown }).initiator);
    expect(c).toBe(a);
    expect(b).not.toBe(a);
    expect(b).toMatchObject({ stack: [{ fn: 'sendCancel', line: 20, col: 3 }, { line: 10 }] });
  });
});
