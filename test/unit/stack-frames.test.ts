import { describe, expect, test } from 'vitest';
import { frameLabel, parseStack, STACK_MAX_FRAMES, STACK_MAX_URL } from '../../src/protocol/stack-frames';
import { isHookEvent, isWireEvent } from '../../src/protocol/guards';

const HOOK = 'chrome-extension://abcdefghijklmnop/assets/hook.iife.js';

describe('parseStack: V8', () => {
  const v8 = [
    'Error',
    `    at takeStack (${HOOK}:1:2301)`,
    `    at Object.construct (${HOOK}:1:9120)`,
    '    at connectFeed (http://127.0.0.1:8080/app.js:42:14)',
    '    at new Feed (http://127.0.0.1:8080/app.js:60:5)',
    '    at async start (http://127.0.0.1:8080/app.js:70:3)',
    '    at eval (eval at run (http://127.0.0.1:8080/app.js:3:5), <anonymous>:1:1)',
    '    at Array.forEach (<anonymous>)',
    '    at http://127.0.0.1:8080/app.js:80:1',
  ].join('\n');

  test('frames, with the hook\'s own removed', () => {
    expect(parseStack(v8)).toEqual([
      { fn: 'connectFeed', url: 'http://127.0.0.1:8080/app.js', line: 42, col: 14 },
      { fn: 'new Feed', url: 'http://127.0.0.1:8080/app.js', line: 60, col: 5 },
      { fn: 'async start', url: 'http://127.0.0.1:8080/app.js', line: 70, col: 3 },
      { fn: 'eval', url: 'http://127.0.0.1:8080/app.js', line: 3, col: 5 },
      { fn: 'Array.forEach', url: '', line: 0, col: 0 },
      { fn: '', url: 'http://127.0.0.1:8080/app.js', line: 80, col: 1 },
    ]);
  });

  test('a worker hook\'s frames (its blob: wrapper) are removed wherever they sit', () => {
    const blob = 'blob:http://127.0.0.1:8080/0b6c1f1e-1111-2222-3333-444455556666';
    const s = ['Error', `    at takeStack (${blob}:3:100)`, `    at Object.construct (${blob}:3:900)`,
      '    at openSocket (http://127.0.0.1:8080/worker.js:4:3)', `    at ${blob}:9:1`].join('\n');
    expect(parseStack(s)).toEqual([{ fn: 'openSocket', url: 'http://127.0.0.1:8080/worker.js', line: 4, col: 3 }]);
  });

  test('ports in URLs and colons in paths stay in the URL', () => {
    expect(parseStack(`Error\n    at a (${HOOK}:1:1)\n    at f (http://h:81/a:b.js:10:2)`)).toEqual([{ fn: 'f', url: 'http://h:81/a:b.js', line: 10, col: 2 }]);
  });
});

describe('parseStack: SpiderMonkey', () => {
  const moz = 'moz-extension://8e4a7c2e-0000-4000-8000-000000000000/assets/hook.iife.js';
  const sm = [
    `takeStack@${moz}:1:2301`,
    `construct@${moz}:1:9120`,
    'connectFeed@http://127.0.0.1:8080/app.js:42:14',
    'Feed@http://127.0.0.1:8080/app.js:60:5',
    'run@http://127.0.0.1:8080/app.js line 3 > eval:1:1',
    '@http://127.0.0.1:8080/app.js line 9 > Function:2:7',
    'async*start@http://127.0.0.1:8080/app.js:70:3',
    '@http://127.0.0.1:8080/app.js:80:1',
    '',
  ].join('\n');

  test('frames, eval and anonymous ones, with the hook\'s own removed', () => {
    expect(parseStack(sm)).toEqual([
      { fn: 'connectFeed', url: 'http://127.0.0.1:8080/app.js', line: 42, col: 14 },
      { fn: 'Feed', url: 'http://127.0.0.1:8080/app.js', line: 60, col: 5 },
      { fn: 'run', url: 'http://127.0.0.1:8080/app.js', line: 3, col: 0 },
      { fn: 'eval', url: 'http://127.0.0.1:8080/app.js', line: 9, col: 0 },
      { fn: 'async*start', url: 'http://127.0.0.1:8080/app.js', line: 70, col: 3 },
      { fn: '', url: 'http://127.0.0.1:8080/app.js', line: 80, col: 1 },
    ]);
  });
});

describe('caps and labels', () => {
  test('at most STACK_MAX_FRAMES frames; long URLs and names cut', () => {
    const lines = ['Error', `    at takeStack (${HOOK}:1:1)`];
    for (let i = 0; i < 50; i++) lines.push(`    at ${'f'.repeat(500)} (http://h/${'x'.repeat(5000)}.js:${i + 1}:1)`);
    const out = parseStack(lines.join('\n'));
    expect(out).toHaveLength(STACK_MAX_FRAMES);
    expect(out[0]!.url.length).toBe(STACK_MAX_URL);
    expect(out[0]!.fn.length).toBe(200);
  });

  test('only the hook on the stack: no frames', () => {
    expect(parseStack(`Error\n    at takeStack (${HOOK}:1:1)\n    at Object.construct (${HOOK}:1:2)`)).toEqual([]);
  });

  test('labels read as DevTools\' Initiator column does', () => {
    expect(frameLabel({ fn: 'connectFeed', url: 'http://h/js/app.js?v=3', line: 42, col: 14 })).toBe('connectFeed app.js:42');
    expect(frameLabel({ fn: '', url: 'http://h/app.js', line: 5, col: 1 })).toBe('app.js:5');
    expect(frameLabel({ fn: 'Array.forEach', url: '', line: 0, col: 0 })).toBe('Array.forEach (native)');
  });
});

describe('guards', () => {
  const create = { k: 'create', sock: 1, at: 1, url: 'ws://h/', protocols: [] };
  test('the hook passes stack text or a note, never frames', () => {
    expect(isHookEvent({ ...create, rawStack: 'Error\n    at x (u:1:1)' })).toBe(true);
    expect(isHookEvent({ ...create, stackNote: 'stack not recorded: why' })).toBe(true);
    expect(isHookEvent({ ...create, stack: [] })).toBe(false);
    expect(isHookEvent({ ...create, rawStack: 5 })).toBe(false);
  });
  test('wire create events carry checked frames', () => {
    const w = { ...create, seq: 1 };
    expect(isWireEvent({ ...w, stack: [{ fn: 'f', url: 'http://h/a.js', line: 1, col: 2 }] })).toBe(true);
    expect(isWireEvent(w)).toBe(true);
    expect(isWireEvent({ ...w, stack: [{ fn: 'f', url: 'http://h/a.js', line: -1, col: 2 }] })).toBe(false);
    expect(isWireEvent({ ...w, stack: 'x' })).toBe(false);
    expect(isWireEvent({ ...w, rawStack: 'x' })).toBe(false);
  });
});
