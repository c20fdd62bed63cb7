/**
 * Generated reports with known values, rendered in every text-dump style the extractor meets.
 * Clean renderings must come back exactly; damaged ones must come back exactly or be flagged —
 * never `valid` with a wrong number.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { isPageFurniture, textToDoc } from '../src/extract/text.js';
import type { NianbaoRecord } from '../src/validate/schema.js';
import { type GeneratedReport, type GenerateOptions, generateReport } from './fixtures/report.js';
import { type TextOptions, renderCellPerLine, renderLayout, renderRaw, renderTabRows } from './fixtures/render-text.js';

async function run(text: string, uri = 'generated.txt'): Promise<NianbaoRecord> {
  return extractRecord(Buffer.from(text, 'utf8'), { uri });
}

function expectExact(rec: NianbaoRecord, rep: GeneratedReport): void {
  expect(rec.values).toEqual(rep.values);
  expect([rec.agency, rec.year, rec.template]).toEqual([rep.agency, rep.year, rep.template]);
  expect(rec.status).toBe('valid');
  const codes = new Set(rec.issues.map((i) => i.code));
  for (const c of rep.expectedIssues) expect(codes).toContain(c);
  if (Object.values(rep.values).includes(null)) expect(codes).toContain('blank_cells');
}

/** The property every rendering must have: valid means right. */
function expectNoSilentError(rec: NianbaoRecord, rep: GeneratedReport): void {
  if (rec.status === 'valid') expect(rec.values).toEqual(rep.values);
  for (const [k, v] of Object.entries(rec.values)) {
    // A value that is present in a flagged record may be wrong only where an error names it.
    if (v !== rep.values[k] && rec.status === 'flagged') {
      const named = rec.issues.some((i) => i.severity === 'error' && (i.fields ?? []).includes(k));
      expect(named, `${k}: ${v} instead of ${rep.values[k]} without an error naming it`).toBe(true);
    }
  }
}

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);
const damaged = (s: number): TextOptions => ({
  pageBreakAfter: s % 2 ? 5 + (s % 15) : undefined,
  verticalGroup: s % 4 === 0,
  typoSeed: s % 6 === 0 ? s : undefined,
});
const writing = (s: number): GenerateOptions => ({ fullWidth: s % 7 === 0, changeWords: s % 5 === 0, money: 'random' });

describe('style detection', () => {
  it('tells the three dump shapes apart', () => {
    const rep = generateReport(1);
    expect(textToDoc(renderTabRows(rep)).method).toBe('text:tab-rows');
    expect(textToDoc(renderCellPerLine(rep)).method).toBe('text:cell-per-line');
    expect(textToDoc(renderLayout(rep)).method).toBe('text:whitespace');
    expect(textToDoc(renderRaw(rep)).method).toBe('text:whitespace');
  });
});

describe('tab rows (Word "save as text")', () => {
  it.each(SEEDS)('seed %i: page breaks, vertical labels, typos, full-width digits', async (s) => {
    const rep = generateReport(s, { ...writing(s), blankZeros: s % 3 === 0 ? 0.3 : 0 });
    expectExact(await run(renderTabRows(rep, damaged(s))), rep);
  });
});

describe('one cell per line', () => {
  it.each(SEEDS)('seed %i', async (s) => {
    const rep = generateReport(s, { ...writing(s), blankZeros: s % 3 === 0 ? 0.3 : 0 });
    expectExact(await run(renderCellPerLine(rep, damaged(s))), rep);
  });
});

describe('pdftotext -layout', () => {
  it.each(SEEDS)('seed %i without blanks: exact', async (s) => {
    const rep = generateReport(s, writing(s));
    expectExact(await run(renderLayout(rep, damaged(s))), rep);
  });
  it.each(SEEDS)('seed %i with blank cells placed from the columns: right or flagged', async (s) => {
    const rep = generateReport(s, { ...writing(s), blankZeros: 0.15 });
    expectNoSilentError(await run(renderLayout(rep, damaged(s))), rep);
  });
  it('recovers a blank cell from the column it left empty', async () => {
    const rep = generateReport(11, { template: '2019', activity: 0.6 });
    const field = 'applications.granted.research';
    rep.values[field] = null;
    rep.written[field] = '';
    // Keep the identity true: the blank cell was 0.
    const rec = await run(renderLayout(rep));
    expect(rec.values[field]).toBeNull();
    expect(rec.issues.find((i) => i.code === 'blank_cells')?.fields).toContain(field);
  });
});

describe('pdftotext -raw', () => {
  it.each(SEEDS)('seed %i without blanks, numbers sometimes above their label: exact', async (s) => {
    const rep = generateReport(s, writing(s));
    expectExact(await run(renderRaw(rep, { ...damaged(s), valuesFirstSeed: s })), rep);
  });
  it.each(SEEDS)('seed %i with blank cells that left no trace: right or flagged', async (s) => {
    const rep = generateReport(s, { ...writing(s), blankZeros: 0.15 });
    expectNoSilentError(await run(renderRaw(rep, damaged(s))), rep);
  });
});

