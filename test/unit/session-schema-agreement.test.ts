/**
 * The session reader (validateSession) and the JSON Schema, read by a standard validator (Ajv,
 * draft 2020-12), give the same answer on every file of the corpus (test/fixtures/session-corpus):
 * both accept it or both refuse it. The one difference allowed is a file that breaks a reader-only
 * rule (READER_ONLY_RULES), which JSON Schema cannot express: the schema accepts it, and the
 * reader refuses it naming that rule. For every file both accept, the reader's session is the file
 * as the schema's defaults complete it, so the two cannot drift on defaults either.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { READER_ONLY_RULES, validateSession } from '../../src/session/parse-session';
import { FULL_SESSION, pathsOf, sessionCorpus, type CorpusFile } from '../fixtures/session-corpus';
import { completedBySchema, schema, schemaError, schemaProperties } from '../support/session-schema';

type Rule = keyof typeof READER_ONLY_RULES;
type Rec = Record<string, unknown>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);

/** How the reader names each rule when a file breaks it. */
const RULE_ERRORS: Record<Rule, RegExp> = {
  uniqueConnectionIds: /^connections\[\d+\]\.id: expected an id no earlier connection has/,
  framesNameAConnection: /^frames\[\d+\]\.connectionId: expected the id of a connection in this file$/,
  dispatchedNameAConnection: /^dispatched\[\d+\]\.connectionId: expected the id of a connection in this file$/,
};

/** Which reader-only rule a file breaks, judged from the file itself (never from the reader). */
function brokenRule(file: unknown): Rule | undefined {
  if (!isRec(file) || !Array.isArray(file.connections) || !Array.isArray(file.frames)) return undefined;
  const ids = file.connections.flatMap((c) => (isRec(c) && typeof c.id === 'string' ? [c.id] : []));
  if (new Set(ids).size < ids.length) return 'uniqueConnectionIds';
  if (file.frames.some((f) => isRec(f) && typeof f.connectionId === 'string' && !ids.includes(f.connectionId))) return 'framesNameAConnection';
  const dispatched = Array.isArray(file.dispatched) ? file.dispatched : [];
  if (dispatched.some((d) => isRec(d) && typeof d.connectionId === 'string' && !ids.includes(d.connectionId))) return 'dispatchedNameAConnection';
  return undefined;
}

/** What is wrong between the reader and the schema on this file, if anything. */
function disagreement({ name, value }: CorpusFile): string | undefined {
  const read = validateSession(value);
  const refusal = schemaError(value);
  const reader = read.ok ? 'the reader accepts it' : `the reader refuses it (${read.error})`;
  const rule = brokenRule(value);
  if (rule && refusal === undefined) {
    return !read.ok && RULE_ERRORS[rule].test(read.error) ? undefined : `${name}: breaks "${READER_ONLY_RULES[rule]}", but ${reader}`;
  }
  if (read.ok !== (refusal === undefined)) return `${name}: ${reader}; the schema ${refusal === undefined ? 'accepts it' : `refuses it (${refusal})`}`;
  if (read.ok && !isDeepStrictEqual(read.session, completedBySchema(value))) {
    return `${name}: the reader's session differs from the file completed by the schema's defaults:\n${JSON.stringify(read.session)}\n${JSON.stringify(completedBySchema(value))}`;
  }
  return undefined;
}

describe('the session reader and the JSON Schema agree', () => {
  const corpus = sessionCorpus();

  it.each(Object.entries(corpus))('on %s', (_, files) => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => disagreement(f) ?? [])).toEqual([]);
  });

  it('the corpus holds both answers, and files that break each reader-only rule', () => {
    const all = Object.values(corpus).flat();
    const accepted = all.filter((f) => validateSession(f.value).ok).length;
    expect(all.length).toBeGreaterThan(10_000);
    expect(accepted).toBeGreaterThan(100);
    expect(all.length - accepted).toBeGreaterThan(1_000);
    for (const rule of Object.keys(READER_ONLY_RULES) as Rule[]) {
      expect(all.filter((f) => brokenRule(f.value) === rule && schemaError(f.value) === undefined).length, rule).toBeGreaterThan(0);
    }
  });

  it('every property the schema declares is in the full fixture, so the corpus mutates each one', () => {
    const inFixture = new Set(pathsOf(FULL_SESSION).map((p) => p.map((s, i) => (typeof s === 'number' ? '[]' : i === 0 ? s : `.${s}`)).join('')));
    const declared = schemaProperties().map((p) => p.path);
    expect(declared.length).toBeGreaterThan(40);
    expect(declared.filter((p) => !inFixture.has(p))).toEqual([]);
  });

  it('the schema and docs/session-format.md state each reader-only rule', () => {
    const readme = readFileSync(new URL('../../docs/session-format.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    for (const rule of Object.values(READER_ONLY_RULES)) {
      expect(schema.description).toContain(rule);
      expect(readme).toContain(rule);
    }
  });
});

describe('docs/session-format.md marks each field required or optional, with the schema\'s default', () => {
  const readme = readFileSync(new URL('../../docs/session-format.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Session format');
  const rows = readme.slice(start, readme.indexOf('\n## ', start + 1)).split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split('|').map((c) => c.trim()));
  /** The row of a record: its first cell names it ("file", or `connections[].close`, or several). */
  const rowOf = (record: string) => rows.find(([, first]) => first === record || first!.split(', ').includes(`\`${record}\``));

  it.each(schemaProperties().map((p) => [p.path, p] as const))('%s', (path, p) => {
    const dot = path.lastIndexOf('.');
    const [record, key] = dot < 0 ? ['file', path] : [path.slice(0, dot), path.slice(dot + 1)];
    const row = rowOf(record);
    expect(row, `no row for ${record}`).toBeDefined();
    const [, , required, optional] = row!;
    if (p.required || p.requiredForTypes) expect(required).toContain(`\`${key}\``);
    else if ('default' in p) expect(optional).toContain(`\`${key}\` (\`${JSON.stringify(p.default)}\`)`);
    else expect(optional).toContain(`\`${key}\``);
  });
});
