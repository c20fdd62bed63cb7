/**
 * The non-field columns of the exports, as data: name, Parquet type, meaning and how to read
 * it from a stored record. The wide CSV, the Parquet file and the README all read these lists.
 */
import type { StoredRecord } from '../store/index.js';
import type { NianbaoRecord } from '../validate/schema.js';
import type { ReviewOverlay } from '../review/overlay.js';

export type Cell = string | number | null;

/**
 * Each column has one type in every file: STRING (codes too: region codes and report ids are
 * text, never numbers), INT32, DATE (YYYY-MM-DD in CSV, a Parquet DATE) or TIMESTAMP (ISO 8601
 * UTC in CSV, a Parquet TIMESTAMP in milliseconds, adjusted to UTC).
 */
export type ColumnType = 'STRING' | 'INT32' | 'DATE' | 'TIMESTAMP';

export interface MetaColumn {
  name: string;
  type: ColumnType;
  description: string;
  get(s: StoredRecord): Cell;
}

/** Set by the export (review/overlay.ts); absent on a record read straight from the store. */
const reviewOf = (s: StoredRecord): ReviewOverlay | undefined => (s as StoredRecord & { review?: ReviewOverlay }).review;

const count = (r: NianbaoRecord, severity: string) => r.issues.filter((i) => i.severity === severity).length;
/** A record made before regions were resolved carries none: its store columns say what the portal was. */
const region = (s: StoredRecord) => s.record.region ?? null;
const iso = (t: string | null | undefined) => (t ? new Date(t).toISOString() : null);

/** Per report: the first columns of the wide files. */
export const REPORT_COLUMNS: readonly MetaColumn[] = [
  { name: 'report_id', type: 'STRING', description: 'Id of the report: the first 16 hex digits of the SHA-256 of its canonical URL. The same in every store and run; joins the wide, long and panel files.', get: (s) => s.reportId },
  { name: 'url', type: 'STRING', description: 'Where the report was read from (source.uri).', get: (s) => s.url },
  { name: 'agency', type: 'STRING', description: 'Publishing agency (机关), as printed in the report (title, opening sentences or signature) or, failing those, in the listing.', get: (s) => s.record.agency },
  { name: 'agency_normalized', type: 'STRING', description: 'The agency for comparison: half-width, no spaces, abbreviations written out (政府办 → 人民政府办公室).', get: (s) => s.record.agencyNormalized ?? null },
  { name: 'agency_type', type: 'STRING', description: 'Kind of body: government, general_office, development_reform, public_security, education, finance, human_resources, natural_resources, ecology_environment, housing_construction, transport, health, market_regulation, township, … other (see agencyTypes in codebook.json).', get: (s) => s.record.agencyType ?? null },
  { name: 'agency_key', type: 'STRING', description: 'Panel key of the agency across years: "<division code>:<name without its places>" (000000 central bodies, unknown: no region). panel.csv has one row per agency_key and year.', get: (s) => s.record.agencyKey ?? null },
  { name: 'year', type: 'INT32', description: 'Year the report covers (not the year it was published).', get: (s) => s.record.year },
  { name: 'template', type: 'STRING', description: 'Official format: "2019" (reports on 2019–2020) or "2021" (reports on 2021 on); blank for failed records.', get: (s) => s.record.template },
  { name: 'status', type: 'STRING', description: 'valid, flagged or failed (see below).', get: (s) => s.record.status },
  { name: 'region_code', type: 'STRING', description: 'GB/T 2260 code (6 digits) of the agency\'s division: its county, prefecture or province (a township\'s county); blank for central bodies and unknown places.', get: (s) => (region(s) ? region(s)!.code : s.regionCode) },
  { name: 'region_name', type: 'STRING', description: 'Name of that division.', get: (s) => (region(s) ? region(s)!.name : s.regionName) },
  { name: 'region_level', type: 'STRING', description: 'Level the agency sits at: national, province, prefecture, county or township.', get: (s) => region(s)?.level ?? null },
  { name: 'province_code', type: 'STRING', description: 'GB/T 2260 code of the province-level division (省, 自治区, 直辖市).', get: (s) => region(s)?.province?.code ?? null },
  { name: 'province_name', type: 'STRING', description: 'Its name.', get: (s) => region(s)?.province?.name ?? null },
  { name: 'prefecture_code', type: 'STRING', description: 'GB/T 2260 code of the prefecture-level division (地级市, 自治州, 地区, 盟); blank for municipalities and counties directly under a province.', get: (s) => region(s)?.prefecture?.code ?? null },
  { name: 'prefecture_name', type: 'STRING', description: 'Its name.', get: (s) => region(s)?.prefecture?.name ?? null },
  { name: 'county_code', type: 'STRING', description: 'GB/T 2260 code of the county-level division (区, 县, 县级市, 旗), when the agency is at county level or below.', get: (s) => region(s)?.county?.code ?? null },
  { name: 'county_name', type: 'STRING', description: 'Its name.', get: (s) => region(s)?.county?.name ?? null },
  { name: 'township_code', type: 'STRING', description: '9-digit NBS code of the township (街道, 镇, 乡) the agency is, when listed.', get: (s) => region(s)?.township?.code ?? null },
  { name: 'township_name', type: 'STRING', description: 'Name of that township.', get: (s) => region(s)?.township?.name ?? null },
  { name: 'region_source', type: 'STRING', description: 'Where the place came from: agency (its name), listing (the listing\'s name for it) or portal (the portal\'s configured region: the name has no place).', get: (s) => region(s)?.source ?? null },
  { name: 'divisions_year', type: 'INT32', description: 'Year of the division list the codes come from (NBS 统计用区划代码 2018–2023; the latest not after the report\'s year).', get: (s) => region(s)?.divisionsYear ?? null },
  { name: 'portal_id', type: 'STRING', description: 'Portal the report was crawled from.', get: (s) => s.portalId },
  { name: 'title', type: 'STRING', description: 'Title of the document as published (listing, page metadata, download file name, or the report\'s own title).', get: (s) => s.record.title ?? null },
  { name: 'published_at', type: 'DATE', description: 'Publication date from the article page or the listing (YYYY-MM-DD).', get: (s) => s.record.publishedAt ?? null },
  { name: 'format', type: 'STRING', description: 'Source format detected from the bytes: html, pdf, docx, doc, wps, text, markdown, image (a JPEG or PNG picture, read with OCR).', get: (s) => s.record.source.format },
  { name: 'sha256', type: 'STRING', description: 'SHA-256 of the source file.', get: (s) => s.sha256 },
  { name: 'fetched_at', type: 'TIMESTAMP', description: 'When the source was fetched (ISO 8601, UTC).', get: (s) => iso(s.record.source.fetchedAt) },
  { name: 'extracted_at', type: 'TIMESTAMP', description: 'When the record was extracted (ISO 8601, UTC).', get: (s) => iso(s.extractedAt) },
  { name: 'extractor_version', type: 'STRING', description: 'nianbao version that made the record.', get: (s) => s.extractorVersion },
  { name: 'issue_codes', type: 'STRING', description: 'Distinct issue codes of the record, separated by ";" (see below).', get: (s) => s.issueCodes.join(';') },
  { name: 'n_errors', type: 'INT32', description: 'Number of issues of severity error.', get: (s) => count(s.record, 'error') },
  { name: 'n_warnings', type: 'INT32', description: 'Number of issues of severity warning.', get: (s) => count(s.record, 'warning') },
  { name: 'review_state', type: 'STRING', description: 'Human review: unreviewed, reviewed (a reviewer settled the record) or needs_source (the source itself must be found or read again). A review of other bytes than these (the document changed since) counts as unreviewed.', get: (s) => reviewOf(s)?.state ?? 'unreviewed' },
  { name: 'reviewed_fields', type: 'STRING', description: 'Fields whose value a reviewer gave (the value columns hold it, not the extracted one) or confirmed as published, separated by ";". csv-long has both values and the source of each.', get: (s) => Object.keys(reviewOf(s)?.sources ?? {}).join(';') || null },
  { name: 'reviewers', type: 'STRING', description: 'Who reviewed the record, separated by ";".', get: (s) => reviewOf(s)?.reviewers.join(';') || null },
  {
    name: 'panel_status',
    type: 'STRING',
    description:
      'The cross-year checks against the same agency\'s report of the previous year (上年结转 = last year\'s 结转下年度; 上一年项目数量, 现行有效件数 carried on; no 元/万元 jump): consistent, mismatch (panel_mismatch warnings name the fields), no_previous_year, not_comparable (no field both reports have), unchecked (failed, no year, or no agency key with a known place).',
    get: (s) => s.panel?.status ?? null,
  },
  { name: 'panel_previous_report_id', type: 'STRING', description: 'report_id of the previous year\'s report the checks compared with.', get: (s) => s.panel?.previousReportId ?? null },
];

