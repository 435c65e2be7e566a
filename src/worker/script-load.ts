/**
 * A classic worker whose script fails to load: natively the Worker gets a plain `error` Event and
 * no worker code ever runs. In the wrapper the load is an importScripts call, whose failure would
 * reach the page as an uncaught "NetworkError" ErrorEvent instead. So the hook catches that one
 * error before anything in the worker sees it (it is a NetworkError thrown on the wrapper's own
 * load line: a failure inside the script is thrown elsewhere), and asks the page hook to fire the
 * native-looking event (`onFailed`: a dedicated worker posts to its page; a SharedWorker tells each
 * document that connects).
 */
import { natives } from '../page/natives';

const getter = (o: object, name: string) => natives.getOwnPropertyDescriptor(o, name)?.get as (this: unknown) => unknown;

export function watchScriptLoad(scope: typeof globalThis, loadLine: number, onFailed: () => void): void {
  // Read before the location is masked: the wrapper's own blob: URL.
  const wrapperUrl = scope.location.href;
  const filename = getter(ErrorEvent.prototype, 'filename');
  const errorOf = getter(ErrorEvent.prototype, 'error');
  const nameOf = getter(DOMException.prototype, 'name');
  const linenoOf = getter(ErrorEvent.prototype, 'lineno');
  const preventDefault = Event.prototype.preventDefault;
  let settled = false;
  natives.apply(natives.addEventListener, scope, ['error', (e: ErrorEvent) => {
    if (settled) return;
    try {
      if (natives.apply(filename, e, []) !== wrapperUrl || natives.apply(linenoOf, e, []) !== loadLine) return;
      const err = natives.apply(errorOf, e, []);
      if (natives.apply(nameOf, err, []) !== 'NetworkError') return;
    } catch { return; }
    settled = true;
    natives.apply(preventDefault, e, []);
    natives.apply(natives.stopImmediatePropagation, e, []);
    onFailed();
    // Capturing: at the target, the worker's own capturing listeners would otherwise see it first.
  }, true]);
}
