/**
 * The non-field columns of the exports, as data: name, Parquet type, meaning and how to read
 * it from a stored record. The wide CSV, the Parquet file and the README all read these lists.
 */
import type { StoredRecord } from '../store/index.js';
import type { NianbaoRecord } from '../validate/schema.js';

export type Cell = string | number | null;

export interface MetaColumn {
  name: string;
  type: 'STRING' | 'INT32';
  description: string;
  get(s: StoredRecord): Cell;
}

const count = (r: NianbaoRecord, severity: string) => r.issues.filter((i) => i.severity === severity).length;

/** Per report: the first columns of the wide files. */
export const REPORT_COLUMNS: readonly MetaColumn[] = [
  { name: 'report_id', type: 'INT32', description: 'Id of the report in the store; stable across re-extractions; joins the wide and long files.', get: (s) => s.id },
  { name: 'url', type: 'STRING', description: 'Where the report was read from (source.uri).', get: (s) => s.url },
  { name: 'agency', type: 'STRING', description: 'Publishing agency (机关), as named in the report.', get: (s) => s.record.agency },
  { name: 'year', type: 'INT32', description: 'Year the report covers (not the year it was published).', get: (s) => s.record.year },
  { name: 'template', type: 'STRING', description: 'Official format: 2019 (reports on 2019–2020) or 2021 (reports on 2021 on); blank for failed records.', get: (s) => s.record.template },
  { name: 'status', type: 'STRING', description: 'valid, flagged or failed (see below).', get: (s) => s.record.status },
  { name: 'region_code', type: 'STRING', description: 'Administrative division code (GB/T 2260) of the agency, where known.', get: (s) => s.regionCode },
  { name: 'region_name', type: 'STRING', description: 'Administrative division name, where known.', get: (s) => s.regionName },
  { name: 'portal_id', type: 'STRING', description: 'Portal the report was crawled from.', get: (s) => s.portalId },
  { name: 'format', type: 'STRING', description: 'Source format detected from the bytes: html, pdf, docx, doc, wps, text.', get: (s) => s.record.source.format },
  { name: 'sha256', type: 'STRING', description: 'SHA-256 of the source file.', get: (s) => s.sha256 },
  { name: 'fetched_at', type: 'STRING', description: 'When the source was fetched (ISO 8601).', get: (s) => s.record.source.fetchedAt ?? null },
  { name: 'extracted_at', type: 'STRING', description: 'When the record was extracted (ISO 8601, UTC).', get: (s) => s.extractedAt },
  { name: 'extractor_version', type: 'STRING', description: 'nianbao version that made the record.', get: (s) => s.extractorVersion },
  { name: 'issue_codes', type: 'STRING', description: 'Distinct issue codes of the record, separated by ";" (see below).', get: (s) => s.issueCodes.join(';') },
  { name: 'n_errors', type: 'INT32', description: 'Number of issues of severity error.', get: (s) => count(s.record, 'error') },
  { name: 'n_warnings', type: 'INT32', description: 'Number of issues of severity warning.', get: (s) => count(s.record, 'warning') },
];

/** The long file's columns, in order. */
export const CELL_COLUMNS: readonly { name: string; description: string }[] = [
  // No url: repeated on every cell row it would be a large share of a multi-GB file; report_id joins to it.
  { name: 'report_id', description: 'Id of the report: joins reports_wide.csv (url and the other report columns).' },
  { name: 'agency', description: 'Publishing agency.' },
  { name: 'year', description: 'Year the report covers.' },
  { name: 'template', description: 'Official format of the report: 2019 or 2021.' },
  { name: 'status', description: 'Status of the report: valid, flagged or failed.' },
  { name: 'field', description: 'Field code (see codebook).' },
  { name: 'section', description: 'Section of the report: proactive (二), applications (三), review (四).' },
  { name: 'value', description: 'The number; blank where the source cell is blank. Money in yuan (元).' },
  { name: 'raw', description: 'The cell text as found in the source, for audit.' },
  { name: 'unit', description: 'count or yuan.' },
  { name: 'issue_codes', description: 'Codes of the issues that name this cell, separated by ";".' },
];
