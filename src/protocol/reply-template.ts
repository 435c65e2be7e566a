/**
 * The reply of a *respond* rule, as a template filled from the frame that triggered it:
 *   $1 … $9        a group of the rule's /regex/ payload match, as text
 *   {{path}}       a value of the JSON request (`{{id}}`, `{{params.user.id}}`, `{{items.0}}`),
 *                  inserted as JSON: a string comes quoted, a number bare
 *   {{now}}        the time in epoch milliseconds
 *   {{seq}}        1 for the rule's first reply, 2 for the next…
 *   $$             a literal $
 * Parsing is done once, when the rules change; filling is pure and never throws: a value the
 * request lacks is an error that names it, and the rule then lets the frame go as if it had not
 * matched. Shared by the hook (filling) and the panel (checking what the user typed).
 */

type Part = string | { group: number } | { path: string[] } | { now: true } | { seq: true };

export type ReplyTemplate = readonly Part[];

/** What a frame gives a template: its regex groups, and its JSON (NOT_JSON when it is none). */
export interface TemplateInput {
  groups: readonly (string | undefined)[] | null;
  json: unknown;
  now: number;
  seq: number;
}

export const NOT_JSON: unique symbol = Symbol('not JSON');

const TOKEN = /\$(\$|[1-9])|\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/;

export function parseTemplate(text: string): { ok: true; template: ReplyTemplate } | { ok: false; error: string } {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] === '$') { parts.push('$'); continue; }
    if (m[1] !== undefined) { parts.push({ group: Number(m[1]) }); continue; }
    const name = m[2]!;
    if (name === 'now') parts.push({ now: true });
    else if (name === 'seq') parts.push({ seq: true });
    else if (PATH.test(name)) parts.push({ path: name.split('.') });
    else return { ok: false, error: `{{${name}}} is not a value: use {{now}}, {{seq}} or a path into the request such as {{id}} or {{params.user.id}}` };
  }
  if (last < text.length) parts.push(text.slice(last));
  return { ok: true, template: parts };
}

/** The groups a template uses (to check against the rule's match). */
export function groupsUsed(t: ReplyTemplate): number[] {
  return t.flatMap((p) => (typeof p === 'object' && 'group' in p ? [p.group] : []));
}

export function usesRequest(t: ReplyTemplate): boolean {
  return t.some((p) => typeof p === 'object' && ('path' in p || 'group' in p));
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** `stringify` is the hook's saved native JSON.stringify there: a page's own must not run. */
export function fillTemplate(t: ReplyTemplate, input: TemplateInput, stringify: (v: unknown) => string | undefined = JSON.stringify): { ok: true; text: string } | { ok: false; error: string } {
  let out = '';
  for (const p of t) {
    if (typeof p === 'string') { out += p; continue; }
    if ('now' in p) { out += String(input.now); continue; }
    if ('seq' in p) { out += String(input.seq); continue; }
    if ('group' in p) {
      const g = input.groups?.[p.group];
      if (g === undefined) return { ok: false, error: input.groups ? `the match has no group $${p.group}` : `$${p.group} needs a /regex/ payload match` };
      out += g;
      continue;
    }
    if (input.json === NOT_JSON) return { ok: false, error: `{{${p.path.join('.')}}}: the request is not JSON` };
    let v: unknown = input.json;
    for (const k of p.path) {
      if (v === null || typeof v !== 'object' || !own(v, k)) return { ok: false, error: `the request has no ${p.path.join('.')}` };
      v = (v as Record<string, unknown>)[k];
    }
    const json = stringify(v);
    if (json === undefined) return { ok: false, error: `${p.path.join('.')} is not a JSON value` };
    out += json;
  }
  return { ok: true, text: out };
}
