import { afterEach, describe, expect, test } from 'vitest';
import { listenerList } from '../../src/page/listener-list';

describe('listenerList: the hook\'s listeners for rules and options', () => {
  const push = Array.prototype.push;
  const iterator = Array.prototype[Symbol.iterator];
  afterEach(() => {
    Array.prototype.push = push;
    Array.prototype[Symbol.iterator] = iterator;
  });

  test('calls every listener in the order added, with the value', () => {
    const list = listenerList<number>();
    const seen: string[] = [];
    list.add((v) => seen.push(`a${v}`));
    list.add((v) => seen.push(`b${v}`));
    list.call(1);
    list.call(2);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  test('a listener that throws does not stop the others, and nothing is thrown to the caller', () => {
    const list = listenerList<string>();
    const seen: string[] = [];
    list.add(() => { throw new Error('bad rule'); });
    list.add((v) => seen.push(v));
    expect(() => list.call('rules')).not.toThrow();
    expect(seen).toEqual(['rules']);
  });

  test('works when the page has replaced Array.prototype.push and the array iterator', () => {
    const list = listenerList<number>();
    const seen: number[] = [];
    let pageCode = 0;
    Array.prototype.push = function () { pageCode++; return 0; };
    Array.prototype[Symbol.iterator] = function () { pageCode++; return iterator.call(this); };
    list.add((v) => { seen[seen.length] = v; });
    list.add((v) => { seen[seen.length] = v * 10; });
    list.call(3);
    Array.prototype.push = push;
    Array.prototype[Symbol.iterator] = iterator;
    expect(seen).toEqual([3, 30]);
    expect(pageCode).toBe(0);
  });
});
