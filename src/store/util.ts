/** Small pure helpers shared by the repositories. */

/** Timestamps are stored as ISO 8601 UTC text so they sort and compare the same in both dialects. */
export function toIso(t: string | Date | undefined, now: () => Date = () => new Date()): string {
  const d = t === undefined ? now() : t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a timestamp: ${String(t)}`);
  return d.toISOString();
}

/**
 * Rows per multi-row INSERT. SQLite allows 32,766 bound parameters per statement and PostgreSQL
 * 65,535; at ≤ 16 columns, 500 rows stays well under both.
 */
export const ROWS_PER_INSERT = 500;

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * One item per key, the last one winning, in first-seen order. One INSERT … ON CONFLICT may not
 * touch the same row twice (PostgreSQL refuses), so a batch is deduplicated first.
 */
export function lastByKey<T>(items: readonly T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const it of items) m.set(key(it), it);
  return [...m.values()];
}

/** A filter value as a list: undefined stays undefined (no filter), one value becomes [value]. */
export function asList<T>(v: T | readonly T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : ([] as T[]).concat(v);
}
