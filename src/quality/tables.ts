/** The quality report's tables, as plain rows: the CSV files and the HTML page both read these. Pure. */
import type { QualityData } from './collect.js';

export type Cell = string | number | null;
export interface Table {
  /** File name under quality/ (without .csv). */
  name: string;
  title: string;
  header: string[];
  rows: Cell[][];
}

const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

export function qualityTables(q: QualityData): Table[] {
  const status: Cell[][] = [];
  for (const province of q.provinces) {
    const years = [...q.status.get(province)!].sort(([a], [b]) => (a ?? 0) - (b ?? 0));
    for (const [year, c] of years) status.push([province, year, c.valid ?? 0, c.flagged ?? 0, c.failed ?? 0, (c.valid ?? 0) + (c.flagged ?? 0) + (c.failed ?? 0)]);
  }
  const dupRows: Cell[][] = [];
  q.coverage.duplicates.forEach((d, i) => {
    const [chosen, ...others] = d.copies;
    const base = [d.agencyKey, d.agency, d.year, chosen!.reportId, others.map((o) => o.reportId).join(';'), d.copies.map((c) => c.url).join(' ; ')];
    const diffs = q.duplicateDifferences[i] ?? [];
    if (!diffs.length) dupRows.push([...base, null, null]);
    for (const f of diffs) dupRows.push([...base, f.field, f.values.map((v) => (v === undefined ? '(absent)' : v === null ? '(blank)' : String(v))).join(' | ')]);
  });
  return [
    { name: 'status', title: 'Reports by status, province and year', header: ['province', 'year', 'valid', 'flagged', 'failed', 'reports'], rows: status },
    { name: 'issues', title: 'Reports with each issue, by province and year', header: ['issue_code', 'province', 'year', 'reports'], rows: q.issues.map((i) => [i.code, i.province, i.year, i.reports]) },
    {
      name: 'coverage',
      title: 'Coverage: agencies with a report, by province and year',
      header: ['province_code', 'province', 'year', 'agencies_with_report', 'agencies_known', 'share'],
      rows: q.coverage.cells.map((c) => [c.provinceCode, c.provinceName, c.year, c.agencies, c.known, share(c.agencies, c.known)]),
    },
    { name: 'missing', title: 'Missing years: between an agency\'s first report and the last year held', header: ['agency_key', 'agency', 'province', 'level', 'missing_years'], rows: q.coverage.missing.map((m) => [m.agencyKey, m.agency, m.provinceName, m.level, m.years.join(';')]) },
    { name: 'duplicates', title: 'Reports in more than one copy (same agency and year, different bytes): the fields they differ in', header: ['agency_key', 'agency', 'year', 'chosen_report_id', 'other_report_ids', 'urls', 'field', 'values'], rows: dupRows },
    {
      name: 'figures',
      title: 'Headline figures: distribution and outlier fences',
      header: ['figure', 'label', 'unit', 'n', 'min', 'q1', 'median', 'q3', 'max', 'outlier_below', 'outlier_above', 'outliers'],
      rows: q.figures.map((f) => [f.def.id, f.def.label, f.def.unit, f.summary?.n ?? 0, f.summary?.min ?? null, f.summary?.q1 ?? null, f.summary?.median ?? null, f.summary?.q3 ?? null, f.summary?.max ?? null, f.summary?.low ?? null, f.summary?.high ?? null, f.outliers.length]),
    },
    { name: 'outliers', title: 'Outliers of the headline figures', header: ['figure', 'report_id', 'agency', 'province', 'year', 'value'], rows: q.figures.flatMap((f) => f.outliers.map((o) => [f.def.id, o.reportId, o.agency, o.province, o.year, o.value])) },
    {
      name: 'panel_mismatches',
      title: 'Panel mismatches: cross-year identities that do not hold (on the later report)',
      header: ['report_id', 'agency_key', 'agency', 'province', 'year', 'rule', 'strength', 'field', 'value', 'other_report_id', 'other_year', 'other_value', 'message'],
      rows: q.mismatches.map((m) => [m.reportId, m.agencyKey, m.agency, m.province, m.year, m.rule, m.strength, m.field, m.value, m.otherReportId, m.otherYear, m.otherValue, m.message]),
    },
  ];
}
