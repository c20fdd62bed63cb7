/**
 * The official blank 2021 template (../shared/real-fetched/T2021_template.docx): every field
 * of the 2021 format is located, every cell is blank, and with no agency or year in it the
 * record is flagged for those — not for its numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { extractDocument } from '../../src/extract/index.js';
import { templateFields } from '../../src/template/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

describe.skipIf(!sharedAvailable())('the real 2021 template DOCX', () => {
  it('locates all 2021 fields, all blank; flagged only for the missing agency and year', async () => {
    const path = sharedPath('real-fetched/T2021_template.docx');
    const rec = await extractRecord(readFileSync(path), { uri: path });
    expect(rec.template).toBe('2021');
    const fields = templateFields('2021').map((f) => f.code);
    expect(Object.keys(rec.values).sort()).toEqual([...fields].sort());
    expect(Object.values(rec.values).every((v) => v === null)).toBe(true);
    const bySeverity = rec.issues.map((i) => `${i.severity}:${i.code}`).sort();
    expect(bySeverity).toEqual(['error:agency_missing', 'error:year_missing', 'warning:blank_cells']);
    expect(new Set(rec.issues.find((i) => i.code === 'blank_cells')!.fields)).toEqual(new Set(fields));
    expect(rec.status).toBe('flagged');
    // Every blank cell was found in the grid, so it points at a cell of the template's tables.
    for (const f of fields) expect(rec.provenance?.[f], f).toBeDefined();
  });

  it("keeps Word's merges as in the template's structure dump", async () => {
    const doc = await extractDocument(readFileSync(sharedPath('real-fetched/T2021_template.docx')));
    expect(doc.tables).toHaveLength(3);
    const [pro, apps, review] = doc.tables as [typeof doc.tables[0], typeof doc.tables[0], typeof doc.tables[0]];
    const at = (t: typeof pro, text: string) => t.rows.flat().find((c) => c.text.replace(/\s/g, '').startsWith(text))!;
    // [cs3] value cells of the proactive table.
    expect(at(pro, '行政许可')).toMatchObject({ col: 0 });
    expect(pro.rows.find((r) => r[0]!.text === '行政许可')!.slice(1)).toEqual([expect.objectContaining({ col: 1, colSpan: 3, text: '' })]);
    // [cs3][vm:restart] corner, [vm:restart] 三、本年度办理结果 over 22 rows, （六）其他处理 over 3.
    expect(at(apps, '（本列数据的勾稽关系')).toMatchObject({ row: 0, col: 0, rowSpan: 3, colSpan: 3 });
    expect(at(apps, '三、本年度办理结果')).toMatchObject({ row: 5, col: 0, rowSpan: 22, colSpan: 1 });
    expect(at(apps, '（六）其他处理')).toMatchObject({ col: 1, rowSpan: 3 });
    expect(at(apps, '四、结转下年度继续办理')).toMatchObject({ row: 27, col: 0, colSpan: 3 });
    // Review table: five 2-row outcome headers, then the 15 blank value cells.
    expect(review.rows[review.rows.length - 1]!.map((c) => c.col)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(at(review, '结果维持')).toMatchObject({ row: 1, col: 0, rowSpan: 2 });
    expect(doc.text.split('\n')[0]).toBe('政府信息公开工作年度报告格式模板');
  });
});
