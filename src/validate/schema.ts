/**
 * The record of ../shared/spec/record.md as a zod schema: the contract between the extractor,
 * the store, the exports and every researcher's scripts. `recordJsonSchema()` gives the same
 * contract as JSON Schema for users outside TypeScript.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1 as const;

export const SourceFormatSchema = z.enum(['html', 'pdf', 'docx', 'doc', 'wps', 'text']);

export const SourceSchema = z.object({
  uri: z.string().min(1).describe('URL or local path the report was read from, as given'),
  format: SourceFormatSchema.describe('Format detected from the content (magic bytes), not the file name'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the raw bytes; the artifact store key'),
  fetchedAt: z.string().datetime({ offset: true }).optional().describe('When the bytes were fetched (ISO 8601)'),
});

export const SeveritySchema = z.enum(['info', 'warning', 'error']);

/** Every issue code the extractor emits. Codes are stable; messages are for people. */
export const ISSUE_CODES = {
  // Cells
  blank_cells: 'Cells left blank in the source; stored as null and counted as 0 in the identities.',
  cell_repaired: 'A cell missing from the source was filled with the only value the identities allow.',
  split_inferred: 'Digits glued together in the source were split where the identities allow exactly one split.',
  ambiguous_cells: 'The source does not settle these cells (several splits or positions fit); they are left out.',
  cells_dropped: 'A row had more cells than its template row; the extra cells were not used.',
  not_integer: 'A count is not a whole number.',
  negative_value: 'A count is negative.',
  // Rows and tables
  field_missing: 'A template row or table was not found in the report; its fields are left out.',
  row_aggregated: '（六）其他处理 is printed as one row; its 2021 sub-rows are not reported separately.',
  partly_read: 'Part of the document was not read (page limit, damaged pages): fields missing may be in the part left out.',
  template_guessed: 'The table labels did not decide the template; it was chosen from the year.',
  // Money
  unit_inferred: 'A money amount had no unit; the unit was judged from its digits and the row.',
  unit_ambiguous: 'A money amount had no unit and both 元 and 万元 are plausible.',
  unit_conflict: 'The unit in the cell and the unit in the header disagree.',
  // Identities
  identity_failed: 'An accounting identity of the table does not hold for the published numbers.',
  // Metadata
  agency_missing: 'The agency could not be read from the report.',
  year_missing: 'The year reported on could not be read from the report.',
  meta_from_hint: 'Agency or year was not in the report itself and was taken from the listing it was found on.',
  // Failures (status failed)
  no_tables: 'No official table was found in the document.',
  unreadable: 'The file could not be read.',
  unsupported_format: 'The file is not in a format nianbao reads.',
  empty_file: 'The file is empty.',
  encrypted: 'The document is encrypted (password-protected).',
  corrupt: 'The file is damaged and could not be parsed.',
  no_text_layer: 'The PDF has no text layer (scanned images); OCR would be needed.',
  converter_missing: 'A converter this format needs (LibreOffice for .doc/.wps) is not installed.',
  too_large: 'The file exceeds the size or page limit.',
  fetch_failed: 'The document could not be fetched.',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

export const IssueSchema = z.object({
  code: z.enum(Object.keys(ISSUE_CODES) as [IssueCode, ...IssueCode[]]),
  severity: SeveritySchema,
  message: z.string(),
  fields: z.array(z.string()).optional().describe('Field codes of the cells involved'),
});

export const ProvenanceSchema = z.object({
  table: z.number().int().nonnegative(),
  row: z.number().int().nonnegative(),
  col: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});

export const RecordSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: SourceSchema,
  agency: z.string().nullable(),
  year: z.number().int().min(1990).max(2100).nullable(),
  template: z.enum(['2019', '2021']).nullable(),
  values: z.record(z.string(), z.number().nullable()),
  raw: z.record(z.string(), z.string()),
  provenance: z.record(z.string(), ProvenanceSchema).optional(),
  issues: z.array(IssueSchema),
  status: z.enum(['valid', 'flagged', 'failed']),
});

export type Source = z.infer<typeof SourceSchema>;
export type Issue = z.infer<typeof IssueSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type NianbaoRecord = z.infer<typeof RecordSchema>;
export type RecordStatus = NianbaoRecord['status'];

/** The record contract as JSON Schema (draft 2020-12). */
export function recordJsonSchema(): object {
  return z.toJSONSchema(RecordSchema, { target: 'draft-2020-12' });
}

/** valid: no error and no warning that hides a number; flagged: any error; failed: no record. */
export function statusFrom(issues: readonly Issue[], failed: boolean): RecordStatus {
  if (failed) return 'failed';
  return issues.some((i) => i.severity === 'error') ? 'flagged' : 'valid';
}
