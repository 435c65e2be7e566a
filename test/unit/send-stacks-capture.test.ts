/**
 * *Record send stacks*, in the panel: a sent frame keeps the stack it came with; frames sent from
 * the same place hold one stack between them; a rule's row about a sent frame shows the stack
 * too; and the stack goes into the session file and the HAR, and comes back when either is opened.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import { SessionLoader } from '../../src/panel/model/session-loader';
import type { FrameRecord } from '../../src/panel/model/types';
import type { WireEvent } from '../../src/protocol/capture-events';
import type { Initiator } from '../../src/protocol/stack-frames';
import { encodeSession, toSessionFrame } from '../../src/session/encode-session';
import { harToSession, sessionToHar } from '../../src/session/har';
import { parseSession } from '../../src/session/parse-session';
import type { SessionFileV1 } from '../../src/session/session-format';
import { EXPORTED_AT, sourceOf } from './fixtures/session-capture';
import { batch, created, doc, intercepted, receivedText, sentBinary, sentText } from './fixtures/wire-events';

const SEND_ORDER: Initiator = { stack: [{ fn: 'sendOrder', url: 'http://h/app.js', line: 8, col: 6 }, { fn: '', url: 'http://h/app.js', line: 10, col: 1 }] };
const SEND_CANCEL: Initiator = { stack: [{ fn: 'sendCancel', url: 'http://h/app.js', line: 20, col: 3 }] };
const NO_STACK: Initiator = { stack: [], note: 'stack not recorded: the page made Error.prepareStackTrace an accessor' };

const SHOP = doc('top', { url: 'https://shop.test/', title: 'Shop' });

/** As each frame reaches the panel: with its own copy of the stack (a structured clone per message). */
const withStack = <E extends WireEvent>(ev: E, i: Initiator): E => ({ ...ev, initiator: structuredClone(i) });

/** Socket 1 sends from two places and once where no stack could be taken; the server answers. */
function modelWithStacks(): CaptureModel {
  const m = new CaptureModel({ maxFrames: 1000, maxBytes: 1 << 20 });
  m.ingest(batch([
    created(1, 1, 'wss://shop.test/ws'),
    withStack(sentText(2, 1, 'order 1'), SEND_ORDER),
    receivedText(3, 1, 'ok 1'),
    withStack(sentText(4, 1, 'order 2'), SEND_ORDER),
    withStack(sentBinary(5, 1, [1, 2, 3]), SEND_CANCEL),
    withStack(sentText(6, 1, 'order 3'), NO_STACK),
    sentText(7, 1, 'sent while recording was off'),
  ], { doc: SHOP }));
  return m;
}

const stacksOf = (frames: readonly { initiator?: Initiator }[]) => frames.map((f) => f.initiator);
const EXPECTED = [SEND_ORDER, undefined, SEND_ORDER, SEND_CANCEL, NO_STACK, undefined];

function loaded(s: SessionFileV1): CaptureModel {
  const { frames, ...header } = s;
  const m = new CaptureModel({ maxFrames: 1000, maxBytes: 1 << 20 });
  const loader = new SessionLoader(m, header);
  loader.addFrames(frames);
  loader.finish();
  return m;
}

const parsed = (text: string): SessionFileV1 => {
  const r = parseSession(text);
  if (!r.ok) throw new Error(r.error);
  return r.session;
};

