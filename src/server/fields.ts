/**
 * A record's values as the review page lists them: grouped by the template's sections in table
 * order, each with its Chinese labels, raw text, source cell and the worst issue naming it. Pure.
 */
import { exportFields, type ExportField } from '../export/index.js';
import type { TemplateId } from '../template/index.js';
import type { NianbaoRecord, Provenance } from '../validate/schema.js';
import { type Mark, fieldIssues, markOf } from './marks.js';

export interface ValueRow {
  code: string;
  label: string;
  /** undefined: the field was not located (named by an issue only). */
  value: number | null | undefined;
  raw: string | undefined;
  provenance: Provenance | undefined;
  mark: Mark;
  issues: string[];
}

export interface ValueSection {
  title: string;
  rows: ValueRow[];
}

const fieldsByTemplate = new Map<TemplateId, ExportField[]>();
function fieldsOf(id: TemplateId): ExportField[] {
  let f = fieldsByTemplate.get(id);
  if (!f) fieldsByTemplate.set(id, (f = exportFields([id])));
  return f;
}

/** Where a field's cell is, for a tooltip: table, row, column, and for PDFs the page and box. */
export function provenanceText(p: Provenance | undefined): string {
  if (!p) return '';
  const at = `table ${p.table}, row ${p.row}, col ${p.col}`;
  const page = p.page ? `, page ${p.page}` : '';
  const bbox = p.bbox ? ` [${p.bbox.map((n) => Math.round(n * 10) / 10).join(', ')}]` : '';
  return at + page + bbox;
}

export function valueSections(record: NianbaoRecord): ValueSection[] {
  const issues = fieldIssues(record);
  const codes = new Set([...Object.keys(record.values), ...issues.keys()]);
  const row = (code: string, label: string): ValueRow => ({
    code,
    label,
    value: Object.hasOwn(record.values, code) ? record.values[code] : undefined,
    raw: record.raw[code],
    provenance: record.provenance?.[code],
    mark: markOf(issues.get(code)?.severity),
    issues: issues.get(code)?.codes ?? [],
  });
  const sections = new Map<string, ValueSection>();
  const placed = new Set<string>();
  for (const f of record.template ? fieldsOf(record.template) : []) {
    if (!codes.has(f.code)) continue;
    const s = sections.get(f.sectionTitle) ?? { title: f.sectionTitle, rows: [] };
    s.rows.push(row(f.code, `${f.rowLabel} · ${f.columnLabel}`));
    sections.set(f.sectionTitle, s);
    placed.add(f.code);
  }
  const rest = [...codes].filter((c) => !placed.has(c));
  if (rest.length) sections.set('', { title: 'Other fields', rows: rest.map((c) => row(c, '')) });
  return [...sections.values()];
}
