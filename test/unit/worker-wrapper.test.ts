/**
 * The blob: scripts a captured worker starts from. They are source text built by concatenation,
 * so the tests run what they build: a URL must arrive at importScripts exactly as given (never
 * break out of its string), and `loadLine` must be the line the engine reports for a failed load,
 * or a script that does not load would reach the page as the wrong kind of error.
 */
import { describe, expect, it } from 'vitest';
import { classicWrapper, moduleHook, moduleWrapper, wrappable, type WorkerConfig } from '../../src/page/worker-wrapper';

const stringify = JSON.stringify; // what the page hook passes (its saved native copy)
const classic = (url: string): WorkerConfig => ({ url, type: 'classic' });

/** Runs a classic wrapper with a fake importScripts; returns what it loaded and what the hook saw. */
function runClassic(source: string) {
  const loaded: unknown[] = [];
  const seen: unknown[] = [];
  // Appended after the wrapper's block: were its consts to escape the block, this would see them.
  const leaked = new Function('importScripts', 'seen', `${source}\nreturn typeof SOCKSCOPE_WORKER + ' ' + typeof SOCKSCOPE_IMPORT;`)(
    (u: unknown) => { loaded.push(u); }, seen,
  ) as string;
  return { loaded, seen, leaked };
}

/** The 1-based line the engine (V8) reports for a throw from the wrapper's load call. */
function engineLoadLine(source: string): number {
  const g = globalThis as { importScripts?: unknown; seen?: unknown };
  g.importScripts = () => { throw new Error('load failed'); };
  g.seen = [];
  try {
    (0, eval)(`${source}//# sourceURL=wrapper.js`);
  } catch (e) {
    const m = /wrapper\.js:(\d+):\d+/.exec((e as Error).stack ?? '');
    if ((e as Error).message === 'load failed' && m) return Number(m[1]);
    throw e;
  } finally {
    delete g.importScripts;
    delete g.seen;
  }
  throw new Error('the wrapper did not call importScripts');
}

const lineOf = (source: string, needle: string) => source.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('classicWrapper', () => {
  it('is a block: config and saved importScripts, the hook, then the load on its own line', () => {
    const url = 'https://a.test/w.js';
    expect(classicWrapper('HOOK', classic(url), stringify)).toBe(
      `{const SOCKSCOPE_WORKER=${stringify({ url, type: 'classic', loadLine: 3 })};const SOCKSCOPE_IMPORT=importScripts;\n` +
      `HOOK\nSOCKSCOPE_IMPORT("https://a.test/w.js");}\n`,
    );
  });

  const hooks: [string, string][] = [
    ['one line, no trailing newline', 'seen.push(SOCKSCOPE_WORKER);'],
    ['one line, trailing newline', 'seen.push(SOCKSCOPE_WORKER);\n'],
    ['several lines', '(function () {\n  "use strict";\n  seen.push(SOCKSCOPE_WORKER);\n})();'],
    ['several lines, blank lines and trailing newlines', '\n\nseen.push(SOCKSCOPE_WORKER);\n\n\n'],
  ];

  it.each(hooks)('loadLine is the line of the load call, for a hook of %s', (_, hook) => {
    const config = classic('https://a.test/dir/w.js');
    const source = classicWrapper(hook, config, stringify);
    const { seen, loaded } = runClassic(source);
    const loadLine = lineOf(source, 'SOCKSCOPE_IMPORT(');
    expect(seen).toEqual([{ ...config, loadLine }]);
    expect(engineLoadLine(source)).toBe(loadLine);
    expect(loaded).toEqual([config.url]);
    expect(config.loadLine).toBeUndefined(); // the caller's config is not changed
  });

  it('loadLine holds for a URL with U+2028 in it, as the page hook passes it (resolved, so percent-encoded)', () => {
    // V8 counts a raw U+2028 inside a string literal as a line break; URL.href never has one.
    const href = new URL('w\u2028.js#a\u2029b', 'https://a.test/').href;
    const source = classicWrapper('seen.push(1);', classic(href), stringify);
    expect(engineLoadLine(source)).toBe(lineOf(source, 'SOCKSCOPE_IMPORT('));
  });

  const nasty = [
    'https://a.test/w.js?q="x"&r=\'y\'',
    'https://a.test/a\\b\\\\c.js',
    'https://a.test/</script><script>alert(1)</script>.js',
    'https://a.test/w\u2028x\u2029.js',
    'https://a.test/");SOCKSCOPE_IMPORT("https://evil.test/',
    'https://a.test/`${globalThis.x}`/\n\r\t.js',
  ];

  it.each(nasty)('embeds %j so that exactly it is loaded', (url) => {
    const { loaded, seen, leaked } = runClassic(classicWrapper('seen.push(SOCKSCOPE_WORKER.url);', classic(url), stringify));
    expect(loaded).toEqual([url]);
    expect(seen).toEqual([url]);
    expect(leaked).toBe('undefined undefined');
  });

  it('loads through the importScripts saved before the hook runs, even if the hook replaces it', () => {
    const { loaded } = runClassic(classicWrapper('importScripts = () => { throw new Error("patched"); };', classic('https://a.test/w.js'), stringify));
    expect(loaded).toEqual(['https://a.test/w.js']);
  });

  it('declares no global when run as a script', () => {
    const g = globalThis as { importScripts?: unknown };
    g.importScripts = () => {};
    try {
      (0, eval)(classicWrapper('', classic('https://a.test/w.js'), stringify));
      expect((0, eval)('typeof SOCKSCOPE_WORKER + " " + typeof SOCKSCOPE_IMPORT')).toBe('undefined undefined');
    } finally {
      delete g.importScripts;
    }
  });
});

