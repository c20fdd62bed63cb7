/**
 * The record of ../shared/spec/record.md as a zod schema: the contract between the extractor,
 * the store, the exports and every researcher's scripts. `recordJsonSchema()` gives the same
 * contract as JSON Schema for users outside TypeScript.
 */
import { z } from 'zod';
import { SCHEMA_VERSION } from './status.js';

export { SCHEMA_VERSION, statusFrom } from './status.js';

export const SourceFormatSchema = z.enum(['html', 'pdf', 'docx', 'doc', 'wps', 'text', 'markdown', 'image']);

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
  unreadable_cells: 'A cell printed among a row\'s numbers reads as no number (a garbled digit, a stray mark); it is left out.',
  ocr: 'The report was read by OCR from a scan; the message gives the mean word confidence. Values were kept only where the reads agree or the identities confirm them.',
  ocr_unconfirmed: 'Cells read by OCR that are not sure (low confidence, disagreeing reads) or that an identity contradicts, and that two identities do not confirm: left out.',
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
  panel_mismatch: 'A cross-year identity with the same agency\'s report of the previous year does not hold (上年结转 ≠ last year\'s 结转下年度, 上一年项目数量 or 现行有效件数 not carried on, a money amount about 10,000 times last year\'s): one of the two reports is likely wrong. Added by the panel checks, never by the extractor; values are not changed.',
  // Metadata
  agency_missing: 'The agency could not be read from the report.',
  year_missing: 'The year reported on could not be read from the report.',
  meta_from_hint: 'Agency or year was not in the report\'s title: it was read from its opening sentences, signature or reporting period, or taken from the listing it was found on.',
  region_from_portal: 'The agency\'s name names no place; its region is the region of the portal it was published on.',
  region_conflict: 'The place the agency names lies outside the region of the portal it was published on.',
  region_ambiguous: 'The agency names a place that several divisions share and nothing decides which; the region is left out.',
  region_unresolved: 'No region could be determined: the agency names no place and no listing or portal gave one.',
  region_code_changed: 'The place the agency names was renamed or merged by the report\'s year; the code in force then is used (or, with no single successor, the last code).',
  // Failures (status failed)
  no_tables: 'No official table was found in the document.',
  pre_2019_format: 'A report in the format used before 2019 (2008 条例: 收费及减免 and other sections, no 第二十条 tables); the 2019/2021 templates do not apply.',
  unreadable: 'The file could not be read.',
  unsupported_format: 'The file is not in a format nianbao reads.',
  empty_file: 'The file is empty.',
  encrypted: 'The document is encrypted (password-protected).',
  corrupt: 'The file is damaged and could not be parsed.',
  too_complex: 'The document is beyond the parsing limits (nesting depth, attributes per element, time or memory); the message names the limit hit.',
  no_text_layer: 'The PDF has no text layer and its scan cannot be read (too coarse for OCR).',
  converter_missing: 'A converter this format needs (LibreOffice for .doc/.wps, Tesseract and poppler-utils for scans) is not installed.',
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

const UnitSchema = z.object({ code: z.string().regex(/^\d{6}$/), name: z.string() });

export const RegionSchema = z
  .object({
    code: z.string().regex(/^\d{6}$/).nullable().describe('GB/T 2260 code (6 digits) of the deepest division known: a township\'s county; null for central bodies'),
    name: z.string().nullable().describe('Name of that division'),
    level: z.enum(['national', 'province', 'prefecture', 'county', 'township']).describe('Level the agency sits at'),
    province: UnitSchema.nullable().describe('Province-level division (省, 自治区, 直辖市)'),
    prefecture: UnitSchema.nullable().describe('Prefecture-level division (地级市, 地区, 自治州, 盟); null for municipalities and counties directly under a province'),
    county: UnitSchema.nullable().describe('County-level division (区, 县, 县级市, 旗)'),
    township: z
      .object({ code: z.string().regex(/^\d{9}$/).nullable(), name: z.string() })
      .nullable()
      .describe('Township (街道, 镇, 乡) the agency is, with its 9-digit NBS code when listed'),
    source: z.enum(['agency', 'listing', 'portal']).describe('Where the place came from: the agency\'s name, the listing\'s name for it, or the portal\'s configured region'),
    divisionsYear: z.number().int().describe('Year of the division list the codes come from (the latest not after the report\'s year)'),
  })
  .describe('Where the agency is, in GB/T 2260 division codes in force in the report\'s year');

export const MetaSourcesSchema = z
  .object({
    agency: z.enum(['title', 'first_sentence', 'signature', 'listing']).nullable(),
    year: z.enum(['title', 'period', 'listing']).nullable(),
    region: z.enum(['agency', 'listing', 'portal']).nullable(),
    title: z.enum(['listing', 'document', 'filename', 'report']).nullable(),
    publishedAt: z.enum(['listing', 'article', 'document']).nullable(),
  })
  .describe('Where each label came from');

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
  // Labels for joining and panels (added in 0.2; absent from records made before).
  reportId: z.string().regex(/^[0-9a-f]{16}$/).optional().describe('First 16 hex digits of the SHA-256 of the canonical source URL: the same in every store and run'),
  portalId: z.string().nullable().optional().describe('Portal the report was crawled from (config/portals.yaml id)'),
  title: z.string().nullable().optional().describe('Title of the document as published (listing, page metadata, download file name, or its own title)'),
  publishedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional().describe('Publication date (YYYY-MM-DD) from the article page or the listing'),
  agencyNormalized: z.string().nullable().optional().describe('The agency\'s name for comparison: half-width, no spaces, abbreviations written out (政府办 → 人民政府办公室)'),
  agencyType: z.string().nullable().optional().describe('Kind of body (government, general_office, finance, township, …; codebook agencyTypes)'),
  agencyKey: z.string().nullable().optional().describe('Panel key of the agency across years: "<division code>:<name without its places>"'),
  region: RegionSchema.nullable().optional(),
  metaSources: MetaSourcesSchema.optional(),
});

export type Source = z.infer<typeof SourceSchema>;
export type Issue = z.infer<typeof IssueSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type Provenance = z.infer<typeof ProvenanceSchema>;
export type MetaSources = z.infer<typeof MetaSourcesSchema>;
export type NianbaoRecord = z.infer<typeof RecordSchema>;
export type RecordStatus = NianbaoRecord['status'];

/** The record contract as JSON Schema (draft 2020-12). */
export function recordJsonSchema(): object {
  return z.toJSONSchema(RecordSchema, { target: 'draft-2020-12' });
}
