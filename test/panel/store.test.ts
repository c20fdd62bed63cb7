/**
 * The panel checks through the store and the export, in SQLite and PostgreSQL: a generated panel
 * with planted breaks is stored, exported (panel_status per report, panel_mismatch warnings, the
 * other report's value beside each mismatched cell), then a report is re-extracted and a new year
 * arrives, and the verdicts follow.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import { readPanel, refreshPanel } from '../../src/panel/store.js';
import { reportIdOf } from '../../src/record/report-id.js';
import type { Store } from '../../src/store/index.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { generatePanel } from '../fixtures/panel.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';
import { readCsv } from '../export/read.js';

const panel = generatePanel(5, { agencies: 40 });
const breaks = panel.planted.filter((p) => ['carried_over', 'unit_jump', 'previous_count', 'in_force'].includes(p.kind));

describe.each(dialectCases('panel_checks'))('panel checks in $name', ({ make }) => {
  let c: DialectCase;
  let store: Store;
  let tmp: string;

  beforeAll(async () => {
    c = make();
    store = await c.open();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-panelchk-'));
    await store.putRecords(panel.records.map((record) => ({ record })));
  });
  afterAll(async () => {
    await store?.close();
    await c?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('exports panel_status, the warnings and the other report\'s values', async () => {
    const out = join(tmp, 'export');
    const summary = await exportDataset(store, { out, formats: ['csv-wide', 'csv-long', 'jsonl', 'panel'], now: new Date('2025-04-01T00:00:00Z') });
    expect(summary.reports).toBe(panel.records.length);
    const wide = readCsv(join(out, 'reports_wide.csv')).rows;
    const mismatched = wide.filter((r) => r.panel_status === 'mismatch').map((r) => r.report_id).sort();
    expect(mismatched).toEqual(breaks.map((b) => b.reportId).sort());
    for (const r of wide.filter((x) => x.panel_status === 'mismatch')) expect(r.issue_codes!.split(';')).toContain('panel_mismatch');
    // No value is changed, and the status stays what the report's own identities say.
    expect(wide.every((r) => r.status === 'valid' || r.report_id === panel.planted.find((p) => p.kind === 'failed')!.reportId)).toBe(true);
    const counts = Object.fromEntries(['consistent', 'mismatch', 'no_previous_year', 'unchecked'].map((s) => [s, wide.filter((r) => r.panel_status === s).length]));
    expect(counts).toEqual({ consistent: panel.records.length - 4 - 42 - 1, mismatch: 4, no_previous_year: 42, unchecked: 1 });

    const long = readCsv(join(out, 'cells_long.csv')).rows.filter((r) => r.panel_other_report_id);
    expect(long.map((r) => `${r.report_id} ${r.field}`).sort()).toEqual(breaks.flatMap((b) => b.fields.map((f) => `${b.reportId} ${f}`)).sort());
    const jump = long.find((r) => r.field === 'proactive.fees.amountYuan')!;
    expect([jump.value, jump.panel_other_value]).toEqual(['12340000', '1234']);
    expect(jump.issue_codes).toContain('panel_mismatch');

    const jsonl = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as NianbaoRecord);
    const co = jsonl.find((r) => r.reportId === breaks.find((b) => b.kind === 'carried_over')!.reportId)!;
    const issues = co.issues.filter((i) => i.code === 'panel_mismatch');
    expect(issues.map((i) => [i.severity, i.fields])).toEqual([
      ['warning', ['applications.carriedOver.natural']],
      ['warning', ['applications.carriedOver.total']],
    ]);
    expect(co.status).toBe('valid');
    const panelCsv = readCsv(join(out, 'panel.csv')).rows;
    expect(panelCsv.filter((r) => r.panel_status === 'mismatch').length).toBe(4);
  });

  it('re-evaluates when a report is re-extracted and when a new year arrives', async () => {
    const co = breaks.find((b) => b.kind === 'carried_over')!;
    const rec = panel.records.find((r) => r.reportId === co.reportId)!;
    const prev = panel.records.find((r) => r.agencyKey === co.agencyKey && r.year === co.year - 1)!;
    // Re-extracted right: 上年结转 is last year's 结转下年度 again.
    const fixedValues = { ...rec.values };
    for (const c of ['natural', 'total']) fixedValues[`applications.carriedOver.${c}`] = prev.values[`applications.carriedForward.${c}`] ?? null;
    const fixed: NianbaoRecord = { ...rec, source: { ...rec.source, sha256: 'f'.repeat(64) }, values: fixedValues };
    await store.putRecord(fixed);
    const r1 = await refreshPanel(store.db, { reportIds: [rec.reportId!] });
    expect(r1.agencies).toBe(1);
    let view = await readPanel(store.db);
    expect(view.get(rec.reportId!)).toMatchObject({ status: 'consistent', findings: [] });
    expect([...view.values()].filter((v) => v.status === 'mismatch').length).toBe(3);

    // 2024 arrives for the first agency, its 上年结转 one more than 2023's 结转下年度.
    const last = panel.records.filter((r) => r.agencyKey === panel.agencyKeys[0]).at(-1)!;
    const url = 'https://gov0.example.cn/xxgk/2024/report.html';
    // Carried on from 2023 everywhere the rules look, but for 上年结转's total.
    const values = { ...last.values };
    for (const c of ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'otherOrg', 'total']) values[`applications.carriedOver.${c}`] = last.values[`applications.carriedForward.${c}`] ?? null;
    for (const row of ['rules', 'normative']) Object.assign(values, { [`proactive.${row}.issued`]: 0, [`proactive.${row}.repealed`]: 0 });
    values['applications.carriedOver.total'] = (last.values['applications.carriedForward.total'] ?? 0) + 1;
    const next: NianbaoRecord = {
      ...last,
      year: 2024,
      reportId: reportIdOf(url),
      source: { ...last.source, uri: url, sha256: 'e'.repeat(64), fetchedAt: '2025-02-01T00:00:00Z' },
      values,
    };
    await store.putRecord(next);
    await refreshPanel(store.db, { reportIds: [next.reportId!] });
    view = await readPanel(store.db);
    const v = view.get(next.reportId!)!;
    expect(v.status).toBe('mismatch');
    expect(v.findings.map((f) => [f.field, f.otherReportId, f.value, f.otherValue])).toEqual([
      ['applications.carriedOver.total', last.reportId, (last.values['applications.carriedForward.total'] ?? 0) + 1, last.values['applications.carriedForward.total'] ?? 0],
    ]);
    // A full refresh agrees with the incremental ones.
    await refreshPanel(store.db);
    const full = await readPanel(store.db);
    expect([...full.entries()].sort()).toEqual([...view.entries()].sort());
  });

  it('refreshes started together, one per report as the local run starts them, agree with a full one', async () => {
    // Three agencies' reports (15), each refresh a handful of queries: enough to overlap.
    const reports = panel.records.filter((r) => panel.agencyKeys.slice(0, 3).includes(r.agencyKey!)).map((r) => r.reportId!);
    expect(reports.length).toBe(15);
    const each = await Promise.all(reports.map((id) => refreshPanel(store.db, { reportIds: [id] })));
    expect(each.every((r) => r.agencies === 1)).toBe(true);
    const together = await readPanel(store.db);
    await refreshPanel(store.db);
    expect([...together.entries()].sort()).toEqual([...(await readPanel(store.db)).entries()].sort());
  });
});
