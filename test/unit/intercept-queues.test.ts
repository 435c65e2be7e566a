/**
 * The hook's intercept queues report every frame that waits: a frame a rule holds, and a frame
 * queued behind it without a rule of its own ('queued', then 'released' when its turn comes), so
 * the panel can show and count it. Run in Node with the few browser globals the hook's natives
 * take at load (WebSocket, CloseEvent) stubbed; the socket is a plain EventTarget.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { HookEvent } from '../../src/protocol/capture-events';
import type { InterceptRule } from '../../src/protocol/intercept-rules';
import type * as Queues from '../../src/page/intercept-queues';
import type { TakenStack } from '../../src/page/stack-capture';

let q: typeof Queues;
beforeAll(async () => {
  if (typeof globalThis.WebSocket === 'undefined') vi.stubGlobal('WebSocket', class {});
  if (typeof globalThis.CloseEvent === 'undefined') vi.stubGlobal('CloseEvent', class extends Event {});
  q = await import('../../src/page/intercept-queues');
});

const rule = (o: Partial<InterceptRule>): InterceptRule =>
  ({ id: 'r1', enabled: true, urlPattern: '', direction: 'both', match: 'secret', action: { type: 'pause' }, scope: { all: true }, ...o });

/**
 * One socket and its queues; `log` reads what the hook told the relay, and what went out, in order;
 * `recorded`, the frames the hook recorded as sent, with their origin and send() stack.
 */
function setup(rules: InterceptRule[]) {
  const log: string[] = [];
  const got: string[] = [];
  const recorded: { data: unknown; origin: string | undefined; stack: TakenStack | undefined }[] = [];
  let open = true;
  const say = (ev: HookEvent): string => {
    if (ev.k === 'intercept') return `${ev.what} ${ev.dir} ${String(ev.data)}${ev.holdId !== undefined ? ` #${ev.holdId}` : ''}${ev.ruleId ? ` by ${ev.ruleId}` : ''}`;
    if (ev.k === 'released') return `released #${ev.holdId} ${ev.forwarded ? 'forwarded' : 'not sent'}`;
    return ev.k;
  };
  const queues = new q.InterceptQueues({
    emit: (ev) => log.push(say(ev)),
    url: () => 'wss://a.test/chat',
    isOpen: () => open,
    nativeSend: (_ws, data) => log.push(`wire ${String(data)}`),
    binaryType: () => 'blob',
    recordSent: (_t, data, origin, stack) => { recorded.push({ data, origin, stack }); },
    // As patch-websocket's: an event only for a frame that has a stack.
    sendStack: (_t, stack) => { if (stack) log.push('sendStack'); },
  });
  queues.setRules(rules);
  const ws = new EventTarget() as WebSocket;
  ws.addEventListener('message', (e) => got.push(String((e as MessageEvent).data)));
  const t = q.newQueueSocket(1);
  return { queues, ws, t, log, got, recorded, close: () => { open = false; } };
}

describe('InterceptQueues: frames behind a held one', () => {
  it('reports a sent frame queued behind a held one, and its turn after the held one is forwarded', () => {
    const s = setup([rule({})]);
    expect(s.queues.outgoing(s.t, s.ws, 'secret: 1')).toBe(true);
    expect(s.queues.outgoing(s.t, s.ws, 'after')).toBe(true);
    expect(s.log).toEqual(['held sent secret: 1 #1 by r1', 'queued sent after #2']);
    expect(s.queues.release(s.t, s.ws, 1, true)).toBeNull();
    expect(s.log.slice(2)).toEqual(['released #1 forwarded', 'wire secret: 1', 'wire after', 'released #2 forwarded']);
  });

  it('says nothing of a frame that goes at once', () => {
    const s = setup([rule({})]);
    expect(s.queues.outgoing(s.t, s.ws, 'plain')).toBe(false);
    expect(s.log).toEqual([]);
  });

  it('reports what will go: a modify rule\'s rewrite, queued behind a held frame', () => {
    const s = setup([rule({}), rule({ id: 'r2', match: 'price', action: { type: 'modify', find: '/\\d+/', replace: '0' } })]);
    s.queues.outgoing(s.t, s.ws, 'secret');
    s.queues.outgoing(s.t, s.ws, 'price 42');
    expect(s.log).toEqual(['held sent secret #1 by r1', 'queued sent price 0 #2']);
  });

  it('a frame held behind a held frame is held, not queued; only the frame held by no rule is', () => {
    const s = setup([rule({})]);
    for (const x of ['secret a', 'secret b', 'plain']) s.queues.outgoing(s.t, s.ws, x);
    expect(s.log).toEqual(['held sent secret a #1 by r1', 'held sent secret b #2 by r1', 'queued sent plain #3']);
    s.queues.release(s.t, s.ws, 1, false);
    expect(s.log.slice(3)).toEqual(['released #1 not sent']);
    s.queues.release(s.t, s.ws, 2, true);
    expect(s.log.slice(4)).toEqual(['released #2 forwarded', 'wire secret b', 'wire plain', 'released #3 forwarded']);
  });

  it('a queued frame whose socket closed before its turn is released as not sent', () => {
    const s = setup([rule({})]);
    s.queues.outgoing(s.t, s.ws, 'secret');
    s.queues.outgoing(s.t, s.ws, 'late');
    s.close();
    s.queues.release(s.t, s.ws, 1, true);
    expect(s.log.slice(2)).toEqual(['released #1 forwarded', 'released #2 not sent']);
  });

  it('switching every rule off lets the held and the queued go, each reported', () => {
    const s = setup([rule({})]);
    s.queues.outgoing(s.t, s.ws, 'secret');
    s.queues.outgoing(s.t, s.ws, 'after');
    s.queues.setRules([]);
    expect(s.log.slice(2)).toEqual(['released #1 forwarded', 'wire secret', 'wire after', 'released #2 forwarded']);
  });

  it('reports a frame queued behind a delayed one, and lets it go after the delay', async () => {
    const s = setup([rule({ action: { type: 'delay', ms: 30 } })]);
    s.queues.outgoing(s.t, s.ws, 'secret');
    s.queues.outgoing(s.t, s.ws, 'after');
    expect(s.log).toEqual(['delayed sent secret by r1', 'queued sent after #1']);
    await vi.waitFor(() => expect(s.log).toContain('released #1 forwarded'));
    expect(s.log.slice(2)).toEqual(['wire secret', 'wire after', 'released #1 forwarded']);
  });

  it('incoming: a message queued behind a held one reaches the page after it, and is reported', () => {
    const s = setup([rule({ direction: 'received' })]);
    expect(s.queues.incoming(s.t, s.ws, 'secret', 'wss://a.test', '')).toBe(true);
    expect(s.queues.incoming(s.t, s.ws, 'plain', 'wss://a.test', '')).toBe(true);
    expect(s.log).toEqual(['held received secret #1 by r1', 'queued received plain #2']);
    expect(s.got).toEqual([]);
    s.queues.release(s.t, s.ws, 1, true);
    expect(s.got).toEqual(['secret', 'plain']);
    expect(s.log.slice(2)).toEqual(['released #1 forwarded', 'released #2 forwarded']);
  });
});