/** The long file's columns, in order. */
export const CELL_COLUMNS: readonly { name: string; type: 'STRING' | 'INT32' | 'DOUBLE'; description: string }[] = [
  // No url: repeated on every cell row it would be a large share of a multi-GB file; report_id joins to it.
  { name: 'report_id', type: 'STRING', description: 'Id of the report: joins reports_wide.csv (url and the other report columns).' },
  { name: 'agency', type: 'STRING', description: 'Publishing agency.' },
  { name: 'year', type: 'INT32', description: 'Year the report covers.' },
  { name: 'template', type: 'STRING', description: 'Official format of the report: "2019" or "2021".' },
  { name: 'status', type: 'STRING', description: 'Status of the report: valid, flagged or failed.' },
  { name: 'field', type: 'STRING', description: 'Field code (see codebook).' },
  { name: 'section', type: 'STRING', description: 'Section of the report: proactive (二), applications (三), review (四).' },
  { name: 'value', type: 'DOUBLE', description: 'The number; blank where the source cell is blank. Money in yuan (元).' },
  { name: 'raw', type: 'STRING', description: 'The cell text as found in the source, for audit.' },
  { name: 'unit', type: 'STRING', description: 'count or yuan.' },
  { name: 'issue_codes', type: 'STRING', description: 'Codes of the issues that name this cell, separated by ";".' },
  { name: 'value_source', type: 'STRING', description: 'Where value comes from: extracted (read from the source), reviewed (entered by a reviewer) or confirmed (the extracted value, confirmed by a reviewer as published even though an identity fails).' },
  { name: 'extracted_value', type: 'DOUBLE', description: 'The value as extracted, before review (equal to value unless value_source is reviewed; blank where the cell is blank or was not located).' },
  { name: 'panel_other_report_id', type: 'STRING', description: 'Where the cell breaks a cross-year check (panel_mismatch): the previous year\'s report it was checked against.' },
  { name: 'panel_other_value', type: 'DOUBLE', description: 'What that report implies for this cell (last year\'s 结转下年度; 上一年项目数量 + 本年增/减; 现行有效件数 carried on; for a 元/万元 jump, last year\'s amount).' },
];
