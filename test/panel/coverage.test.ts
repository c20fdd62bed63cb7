/**
 * Coverage over a generated panel of 200 agencies × 5 years: the planted missing year and the
 * planted duplicate (same agency-year, another URL, different bytes) are found, with the field
 * the copies differ in, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { type CoverageRow, coverage, differences } from '../../src/panel/coverage.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { generatePanel } from '../fixtures/panel.js';

const row = (r: NianbaoRecord): CoverageRow => ({
  reportId: r.reportId!,
  url: r.source.uri,
  agencyKey: r.agencyKey ?? null,
  agency: r.agency,
  year: r.year,
  provinceCode: r.region?.province?.code ?? null,
  provinceName: r.region?.province?.name ?? null,
  level: r.region?.level ?? null,
  sha256: r.source.sha256,
  at: r.source.fetchedAt!,
});

describe('coverage of a generated panel', () => {
  const panel = generatePanel(11);
  const cov = coverage(panel.records.map(row));

  it('finds the missing year and nothing else', () => {
    const planted = panel.planted.filter((p) => p.kind === 'missing_year');
    expect(cov.missing.map((m) => [m.agencyKey, m.years])).toEqual(planted.map((p) => [p.agencyKey, [p.year]]));
  });

  it('finds the duplicate copy and how it differs, and nothing else', () => {
    const planted = panel.planted.filter((p) => p.kind === 'duplicate');
    expect(cov.duplicates.map((d) => [d.agencyKey, d.year])).toEqual(planted.map((p) => [p.agencyKey, p.year]));
    const dup = cov.duplicates[0]!;
    // The later fetched copy first, as the panel chooses it.
    expect(dup.copies[0]!.reportId).toBe(planted[0]!.reportId);
    const copies = dup.copies.map((c) => panel.records.find((r) => r.reportId === c.reportId)!);
    expect(differences(copies).map((d) => d.field)).toEqual(planted[0]!.fields);
    const d = differences(copies)[0]!;
    expect(d.values[0]).toBe((d.values[1] ?? 0) + 5);
  });

  it('counts agencies per province and year', () => {
    expect(cov.years).toEqual([2019, 2020, 2021, 2022, 2023]);
    expect(cov.unkeyed).toBe(0);
    const total = (y: number) => cov.cells.filter((c) => c.year === y).reduce((n, c) => n + c.agencies, 0);
    expect(total(2021)).toBe(199);
    expect(total(2020)).toBe(200);
    expect(cov.cells.every((c) => c.known === 50)).toBe(true);
  });

  it('treats copies with the same bytes as one report', () => {
    const r = panel.records[0]!;
    const mirror = { ...row(r), reportId: 'ffffffffffffffff', url: 'https://mirror.example.cn/a.html' };
    expect(coverage([row(r), mirror]).duplicates).toEqual([]);
  });
});