describe('moduleHook and moduleWrapper', () => {
  it('moduleHook defines the config, then runs the hook', () => {
    const config: WorkerConfig = { url: 'https://a.test/m.js', type: 'module' };
    expect(moduleHook('HOOK', config, stringify)).toBe(`const SOCKSCOPE_WORKER=${stringify(config)};\nHOOK\n`);
  });

  it('imports the hook first, then the worker, each a static import of a quoted specifier', () => {
    const hookUrl = 'blob:https://a.test/1111';
    const url = 'https://a.test/m.js?q="x"\n";import "https://evil.test/x.js';
    const lines = moduleWrapper(hookUrl, url, stringify).split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a newline
    const specifiers = lines.slice(0, -1).map((l) => {
      const m = /^import ("(?:[^"\\]|\\.)*");$/.exec(l);
      expect(m, l).not.toBeNull();
      return JSON.parse(m![1]!) as string;
    });
    expect(specifiers).toEqual([hookUrl, url]);
  });
});

describe('wrappable', () => {
  const origin = 'https://app.test';
  const cases: [string, boolean][] = [
    ['https://app.test/w.js', true],
    ['https://app.test:443/dir/w.js?x#y', true],
    ['blob:https://app.test/0b7e0c4e-1f4a-4c39-9d2e-1d0f8a6b3c21', true],
    ['http://app.test/w.js', false], // another scheme is another origin
    ['https://app.test:8443/w.js', false],
    ['https://cdn.app.test/w.js', false],
    ['https://other.test/w.js', false],
    ['blob:https://other.test/0b7e0c4e-1f4a-4c39-9d2e-1d0f8a6b3c21', false],
    ['data:text/javascript,postMessage(1)', false],
    ['about:blank', false],
    ['file:///home/u/w.js', false],
    ['javascript:void 0', false],
  ];

  it.each(cases)('%s → %s', (url, expected) => {
    expect(wrappable(new URL(url), origin)).toBe(expected);
  });

  it('compares with the document origin it is given (http, default port)', () => {
    expect(wrappable(new URL('http://localhost:80/w.js'), 'http://localhost')).toBe(true);
    expect(wrappable(new URL('http://localhost:8080/w.js'), 'http://localhost')).toBe(false);
  });
});
