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
