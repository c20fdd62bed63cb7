/**
 * The quality report written by the export: a generated multi-year panel with planted breaks (a
 * carried-over mismatch, a ×10,000 fee jump, soft-rule breaks, a missing year, a duplicate copy,
 * a failed report, an outlying figure) stored in SQLite and exported; the CSV tables list exactly
 * the planted problems and the HTML page is self-contained, with the data's charts inline.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import type { Store } from '../../src/store/index.js';
import { generatePanel } from '../fixtures/panel.js';
import { readCsv } from '../export/read.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';

const panel = generatePanel(23, { agencies: 40 });
// One agency reports ten million reviews in one year: an outlier of the headline figures.
const outlier = panel.records.find((r) => r.year === 2022 && r.agencyKey === panel.agencyKeys[5])!;
outlier.values['review.total'] = 10_000_000;
outlier.values['review.upheld'] = 10_000_000 - (outlier.values['review.corrected'] ?? 0) - (outlier.values['review.other'] ?? 0) - (outlier.values['review.pending'] ?? 0);

describe('quality report', () => {
  const c: DialectCase = dialectCases('quality')[0]!.make();
  let store: Store;
  let tmp: string;
  let out: string;
  let files: string[];

  beforeAll(async () => {
    store = await c.open();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-quality-'));
    out = join(tmp, 'export');
    await store.putRecords(panel.records.map((record) => ({ record })));
    files = (await exportDataset(store, { out, formats: ['csv-wide', 'quality'], now: new Date('2025-04-01T00:00:00Z') })).files;
  });
  afterAll(async () => {
    await store?.close();
    await c.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const table = (name: string) => readCsv(join(out, 'quality', `${name}.csv`)).rows;

  it('writes the page and its tables beside the data, and lists them', () => {
    for (const t of ['status', 'issues', 'coverage', 'missing', 'duplicates', 'figures', 'outliers', 'panel_mismatches']) {
      expect(files).toContain(`quality/${t}.csv`);
      expect(existsSync(join(out, 'quality', `${t}.csv`))).toBe(true);
    }
    expect(files).toContain('quality.html');
  });

  it('lists every planted cross-year break and nothing else', () => {
    const breaks = panel.planted.filter((p) => ['carried_over', 'unit_jump', 'previous_count', 'in_force'].includes(p.kind));
    expect(table('panel_mismatches').map((r) => `${r.rule} ${r.report_id} ${r.field}`).sort()).toEqual(breaks.flatMap((b) => b.fields.map((f) => `${b.kind} ${b.reportId} ${f}`)).sort());
    const jump = table('panel_mismatches').find((r) => r.rule === 'unit_jump')!;
    expect([jump.value, jump.other_value, jump.strength]).toEqual(['12340000', '1234', 'strong']);
  });

  it('lists the missing year and the duplicate with the field its copies differ in, and nothing else', () => {
    const miss = panel.planted.find((p) => p.kind === 'missing_year')!;
    expect(table('missing').map((r) => [r.agency_key, r.missing_years])).toEqual([[miss.agencyKey, String(miss.year)]]);
    const dup = panel.planted.find((p) => p.kind === 'duplicate')!;
    expect(table('duplicates').map((r) => [r.agency_key, r.year, r.chosen_report_id, r.field])).toEqual([[dup.agencyKey, String(dup.year), dup.reportId, 'proactive.licensing.decisions']]);
  });

  it('counts reports by status and coverage by province and year', () => {
    const status = table('status');
    expect(status.reduce((n, r) => n + Number(r.reports), 0)).toBe(panel.records.length);
    expect(status.reduce((n, r) => n + Number(r.failed), 0)).toBe(1);
    const cov = table('coverage');
    expect(cov.filter((r) => r.year === '2021').reduce((n, r) => n + Number(r.agencies_with_report), 0)).toBe(39);
    expect(cov.filter((r) => r.year === '2020').reduce((n, r) => n + Number(r.agencies_with_report), 0)).toBe(40);
    expect(new Set(cov.map((r) => r.province))).toEqual(new Set(['江苏省', '广东省', '四川省', '浙江省']));
    expect(table('issues').filter((r) => r.issue_code === 'panel_mismatch').reduce((n, r) => n + Number(r.reports), 0)).toBe(4);
  });

  it('marks the outlying figure', () => {
    const o = table('outliers').filter((r) => r.figure === 'review');
    expect(o.map((r) => [r.report_id, r.value])).toEqual([[outlier.reportId, '10000000']]);
    const fig = table('figures').find((r) => r.figure === 'received')!;
    expect(Number(fig.n)).toBe(panel.records.length - 1);
  });

  it('is one self-contained page: inline SVG charts of the data, no script, nothing fetched', () => {
    const page = readFileSync(join(out, 'quality.html'), 'utf8');
    expect(page.match(/<svg /g)!.length).toBeGreaterThanOrEqual(3 + 6);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\((?!#)/i);
    // Links only to the CSV files beside it (the SVG namespace is a name, not a request).
    expect([...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).every((h) => /^quality\/\w+\.csv$/.test(h!))).toBe(true);
    for (const label of ['2019', '2023', '江苏省', '四川省', 'carried_over', 'unit_jump']) expect(page).toContain(label);
  });
});
