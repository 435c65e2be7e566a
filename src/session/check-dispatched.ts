/**
 * The checks of one `dispatched` item (a page-dispatched event), shared by the session reader and
 * the HAR reader (`log._sockscope.dispatched`), each of which throws its own error with the text.
 */
import { isDispatchedType, isRecord } from '../protocol/guards';
import type { SessionDispatched } from './session-format';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What is wrong with `x` as a dispatched item at `path` ("path.field: expected …"), or null. */
export function dispatchedProblem(x: unknown, path: string, connectionIds: ReadonlySet<string>): string | null {
  if (!isRecord(x)) return `${path}: expected an object`;
  const bad = (field: string, what: string) => `${path}.${field}: expected ${what}`;
  if (typeof x.connectionId !== 'string' || !connectionIds.has(x.connectionId)) return bad('connectionId', 'the id of a connection in this file');
  if (typeof x.at !== 'number' || !Number.isFinite(x.at)) return bad('at', 'a number');
  if (!isDispatchedType(x.event)) return bad('event', 'message|open|error|close');
  if (x.note !== undefined && typeof x.note !== 'string') return bad('note', 'a string, or absent');
  if (x.type === undefined) {
    for (const k of ['size', 'text', 'base64', 'truncated']) if (x[k] !== undefined) return bad(k, 'absent when there is no type');
    return null;
  }
  if (x.type !== 'text' && x.type !== 'binary') return bad('type', 'text|binary, or absent');
  if (!Number.isSafeInteger(x.size) || (x.size as number) < 0) return bad('size', 'a whole number ≥ 0');
  if (x.truncated !== undefined && x.truncated !== true) return bad('truncated', 'true, or absent');
  if (x.type === 'text') return typeof x.text === 'string' ? null : bad('text', 'a string');
  return typeof x.base64 === 'string' && x.base64.length % 4 === 0 && BASE64.test(x.base64) ? null : bad('base64', 'base64 text');
}

/** A checked item with only the fields version 1 knows (call dispatchedProblem first). */
export function pickDispatched(x: SessionDispatched): SessionDispatched {
  const out: SessionDispatched = { connectionId: x.connectionId, at: x.at, event: x.event };
  if (x.type !== undefined) {
    out.type = x.type;
    out.size = x.size;
    if (x.type === 'text') out.text = x.text; else out.base64 = x.base64;
    if (x.truncated) out.truncated = true;
  }
  if (x.note !== undefined) out.note = x.note;
  return out;
}
