/**
 * A site's tabs must share one SharedWorker instance, as they do without Sockscope: a wrong answer
 * here splits the page's shared state across instances, or hides sockets from the panel.
 */
import { describe, expect, it } from 'vitest';
import { NATIVE_ELSEWHERE, decide } from '../../src/background/shared-decision';
import type { SharedAnswer, SharedHeld } from '../../src/protocol/messages';

/** What the document that got `answer` holds afterwards, as it tells the router when asked. */
const heldAfter = (answer: SharedAnswer): SharedHeld =>
  answer.mode === 'wrapped' ? { mode: 'wrapped', wrapper: answer.wrapper } : { mode: 'native' };

describe('decide', () => {
  it('nothing held, with a wrapper: the asker starts the instance with its own wrapper', () => {
    expect(decide(null, 'blob:https://a.test/own')).toStrictEqual({ mode: 'wrapped', wrapper: 'blob:https://a.test/own' });
  });

  it('nothing held, without a wrapper: native, with no reason of the router and no split', () => {
    expect(decide(null, null)).toStrictEqual({ mode: 'native', reason: '' });
  });

  it('held wrapped, with a wrapper: joins the wrapper already held, not its own', () => {
    const answer = decide({ mode: 'wrapped', wrapper: 'blob:https://a.test/first' }, 'blob:https://a.test/mine');
    expect(answer).toStrictEqual({ mode: 'wrapped', wrapper: 'blob:https://a.test/first' });
  });

  it('held wrapped, without a wrapper: must run its own native instance, reported as a split', () => {
    expect(decide({ mode: 'wrapped', wrapper: 'blob:https://a.test/first' }, null)).toStrictEqual({ mode: 'native', reason: '', split: true });
  });

  it('held native, with a wrapper: joins the native instance and says why it is not captured', () => {
    const answer = decide({ mode: 'native' }, 'blob:https://a.test/mine');
    expect(answer).toStrictEqual({ mode: 'native', reason: NATIVE_ELSEWHERE });
    expect(NATIVE_ELSEWHERE.length).toBeGreaterThan(0);
  });

  it('held native, without a wrapper: native with no reason of the router and no split (it is the same instance)', () => {
    expect(decide({ mode: 'native' }, null)).toStrictEqual({ mode: 'native', reason: '' });
  });

  it('three documents asking in turn all end up on the first document\'s wrapper', () => {
    let held: SharedHeld | null = null;
    const answers: SharedAnswer[] = [];
    for (const own of ['blob:https://a.test/1', 'blob:https://a.test/2', 'blob:https://a.test/3']) {
      const answer = decide(held, own);
      answers.push(answer);
      held = heldAfter(answer);
    }
    expect(answers).toStrictEqual([
      { mode: 'wrapped', wrapper: 'blob:https://a.test/1' },
      { mode: 'wrapped', wrapper: 'blob:https://a.test/1' },
      { mode: 'wrapped', wrapper: 'blob:https://a.test/1' },
    ]);
  });

  it('once the first document runs it natively, later documents with wrappers join that native instance', () => {
    let held: SharedHeld | null = null;
    const answers: SharedAnswer[] = [];
    for (const own of [null, 'blob:https://a.test/2', 'blob:https://a.test/3']) {
      const answer = decide(held, own);
      answers.push(answer);
      held = heldAfter(answer);
    }
    expect(answers).toStrictEqual([
      { mode: 'native', reason: '' },
      { mode: 'native', reason: NATIVE_ELSEWHERE },
      { mode: 'native', reason: NATIVE_ELSEWHERE },
    ]);
  });
});
