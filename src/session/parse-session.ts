/**
 * Reads a session file and says precisely what is wrong with one that does not fit: the field,
 * the index, and what was expected. Never throws.
 */
import { SESSION_FORMAT, SESSION_VERSION, type SessionFileV1 } from './session-format';
import { isRecord, isWorkerLabel } from '../protocol/guards';
import { dispatchedProblem } from './check-dispatched';

export type ParseResult = { ok: true; session: SessionFileV1 } | { ok: false; error: string };

type Rec = Record<string, unknown>;
const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

const WORKER_LABEL = '{kind: dedicated|shared, type: classic|module, url: string, name?: string}';

class Invalid extends Error {}

function expect(cond: boolean, path: string, what: string): void {
  if (!cond) throw new Invalid(`${path}: expected ${what}`);
}
const str = (o: Rec, k: string, path: string) => expect(typeof o[k] === 'string', `${path}.${k}`, 'a string');
const num = (o: Rec, k: string, path: string) => expect(typeof o[k] === 'number' && Number.isFinite(o[k]), `${path}.${k}`, 'a number');
const count = (o: Rec, k: string, path: string) => expect(Number.isSafeInteger(o[k]) && (o[k] as number) >= 0, `${path}.${k}`, 'a whole number ≥ 0');

export function parseSession(text: string): ParseResult {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, error: `Not JSON: ${(e as Error).message}` }; }
  return validateSession(json);
}

/** Checks an already parsed value (the import worker parses once, then tells HAR from ours). */
export function validateSession(json: unknown): ParseResult {
  try {
    expect(isRecord(json), 'file', 'a JSON object');
    const f = json as Rec;
    expect(f.format === SESSION_FORMAT, 'format', `"${SESSION_FORMAT}"`);
    expect(Number.isSafeInteger(f.version), 'version', 'a whole number');
    if ((f.version as number) > SESSION_VERSION) throw new Invalid(`version ${f.version as number}: this file was made by a newer Sockscope (this one reads up to version ${SESSION_VERSION})`);
    expect(f.version === SESSION_VERSION, 'version', `${SESSION_VERSION}`);
    expect(typeof f.exportedAt === 'string', 'exportedAt', 'a string');
    expect(isRecord(f.page), 'page', 'an object');
    str(f.page as Rec, 'url', 'page');
    str(f.page as Rec, 'title', 'page');
    expect(Array.isArray(f.connections), 'connections', 'an array');
    const ids = new Set<string>();
    (f.connections as unknown[]).forEach((c, i) => {
      const p = `connections[${i}]`;
      expect(isRecord(c), p, 'an object');
      const r = c as Rec;
      for (const k of ['id', 'url', 'frameUrl', 'protocol', 'extensions']) str(r, k, p);
      expect(Array.isArray(r.requestedProtocols) && r.requestedProtocols.every((x) => typeof x === 'string'), `${p}.requestedProtocols`, 'an array of strings');
      expect(Array.isArray(r.states), `${p}.states`, 'an array');
      (r.states as unknown[]).forEach((s, j) => {
        expect(isRecord(s) && STATES.includes((s as Rec).state as string), `${p}.states[${j}].state`, STATES.join('|'));
        num(s as Rec, 'at', `${p}.states[${j}]`);
      });
      if (r.close !== null) {
        expect(isRecord(r.close), `${p}.close`, 'an object or null');
        const cl = r.close as Rec;
        count(cl, 'code', `${p}.close`);
        str(cl, 'reason', `${p}.close`);
        expect(typeof cl.wasClean === 'boolean', `${p}.close.wasClean`, 'true or false');
        expect(['page', 'server', 'unknown'].includes(cl.initiator as string), `${p}.close.initiator`, 'page|server|unknown');
      }
      expect(Array.isArray(r.errors) && r.errors.every((x) => typeof x === 'number' && Number.isFinite(x)), `${p}.errors`, 'an array of epoch milliseconds');
      expect(r.worker === undefined || isWorkerLabel(r.worker), `${p}.worker`, WORKER_LABEL);
      expect(!ids.has(r.id as string), `${p}.id`, `an id no earlier connection has ("${r.id as string}" is taken)`);
      ids.add(r.id as string);
    });
    expect(Array.isArray(f.frames), 'frames', 'an array');
    (f.frames as unknown[]).forEach((fr, i) => {
      const p = `frames[${i}]`;
      expect(isRecord(fr), p, 'an object');
      const r = fr as Rec;
      str(r, 'connectionId', p);
      expect(ids.has(r.connectionId as string), `${p}.connectionId`, 'the id of a connection in this file');
      expect(r.direction === 'sent' || r.direction === 'received', `${p}.direction`, 'sent|received');
      expect(r.type === 'text' || r.type === 'binary', `${p}.type`, 'text|binary');
      num(r, 'at', p);
      count(r, 'size', p);
      expect(r.origin === undefined || ['resent', 'composed', 'injected', 'modified'].includes(r.origin as string), `${p}.origin`, 'resent|composed|injected|modified, or absent');
      if (r.type === 'text') str(r, 'text', p);
      else expect(typeof r.base64 === 'string' && r.base64.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(r.base64), `${p}.base64`, 'base64 text');
    });
    expect(isRecord(f.dropped), 'dropped', 'an object');
    count(f.dropped as Rec, 'frames', 'dropped');
    count(f.dropped as Rec, 'bytes', 'dropped');
    if (f.notices !== undefined) {
      expect(Array.isArray(f.notices), 'notices', 'an array, or absent');
      (f.notices as unknown[]).forEach((n, i) => {
        const p = `notices[${i}]`;
        expect(isRecord(n), p, 'an object');
        num(n as Rec, 'at', p);
        str(n as Rec, 'frameUrl', p);
        str(n as Rec, 'reason', p);
        expect(isWorkerLabel((n as Rec).worker), `${p}.worker`, WORKER_LABEL);
      });
    }
    if (f.dispatched !== undefined) {
      expect(Array.isArray(f.dispatched), 'dispatched', 'an array, or absent');
      (f.dispatched as unknown[]).forEach((d, i) => {
        const problem = dispatchedProblem(d, `dispatched[${i}]`, ids);
        if (problem) throw new Invalid(problem);
      });
    }
    if (f.redacted !== undefined) {
      expect(isRecord(f.redacted), 'redacted', 'an object, or absent');
      const r = f.redacted as Rec;
      expect(Array.isArray(r.keys) && r.keys.every((k) => typeof k === 'string'), 'redacted.keys', 'an array of strings');
      count(r, 'count', 'redacted');
    }
    if (f.filtered !== undefined) {
      expect(isRecord(f.filtered), 'filtered', 'an object, or absent');
      str(f.filtered as Rec, 'query', 'filtered');
      count(f.filtered as Rec, 'ofFrames', 'filtered');
    }
    return { ok: true, session: f as unknown as SessionFileV1 };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}
