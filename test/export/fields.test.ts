/** Export columns and the codebook come from the template data, and numbers are written plainly. */
import { describe, expect, it } from 'vitest';
import { codebookRows } from '../../src/export/codebook.js';
import { csvField, csvLine, formatNumber } from '../../src/export/csv.js';
import { exportFields } from '../../src/export/fields.js';
import { stataName } from '../../src/export/stata.js';
import { alternativeFields, templateFields } from '../../src/template/index.js';

const codes = (fs: { code: string }[]) => fs.map((f) => f.code);

describe('exportFields', () => {
  const t2019 = templateFields('2019');
  const t2021 = templateFields('2021');
  const alt2021 = alternativeFields('2021');

  it('one column per field code of 2019, 2021 and the 2021 aggregated （六）, none twice', () => {
    const all = codes(exportFields());
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set([...codes(t2019), ...codes(t2021), ...codes(alt2021)]));
    expect(all).toHaveLength(226);
  });

  it('a single template keeps its own table order', () => {
    expect(codes(exportFields(['2019']))).toEqual(codes(t2019));
    // 2021: its fields in order, with the aggregated （六） row just before the sub-rows it replaces.
    const expected = codes(t2021);
    const at = expected.findIndex((c) => c.startsWith('applications.other.'));
    expected.splice(at, 0, ...codes(alt2021));
    expect(codes(exportFields(['2021']))).toEqual(expected);
  });

  it('merged order: each template\'s rows in its own order, shared rows once, 2021 sub-rows after （六）', () => {
    const all = codes(exportFields());
    const pos = (c: string) => all.indexOf(c);
    for (const list of [t2019, t2021]) {
      const ps = codes(list).map(pos);
      expect([...ps].sort((a, b) => a - b)).toEqual(ps);
    }
    expect(all.slice(pos('proactive.rules.made'), pos('proactive.rules.made') + 6)).toEqual([
      'proactive.rules.made', 'proactive.rules.published', 'proactive.rules.total', 'proactive.rules.issued', 'proactive.rules.repealed', 'proactive.rules.inForce',
    ]);
    expect(pos('applications.other.total')).toBeLessThan(pos('applications.other.noCorrection.natural'));
    expect(pos('applications.other.other.total')).toBeLessThan(pos('applications.total.natural'));
  });

  it('says which templates each field belongs to', () => {
    const in2019 = new Set(codes(t2019));
    const in2021 = new Set(codes(t2021));
    const inAlt = new Set(codes(alt2021));
    for (const f of exportFields()) {
      const expected = [in2019.has(f.code) && '2019', in2021.has(f.code) && '2021', inAlt.has(f.code) && '2021:otherAggregated'].filter(Boolean);
      expect(f.templates, f.code).toEqual(expected);
    }
    const byCode = new Map(exportFields().map((f) => [f.code, f]));
    expect(byCode.get('applications.other.natural')?.templates).toEqual(['2019', '2021:otherAggregated']);
    expect(byCode.get('proactive.licensing.decisions')?.templates).toEqual(['2019', '2021']);
    expect(byCode.get('proactive.fees.amountYuan')?.templates).toEqual(['2021']);
  });

  it('labels, kinds and units are the template\'s', () => {
    const byCode = new Map(exportFields().map((f) => [f.code, f]));
    for (const spec of [...t2019, ...t2021, ...alt2021]) {
      const f = byCode.get(spec.code)!;
      expect(f.rowLabel.split(' / ').some((l) => l.endsWith(spec.row.labels[0]!)), spec.code).toBe(true);
      expect(f.columnLabel.split(' / ').some((l) => l.endsWith(spec.column.label)), spec.code).toBe(true);
      expect(f.kind).toBe(spec.column.kind);
      expect(f.unit).toBe(spec.column.kind === 'money' ? 'yuan' : 'count');
      expect(f.section).toBe(spec.section);
    }
    expect(byCode.get('applications.denied.stateSecret.commercial')).toMatchObject({ rowLabel: '三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密', columnLabel: '法人或其他组织 > 商业企业' });
    expect(byCode.get('proactive.licensing.decisions')?.columnLabel).toBe('处理决定数量 / 本年处理决定数量');
    // A label is only the wording of the templates the field is in.
    expect(byCode.get('proactive.normative.made')?.rowLabel).toBe('第二十条第（一）项 > 规范性文件');
    expect(byCode.get('proactive.normative.issued')?.rowLabel).toBe('第二十条第（一）项 > 行政规范性文件');
    expect(codes(exportFields().filter((f) => f.unit === 'yuan'))).toEqual(['proactive.fees.amountYuan', 'proactive.procurement.amountYuan']);
  });

  it('codebook rows carry every field with its labels', () => {
    const rows = codebookRows(exportFields());
    expect(rows.map((r) => r.field)).toEqual(codes(exportFields()));
    expect(rows.find((r) => r.field === 'litigation.afterReview.pending')).toEqual({
      field: 'litigation.afterReview.pending',
      stata_name: 'lit_afterRev_pending',
      section: 'review',
      section_title: '四、政府信息公开行政复议、行政诉讼情况',
      row_code: 'litigation.afterReview',
      row_label: '行政诉讼 > 复议后起诉',
      column_code: 'pending',
      column_label: '尚未审结',
      unit: 'count',
      kind: 'count',
      templates: '2019;2021',
    });
  });
});

describe('Stata names', () => {
  it('every field of both templates has a valid, unique name of at most 32 characters', () => {
    const names = exportFields().map((f) => stataName(f.code));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
    expect(stataName('applications.unable.unclearAfterCorrection.commercial')).toBe('app_unable_unclear_com');
  });
  it('says which words to shorten when a new code is too long', () => {
    expect(() => stataName('applications.aVeryLongRowCodeNobodyAbbreviated.commercial')).toThrow(/stata-words.json/);
  });
});

describe('CSV encoding', () => {
  it('writes numbers as plain decimals', () => {
    expect(formatNumber(838778)).toBe('838778');
    expect(formatNumber(961716000)).toBe('961716000');
    expect(formatNumber(-3)).toBe('-3');
    expect(formatNumber(12345.6)).toBe('12345.6');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(1.5e-7)).toBe('0.00000015');
    expect(() => formatNumber(Number.NaN)).toThrow(RangeError);
  });

  it('quotes only what needs it; null is empty', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
    expect(csvField('南通市海门区商务局')).toBe('南通市海门区商务局');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说"明"')).toBe('"说""明"""');
    expect(csvField('一\n二')).toBe('"一\n二"');
    expect(csvLine([1, null, 'x', 0])).toBe('1,,x,0\r\n');
  });
});
