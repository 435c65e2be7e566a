/**
 * The hook's listeners for what the panel sends down (rules, options), shared by the page's
 * channel and the workers'. Added and called by index, because the page or worker may have
 * replaced Array.prototype's push or iterator; a listener that throws never reaches the page.
 */
export interface ListenerList<T> {
  add(listener: (value: T) => void): void;
  call(value: T): void;
}

export function listenerList<T>(): ListenerList<T> {
  const listeners: ((value: T) => void)[] = [];
  return {
    add(listener) { listeners[listeners.length] = listener; },
    call(value) {
      for (let i = 0; i < listeners.length; i++) {
        try { listeners[i]!(value); } catch { /* a bad rule or option never breaks the page */ }
      }
    },
  };
}
