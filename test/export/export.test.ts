/**
 * Export end to end, on both dialects: real records (the shared reports through the extractor), a
 * real failed record and a constructed one with awkward text, exported in every format and read
 * back — CSV with an independent parser, Parquet with hyparquet — value by value.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { defaultExportDir, parseYears } from '../../src/commands/export.js';
import { EXPORT_FORMATS, type ExportSummary, exportDataset, exportFields } from '../../src/export/index.js';
import type { RecordMeta, Store, StoredRecord } from '../../src/store/index.js';
import { ISSUE_CODES, type NianbaoRecord } from '../../src/validate/schema.js';
import { sharedAvailable } from '../helpers/shared.js';
import { type DialectCase, byFile, dialectCases, emptyFileRecord, realRecords } from '../store/fixtures.js';
import { readCsv } from './read.js';

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

function metaFor(r: NianbaoRecord): RecordMeta {
  const a = r.agency ?? '';
  if (a.includes('广州')) return { regionCode: '440112', regionName: '黄埔区', portalId: 'gd' };
  if (a.includes('湛江') || a.includes('雷州')) return { regionCode: '440882', regionName: '雷州市', portalId: 'gd' };
  if (a.includes('南通')) return { regionCode: '320684', regionName: '海门区', portalId: 'js' };
  return { regionCode: '320813', regionName: '洪泽区', portalId: 'js' };
}

describe.skipIf(!sharedAvailable()).each(dialectCases('export'))('export on $name', ({ make }) => {
  let c: DialectCase;
  let store: Store;
  let records: NianbaoRecord[];
  let stored: StoredRecord[];
  let tmp: string;
  let out: string;
  let summary: ExportSummary;

  beforeAll(async () => {
    c = make();
    store = await c.open();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-export-'));
    const real = await realRecords();
    const seed = byFile(real, '002_c8ae97ba96c85194.txt');
    // Text a CSV writer must quote, a negative change, money with fen.
    const tricky: NianbaoRecord = {
      ...seed,
      source: { ...seed.source, uri: 'https://tricky.gov.cn/a,b.html', sha256: 'e'.repeat(64) },
      agency: '南通市"测试"局,办公室\n二处',
      values: { ...seed.values, 'proactive.licensing.change': -3, 'proactive.procurement.amountYuan': 12345.6 },
      raw: { ...seed.raw, 'proactive.licensing.change': '-3', 'proactive.procurement.amountYuan': '1.23456万元' },
    };
    records = [...real, await emptyFileRecord(), tricky];
    await store.putRecords(records.map((record) => ({ record, meta: { ...metaFor(record), extractedAt: '2024-03-05T00:00:00Z' } })));
    stored = [];
    for await (const s of store.listRecords()) stored.push(s);
    out = join(tmp, 'all');
    summary = await exportDataset(store, { out, formats: [...EXPORT_FORMATS], now: new Date('2024-03-06T00:00:00Z') });
  });
  afterAll(async () => {
    await store?.close();
    await c?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('writes every file, complete, and says what it wrote', () => {
    expect(summary).toMatchObject({ reports: 10, byStatus: { valid: 8, flagged: 1, failed: 1 }, fields: 226, unknownFields: [] });
    expect(readdirSync(out).sort()).toEqual(
      ['README.txt', 'cells_long.csv', 'codebook.csv', 'codebook.json', 'manifest.json', 'panel.csv', 'records.jsonl', 'reports.parquet', 'reports_wide.csv', 'reports_wide.do'],
    );
    expect(summary.files.sort()).toEqual(readdirSync(out).sort());
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ createdAt: '2024-03-06T00:00:00.000Z', reports: 10, cells: summary.cells, filter: {} });
  });

  it('wide CSV: BOM, metadata then every field in codebook order, each value exact, null → empty', () => {
    const wide = readCsv(join(out, 'reports_wide.csv'));
    expect(wide.bom).toBe(true);
    const fields = exportFields().map((f) => f.code);
    expect(wide.header.slice(0, 9)).toEqual(['report_id', 'url', 'agency', 'agency_normalized', 'agency_type', 'agency_key', 'year', 'template', 'status']);
    expect(wide.header.slice(-226)).toEqual(fields);
    expect(wide.header.every((h) => /^[A-Za-z0-9_.]+$/.test(h))).toBe(true);
    expect(wide.rows).toHaveLength(records.length);

    for (const s of stored) {
      const row = wide.rows.find((r) => r.url === s.url)!;
      expect(row.report_id).toBe(s.reportId);
      expect(row.report_id).toMatch(/^[0-9a-f]{16}$/);
      expect(row.agency).toBe(s.record.agency ?? '');
      expect(row.year).toBe(cell(s.record.year));
      expect(row.template).toBe(s.record.template ?? '');
      expect(row.status).toBe(s.record.status);
      // The record's own region where it has one, else the one stored beside it.
      expect(row.region_code).toBe(s.record.region ? (s.record.region.code ?? '') : metaFor(s.record).regionCode);
      expect(row.agency_key).toBe(s.record.agencyKey ?? '');
      expect(row.issue_codes).toBe([...new Set(s.record.issues.map((i) => i.code))].sort().join(';'));
      for (const f of fields) expect(row[f], `${s.url} ${f}`).toBe(cell(s.record.values[f]));
    }

    const by = (file: string) => wide.rows.find((r) => r.url!.endsWith(file))!;
    expect(by('000_fe63b0f92ece0c02.txt')['proactive.procurement.amountYuan']).toBe('200326');
    expect(by('000_fe63b0f92ece0c02.txt')['proactive.rules.issued']).toBe(''); // a 2021 field in a 2019 report
    expect(by('002_c8ae97ba96c85194.txt')['applications.newReceived.total']).toBe(''); // blank in the source
    expect(by('002_c8ae97ba96c85194.txt')).toMatchObject({ issue_codes: 'blank_cells', n_errors: '0', n_warnings: '1', status: 'valid' });
    expect(by('009.pdftext.txt')['proactive.fees.amountYuan']).toBe('961716000');
    expect(by('009.pdftext.txt')['applications.other.other.total']).toBe('110');
    expect(by('009.pdftext.txt')['applications.other.total']).toBe('');
    // An aggregated （六）: the value is in applications.other.*, the 2021 sub-rows are empty.
    expect(by('010.pdftext.txt')).toMatchObject({ 'applications.other.natural': '0', 'applications.other.noCorrection.natural': '', status: 'flagged', issue_codes: 'identity_failed;row_aggregated', n_errors: '2' });
    expect(by('empty.pdf')).toMatchObject({ status: 'failed', template: '', agency: '某县人民政府', year: '2021', issue_codes: 'empty_file' });
    expect(fields.every((f) => by('empty.pdf')[f] === '')).toBe(true);
    const tricky = by('a,b.html');
    expect(tricky).toMatchObject({ agency: '南通市"测试"局,办公室\n二处', 'proactive.licensing.change': '-3', 'proactive.procurement.amountYuan': '12345.6' });
    // No thousands separators, no exponents anywhere in the file.
    expect(wide.text).toContain(',961716000,');
    expect(wide.rows.every((r) => fields.every((f) => /^(-?\d+(\.\d+)?)?$/.test(r[f]!)))).toBe(true);
  });

  it('long CSV: one row per cell the record has, with section, raw text, unit and the cell\'s issues', () => {
    const long = readCsv(join(out, 'cells_long.csv'));
    expect(long.bom).toBe(true);
    expect(long.header).toEqual(['report_id', 'agency', 'year', 'template', 'status', 'field', 'section', 'value', 'raw', 'unit', 'issue_codes', 'value_source', 'extracted_value', 'panel_other_report_id', 'panel_other_value']);
    expect(long.rows).toHaveLength(records.reduce((n, r) => n + Object.keys(r.values).length, 0));
    expect(long.rows).toHaveLength(summary.cells);
    const fieldOrder = exportFields().map((f) => f.code);
    for (const s of stored) {
      const rows = long.rows.filter((r) => r.report_id === s.reportId);
      expect(rows.map((r) => r.field)).toEqual(fieldOrder.filter((f) => f in s.record.values));
      for (const r of rows) {
        expect(r).toMatchObject({ agency: s.record.agency ?? '', year: cell(s.record.year), template: s.record.template ?? '', status: s.record.status });
        expect(r.value).toBe(cell(s.record.values[r.field!]));
        expect(r.raw).toBe(s.record.raw[r.field!] ?? '');
      }
    }
    const idOf = (file: string) => stored.find((s) => s.url.endsWith(file))!.reportId;
    const find = (file: string, field: string) => long.rows.find((r) => r.report_id === idOf(file) && r.field === field)!;
    expect(find('002_c8ae97ba96c85194.txt', 'proactive.procurement.amountYuan')).toMatchObject({ value: '838778', raw: '83.8778万元', unit: 'yuan', section: 'proactive', issue_codes: '' });
    expect(find('002_c8ae97ba96c85194.txt', 'applications.granted.natural')).toMatchObject({ value: '', raw: '', unit: 'count', section: 'applications', issue_codes: 'blank_cells' });
    expect(find('010.pdftext.txt', 'review.upheld')).toMatchObject({ issue_codes: 'identity_failed', template: '2021', status: 'flagged' });
    expect(find('009.pdftext.txt', 'proactive.fees.amountYuan')).toMatchObject({ value: '961716000', raw: '96171.6', unit: 'yuan' });
    expect(find('a,b.html', 'proactive.procurement.amountYuan')).toMatchObject({ value: '12345.6', raw: '1.23456万元', agency: '南通市"测试"局,办公室\n二处' });
    expect(long.rows.some((r) => r.report_id === idOf('empty.pdf'))).toBe(false);
  });

  it('JSON Lines: the records as stored, each with its report id, region and portal', () => {
    const lines = readFileSync(join(out, 'records.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((l) => JSON.parse(l) as NianbaoRecord);
    expect(parsed).toEqual(stored.map((s) => ({ ...s.record, reportId: s.reportId, portalId: s.record.portalId ?? s.portalId })));
    expect(stored.map((s) => s.record)).toEqual(records);
    for (const r of parsed) {
      expect(r.reportId).toMatch(/^[0-9a-f]{16}$/);
      expect(r.portalId).toMatch(/^(gd|js)$/);
      expect(r).toHaveProperty('region');
    }
    expect(parsed.find((r) => r.source.uri.endsWith('009.pdftext.txt'))!.region).toMatchObject({ code: '320800', level: 'prefecture', province: { code: '320000', name: '江苏省' }, prefecture: { code: '320800', name: '淮安市' }, county: null });
  });

  it('Parquet: the wide table, typed, read back with hyparquet', async () => {
    const file = await asyncBufferFromFile(join(out, 'reports.parquet'));
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(records.length);
    const fields = exportFields().map((f) => f.code);
    for (const s of stored) {
      const row = rows.find((r) => r.url === s.url)!;
      expect(row.report_id).toBe(s.reportId);
      expect(row.year).toBe(s.record.year);
      expect(row.agency).toBe(s.record.agency);
      expect(row.template).toBe(s.record.template);
      expect(row.region_name).toBe(s.record.region ? s.record.region.name : metaFor(s.record).regionName);
      expect(row.province_code).toBe(s.record.region?.province?.code ?? null);
      expect(row.extracted_at).toEqual(new Date(s.extractedAt));
      for (const f of fields) expect(row[f], `${s.url} ${f}`).toBe(s.record.values[f] ?? null);
    }
    const meta = await parquetMetadataAsync(file);
    expect(meta.schema.slice(1).map((e) => e.name)).toEqual(readCsv(join(out, 'reports_wide.csv')).header);
    // One type per column: codes and template as text, dates and timestamps typed.
    const el = (n: string) => meta.schema.find((e) => e.name === n)!;
    for (const n of ['report_id', 'template', 'region_code', 'province_code', 'prefecture_code', 'county_code', 'agency_key']) expect(el(n), n).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(el('year')).toMatchObject({ type: 'INT32' });
    expect(el('published_at')).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    for (const n of ['fetched_at', 'extracted_at']) expect(el(n), n).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' });
    expect(meta.key_value_metadata?.find((kv) => kv.key === 'nianbao.exportedAt')?.value).toBe('2024-03-06T00:00:00.000Z');
  });

  it('Parquet: rows stream out in row groups, none lost at group edges', async () => {
    const dir = join(tmp, 'groups');
    await exportDataset(store, { out: dir, formats: ['parquet'], parquetRowGroupSize: 3 });
    const file = await asyncBufferFromFile(join(dir, 'reports.parquet'));
    expect((await parquetMetadataAsync(file)).row_groups.map((g) => Number(g.num_rows))).toEqual([3, 3, 3, 1]);
    const rows = await parquetReadObjects({ file });
    expect(rows.map((r) => r.report_id)).toEqual(stored.map((s) => s.reportId));
    expect(rows.map((r) => r['applications.newReceived.total'])).toEqual(stored.map((s) => s.record.values['applications.newReceived.total'] ?? null));
  });

  it('Stata: a do-file renames every column of reports_wide.csv, in order, to a valid unique name of ≤ 32 characters', () => {
    const header = readCsv(join(out, 'reports_wide.csv')).header;
    const doFile = readFileSync(join(out, 'reports_wide.do'), 'utf8');
    const renames = [...doFile.matchAll(/^rename v(\d+) (\S+)$/gm)].map((m) => [Number(m[1]), m[2]!] as const);
    expect(renames.map(([i]) => i)).toEqual(header.map((_, i) => i + 1));
    const names = renames.map(([, n]) => n);
    expect(new Set(names).size).toBe(header.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
    const book = readCsv(join(out, 'codebook.csv')).rows;
    const byCode = new Map(book.map((r) => [r.field, r.stata_name]));
    header.forEach((h, i) => expect(names[i]).toBe(byCode.get(h) ?? h));
    expect(doFile).toContain('label variable app_denied_secret_nat "applications.denied.stateSecret.natural: ');
    expect(doFile).toMatch(/^import delimited using "reports_wide.csv", varnames\(nonames\) rowrange\(2\)/m);
  });

  it('codebook CSV and JSON: one row per field, from the templates', () => {
    const book = readCsv(join(out, 'codebook.csv'));
    expect(book.bom).toBe(true);
    expect(book.header).toEqual(['field', 'stata_name', 'section', 'section_title', 'row_code', 'row_label', 'column_code', 'column_label', 'unit', 'kind', 'templates']);
    expect(book.rows.map((r) => r.field)).toEqual(exportFields().map((f) => f.code));
    expect(book.rows.find((r) => r.field === 'applications.other.unpaidFee.legal')).toEqual({
      field: 'applications.other.unpaidFee.legal',
      stata_name: 'app_other_unpaidFee_law',
      section: 'applications',
      section_title: '三、收到和处理政府信息公开申请情况',
      row_code: 'applications.other.unpaidFee',
      row_label: '三、本年度办理结果 > （六）其他处理 > 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      column_code: 'legal',
      column_label: '法人或其他组织 > 法律服务机构',
      unit: 'count',
      kind: 'count',
      templates: '2021',
    });
    expect(book.rows.find((r) => r.field === 'proactive.procurement.amountYuan')).toMatchObject({ unit: 'yuan', kind: 'money', templates: '2019', column_label: '采购总金额' });
    const json = JSON.parse(readFileSync(join(out, 'codebook.json'), 'utf8'));
    expect(json.fields).toEqual(book.rows);
    expect(json.issueCodes).toEqual(ISSUE_CODES);
  });

  it('README.txt explains every status and issue code', () => {
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    for (const [code, text] of Object.entries(ISSUE_CODES)) expect(readme).toMatch(new RegExp(`\\n  ${code} +${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    for (const s of ['valid', 'flagged', 'failed']) expect(readme).toMatch(new RegExp(`\\n  ${s} +\\S`));
    expect(readme).toContain('Reports:  10 (valid 8, flagged 1, failed 1)');
  });

  it('filters: year and template narrow the rows and the columns', async () => {
    const dir = join(tmp, 'y2020');
    const s = await exportDataset(store, { out: dir, formats: ['csv-wide', 'parquet'], filter: { year: 2020, template: '2019' } });
    expect(s.fields).toBe(198);
    const wide = readCsv(join(dir, 'reports_wide.csv'));
    expect(wide.rows.map((r) => r.url!.slice(r.url!.lastIndexOf('/') + 1)).sort()).toEqual([
      '000_fe63b0f92ece0c02.txt', '001_bb53b48cecce1603.txt', '002_c8ae97ba96c85194.txt', '003_d14d7889243b97c8.txt', '004_646b8e8d4d5b8db8.txt', 'a,b.html',
    ]);
    expect(wide.header).not.toContain('proactive.rules.issued');
    expect(readCsv(join(dir, 'codebook.csv')).rows).toHaveLength(198);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, 'reports.parquet')) });
    expect(rows).toHaveLength(6);
    expect(readFileSync(join(dir, 'README.txt'), 'utf8')).toContain('Filter:   year=2020  template=2019');
  });

  it('filters: status, region prefix, region name', async () => {
    const urls = async (filter: Parameters<typeof exportDataset>[1]['filter'], sub: string) => {
      await exportDataset(store, { out: join(tmp, sub), formats: ['jsonl'], filter });
      return readFileSync(join(tmp, sub, 'records.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as NianbaoRecord).source.uri.replace(/^.*\//, ''));
    };
    expect(await urls({ status: 'flagged' }, 'flagged')).toEqual(['010.pdftext.txt']);
    expect(await urls({ status: ['failed', 'flagged'] }, 'bad')).toEqual(['010.pdftext.txt', 'empty.pdf']);
    expect((await urls({ region: '44' }, 'gd')).sort()).toEqual(['000_fe63b0f92ece0c02.txt', '001_bb53b48cecce1603.txt', '003_d14d7889243b97c8.txt']);
    expect(await urls({ region: '海门区' }, 'haimen')).toEqual(['002_c8ae97ba96c85194.txt', 'a,b.html']);
  });

  it('an empty selection still gives headers, an empty Parquet file and a codebook', async () => {
    const dir = join(tmp, 'none');
    const s = await exportDataset(store, { out: dir, formats: [...EXPORT_FORMATS], filter: { year: 1999 } });
    expect(s.reports).toBe(0);
    expect(readCsv(join(dir, 'reports_wide.csv')).rows).toEqual([]);
    expect(readCsv(join(dir, 'cells_long.csv')).rows).toEqual([]);
    expect(readFileSync(join(dir, 'records.jsonl'), 'utf8')).toBe('');
    expect(await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, 'reports.parquet')) })).toEqual([]);
    expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false);
  });

});

describe.skipIf(!sharedAvailable())('nianbao export (command line)', () => {
  let c: DialectCase;
  let tmp: string;
  beforeAll(async () => {
    c = dialectCases('export-cli').find((d) => d.name === 'sqlite')!.make();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-export-cli-'));
    const store = await c.open();
    try {
      await store.putRecords((await realRecords()).map((record) => ({ record, meta: metaFor(record) })));
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await c?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('exports a SQLite store with filters; refuses bad options (exit 2) and a missing store (exit 1)', async () => {
    const io = { outs: [] as string[], errs: [] as string[] };
    const run = (args: string[]) => main(['node', 'nianbao', ...args], { out: (s) => io.outs.push(s), err: (s) => io.errs.push(s) });
    const dir = join(tmp, 'cli');
    expect(await run(['export', '--db', c.url, '--out', dir, '--format', 'csv-wide,jsonl', '--year', '2023-2024', '--status', 'valid'])).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.txt', 'codebook.csv', 'codebook.json', 'manifest.json', 'records.jsonl', 'reports_wide.csv', 'reports_wide.do']);
    expect(readCsv(join(dir, 'reports_wide.csv')).rows.map((r) => r.url!.replace(/^.*\//, ''))).toEqual(['009.pdftext.txt', '011.pdftext.txt']);
    expect(io.outs.join('')).toContain('Exported 2 reports (valid 2, flagged 0, failed 0)');

    expect(await run(['export', '--db', c.url, '--out', dir, '--format', 'xlsx'])).toBe(2);
    expect(await run(['export', '--db', c.url, '--out', dir, '--status', 'ok'])).toBe(2);
    expect(await run(['export', '--db', c.url, '--out', dir, '--year', '20'])).toBe(2);
    expect(await run(['export', '--db', join(tmp, 'missing.sqlite'), '--out', join(tmp, 'x')])).toBe(1);
    expect(io.errs.join('')).toContain('No store at');
    expect(existsSync(join(tmp, 'missing.sqlite'))).toBe(false);
  });
});

describe('export command helpers', () => {
  it('parses years and names the default folder', () => {
    expect(parseYears('2020')).toEqual([2020]);
    expect(parseYears('2019-2021,2023')).toEqual([2019, 2020, 2021, 2023]);
    expect(() => parseYears('2021-2019')).toThrow();
    expect(defaultExportDir(new Date('2024-03-06T01:02:03.456Z'))).toBe(join('data', 'exports', '2024-03-06T01-02-03Z'));
  });
});
