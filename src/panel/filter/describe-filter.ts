/** A filter in words, for the file a filtered export writes ("filtered.query") and for the dialog. */
import type { FilterSpec } from './filter-engine';

export function describeFilter(f: FilterSpec): string {
  const parts: string[] = [];
  // A blank query shows everything (parseFilterQuery), so it is not a filter.
  if (f.text.trim()) parts.push(`${f.invert ? 'not matching' : 'matching'} ${f.text.trim()}`);
  if (f.direction !== 'all') parts.push(`${f.direction} only`);
  const types = (['text', 'binary', 'lifecycle'] as const).filter((t) => f.types[t]);
  if (types.length < 3) parts.push(`types: ${types.join(', ') || 'none'}`);
  if (f.minSize !== null || f.maxSize !== null) parts.push(`size ${f.minSize ?? 0}–${f.maxSize ?? '∞'} bytes`);
  if (f.connections?.length) parts.push(`${f.connections.length} connection${f.connections.length === 1 ? '' : 's'}: ${f.connections.join(', ')}`);
  if (f.hideHeartbeats) parts.push('heartbeats hidden');
  return parts.join('; ') || 'everything';
}