describe('flattened text with glued digits', () => {
  it('splits a glued review row the one way its identities allow', async () => {
    const rep = generateReport(5, { template: '2019', activity: 0 });
    const vals = [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19];
    ['review', 'litigation.direct', 'litigation.afterReview'].forEach((g, gi) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].forEach((o, oi) => {
        rep.values[`${g}.${o}`] = vals[gi * 5 + oi]!;
        rep.written[`${g}.${o}`] = String(vals[gi * 5 + oi]);
      }));
    const text = renderRaw(rep).replace('2 1 3 1 7 0 0 0 0 0 13 2 4 0 19', '21317000001324019');
    expect(text).toContain('21317000001324019');
    const rec = await run(text);
    expect(rec.values).toEqual(rep.values);
    const split = rec.issues.find((i) => i.code === 'split_inferred');
    expect(split?.fields).toEqual(expect.arrayContaining(['review.total', 'litigation.afterReview.upheld']));
    expect(rec.raw['litigation.afterReview.upheld']).toBe('13');
    expect(rec.status).toBe('valid');
  });

  it('flags a glued row that several splits fit, and leaves its cells out', async () => {
    const rep = generateReport(5, { template: '2019', activity: 0 });
    for (const [c, v] of [['made', 14], ['published', 10], ['total', 3]] as const) {
      rep.values[`proactive.rules.${c}`] = v;
      rep.written[`proactive.rules.${c}`] = String(v);
    }
    const rec = await run(renderRaw(rep, { glue: true }));
    expect(rec.status).toBe('flagged');
    const amb = rec.issues.find((i) => i.code === 'ambiguous_cells')!;
    expect(amb.severity).toBe('error');
    expect(amb.fields).toEqual(expect.arrayContaining(['proactive.rules.made', 'proactive.rules.published', 'proactive.rules.total']));
    expect('proactive.rules.made' in rec.values).toBe(false);
  });

  it.each(SEEDS)('seed %i: every glued rendering is right or flagged', async (s) => {
    const rep = generateReport(s, writing(s));
    expectNoSilentError(await run(renderRaw(rep, { glue: true, ...damaged(s) })), rep);
  });
});

describe('2021 format specifics', () => {
  it('reads the three-row （六）其他处理 and 本年收费金额（单位：万元）', async () => {
    const rep = generateReport(8, { template: '2021', otherAggregated: false, activity: 0.8 });
    const rec = await run(renderTabRows(rep));
    expectExact(rec, rep);
    expect(Object.keys(rec.values)).toContain('applications.other.unpaidFee.natural');
    expect(rec.values['proactive.fees.amountYuan']).toBe(Math.round(Number(rep.written['proactive.fees.amountYuan']) * 1e4));
    expect(rec.issues.some((i) => i.code === 'unit_inferred')).toBe(false);
  });

  it('stores a one-row （六） in applications.other.* with a warning', async () => {
    const rep = generateReport(9, { template: '2021', otherAggregated: true, activity: 0.8 });
    const rec = await run(renderCellPerLine(rep));
    expectExact(rec, rep);
    expect(rec.issues.find((i) => i.code === 'row_aggregated')?.severity).toBe('warning');
    expect(Object.keys(rec.values).some((k) => k.startsWith('applications.other.noCorrection'))).toBe(false);
  });

  it('chooses the template from the labels, not the year', async () => {
    const rep = generateReport(10, { template: '2019' });
    const text = renderTabRows(rep).replace(`${rep.year}年`, '2022年');
    const rec = await run(text);
    expect(rec.template).toBe('2019');
    expect(rec.year).toBe(2022);
  });
});

describe('broken identities are flagged, never fixed', () => {
  it('keeps a published total that disagrees with its parts and names the cells', async () => {
    const rep = generateReport(12, { template: '2019', activity: 0.7 });
    rep.written['applications.total.total'] = String((rep.values['applications.total.total'] as number) + 5);
    const rec = await run(renderTabRows(rep));
    expect(rec.status).toBe('flagged');
    expect(rec.values['applications.total.total']).toBe((rep.values['applications.total.total'] as number) + 5);
    const failed = rec.issues.filter((i) => i.code === 'identity_failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const f of failed) expect(f.fields).toContain('applications.total.total');
  });

  it('repairs a lost cell only with a second identity agreeing, else flags the repair', async () => {
    const rep = generateReport(13, { template: '2019', activity: 0.7 });
    const lines = renderTabRows(rep).split('\n');
    const i = lines.findIndex((l) => l.startsWith('二、上年结转'));
    const cells = lines[i]!.split('\t');
    const lost = cells.length - 3; // the 5th value cell (legal)
    const lostValue = rep.values['applications.carriedOver.legal'];
    cells.splice(lost, 1);
    lines[i] = cells.join('\t');
    const rec = await run(lines.join('\n'));
    expectNoSilentError(rec, rep);
    const rep1 = rec.issues.filter((x) => x.code === 'cell_repaired');
    expect(rep1.length).toBe(1);
    if (rec.values['applications.carriedOver.legal'] !== undefined) expect(rec.values['applications.carriedOver.legal']).toBe(lostValue);
  });
});

describe('labels glued to their numbers', () => {
  it('splits 一、本年新收政府信息公开申请数量0000000 into label and cells', async () => {
    const rep = generateReport(2, { template: '2019', activity: 0 });
    for (const k of Object.keys(rep.values)) if (k.startsWith('proactive.')) {
      rep.values[k] = 0;
      rep.written[k] = '0';
    }
    const text = renderRaw(rep, { glue: true }).replace(/ (?=\d)/g, '');
    expect(text).toContain('本年新收政府信息公开申请数量0000000');
    const rec = await run(text);
    expect(rec.values).toEqual(rep.values);
    expect(rec.status).toBe('valid');
  });
});

describe('page furniture', () => {
  it('is the page markers and page numbers, with any leading blanks, and no other line', () => {
    const furniture = ['=== PAGE 3', ' - 3 - ', '\u3000第 3 页 共 9 页', '第3页', ' 3/9', '\u00a0—12—', '－ 4 －', '\ufeff3 / 9'];
    const other = ['== PAGE 3', ' === PAGE 3', 'x 3/9', '3/9 页', '第三页', '- 3 - 4', '12', '2021年', '\t5\t3', '（一）第 3 页'];
    expect(furniture.filter(isPageFurniture)).toEqual(furniture);
    expect(other.filter(isPageFurniture)).toEqual([]);
  });
});
