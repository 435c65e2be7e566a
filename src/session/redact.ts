/**
 * Removes secrets from a session file before it is shared: values of well-known secret keys in
 * URL query strings (and `#a=b&c=d` fragments), in JSON text frames at any depth, and in text
 * frames that are `key=value&…` forms, and the handshake's cookie and authorization header values
 * (src/session/handshake.ts). Binary frames are left as they are. Pure; never mutates.
 */
import { utf8ByteLength } from '../protocol/bytes';
import type { SessionFileV1, SessionFrame, SessionRedaction } from './session-format';
import { redactHandshake } from './handshake';

export const DEFAULT_REDACT_KEYS = [
  'token', 'access_token', 'refresh_token', 'id_token', 'authorization', 'password', 'passwd', 'secret',
  'cookie', 'set-cookie', 'api_key', 'apikey', 'session', 'sessionid',
] as const;

export const REDACTED = '[redacted]';

export type RedactedSession = SessionFileV1 & { redacted: SessionRedaction };

interface Counter { n: number }

export function redactSession(s: SessionFileV1, keys: readonly string[] = DEFAULT_REDACT_KEYS): RedactedSession {
  const names = new Set(keys.map((k) => k.toLowerCase()));
  const counter: Counter = { n: 0 };
  const url = (u: string) => redactUrl(u, names, counter);
  return {
    ...s,
    page: { ...s.page, url: url(s.page.url) },
    connections: s.connections.map((c) => ({
      ...c,
      url: url(c.url),
      frameUrl: url(c.frameUrl),
      requestedProtocols: [...c.requestedProtocols],
      states: c.states.map((st) => ({ ...st })),
      close: c.close ? { ...c.close } : null,
      errors: [...c.errors],
      ...(c.worker && { worker: { ...c.worker, url: url(c.worker.url) } }),
      // Cookie, Set-Cookie, Authorization and Proxy-Authorization always; other headers by key.
      ...(c.handshake && { handshake: redactHandshake(c.handshake, names, REDACTED, () => { counter.n++; }) }),
    })),
    ...(s.notices && { notices: s.notices.map((n) => ({ ...n, frameUrl: url(n.frameUrl), worker: { ...n.worker, url: url(n.worker.url) } })) }),
    frames: s.frames.map((f) => redactFrame(f, names, counter)),
    ...(s.dispatched && { dispatched: s.dispatched.map((d) => redactFrame(d, names, counter)) }),
    dropped: { ...s.dropped },
    redacted: { keys: [...keys], count: counter.n },
  };
}

/** A frame's text, or a page-dispatched message's: the same masking. */
function redactFrame<F extends { type?: SessionFrame['type']; text?: string; size?: number; truncated?: true }>(f: F, names: ReadonlySet<string>, counter: Counter): F {
  if (f.type !== 'text' || f.text === undefined) return { ...f };
  const before = counter.n;
  const text = redactJsonText(f.text, names, counter) ?? redactFormText(f.text, names, counter) ?? f.text;
  if (counter.n === before) return { ...f };
  // A cut text's size is the whole payload's, which masking the kept start does not tell.
  return f.truncated ? { ...f, text } : { ...f, text, size: utf8ByteLength(text) };
}

/** Replaces the value part of matching `name=value` pairs in an `&`-separated string. */
function redactPairs(pairs: string, names: ReadonlySet<string>, counter: Counter): string {
  return pairs.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0 || !names.has(decodeName(pair.slice(0, eq)).toLowerCase())) return pair;
    // Already masked (a redacted file exported again): the count is of values this pass masked.
    if (pair.slice(eq + 1) === REDACTED) return pair;
    counter.n++;
    return pair.slice(0, eq + 1) + REDACTED;
  }).join('&');
}

function decodeName(raw: string): string {
  try { return decodeURIComponent(raw.replace(/\+/g, ' ')); } catch { return raw; }
}

/** The URL with only the values of matching query (and fragment) parameters replaced; unparseable URLs as they are. */
function redactUrl(url: string, names: ReadonlySet<string>, counter: Counter): string {
  try { new URL(url); } catch { return url; }
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  let fragment = hash < 0 ? '' : url.slice(hash);
  const q = beforeHash.indexOf('?');
  const head = q < 0 ? beforeHash : beforeHash.slice(0, q + 1);
  const query = q < 0 ? '' : redactPairs(beforeHash.slice(q + 1), names, counter);
  // OAuth implicit flow puts tokens in the fragment (`#access_token=…&…`).
  if (fragment.includes('=')) fragment = '#' + redactPairs(fragment.slice(1), names, counter);
  return head + query + fragment;
}

const FORM = /^[^\s=&]+=[^\s&]*(?:&[^\s=&]+(?:=[^\s&]*)?)*$/;

function redactFormText(text: string, names: ReadonlySet<string>, counter: Counter): string | undefined {
  return FORM.test(text) ? redactPairs(text, names, counter) : undefined;
}

/** undefined when the text is not JSON. Walks and re-serializes without recursion, so any depth is fine. */
function redactJsonText(text: string, names: ReadonlySet<string>, counter: Counter): string | undefined {
  let root: unknown;
  try { root = JSON.parse(text); } catch { return undefined; }
  const before = counter.n;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x);
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (names.has(k.toLowerCase())) { if (o[k] !== REDACTED) { o[k] = REDACTED; counter.n++; } }
        else if (typeof o[k] === 'object' && o[k] !== null) stack.push(o[k]);
      }
    }
  }
  return counter.n === before ? text : stringifyIteratively(root);
}

/** JSON.stringify(v) for JSON.parse output, without recursion (JSON.stringify overflows near depth 5000 in V8). */
export function stringifyIteratively(root: unknown): string {
  const out: string[] = [];
  // A string on the stack is literal output; a box is a value still to write.
  const stack: (string | { v: unknown })[] = [{ v: root }];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (typeof t === 'string') { out.push(t); continue; }
    const v = t.v;
    if (Array.isArray(v)) {
      out.push('[');
      stack.push(']');
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i] });
        if (i > 0) stack.push(',');
      }
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      const ks = Object.keys(o);
      out.push('{');
      stack.push('}');
      for (let i = ks.length - 1; i >= 0; i--) {
        const k = ks[i] as string;
        stack.push({ v: o[k] });
        stack.push(JSON.stringify(k) + ':');
        if (i > 0) stack.push(',');
      }
    } else {
      out.push(JSON.stringify(v) ?? 'null');
    }
  }
  return out.join('');
}
