/**
 * The five real seed reports and the pdftotext dumps of the three real PDFs, read as text:
 * every field, the status and the issues, against expectations written by reading the dumps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { RecordSchema, type NianbaoRecord } from '../src/validate/schema.js';
import { appRow, expectedValues, reviewRow } from './helpers/expected.js';
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
    expect(codes(r)).toEqual(['warning:cell_repaired', 'warning:cell_repaired', 'warning:unit_inferred']);
    const repaired = r.issues.filter((i) => i.code === 'cell_repaired').flatMap((i) => i.fields ?? []);
    expect(repaired.some((f) => f.startsWith('applications.granted.'))).toBe(true);
    expect(repaired.some((f) => f.startsWith('applications.partiallyGranted.'))).toBe(true);
    expect(r.issues.find((i) => i.code === 'unit_inferred')!.fields).toEqual(['proactive.procurement.amountYuan']);
    expect(r.status).toBe('valid');
  });
});

const aggregated = { otherAggregated: true };

describe.skipIf(!sharedAvailable())('real 2023–2024 reports as pdftotext dumps (the text path)', () => {
  it('009 淮安市人民政府 2024: 2021 template, three-row （六）, labels wrapped around their numbers', async () => {
    const r = await extract('real-fetched/009.pdftext.txt');
    expect([r.agency, r.year, r.template]).toEqual(['淮安市人民政府', 2024, '2021']);
    expect(r.values).toEqual(expectedValues('2021', {
      'proactive.rules.issued': 1, 'proactive.rules.repealed': 0, 'proactive.rules.inForce': 11,
      'proactive.normative.issued': 8, 'proactive.normative.repealed': 26, 'proactive.normative.inForce': 66,
      'proactive.licensing.decisions': 447228, 'proactive.penalty.decisions': 3985758, 'proactive.coercion.decisions': 88283,
      'proactive.fees.amountYuan': 961716000,
      ...appRow('newReceived', [3001, 53, 0, 0, 61, 4, 3119]),
      ...appRow('carriedOver', [34, 0, 0, 0, 0, 0, 34]),
      ...appRow('granted', [1288, 21, 0, 0, 50, 3, 1362]),
      ...appRow('partiallyGranted', [447, 7, 0, 0, 0, 0, 454]),
      ...appRow('denied.stateSecret', [2, 0, 0, 0, 0, 0, 2]),
      ...appRow('denied.prohibitedByLaw', [30, 1, 0, 0, 0, 0, 31]),
      ...appRow('denied.endangersSecurity', [5, 0, 0, 0, 0, 0, 5]),
      ...appRow('denied.thirdPartyRights', [6, 0, 0, 0, 0, 0, 6]),
      ...appRow('denied.internalAffairs', [7, 1, 0, 0, 0, 0, 8]),
      ...appRow('denied.processInformation', [12, 0, 0, 0, 0, 0, 12]),
      ...appRow('denied.enforcementFiles', [9, 0, 0, 0, 0, 0, 9]),
      ...appRow('denied.administrativeQuery', [105, 0, 0, 0, 0, 0, 105]),
      ...appRow('unable.notHeld', [746, 12, 0, 0, 10, 1, 769]),
      ...appRow('unable.needsCreation', [11, 0, 0, 0, 0, 0, 11]),
      ...appRow('unable.unclearAfterCorrection', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('notProcessed.complaint', [56, 6, 0, 0, 0, 0, 62]),
      ...appRow('notProcessed.duplicate', [25, 0, 0, 0, 0, 0, 25]),
      ...appRow('notProcessed.confirmation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('other.noCorrection', [67, 3, 0, 0, 1, 0, 71]),
      ...appRow('other.unpaidFee', [6, 0, 0, 0, 0, 0, 6]),
      ...appRow('other.other', [108, 2, 0, 0, 0, 0, 110]),
      ...appRow('total', [2932, 53, 0, 0, 61, 4, 3050]),
      ...appRow('carriedForward', [103, 0, 0, 0, 0, 0, 103]),
      ...reviewRow([72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]),
    }));
    expect(r.raw['proactive.fees.amountYuan']).toBe('96171.6');
    expect(r.status).toBe('valid');
    expect(r.issues).toEqual([]);
  });

  it('010 洪泽区人民政府 2023: review totals of 0 beside non-zero parts → flagged, nothing "fixed"', async () => {
    const r = await extract('real-fetched/010.pdftext.txt');
    expect([r.agency, r.year, r.template]).toEqual(['洪泽区人民政府', 2023, '2021']);
    expect(r.values).toEqual(expectedValues('2021', {
      'proactive.normative.repealed': 5, 'proactive.normative.inForce': 5,
      'proactive.licensing.decisions': 550, 'proactive.penalty.decisions': 4119, 'proactive.coercion.decisions': 195,
      'proactive.fees.amountYuan': 77302800,
      ...appRow('newReceived', [21, 0, 0, 0, 0, 0, 21]),
      ...appRow('partiallyGranted', [4, 0, 0, 0, 0, 0, 4]),
      ...appRow('denied.stateSecret', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.processInformation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.enforcementFiles', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('unable.notHeld', [10, 0, 0, 0, 0, 0, 10]),
      ...appRow('unable.needsCreation', [3, 0, 0, 0, 0, 0, 3]),
      ...appRow('notProcessed.complaint', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('total', [21, 0, 0, 0, 0, 0, 21]),
      ...reviewRow([10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]),
    }, aggregated));
    expect(r.status).toBe('flagged');
    expect(codes(r)).toEqual(['error:identity_failed', 'error:identity_failed', 'warning:row_aggregated']);
    const failed = r.issues.filter((i) => i.code === 'identity_failed');
    expect(failed[0]!.fields).toContain('review.total');
    expect(failed[1]!.fields).toContain('litigation.afterReview.total');
    // The published zeros are kept as published.
    expect(r.values['review.total']).toBe(0);
  });

  it('011 淮安市洪泽区人民政府 2024: （六） printed as one row in a 2021 report', async () => {
    const r = await extract('real-fetched/011.pdftext.txt');
    expect([r.agency, r.year, r.template]).toEqual(['淮安市洪泽区人民政府', 2024, '2021']);
    expect(r.values).toEqual(expectedValues('2021', {
      'proactive.normative.issued': 3, 'proactive.normative.inForce': 8,
      'proactive.licensing.decisions': 9487, 'proactive.penalty.decisions': 2776, 'proactive.coercion.decisions': 84,
      'proactive.fees.amountYuan': 75450000,
      ...appRow('newReceived', [95, 0, 0, 0, 0, 0, 95]),
      ...appRow('granted', [50, 0, 0, 0, 0, 0, 50]),
      ...appRow('partiallyGranted', [9, 0, 0, 0, 0, 0, 9]),
      ...appRow('denied.endangersSecurity', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.processInformation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('denied.enforcementFiles', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('unable.notHeld', [31, 0, 0, 0, 0, 0, 31]),
      ...appRow('unable.needsCreation', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('notProcessed.complaint', [1, 0, 0, 0, 0, 0, 1]),
      ...appRow('total', [95, 0, 0, 0, 0, 0, 95]),
      ...reviewRow([1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]),
    }, aggregated));
    expect(r.status).toBe('valid');
    expect(codes(r)).toEqual(['warning:row_aggregated']);
  });
});
