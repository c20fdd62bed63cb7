/**
 * panel.csv: one row per agency and year (agencyKey × year), so a researcher sees the 2019 and
 * 2024 reports of one body side by side. Where a body has several reports for one year (the same
 * report at two URLs, a corrected re-upload), the latest fetched one is the row and the others
 * are listed in it. Records without an agency key or a year are left out and counted.
 */
import type { StoredRecord } from '../store/index.js';
import { latestFirst } from '../panel/choose.js';
import { type Cell, REPORT_COLUMNS } from './columns.js';

/** The report columns the panel repeats from its chosen report, after agency_key and year. */
const FROM_REPORT = [
  'report_id', 'agency', 'agency_normalized', 'agency_type', 'region_code', 'region_name', 'region_level', 'province_code', 'province_name',
  'prefecture_code', 'prefecture_name', 'county_code', 'county_name', 'template', 'status', 'panel_status', 'title', 'published_at', 'fetched_at', 'url',
] as const;

export const PANEL_COLUMNS: readonly { name: string; type: string; description: string }[] = [
  { name: 'agency_key', type: 'STRING', description: 'Panel key of the agency (see report columns).' },
  { name: 'year', type: 'INT32', description: 'Year the report covers.' },
  ...FROM_REPORT.map((n) => {
    const c = REPORT_COLUMNS.find((x) => x.name === n)!;
    return { name: n, type: c.type, description: n === 'report_id' ? 'The report chosen for this agency and year: the latest fetched.' : c.description };
  }),
  { name: 'n_reports', type: 'INT32', description: 'Reports of this agency for this year in the export (1 unless duplicated).' },
  { name: 'other_report_ids', type: 'STRING', description: 'report_id of the other reports of this agency and year, latest fetched first, separated by ";".' },
];

interface Entry {
  /** When it was fetched (else extracted): the latest wins. */
  at: string;
  reportId: string;
  row: Cell[];
}

const byName = new Map(REPORT_COLUMNS.map((c) => [c.name, c]));

/** Collects the panel while the export streams records; memory is one small row per record. */
export class PanelBuilder {
  private readonly groups = new Map<string, Entry[]>();
  skipped = 0;

  add(s: StoredRecord): void {
    const { agencyKey, year } = s.record;
    if (!agencyKey || year === null) {
      this.skipped++;
      return;
    }
    const key = `${agencyKey}\u0000${year}`;
    const entry: Entry = { at: s.record.source.fetchedAt ?? s.extractedAt, reportId: s.reportId, row: [agencyKey, year, ...FROM_REPORT.map((n) => byName.get(n)!.get(s))] };
    const list = this.groups.get(key) ?? [];
    list.push(entry);
    this.groups.set(key, list);
  }

  /** Rows sorted by agency key and year; in each, the latest fetched report (ties: the larger report id, so the choice is the same in every store). */
  rows(): Cell[][] {
    const out: Cell[][] = [];
    const keys = [...this.groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      const list = [...this.groups.get(k)!].sort(latestFirst);
      const [first, ...rest] = list;
      out.push([...first!.row, list.length, rest.map((e) => e.reportId).join(';') || null]);
    }
    return out;
  }
}
