/** The codebook: one row per field of the export, from the template data. Pure. */
import type { ExportField } from './fields.js';
import { stataName } from './stata.js';

export const CODEBOOK_COLUMNS = ['field', 'stata_name', 'section', 'section_title', 'row_code', 'row_label', 'column_code', 'column_label', 'unit', 'kind', 'templates'] as const;

export type CodebookRow = Record<(typeof CODEBOOK_COLUMNS)[number], string>;

export function codebookRows(fields: readonly ExportField[]): CodebookRow[] {
  return fields.map((f) => ({
    field: f.code,
    stata_name: stataName(f.code),
    section: f.section,
    section_title: f.sectionTitle,
    row_code: f.rowCode,
    row_label: f.rowLabel,
    column_code: f.columnCode,
    column_label: f.columnLabel,
    unit: f.unit,
    kind: f.kind,
    templates: f.templates.join(';'),
  }));
}
