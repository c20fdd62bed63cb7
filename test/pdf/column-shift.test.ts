/**
 * A ruled grid's row read one column off. A scan's or a PDF's grid cells carry their page and box;
 * where a vertical rule is lost in one row, two cells merge (a label with the first value, or two
 * values) and the rest of the row no longer sits under the columns its header gives. Such a row
 * is read under the header's columns or left out, never shifted one column over.
 */
import { describe, expect, it } from 'vitest';
import type { Cell, ExtractedDoc } from '../../src/extract/grid.js';
import { htmlToDoc } from '../../src/extract/html.js';
import { buildRecord } from '../../src/record/build.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';

const WIDTH = 100;

/** The report's grid as a ruled PDF's: every cell on page 1, boxed by its grid columns and row. */
function ruledDoc(seed: number): { doc: ExtractedDoc; values: Record<string, number | null> } {
  const rep = generateReport(seed, { template: '2019' });
  const doc = htmlToDoc(renderHtml(rep));
  for (const t of doc.tables) for (const r of t.rows) for (const c of r) Object.assign(c, { page: 1, bbox: [50 + c.col * WIDTH, 700 - (c.row + c.rowSpan) * 20, 50 + (c.col + c.colSpan) * WIDTH, 700 - c.row * 20] });
  return { doc: { ...doc, format: 'pdf', method: 'pdf:ruled' }, values: rep.values };
}

const rowOf = (doc: ExtractedDoc, label: string): Cell[] => doc.tables[0]!.rows.find((r) => r[0]!.text === label)!;

/** The rule between cells i and i + 1 of a row lost: one cell over both columns, text run together. */
function loseRule(row: Cell[], i: number): void {
  const [a, b] = [row[i]!, row[i + 1]!];
  a.text = `${a.text} ${b.text}`;
  a.colSpan += b.colSpan;
  a.bbox = [a.bbox![0], a.bbox![1], b.bbox![2], a.bbox![3]];
  row.splice(i + 1, 1);
}

const source = { uri: 'ruled.pdf', format: 'pdf', sha256: '0'.repeat(64) } as const;

describe('a ruled row whose cells do not sit under its header columns', () => {
  it('a label that swallowed the first value: the other values stay under their own columns', () => {
    // Seed 3's 行政处罚 row is 4177 | 0 | 41: read as the last three cells' digits, "0 | 41"
    // became 0, 4, 1 (previous 0, change 4, decisions 1) before the header was asked.
    const { doc, values } = ruledDoc(3);
    expect(['proactive.penalty.previous', 'proactive.penalty.change', 'proactive.penalty.decisions'].map((f) => values[f])).toEqual([4177, 0, 41]);
    loseRule(rowOf(doc, '行政处罚'), 0);
    const rec = buildRecord(doc, source);
    expect(rec.values['proactive.penalty.change']).toBe(0);
    expect(rec.values['proactive.penalty.decisions']).toBe(41);
    expect('proactive.penalty.previous' in rec.values).toBe(false);
    for (const [f, v] of Object.entries(rec.values)) expect([f, v]).toEqual([f, values[f]]);
  });

  it('two values merged into one cell over two header columns: the row is left out, said why', () => {
    const { doc, values } = ruledDoc(3);
    loseRule(rowOf(doc, '行政处罚'), 1);
    const rec = buildRecord(doc, source);
    const fields = ['proactive.penalty.previous', 'proactive.penalty.change', 'proactive.penalty.decisions'];
    for (const f of fields) expect(f in rec.values).toBe(false);
    const why = rec.issues.find((i) => i.code === 'ambiguous_cells' && i.fields?.includes('proactive.penalty.previous'));
    expect(why?.fields).toEqual(fields);
    expect(why?.message).toContain('header columns');
    for (const [f, v] of Object.entries(rec.values)) expect([f, v]).toEqual([f, values[f]]);
  });

  it('a mark read as a number in the pad column: the last two cells are not the two values', () => {
    // 2019's 行政事业性收费 | previous | change | (pad): a pad that reads "1" made the last two
    // cells (change, 1) the row's values, previous taking change's number.
    const { doc, values } = ruledDoc(3);
    const fees = rowOf(doc, '行政事业性收费');
    expect(fees.at(-1)!.text).toBe('');
    fees.at(-1)!.text = '1';
    const rec = buildRecord(doc, source);
    expect('proactive.fees.previous' in rec.values).toBe(false);
    expect('proactive.fees.change' in rec.values).toBe(false);
    expect(rec.issues.find((i) => i.code === 'ambiguous_cells')?.fields).toEqual(['proactive.fees.previous', 'proactive.fees.change']);
    for (const [f, v] of Object.entries(rec.values)) expect([f, v]).toEqual([f, values[f]]);
  });

  it('the same grid without boxes (HTML, DOCX: columns from spans, not positions) is left as it was read', () => {
    const rep = generateReport(3, { template: '2019' });
    const doc = htmlToDoc(renderHtml(rep));
    const rec = buildRecord(doc, { ...source, format: 'html' });
    expect(rec.values).toEqual(rep.values);
    expect(rec.status).toBe('valid');
  });
});
