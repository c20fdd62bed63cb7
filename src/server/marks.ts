/**
 * Which grid cells a record's issues point at. Issues name fields; the record's provenance says
 * which cell of the reconstructed grid (table, row, col of the cell's top-left slot) each field
 * was read from. A cell is `flagged` when an error issue names one of its fields, `warned` when
 * only warnings do. Pure.
 */
import type { NianbaoRecord, Provenance, Severity } from '../validate/schema.js';

export type Mark = 'flagged' | 'warned' | null;

export interface CellInfo {
  /** Fields read from this cell (more than one when glued digits were split). */
  fields: string[];
  mark: Mark;
  /** Codes of the issues naming those fields. */
  issues: string[];
}

export const cellKey = (table: number, row: number, col: number) => `${table}:${row}:${col}`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Per field: the worst severity of the issues naming it, and their codes. */
export function fieldIssues(record: NianbaoRecord): Map<string, { severity: Severity; codes: string[] }> {
  const out = new Map<string, { severity: Severity; codes: string[] }>();
  for (const issue of record.issues) {
    for (const f of issue.fields ?? []) {
      const seen = out.get(f);
      if (!seen) out.set(f, { severity: issue.severity, codes: [issue.code] });
      else {
        if (RANK[issue.severity] > RANK[seen.severity]) seen.severity = issue.severity;
        if (!seen.codes.includes(issue.code)) seen.codes.push(issue.code);
      }
    }
  }
  return out;
}

export function markOf(severity: Severity | undefined): Mark {
  return severity === 'error' ? 'flagged' : severity === 'warning' ? 'warned' : null;
}

/**
 * `leftOut`: per field left out of the values, the grid cells it may have been read from
 * (ambiguous-cells.ts); they are marked like the cells of read fields.
 */
export function cellMarks(record: NianbaoRecord, leftOut: Readonly<Record<string, readonly Provenance[]>> = {}): Map<string, CellInfo> {
  const byField = fieldIssues(record);
  const cells = new Map<string, CellInfo>();
  const placed: [string, Provenance][] = [
    ...Object.entries(record.provenance ?? {}),
    ...Object.entries(leftOut).flatMap(([f, ps]) => ps.map((p): [string, Provenance] => [f, p])),
  ];
  for (const [field, p] of placed) {
    const key = cellKey(p.table, p.row, p.col);
    const info = cells.get(key) ?? { fields: [], mark: null, issues: [] };
    if (info.fields.includes(field)) continue;
    info.fields.push(field);
    const fi = byField.get(field);
    if (fi) {
      const mark = markOf(fi.severity);
      if (mark === 'flagged' || (mark === 'warned' && info.mark === null)) info.mark = mark;
      for (const c of fi.codes) if (!info.issues.includes(c)) info.issues.push(c);
    }
    cells.set(key, info);
  }
  return cells;
}

/** The cells error issues point at: what a reviewer must look at first. */
export function flaggedCells(record: NianbaoRecord): Set<string> {
  const out = new Set<string>();
  for (const [key, info] of cellMarks(record)) if (info.mark === 'flagged') out.add(key);
  return out;
}
