/**
 * The blob: scripts a wrapped worker starts from. The hook runs first, then the worker's own
 * script, loaded from its real URL: so the script, its relative imports (a module's are relative
 * to its own URL) and its errors (named by its own URL) are the ones native would run and report.
 *
 * - classic: one script, `{ hook; importScripts(url) }`. The block keeps SOCKSCOPE_WORKER out of
 *   the worker's global scope. The load goes through the native importScripts taken before the
 *   hook patches it, on a line of its own: so a failure to load the script itself is told apart
 *   from a failure inside it by where it was thrown (see src/worker/script-load.ts).
 * - module: a hook module, then `import hook; import url;`. Static imports evaluate in order, so
 *   the hook runs before the worker's module, and early messages reach the worker's listeners as
 *   native (a dynamic import would let them arrive first).
 */
export interface WorkerConfig {
  url: string;
  type: 'classic' | 'module';
  /** A SharedWorker's hook serves every document connected to the instance (src/worker/shared-channel.ts). */
  kind?: 'shared';
  /** Classic only: the wrapper's line that loads the script. */
  loadLine?: number;
}

type Stringify = (v: unknown) => string;

export function classicWrapper(hookSource: string, config: WorkerConfig, stringify: Stringify): string {
  // Every line terminator JavaScript counts, so the number matches the engine's.
  const loadLine = hookSource.split(/\r\n|[\n\r\u2028\u2029]/).length + 2;
  return `{const SOCKSCOPE_WORKER=${stringify({ ...config, loadLine })};const SOCKSCOPE_IMPORT=importScripts;\n${hookSource}\n` +
    `SOCKSCOPE_IMPORT(${stringify(config.url)});}\n`;
}

export function moduleHook(hookSource: string, config: WorkerConfig, stringify: Stringify): string {
  return `const SOCKSCOPE_WORKER=${stringify(config)};\n${hookSource}\n`;
}

export function moduleWrapper(hookUrl: string, url: string, stringify: Stringify): string {
  return `import ${stringify(hookUrl)};\nimport ${stringify(url)};\n`;
}

/**
 * Whether a worker URL can be wrapped: the wrapper is a same-origin blob:, so only a script the
 * document could start natively under its own origin (http(s) or blob: of that origin). Anything
 * else (data:, which runs in an opaque origin, or a cross-origin URL, which native refuses) is
 * left to the native constructor, which gives the page exactly its usual outcome.
 */
export function wrappable(url: URL, documentOrigin: string): boolean {
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin === documentOrigin;
  if (url.protocol === 'blob:') return url.origin === documentOrigin;
  return false;
}
