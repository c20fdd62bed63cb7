/**
 * The five real seed reports and the pdftotext dumps of the three real PDFs, read as text:
 * every field, the status and the issues, against expectations written by reading the dumps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { RecordSchema, type NianbaoRecord } from '../src/validate/schema.js';
import { appRow, expectedValues } from './helpers/expected.js';
import { REAL_PDFS } from './helpers/real-expected.js';
import { sharedAvailable, sharedPath } from './helpers/shared.js';

async function extract(rel: string): Promise<NianbaoRecord> {
  const path = sharedPath(rel);
  const r = await extractRecord(readFileSync(path), { uri: path });
  RecordSchema.parse(r);
  return r;
}

const codes = (r: NianbaoRecord) => r.issues.map((i) => `${i.severity}:${i.code}`).sort();

describe.skipIf(!sharedAvailable())('seed reports (plain-text dumps)', () => {
  it('000: tab rows, table split over pages with repeated headers, vertical label 度 办 理 结 果', async () => {
    const r = await extract('seeds/000_fe63b0f92ece0c02.txt');
    expect(r.agency).toBe('广州市黄埔区商务局 开发区商务局');
    expect(r.year).toBe(2020);
    expect(r.template).toBe('2019');
    expect(r.values).toEqual(expectedValues('2019', {
      'proactive.normative.made': 4, 'proactive.normative.published': 4, 'proactive.normative.total': 10,
      'proactive.procurement.projects': 102, 'proactive.procurement.amountYuan': 200326,
      ...appRow('newReceived', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('granted', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('total', [1, 0, 0, 0, 0, 0, 1]),
    }));
    expect(r.raw['proactive.procurement.amountYuan']).toBe('200326元');
    expect(r.status).toBe('valid');
    expect(r.issues).toEqual([]);
    // Cells point back at the dump: row = line number (0-based), col = tab-separated cell.
    expect(r.provenance?.['applications.granted.total']).toEqual({ table: 0, row: 51, col: 8 });
  });

  it('001: one cell per line, label broken over lines, a Word bookmark in a cell', async () => {
    const r = await extract('seeds/001_bb53b48cecce1603.txt');
    expect(r.agency).toBe('湛江奋勇高新区招商服务局');
    expect(r.year).toBe(2020);
    expect(r.template).toBe('2019');
    expect(r.values).toEqual(expectedValues('2019', {
      'proactive.procurement.projects': 1, 'proactive.procurement.amountYuan': 5600,
    }));
    expect(r.raw['proactive.procurement.amountYuan']).toBe('5600元');
    expect(r.status).toBe('valid');
    expect(r.issues).toEqual([]);
  });

  it('002: one cell per line with every application and review cell blank → null, blank_cells', async () => {
    const r = await extract('seeds/002_c8ae97ba96c85194.txt');
    expect(r.agency).toBe('南通市海门区商务局');
    expect(r.year).toBe(2020);
    const expected = expectedValues('2019', { 'proactive.procurement.projects': 7, 'proactive.procurement.amountYuan': 838778 });
    for (const f of Object.keys(expected)) if (!f.startsWith('proactive.')) expected[f] = null;
    expect(r.values).toEqual(expected);
    expect(r.raw['proactive.procurement.amountYuan']).toBe('83.8778万元');
    expect(codes(r)).toEqual(['warning:blank_cells']);
    const blanks = r.issues[0]!.fields!;
    expect(blanks).toHaveLength(161 + 15);
    expect(new Set(blanks)).toEqual(new Set(Object.keys(expected).filter((f) => expected[f] === null)));
    // Blank, not missing: each blank cell was found and points at its source line.
    expect(r.provenance?.['review.total']).toBeDefined();
    expect(r.status).toBe('valid');
  });

  it('003: one cell per line, a group label cut by an empty line ("（三）" / "不予公开")', async () => {
    const r = await extract('seeds/003_d14d7889243b97c8.txt');
    expect(r.agency).toBe('雷州市科工贸和信息化局');
    expect(r.year).toBe(2020);
    expect(r.values).toEqual(expectedValues('2019', {}));
    expect(r.raw['proactive.procurement.amountYuan']).toBe('0');
    expect(r.status).toBe('valid');
    expect(r.issues).toEqual([]);
  });

  it('004: rows that lost a cell are repaired from the identities; a bare amount is read as 万元', async () => {
    const r = await extract('seeds/004_646b8e8d4d5b8db8.txt');
    expect(r.agency).toBe('经济技术开发区管理办公室');
    expect(r.year).toBe(2020);
    expect(r.values).toEqual(expectedValues('2019', {
      'proactive.procurement.projects': 2, 'proactive.procurement.amountYuan': 256700,
    }));
    expect(r.raw['proactive.procurement.amountYuan']).toBe('25.67');
    // The agency names no place and no portal says where it is.
    expect(codes(r)).toEqual(['info:region_unresolved', 'warning:cell_repaired', 'warning:cell_repaired', 'warning:unit_inferred']);
    expect(r.region).toBeNull();
    const repaired = r.issues.filter((i) => i.code === 'cell_repaired').flatMap((i) => i.fields ?? []);
    expect(repaired.some((f) => f.startsWith('applications.granted.'))).toBe(true);
    expect(repaired.some((f) => f.startsWith('applications.partiallyGranted.'))).toBe(true);
    expect(r.issues.find((i) => i.code === 'unit_inferred')!.fields).toEqual(['proactive.procurement.amountYuan']);
    expect(r.status).toBe('valid');
  });
});

describe.skipIf(!sharedAvailable())('real 2023–2024 reports as pdftotext dumps (the text path)', () => {
  it.each(REAL_PDFS)('$file: the same record as the PDF path', async (exp) => {
    const r = await extract(`real-fetched/${exp.file.replace('.pdf', '.pdftext.txt')}`);
    expect([r.agency, r.year, r.template]).toEqual([exp.agency, exp.year, exp.template]);
    expect(r.values).toEqual(exp.values);
    expect(r.status).toBe(exp.status);
    expect(codes(r)).toEqual([...exp.codes].sort());
  });

  it('010: review totals of 0 beside non-zero parts are kept as published and named', async () => {
    const r = await extract('real-fetched/010.pdftext.txt');
    const failed = r.issues.filter((i) => i.code === 'identity_failed');
    expect(failed[0]!.fields).toContain('review.total');
    expect(failed[1]!.fields).toContain('litigation.afterReview.total');
    expect(r.values['review.total']).toBe(0);
  });

  it('009: money in 万元 from the header', async () => {
    const r = await extract('real-fetched/009.pdftext.txt');
    expect(r.raw['proactive.fees.amountYuan']).toBe('96171.6');
    expect(r.values['proactive.fees.amountYuan']).toBe(961716000);
  });
});
