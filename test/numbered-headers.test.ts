/**
 * Converters that cut a table apart give the orphan pieces made-up headers ("数据1 数据2 …").
 * Saved without Markdown headings, such a file is read as a text dump, where a label glued to a
 * number reads as a label and a value: the header's 1, 2, 3, 4, 5 were taken for the last five
 * cells of the review table.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from './fixtures/report.js';
import { renderMarkdown } from './fixtures/render-markdown.js';

describe('made-up numbered headers in a text dump', () => {
  it.each([19, 20, 25, 30])('seed %i: a pandoc simple table cut in pieces, without headings, is read with no wrong value', async (seed) => {
    const rep = generateReport(seed, { template: seed % 2 ? '2019' : '2021' });
    const text = renderMarkdown(rep, { tables: 'simple', split: true, measure: 'chars' }).split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(text).toContain('数据1');
    const rec = await extractRecord(Buffer.from(text), { uri: 'pieces.txt' });
    expect(rec.source.format).toBe('text');
    expect(Object.entries(rec.values).filter(([f, v]) => v !== rep.values[f])).toEqual([]);
    expect(Object.keys(rec.values).filter((f) => f.startsWith('litigation.afterReview')).length).toBe(5);
  });
});
