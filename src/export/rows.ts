/** A stored record as export rows: one wide row, or one long row per cell. Pure. */
import type { StoredRecord } from '../store/index.js';
import { CELL_COLUMNS, type Cell, REPORT_COLUMNS } from './columns.js';
import type { ExportField } from './fields.js';
import { type ReviewOverlay, valueSource } from '../review/overlay.js';

export function wideHeader(fields: readonly ExportField[]): string[] {
  return [...REPORT_COLUMNS.map((c) => c.name), ...fields.map((f) => f.code)];
}

/** Report columns, then one value per field: null where the cell is blank, not located, or not in the report's template. */
export function wideRow(s: StoredRecord, fields: readonly ExportField[]): Cell[] {
  const values = s.record.values;
  return [...REPORT_COLUMNS.map((c) => c.get(s)), ...fields.map((f) => values[f.code] ?? null)];
}

export const longHeader = (): string[] => CELL_COLUMNS.map((c) => c.name);

/** Issue codes per field code, from the issues that name fields. */
function issuesByField(s: StoredRecord): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const i of s.record.issues) {
    for (const f of i.fields ?? []) {
      const codes = m.get(f) ?? [];
      if (!codes.includes(i.code)) codes.push(i.code);
      m.set(f, codes);
    }
  }
  return m;
}

/**
 * One row per cell the record has (a number or a blank), in codebook order. Fields the record
 * lacks (not located, or of the other template) have no row; a failed record has none.
 */
export function longRows(s: StoredRecord, fields: readonly ExportField[]): Cell[][] {
  const { record } = s;
  const flags = issuesByField(s);
  const review = (s as StoredRecord & { review?: ReviewOverlay }).review;
  const panel = new Map((s.panel?.findings ?? []).map((f) => [f.field, f]));
  const head: Cell[] = [s.reportId, record.agency, record.year, record.template, record.status];
  const out: Cell[][] = [];
  for (const f of fields) {
    if (!(f.code in record.values) && !(f.code in record.raw)) continue;
    const value = record.values[f.code] ?? null;
    const extracted = review && f.code in review.extracted ? (review.extracted[f.code] ?? null) : value;
    const p = panel.get(f.code);
    out.push([...head, f.code, f.section, value, record.raw[f.code] ?? null, f.unit, (flags.get(f.code) ?? []).join(';') || null, valueSource(s, f.code), extracted, p?.otherReportId ?? null, p?.otherValue ?? null]);
  }
  return out;
}
