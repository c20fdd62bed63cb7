/**
 * The 2019 format's fees and procurement rows have two values in a three-column table, so the
 * row ends with a cell with no text at all. That pad is not a blank value.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { htmlToDoc } from '../../src/extract/html.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';

describe('a row padded with an empty cell in an exact table', () => {
  it.each([10, 11, 22, 31, 40])('seed %i: the grid has the pad, the record ignores it', async (seed) => {
    const rep = generateReport(seed, { template: '2019' });
    const html = renderHtml(rep);
    const fees = htmlToDoc(html).tables[0]!.rows.find((r) => r[0]!.text === '行政事业性收费')!;
    expect(fees.map((c) => [c.text, c.col])).toEqual([['行政事业性收费', 0], [rep.written['proactive.fees.previous'], 1], [rep.written['proactive.fees.change'], 2], ['', 3]]);
    const rec = await extractRecord(Buffer.from(html), { uri: 'padded.html' });
    expect(rec.values).toEqual(rep.values);
    expect(rec.status).toBe('valid');
  });

  it('a row with blanks at both ends is placed by the header above it', async () => {
    const rep = generateReport(12, { template: '2019' });
    // 行政事业性收费 | (blank) | 5 | (pad): the header row says the first two cells are the values.
    rep.written['proactive.fees.previous'] = '';
    rep.written['proactive.fees.change'] = '5';
    const rec = await extractRecord(Buffer.from(renderHtml(rep)), { uri: 'blank-and-pad.html' });
    expect(rec.values['proactive.fees.previous']).toBeNull();
    expect(rec.values['proactive.fees.change']).toBe(5);
    expect(rec.status).toBe('valid');
    expect(rec.issues.find((i) => i.code === 'blank_cells')?.fields).toContain('proactive.fees.previous');
  });

  it('without a header row to place it, the row is left out and flagged', async () => {
    const rep = generateReport(12, { template: '2019' });
    rep.written['proactive.fees.previous'] = '';
    rep.written['proactive.fees.change'] = '5';
    const html = renderHtml(rep).replace(/<tr>(?:(?!<\/tr>).)*上一年项目数量(?:(?!<\/tr>).)*<\/tr>/gs, '');
    expect(html).not.toContain('上一年项目数量');
    const rec = await extractRecord(Buffer.from(html), { uri: 'no-header.html' });
    expect(rec.status).toBe('flagged');
    expect(rec.issues.find((i) => i.code === 'ambiguous_cells')?.fields).toEqual(['proactive.fees.previous', 'proactive.fees.change']);
    expect('proactive.fees.change' in rec.values).toBe(false);
  });
});
