/**
 * The panel and the report id across stores: generated reports of one body over two years (named
 * with and without its prefecture), a duplicate of one of them at another URL fetched later, a
 * body without a place and a report without an agency — stored in SQLite and in PostgreSQL,
 * exported from each, read back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import { extractRecord } from '../../src/extractor.js';
import { reportIdOf } from '../../src/record/report-id.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { generateReport } from '../fixtures/report.js';
import { renderTabRows } from '../fixtures/render-text.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';
import { readCsv } from './read.js';

async function report(seed: number, agency: string, year: number, uri: string, fetchedAt: string, opts: { untitled?: boolean } = {}): Promise<NianbaoRecord> {
  const rep = { ...generateReport(seed, { template: year >= 2021 ? '2021' : '2019' }), agency, year };
  let text = renderTabRows(rep);
  // No title and no agency anywhere in the text.
  if (opts.untitled) text = text.split('\n').slice(2).join('\n');
  return extractRecord(Buffer.from(text, 'utf8'), { uri, fetchedAt });
}

describe('panel.csv and report ids in SQLite and PostgreSQL', () => {
  const cases: DialectCase[] = dialectCases('panel').map((d) => d.make());
  let records: NianbaoRecord[];
  let tmp: string;
  const outs: Record<string, string> = {};

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-panel-'));
    records = [
      await report(31, '洪泽区人民政府', 2023, 'https://www.hongze.gov.cn/a/2024/1/26/a.html', '2024-02-01T00:00:00Z'),
      await report(32, '淮安市洪泽区人民政府', 2024, 'https://www.hongze.gov.cn/a/2025/1/20/b.html', '2025-02-01T00:00:00Z'),
      // The same body and year at another URL, fetched later: it is the panel's row for 2024.
      await report(33, '淮安市洪泽区人民政府', 2024, 'https://www.huaian.gov.cn/c/2025/1/22/c.html', '2025-03-01T00:00:00Z'),
      await report(34, '某某中心', 2024, 'https://example.gov.cn/d.html', '2025-02-01T00:00:00Z'),
      await report(35, '无名', 2024, 'https://example.gov.cn/e.html', '2025-02-01T00:00:00Z', { untitled: true }),
    ];
    for (const c of cases) {
      const store = await c.open();
      try {
        await store.putRecords(records.map((record) => ({ record, meta: { portalId: 'js' } })));
        outs[c.name] = join(tmp, c.name);
        await exportDataset(store, { out: outs[c.name]!, formats: ['csv-wide', 'panel', 'jsonl'], now: new Date('2025-04-01T00:00:00Z') });
      } finally {
        await store.close();
      }
    }
  });
  afterAll(async () => {
    for (const c of cases) await c.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the records carry the labels the panel needs', () => {
    expect(records.map((r) => r.agencyKey)).toEqual(['320813:人民政府', '320813:人民政府', '320813:人民政府', 'unknown:某某中心', null]);
    expect(records[4]).toMatchObject({ agency: null, status: 'flagged' });
    expect(records[4]!.issues.find((i) => i.code === 'agency_missing')?.severity).toBe('error');
    expect(records.map((r) => r.reportId)).toEqual(records.map((r) => reportIdOf(r.source.uri)));
  });

  it('gives every report the same id in SQLite and PostgreSQL', () => {
    const ids = (dialect: string) => readCsv(join(outs[dialect]!, 'reports_wide.csv')).rows.map((r) => [r.url, r.report_id]).sort();
    expect(ids('sqlite')).toEqual(ids('postgres'));
    expect(ids('sqlite').map(([url, id]) => [url, reportIdOf(url!)])).toEqual(ids('sqlite'));
    const jsonl = (dialect: string) => readFileSync(join(outs[dialect]!, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as NianbaoRecord).reportId).sort();
    expect(jsonl('sqlite')).toEqual(jsonl('postgres'));
    expect(readFileSync(join(outs.sqlite!, 'panel.csv'), 'utf8')).toBe(readFileSync(join(outs.postgres!, 'panel.csv'), 'utf8'));
  });

  it('has one row per agency and year, the latest fetched report chosen, the others listed', () => {
    const panel = readCsv(join(outs.sqlite!, 'panel.csv'));
    expect(panel.bom).toBe(true);
    expect(panel.rows.map((r) => [r.agency_key, r.year, r.n_reports])).toEqual([
      ['320813:人民政府', '2023', '1'],
      ['320813:人民政府', '2024', '2'],
      ['unknown:某某中心', '2024', '1'],
    ]);
    const [y2023, y2024] = panel.rows;
    expect(y2023).toMatchObject({ report_id: records[0]!.reportId, agency: '洪泽区人民政府', region_code: '320813', prefecture_code: '320800', province_code: '320000', county_code: '320813', region_level: 'county', other_report_ids: '' });
    expect(y2024).toMatchObject({ report_id: records[2]!.reportId, agency: '淮安市洪泽区人民政府', other_report_ids: records[1]!.reportId, fetched_at: '2025-03-01T00:00:00.000Z' });
    // The report without an agency is in the wide file, not in the panel.
    expect(readCsv(join(outs.sqlite!, 'reports_wide.csv')).rows).toHaveLength(5);
    expect(JSON.parse(readFileSync(join(outs.sqlite!, 'manifest.json'), 'utf8'))).toMatchObject({ panelSkipped: 1 });
  });
});
