/**
 * JavaScript stacks: who opened a socket (and, when asked, who sent a frame).
 *
 * The page hook takes the engine's stack text (see src/page/stack-capture.ts) and passes it on as
 * it is: parsing there would call String and RegExp methods a page can replace. The relay, in its
 * own isolated world, parses it here. Pure, for both engines' formats:
 * - V8:           `    at connectFeed (http://host/app.js:42:14)`, `    at http://host/app.js:5:1`,
 *                 `    at eval (eval at run (http://host/app.js:3:5), <anonymous>:1:1)`
 * - SpiderMonkey: `connectFeed@http://host/app.js:42:14`, `@http://host/app.js:5:1`,
 *                 `run@http://host/app.js line 3 > eval:1:1`
 *
 * The first frame is always the hook's own (the function that took the stack), so every frame
 * from that frame's script (the extension's hook script, or a worker's blob: wrapper, which holds
 * the worker hook) is the extension's and is removed, wherever it sits.
 */

/** One frame. `line` and `col` are 1-based; 0 when the engine gave none (native code). `url` is '' then too. */
export interface StackFrame {
  fn: string;
  url: string;
  line: number;
  col: number;
}

/**
 * Who did something: the JavaScript stack at the call (`new WebSocket(…)`, or `send()` while the
 * panel records send stacks), innermost first, without the extension's frames; or, where none
 * could be taken safely, an empty stack and the reason in `note`.
 */
export interface Initiator {
  stack: StackFrame[];
  note?: string;
}

/** At most this many of the page's frames are kept, innermost first. */
export const STACK_MAX_FRAMES = 20;
/** A frame's function name and URL are cut to these lengths (a data: URL can be megabytes). */
export const STACK_MAX_FN = 200;
export const STACK_MAX_URL = 2048;
/** The stack text the hook passes on is cut to this many characters. */
export const RAW_STACK_MAX_CHARS = 64 * 1024;
/** A note saying why no stack was recorded is cut to this. */
export const STACK_NOTE_MAX = 300;

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

const LOC = /^(.*):(\d+):(\d+)$/;

function location(loc: string): Omit<StackFrame, 'fn'> {
  const m = LOC.exec(loc);
  if (m) return { url: m[1]!, line: Number(m[2]), col: Number(m[3]) };
  return { url: '', line: 0, col: 0 };
}

/** V8: `at fn (loc)`, `at loc`, or an eval frame, whose place is where eval was called. */
function v8Frame(rest: string): StackFrame {
  const open = rest.indexOf(' (');
  if (open < 0 || !rest.endsWith(')')) {
    // `at http://host/app.js:5:1`, or `at <anonymous>` / `at native`.
    return { fn: '', ...location(rest) };
  }
  const fn = rest.slice(0, open);
  const loc = rest.slice(open + 2, -1);
  if (loc.startsWith('eval at ')) {
    // `eval at run (http://host/app.js:3:5), <anonymous>:1:1`: the innermost script location.
    const m = /\(([^()]*):(\d+):(\d+)\)/.exec(loc);
    return m ? { fn, url: m[1]!, line: Number(m[2]), col: Number(m[3]) } : { fn, url: '', line: 0, col: 0 };
  }
  return { fn, ...location(loc) };
}

/** SpiderMonkey: `fn@loc`; an eval'd or `new Function` frame: `fn@url line N > eval:l:c`. */
function smFrame(line: string): StackFrame {
  const at = line.indexOf('@');
  const fn = line.slice(0, at);
  const loc = line.slice(at + 1);
  const evalAt = / line (\d+) > (?:eval|Function)/.exec(loc);
  if (evalAt) return { fn: fn || 'eval', url: loc.slice(0, evalAt.index), line: Number(evalAt[1]), col: 0 };
  return { fn, ...location(loc) };
}

/** Parses either engine's stack text; the hook's own frames removed, capped. */
export function parseStack(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('at ')) frames.push(v8Frame(line.slice(3)));
    else if (line.includes('@')) frames.push(smFrame(line));
    // Anything else (V8's first line, `Error`; an empty line) is no frame.
  }
  const ours = frames[0]?.url;
  const page = ours ? frames.filter((f) => f.url !== ours) : frames;
  return page.slice(0, STACK_MAX_FRAMES).map((f) => ({ fn: cut(f.fn, STACK_MAX_FN), url: cut(f.url, STACK_MAX_URL), line: f.line, col: f.col }));
}

/** The last path segment of a URL (`app.js`), or the URL itself when it has none. */
export function scriptName(url: string): string {
  const noQuery = url.replace(/[?#].*$/, '');
  const slash = noQuery.lastIndexOf('/');
  const name = slash >= 0 ? noQuery.slice(slash + 1) : noQuery;
  return name || url;
}

/** `connectFeed app.js:42`, the way DevTools' Initiator column reads. */
export function frameLabel(f: StackFrame): string {
  const where = f.url ? `${scriptName(f.url)}${f.line ? `:${f.line}` : ''}` : '(native)';
  return f.fn ? `${f.fn} ${where}` : where;
}

/**
 * The stack the hook took (its engine text), or the hook's reason for taking none, as an
 * Initiator. Never throws: at worst it says why there is no stack.
 */
export function initiatorOf(taken: { rawStack?: string; stackNote?: string }, noPageNote = 'no page script on the stack (the extension itself, or native code)'): Initiator {
  if (taken.rawStack === undefined) return { stack: [], note: cut(taken.stackNote ?? 'stack not recorded', STACK_NOTE_MAX) };
  try {
    const stack = parseStack(taken.rawStack);
    return stack.length > 0 ? { stack } : { stack, note: noPageNote };
  } catch {
    return { stack: [], note: 'stack not recorded: its text could not be read' };
  }
}

/** What a stack weighs against a buffer's cap, in characters (as payloads are counted). */
export function initiatorUnits(i: Initiator): number {
  let n = i.note?.length ?? 0;
  for (const f of i.stack) n += f.fn.length + f.url.length + 16;
  return n;
}

export function isStackFrame(x: unknown): x is StackFrame {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as Record<string, unknown>;
  return typeof f.fn === 'string' && f.fn.length <= STACK_MAX_FN && typeof f.url === 'string' && f.url.length <= STACK_MAX_URL &&
    Number.isSafeInteger(f.line) && (f.line as number) >= 0 && Number.isSafeInteger(f.col) && (f.col as number) >= 0;
}

export const isStack = (x: unknown): x is StackFrame[] => Array.isArray(x) && x.length <= STACK_MAX_FRAMES && x.every(isStackFrame);

export function isInitiator(x: unknown): x is Initiator {
  if (typeof x !== 'object' || x === null) return false;
  const i = x as Record<string, unknown>;
  return isStack(i.stack) && (i.note === undefined || (typeof i.note === 'string' && i.note.length <= STACK_NOTE_MAX));
}
