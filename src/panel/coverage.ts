/**
 * Coverage of the panel: which agencies have reports for which years, which years are missing,
 * and which agency-years exist in more than one copy (two URLs, different bytes) and how the
 * copies differ. Pure: light rows in, tables out.
 */
import { checkableKey } from './checks.js';

export interface CoverageRow {
  reportId: string;
  url: string;
  agencyKey: string | null;
  agency: string | null;
  year: number | null;
  /** The province's code and name; null for central bodies and unknown places. */
  provinceCode: string | null;
  provinceName: string | null;
  level: string | null;
  sha256: string;
  at: string;
}

export interface CoverageCell {
  provinceCode: string | null;
  provinceName: string;
  year: number;
  /** Agencies of the province with a report for the year. */
  agencies: number;
  /** Agencies of the province with a report for any year. */
  known: number;
}

export interface MissingYears {
  agencyKey: string;
  agency: string | null;
  provinceName: string;
  level: string | null;
  years: number[];
}

export interface DuplicateCopy {
  reportId: string;
  url: string;
  sha256: string;
  at: string;
}

export interface Duplicate {
  agencyKey: string;
  agency: string | null;
  year: number;
  copies: DuplicateCopy[];
}

export interface Coverage {
  years: number[];
  cells: CoverageCell[];
  /**
   * Per agency, the years between its first report and the last year the store holds for which it
   * has none: a gap, or a report not (yet) found.
   */
  missing: MissingYears[];
  duplicates: Duplicate[];
  /** Reports that cannot join a panel: no year, or no agency key with a known place. */
  unkeyed: number;
}

const CENTRAL = '中央 (national)';
const UNKNOWN = '(unknown)';

export function coverage(rows: Iterable<CoverageRow>): Coverage {
  const byAgency = new Map<string, { agency: string | null; province: string; provinceCode: string | null; level: string | null; years: Map<number, CoverageRow[]> }>();
  const allYears = new Set<number>();
  let unkeyed = 0;
  for (const r of rows) {
    if (r.year === null || !checkableKey(r.agencyKey)) {
      unkeyed++;
      continue;
    }
    allYears.add(r.year);
    const province = r.provinceName ?? (r.agencyKey.startsWith('000000:') ? CENTRAL : UNKNOWN);
    const a = byAgency.get(r.agencyKey) ?? { agency: r.agency, province, provinceCode: r.provinceCode, level: r.level, years: new Map() };
    byAgency.set(r.agencyKey, a);
    const list = a.years.get(r.year) ?? [];
    list.push(r);
    a.years.set(r.year, list);
  }
  const years = [...allYears].sort((x, y) => x - y);
  const last = years.at(-1) ?? 0;

  const cellMap = new Map<string, CoverageCell>();
  const known = new Map<string, number>();
  const missing: MissingYears[] = [];
  const duplicates: Duplicate[] = [];
  for (const [agencyKey, a] of [...byAgency].sort(([x], [y]) => (x < y ? -1 : 1))) {
    known.set(a.province, (known.get(a.province) ?? 0) + 1);
    const own = [...a.years.keys()].sort((x, y) => x - y);
    for (const y of own) {
      const k = `${a.province}\u0000${y}`;
      const cell = cellMap.get(k) ?? { provinceCode: a.provinceCode, provinceName: a.province, year: y, agencies: 0, known: 0 };
      cell.agencies++;
      cellMap.set(k, cell);
    }
    const gaps: number[] = [];
    for (let y = own[0]!; y <= last; y++) if (!a.years.has(y)) gaps.push(y);
    if (gaps.length) missing.push({ agencyKey, agency: a.agency, provinceName: a.province, level: a.level, years: gaps });
    for (const y of own) {
      const list = a.years.get(y)!;
      // Copies with the same bytes are mirrors of one file, not different versions.
      const distinct = new Map<string, CoverageRow>();
      for (const r of list) if (!distinct.has(r.sha256)) distinct.set(r.sha256, r);
      if (distinct.size > 1) {
        const copies = [...distinct.values()].sort((p, q) => Date.parse(q.at) - Date.parse(p.at) || (p.reportId < q.reportId ? 1 : -1));
        duplicates.push({ agencyKey, agency: a.agency, year: y, copies: copies.map((c) => ({ reportId: c.reportId, url: c.url, sha256: c.sha256, at: c.at })) });
      }
    }
  }
  const cells = [...cellMap.values()].map((c) => ({ ...c, known: known.get(c.provinceName) ?? 0 }));
  cells.sort((p, q) => (p.provinceCode ?? 'zz').localeCompare(q.provinceCode ?? 'zz') || p.provinceName.localeCompare(q.provinceName) || p.year - q.year);
  return { years, cells, missing, duplicates, unkeyed };
}

export interface FieldDifference {
  field: string;
  /** Each copy's value, in the order given (undefined: the copy lacks the field). */
  values: (number | null | undefined)[];
}

/** The fields whose values differ between copies of one report. */
export function differences(copies: readonly { values: Readonly<Record<string, number | null>> }[]): FieldDifference[] {
  const fields = new Set<string>();
  for (const c of copies) for (const f of Object.keys(c.values)) fields.add(f);
  const out: FieldDifference[] = [];
  for (const field of fields) {
    const values = copies.map((c) => (field in c.values ? c.values[field] : undefined));
    if (values.some((v) => v !== values[0])) out.push({ field, values });
  }
  return out;
}
