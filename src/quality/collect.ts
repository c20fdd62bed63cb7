/**
 * Collects what the quality report shows while records stream past (export, serve): counts by
 * status and issue per province and year, the headline figures, coverage rows and the panel
 * mismatches. Memory is a few small numbers per record.
 */
import { type Coverage, type CoverageRow, type FieldDifference, coverage, differences } from '../panel/coverage.js';
import { PANEL_STATUSES, type PanelFinding, type PanelStatus } from '../panel/checks.js';
import type { StoredRecord } from '../store/records.js';
import { FIGURES_DEFS, type FigureDef, type Summary, figureValue, isOutlier, summarize } from './figures.js';

export interface FigurePoint {
  reportId: string;
  agency: string | null;
  year: number | null;
  province: string;
  value: number;
}

export interface FigureStats {
  def: FigureDef;
  summary: Summary | null;
  points: FigurePoint[];
  outliers: FigurePoint[];
}

export interface Mismatch extends PanelFinding {
  agency: string | null;
  province: string;
}

export interface QualityData {
  createdAt: string;
  reports: number;
  byStatus: Record<string, number>;
  years: number[];
  provinces: string[];
  /** province → year → status → reports. */
  status: Map<string, Map<number | null, Record<string, number>>>;
  /** issue code → severity seen, province → reports having it. */
  issues: { code: string; province: string; year: number | null; reports: number }[];
  figures: FigureStats[];
  coverage: Coverage;
  /** Per duplicate (same order as coverage.duplicates): the fields its copies differ in. */
  duplicateDifferences: FieldDifference[][];
  mismatches: Mismatch[];
  panelStatus: Record<PanelStatus | 'not_run', number>;
}

const CENTRAL = '中央 (national)';
const UNKNOWN = '(unknown)';

export function provinceOf(s: StoredRecord): string {
  const r = s.record;
  return r.region?.province?.name ?? (r.region?.level === 'national' || r.agencyKey?.startsWith('000000:') ? CENTRAL : UNKNOWN);
}

export class QualityCollector {
  private reports = 0;
  private readonly byStatus: Record<string, number> = { valid: 0, flagged: 0, failed: 0 };
  private readonly status = new Map<string, Map<number | null, Record<string, number>>>();
  private readonly issues = new Map<string, number>();
  private readonly points = new Map<string, FigurePoint[]>(FIGURES_DEFS.map((d) => [d.id, []]));
  private readonly rows: CoverageRow[] = [];
  private readonly mismatches: Mismatch[] = [];
  private readonly panelStatus: Record<PanelStatus | 'not_run', number> = { ...Object.fromEntries(PANEL_STATUSES.map((s) => [s, 0])), not_run: 0 } as Record<PanelStatus | 'not_run', number>;
  private readonly years = new Set<number>();

  add(s: StoredRecord): void {
    const r = s.record;
    const province = provinceOf(s);
    this.reports++;
    this.byStatus[r.status] = (this.byStatus[r.status] ?? 0) + 1;
    if (r.year !== null) this.years.add(r.year);
    const py = this.status.get(province) ?? new Map<number | null, Record<string, number>>();
    this.status.set(province, py);
    const counts = py.get(r.year) ?? { valid: 0, flagged: 0, failed: 0 };
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    py.set(r.year, counts);
    for (const code of new Set(r.issues.map((i) => i.code))) {
      const k = `${code}\u0000${province}\u0000${r.year ?? ''}`;
      this.issues.set(k, (this.issues.get(k) ?? 0) + 1);
    }
    if (r.status !== 'failed') {
      for (const def of FIGURES_DEFS) {
        const v = figureValue(def, r.values);
        if (v !== undefined) this.points.get(def.id)!.push({ reportId: s.reportId, agency: r.agency, year: r.year, province, value: v });
      }
    }
    this.rows.push({
      reportId: s.reportId,
      url: s.url,
      agencyKey: r.agencyKey ?? null,
      agency: r.agency,
      year: r.year,
      provinceCode: r.region?.province?.code ?? null,
      provinceName: r.region?.province?.name ?? null,
      level: r.region?.level ?? null,
      sha256: s.sha256,
      at: r.source.fetchedAt ?? s.extractedAt,
    });
    this.panelStatus[s.panel?.status ?? 'not_run']++;
    for (const f of s.panel?.findings ?? []) this.mismatches.push({ ...f, agency: r.agency, province });
  }

  /** The report's data; `valuesOf` reads a duplicate copy's values (from the store) to list how the copies differ. */
  async finish(valuesOf: (url: string) => Promise<Readonly<Record<string, number | null>> | null>, now: Date = new Date()): Promise<QualityData> {
    const cov = coverage(this.rows);
    const duplicateDifferences: FieldDifference[][] = [];
    for (const d of cov.duplicates) {
      const copies = [];
      for (const c of d.copies) copies.push({ values: (await valuesOf(c.url)) ?? {} });
      duplicateDifferences.push(differences(copies));
    }
    const figures = FIGURES_DEFS.map((def) => {
      const points = this.points.get(def.id)!;
      const summary = summarize(points.map((p) => p.value), def.scale);
      const outliers = summary ? points.filter((p) => isOutlier(summary, p.value)).sort((a, b) => b.value - a.value) : [];
      return { def, summary, points, outliers };
    });
    const issues = [...this.issues].map(([k, reports]) => {
      const [code, province, year] = k.split('\u0000') as [string, string, string];
      return { code, province, year: year === '' ? null : Number(year), reports };
    });
    issues.sort((a, b) => a.code.localeCompare(b.code) || a.province.localeCompare(b.province) || (a.year ?? 0) - (b.year ?? 0));
    return {
      createdAt: now.toISOString(),
      reports: this.reports,
      byStatus: this.byStatus,
      years: [...this.years].sort((a, b) => a - b),
      provinces: [...this.status.keys()].sort(),
      status: this.status,
      issues,
      figures,
      coverage: cov,
      duplicateDifferences,
      mismatches: this.mismatches.sort((a, b) => a.agencyKey.localeCompare(b.agencyKey) || a.year - b.year || a.field.localeCompare(b.field)),
      panelStatus: this.panelStatus,
    };
  }
}