/**
 * *Record send stacks*: the page's send() stack goes right before every event the hook posts about
 * that frame (the relay joins the two), and with the frame when it finally goes.
 */
describe('InterceptQueues: send stacks', () => {
  const stack: TakenStack = { rawStack: 'Error\n    at takeStack (chrome-extension://x/hook.js:1:1)\n    at sendOrder (http://h/app.js:8:6)' };

  it('posts the stack right before the hold, and records the forwarded frame with it', () => {
    const s = setup([rule({})]);
    expect(s.queues.outgoing(s.t, s.ws, 'secret', stack)).toBe(true);
    expect(s.log).toEqual(['sendStack', 'held sent secret #1 by r1']);
    expect(s.recorded).toEqual([]);
    s.queues.release(s.t, s.ws, 1, true);
    expect(s.log.slice(2)).toEqual(['released #1 forwarded', 'wire secret']);
    expect(s.recorded).toEqual([{ data: 'secret', origin: undefined, stack }]);
    expect(s.recorded[0]!.stack).toBe(stack);
  });

  it('records a held frame the panel edited with its stack too', () => {
    const s = setup([rule({})]);
    s.queues.outgoing(s.t, s.ws, 'secret', stack);
    s.queues.release(s.t, s.ws, 1, true, 'edited');
    expect(s.recorded).toEqual([{ data: 'edited', origin: 'modified', stack }]);
  });

  it('posts each frame\'s own stack before its own event: a frame queued behind a held one', () => {
    const s = setup([rule({})]);
    const later: TakenStack = { stackNote: 'stack not recorded: the page made Error.prepareStackTrace an accessor' };
    s.queues.outgoing(s.t, s.ws, 'secret', stack);
    s.queues.outgoing(s.t, s.ws, 'after', later);
    expect(s.log).toEqual(['sendStack', 'held sent secret #1 by r1', 'sendStack', 'queued sent after #2']);
    s.queues.release(s.t, s.ws, 1, true);
    expect(s.recorded.map((r) => [r.data, r.stack])).toEqual([['secret', stack], ['after', later]]);
  });

  it.each([
    ['drop', { type: 'drop' }, 'dropped sent secret by r1'],
    ['delay', { type: 'delay', ms: 1 }, 'delayed sent secret by r1'],
    ['respond without forwarding', { type: 'respond', replies: ['ok'], delayMs: 1, forward: false, on: 'frame' }, 'answered sent secret by r1'],
  ] as [string, InterceptRule['action'], string][])('posts the stack right before what a %s rule did with the frame', (_name, action, event) => {
    const s = setup([rule({ direction: 'sent', action })]);
    s.queues.outgoing(s.t, s.ws, 'secret', stack);
    expect(s.log).toEqual(['sendStack', event]);
  });

  it('records a delayed frame with its stack when its time comes', async () => {
    const s = setup([rule({ action: { type: 'delay', ms: 1 } })]);
    s.queues.outgoing(s.t, s.ws, 'secret', stack);
    await vi.waitFor(() => expect(s.recorded).toEqual([{ data: 'secret', origin: undefined, stack }]));
  });

  it('a frame a rule rewrote goes at once, recorded with its stack (no event of its own to carry it)', () => {
    const s = setup([rule({ action: { type: 'modify', find: 'secret', replace: 'public' } })]);
    expect(s.queues.outgoing(s.t, s.ws, 'secret', stack)).toBe(true);
    expect(s.log).toEqual(['wire public']);
    expect(s.recorded).toEqual([{ data: 'public', origin: 'modified', stack }]);
  });

  it('without a stack (send stacks off) posts nothing extra, and records the frame without one', () => {
    const s = setup([rule({})]);
    s.queues.outgoing(s.t, s.ws, 'secret');
    s.queues.outgoing(s.t, s.ws, 'after');
    expect(s.log).toEqual(['held sent secret #1 by r1', 'queued sent after #2']);
    s.queues.release(s.t, s.ws, 1, true);
    expect(s.log).not.toContain('sendStack');
    expect(s.recorded).toEqual([{ data: 'secret', origin: undefined, stack: undefined }, { data: 'after', origin: undefined, stack: undefined }]);
  });
});
