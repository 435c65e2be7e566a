/**
 * The session JSON Schema as a standard validator reads it (Ajv, draft 2020-12, strict), for the
 * tests that hold the reader to it. Tests only: Ajv compiles a schema with `new Function`, which
 * the extension's CSP forbids (test/unit/privacy-build.test.ts looks for it in dist).
 */
import Ajv2020 from 'ajv/dist/2020';
import schema from '../../src/session/sockscope-session.schema.json';

export { schema };

// `close` is an object or null: one `type` list, so that Ajv applies its fields' defaults (it
// skips defaults under oneOf and anyOf).
const options = { strict: true, allowUnionTypes: true } as const;
const validate = new Ajv2020(options).compile(schema);
const complete = new Ajv2020({ ...options, useDefaults: true }).compile(schema);

/** undefined when the schema accepts the value; otherwise Ajv's first error, as "path: message". */
export function schemaError(value: unknown): string | undefined {
  if (validate(value)) return undefined;
  const e = validate.errors![0]!;
  return `${e.instancePath || '/'}: ${e.message ?? e.keyword}`;
}

/**
 * A copy of a value the schema accepts, completed as the schema says a reader must read it:
 * every absent field with a `default` gets it, and fields the schema does not name are dropped.
 * The one default JSON Schema cannot write as a value, a frame's size, is the payload's byte length.
 */
export function completedBySchema(value: unknown): unknown {
  const copy = onlyDeclared(value, '');
  if (!complete(copy)) throw new Error(`the schema refuses this value: ${JSON.stringify(complete.errors)}`);
  for (const f of (copy as { frames: { size?: number; text?: string; base64?: string }[] }).frames) {
    f.size ??= f.text !== undefined ? Buffer.byteLength(f.text, 'utf8') : Buffer.from(f.base64!, 'base64').length;
  }
  return copy;
}

let declaredPaths: Set<string> | undefined;
// Not Ajv's removeAdditional: it also strips what an `if` does not name.
function onlyDeclared(v: unknown, path: string): unknown {
  if (Array.isArray(v)) return v.map((x) => onlyDeclared(x, `${path}[]`));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => {
    const at = path ? `${path}.${k}` : k;
    declaredPaths ??= new Set(schemaProperties().map((p) => p.path));
    return declaredPaths.has(at) ? [[k, onlyDeclared(x, at)]] : [];
  }));
}

interface SchemaNode {
  $ref?: string; enum?: string[]; properties?: Record<string, SchemaNode | boolean>; items?: SchemaNode; required?: string[]; default?: unknown;
  if?: { required?: string[]; properties?: { type?: { const?: string } | boolean } }; then?: SchemaNode; else?: SchemaNode;
}

/**
 * Which types make each field required, from a record's `if`/`then`/`else`: an `if` on the type's
 * value (a frame: text needs `text`, binary `base64`) or on its presence (a page-dispatched event:
 * data with a type needs its `size`), nested as deep as the schema nests them.
 */
function requiredByType(n: SchemaNode, types: readonly string[], out = new Map<string, string[]>()): Map<string, string[]> {
  if (!n.if) return out;
  const branch = (b: SchemaNode | undefined, ts: readonly string[]) => {
    if (!b || ts.length === 0) return;
    for (const k of b.required ?? []) out.set(k, [...(out.get(k) ?? []), ...ts]);
    requiredByType(b, ts, out);
  };
  const typeIf = n.if.properties?.type;
  const value = typeof typeIf === 'object' ? typeIf.const : undefined;
  if (value !== undefined) {
    branch(n.then, types.filter((t) => t === value));
    branch(n.else, types.filter((t) => t !== value));
  } else if (n.if.required?.includes('type')) {
    branch(n.then, types); // and without a type, nothing more is required
  }
  return out;
}

export interface SchemaProperty {
  /** With [] for array items: "connections[].close.code". */
  path: string;
  required: boolean;
  /** A frame's payload field: required for frames of these types. */
  requiredForTypes?: string[];
  default?: unknown;
}

/** Every property the schema declares, parents before children. */
export function schemaProperties(): SchemaProperty[] {
  const out: SchemaProperty[] = [];
  const resolve = (n: SchemaNode): SchemaNode => (n.$ref ? resolve((schema.$defs as Record<string, SchemaNode>)[n.$ref.replace('#/$defs/', '')]!) : n);
  const walk = (node: SchemaNode, prefix: string) => {
    const n = resolve(node);
    if (n.items) walk(n.items, `${prefix}[]`);
    const types = requiredByType(n, (typeof n.properties?.type === 'object' ? n.properties.type.enum : undefined) ?? []);
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      if (typeof child === 'boolean') continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const byType = types.get(key);
      out.push({ path, required: (n.required ?? []).includes(key), ...(byType && { requiredForTypes: byType }), ...('default' in child && { default: child.default }) });
      walk(child, path);
    }
  };
  walk(schema as SchemaNode, '');
  return out;
}
