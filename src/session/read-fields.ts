/**
 * Readers for values from a file we did not write. Each one checks a value, says where it is wrong
 * and what was expected, and returns a fresh copy: keys it does not know are left out, and fields
 * left out of the file get their default. A record is read from a table of its fields, so a field
 * of the format is one line: `required`, `optional` with its default, or a `note` (left out when
 * absent, because its absence is what it says).
 *
 * Paths are built only for the error: a 200 MB file has millions of fields, and naming each one
 * on the way cost more than reading it.
 */
import { isRecord } from '../protocol/guards';

export class Invalid extends Error {
  /** Keys and indices from the value a reader was given down to the wrong one, innermost last. */
  readonly at: (string | number)[] = [];
  constructor(readonly what: string) {
    super(what);
  }

  /** "connections[1].close.code: expected a whole number ≥ 0", under `root` ("" for the file). */
  describe(root = ''): string {
    const path = this.at.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : p ? `${p}.${s}` : s), root);
    return `${path || 'file'}: expected ${this.what}`;
  }
}

export type Read<T> = (value: unknown) => T;

export function fail(what: string, at: (string | number)[] = []): never {
  const e = new Invalid(what);
  e.at.push(...at);
  throw e;
}

export const string: Read<string> = (v) => (typeof v === 'string' ? v : fail('a string'));
export const boolean: Read<boolean> = (v) => (typeof v === 'boolean' ? v : fail('true or false'));
/** Finite: JSON.parse reads 1e999 as Infinity, which no clock gives and JSON cannot write back. */
export const number: Read<number> = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : fail('a number'));
/** Sizes and counts: whole, and small enough that every one is exact. */
export const count: Read<number> = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail('a whole number ≥ 0'));

export function oneOf<T extends string>(values: readonly T[]): Read<T> {
  const what = values.join('|');
  return (v) => (values.includes(v as T) ? (v as T) : fail(what));
}

export function nullable<T>(read: Read<T>): Read<T | null> {
  return (v) => (v === null ? null : read(v));
}

/** An array of plain values, named as one field: "an array of strings", not its third element. */
export function values<T>(item: Read<T>, what: string): Read<T[]> {
  return (v) => {
    if (!Array.isArray(v)) fail(what);
    try {
      return v.map(item);
    } catch (e) {
      if (e instanceof Invalid) fail(what);
      throw e;
    }
  };
}

/** An array of records, each named by its index. */
export function list<T>(item: Read<T>): Read<T[]> {
  return (v) => {
    if (!Array.isArray(v)) fail('an array');
    const out = new Array<T>(v.length);
    let i = 0;
    try {
      for (; i < v.length; i++) out[i] = item(v[i]);
    } catch (e) {
      if (e instanceof Invalid) e.at.unshift(i);
      throw e;
    }
    return out;
  };
}

type Absent = 'refuse' | 'default' | 'omit';
export interface Field<T, A extends Absent = Absent> {
  read: Read<T>;
  absent: A;
  /** What an absent field is read as (so `{}` gives an object of its fields' own defaults). */
  rawDefault?: unknown;
}

export const required = <T>(read: Read<T>): Field<T, 'refuse'> => ({ read, absent: 'refuse' });
export const optional = <T>(read: Read<T>, rawDefault: unknown): Field<T, 'default'> => ({ read, absent: 'default', rawDefault });
export const note = <T>(read: Read<T>): Field<T, 'omit'> => ({ read, absent: 'omit' });

type Fields = Record<string, Field<unknown>>;
type ValueOf<F> = F extends Field<infer T> ? T : never;
/** The record a table reads to: notes are optional properties, every other field is always there. */
export type RecordOf<F extends Fields> = {
  [K in keyof F as F[K] extends Field<unknown, 'omit'> ? never : K]: ValueOf<F[K]>;
} & {
  [K in keyof F as F[K] extends Field<unknown, 'omit'> ? K : never]?: ValueOf<F[K]>;
};

/** Reads the fields a table names from an object, in the table's order. */
export function fieldsOf<F extends Fields>(fields: F): (v: Record<string, unknown>) => RecordOf<F> {
  const keys = Object.keys(fields);
  const table = Object.values(fields);
  return (v) => {
    const out: Record<string, unknown> = {};
    let k = 0;
    try {
      for (; k < keys.length; k++) {
        const key = keys[k]!;
        const f = table[k]!;
        const raw = v[key];
        if (raw !== undefined) out[key] = f.read(raw);
        else if (f.absent === 'default') out[key] = f.read(f.rawDefault);
        else if (f.absent === 'refuse') {
          f.read(raw); // its reader says what the field should have been
          fail('a value');
        }
      }
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      const key = keys[k]!;
      // The field itself is wrong (not one inside it): tell the user they may also leave it out.
      if (table[k]!.absent !== 'refuse' && e.at.length === 0) fail(`${e.what}, or absent`, [key]);
      e.at.unshift(key);
      throw e;
    }
    return out as RecordOf<F>;
  };
}

export function record<F extends Fields>(fields: F, what = 'an object'): Read<RecordOf<F>> {
  const read = fieldsOf(fields);
  return (v) => (isRecord(v) ? read(v) : fail(what));
}

/**
 * The head of every versioned file of ours: its `format`, and a `version` this reader knows (a
 * later one is refused by name). Returns the error, or null.
 */
export function formatVersionError(json: Record<string, unknown>, format: string, version: number): string | null {
  if (json.format !== format) return `format: expected "${format}"`;
  const v = json.version;
  if (!Number.isSafeInteger(v)) return 'version: expected a whole number';
  if ((v as number) > version) return `version ${v as number}: this file was made by a newer Sockscope (this one reads up to version ${version})`;
  return v === version ? null : `version: expected ${version}`;
}