describe('CaptureModel: send stacks', () => {
  it('keeps each sent frame\'s stack on its row; frames without one have none', () => {
    const frames = modelWithStacks().allFrames();
    expect(stacksOf(frames)).toEqual(EXPECTED);
    expect(frames[1]).not.toHaveProperty('initiator');
    expect(frames[5]).not.toHaveProperty('initiator');
  });

  it('holds one object for equal stacks, however many frames came with a copy', () => {
    const frames = modelWithStacks().allFrames();
    expect(frames[2]!.initiator).toBe(frames[0]!.initiator);
    expect(frames[3]!.initiator).not.toBe(frames[0]!.initiator);
  });

  it('shares stacks with frames of a later batch too, and still keeps them after Clear', () => {
    const m = modelWithStacks();
    const first = m.allFrames()[0]!.initiator;
    m.ingest(batch([withStack(sentText(8, 1, 'order 4'), SEND_ORDER)], { doc: SHOP }));
    expect(m.allFrames().at(-1)!.initiator).toBe(first);
    m.clear();
    m.ingest(batch([withStack(sentText(9, 1, 'order 5'), SEND_ORDER), withStack(sentText(10, 1, 'order 6'), SEND_ORDER)], { doc: SHOP }));
    const after = m.allFrames();
    expect(stacksOf(after)).toEqual([SEND_ORDER, SEND_ORDER]);
    expect(after[1]!.initiator).toBe(after[0]!.initiator);
  });

  it('gives a rule\'s row about a sent frame the frame\'s stack', () => {
    const m = new CaptureModel({ maxFrames: 1000, maxBytes: 1 << 20 });
    m.ingest(batch([
      created(1, 1, 'wss://shop.test/ws'),
      withStack(intercepted(2, 1, 'held', 'order 1', { holdId: 1 }), SEND_ORDER),
      withStack(intercepted(3, 1, 'dropped', 'order 2'), SEND_ORDER),
      intercepted(4, 1, 'held', 'reply', { holdId: 2, dir: 'received' }),
    ]));
    const rows = [...m.rows].flatMap((r) => (r.kind === 'lifecycle' && r.event === 'intercept' ? [r] : []));
    expect(stacksOf(rows)).toEqual([SEND_ORDER, SEND_ORDER, undefined]);
    expect(rows[1]!.initiator).toBe(rows[0]!.initiator);
  });
});

describe('session files keep send stacks', () => {
  it('writes a frame\'s stack into the session frame, as a copy of its own', () => {
    const frame = modelWithStacks().allFrames()[0]!;
    const out = toSessionFrame(frame);
    expect(out.initiator).toEqual(SEND_ORDER);
    expect(out.initiator).not.toBe(frame.initiator);
    expect(toSessionFrame(modelWithStacks().allFrames()[1]!)).not.toHaveProperty('initiator');
  });

  it('round trip: export, open, export again gives the same stacks, and the opened frames share them again', () => {
    const file = encodeSession(sourceOf(modelWithStacks()), EXPORTED_AT);
    expect(stacksOf(file.frames)).toEqual(EXPECTED);
    const read = parsed(JSON.stringify(file));
    expect(stacksOf(read.frames)).toEqual(EXPECTED);
    const opened = loaded(read);
    const frames: FrameRecord[] = opened.allFrames();
    expect(stacksOf(frames)).toEqual(EXPECTED);
    expect(frames[2]!.initiator).toBe(frames[0]!.initiator);
    expect(encodeSession(sourceOf(opened), EXPORTED_AT).frames).toEqual(file.frames);
  });

  it('HAR: the stack rides in each message\'s _sockscope and comes back on import', () => {
    const file = encodeSession(sourceOf(modelWithStacks()), EXPORTED_AT);
    const har = sessionToHar(file, '1.0.0');
    const messages = har.log.entries.flatMap((e) => e._webSocketMessages ?? []);
    expect(messages.map((msg) => msg._sockscope.initiator)).toEqual(EXPECTED);
    const r = harToSession(JSON.stringify(har), EXPORTED_AT);
    if (!r.ok) throw new Error(r.error);
    expect(stacksOf(r.session.frames)).toEqual(EXPECTED);
    expect(stacksOf(loaded(r.session).allFrames())).toEqual(EXPECTED);
  });

  it.each([
    ['a stack that is not a list', { stack: 'sendOrder app.js:8' }, 'frames[1].initiator.stack'],
    ['a negative line', { stack: [{ fn: 'f', url: 'u', line: -1, col: 0 }] }, 'frames[1].initiator.stack[0].line'],
    ['a frame without its url', { stack: [{ fn: 'f', line: 1, col: 1 }] }, 'frames[1].initiator.stack[0].url'],
  ])('refuses a file whose frame has %s, naming the field', (_name, initiator, path) => {
    const file = encodeSession(sourceOf(modelWithStacks()), EXPORTED_AT) as unknown as { frames: Record<string, unknown>[] };
    file.frames[1]!.initiator = initiator;
    const r = parseSession(JSON.stringify(file));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.startsWith(`${path}:`)).toBe(true);
  });
});
