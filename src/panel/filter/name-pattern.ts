/**
 * The name in a `call:` or `sentby:` filter term: "quoted" when it has spaces or quotes, `*` for
 * any run of characters, case-insensitive, whole names only. Pure.
 */

/** A test on lower-cased names, or the error the filter box shows (`term: …`). */
export function nameMatcher(raw: string, term: string, whenEmpty: string): ((lowerName: string) => boolean) | string {
  let name = raw;
  if (name.startsWith('"')) {
    try { name = JSON.parse(name) as string; } catch { return `${term}: the quoted name is not closed`; }
  }
  if (name === '') return `${term}: ${whenEmpty}`;
  const want = name.toLowerCase();
  if (!want.includes('*')) return (s) => s === want;
  const rx = new RegExp(`^${want.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return (s) => rx.test(s);
}
