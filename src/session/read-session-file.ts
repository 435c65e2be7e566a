/**
 * What "Open session" reads: our session JSON (any version, a later one is refused by name) or a
 * HAR 1.2 file whose entries carry Chrome DevTools' `_webSocketMessages`. The text is parsed once
 * and the shape decides which reader checks it. Never throws: every refusal says why.
 */
import { harValueToSession } from './har';
import { validateSession } from './parse-session';
import { SESSION_FORMAT, type SessionFileV1 } from './session-format';
import { isRecord } from '../protocol/guards';

export type SessionFileKind = 'sockscope' | 'har';

export type ReadSessionResult =
  | { ok: true; kind: SessionFileKind; session: SessionFileV1 }
  | { ok: false; error: string };


export function readSessionValue(json: unknown, now: Date): ReadSessionResult {
  if (isRecord(json) && 'log' in json && !('format' in json)) {
    const r = harValueToSession(json, now);
    return r.ok ? { ok: true, kind: 'har', session: r.session } : { ok: false, error: `HAR file: ${r.error}` };
  }
  if (isRecord(json) && 'format' in json) {
    const r = validateSession(json);
    return r.ok ? { ok: true, kind: 'sockscope', session: r.session } : { ok: false, error: `Session file: ${r.error}` };
  }
  return {
    ok: false,
    error: `Not a session file: expected a Sockscope session (an object with "format": "${SESSION_FORMAT}") or a HAR 1.2 file (an object with "log")`,
  };
}

export function readSessionText(text: string, now: Date): ReadSessionResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not JSON: ${(e as Error).message}` };
  }
  return readSessionValue(json, now);
}
