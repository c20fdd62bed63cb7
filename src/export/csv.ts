/**
 * CSV encoding (RFC 4180) for researchers' tools: UTF-8 with a BOM so Excel reads Chinese,
 * blank for null, numbers in plain decimal (no thousands separators, no exponent).
 */

export const BOM = '\uFEFF';

/** A number as plain decimal text: 838778, -3, 12.5 — never 1e+21 or 1,000. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`Not a finite number: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
