/**
 * Every HTML sample in samples/html through the whole pipeline (bytes → record): agency, year,
 * template, status, the full values map and the issues its expected record names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { extractDocument } from '../../src/extract/index.js';
import { RecordSchema } from '../../src/validate/schema.js';
import { assertSample, listSamples } from '../helpers/samples.js';

const samples = listSamples('html');

describe('HTML samples', () => {
  it('are present', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const rec = await extractRecord(readFileSync(s.file), { uri: s.file });
    RecordSchema.parse(rec);
    expect(rec.source.format).toBe('html');
    assertSample(rec, s.expected);
    // Every value found points back at an exact grid cell.
    for (const f of Object.keys(rec.values)) expect(rec.provenance?.[f], f).toBeDefined();
  });
});

describe('what the samples exercise', () => {
  const doc = async (name: string) => {
    const s = samples.find((x) => x.name === name)!;
    return extractDocument(readFileSync(s.file));
  };

  it('reading text starts with the title, not the navigation', async () => {
    const d = await doc('gb2312-chrome-2021-split');
    const s = samples.find((x) => x.name === 'gb2312-chrome-2021-split')!;
    expect(d.text.split('\n')[0]).toBe(`${s.expected.agency}${s.expected.year}年政府信息公开工作年度报告`);
    // Menu, side panel, share bar and footer are page furniture, not the article.
    for (const chrome of ['首页', '访问量', '微博', 'ICP备案号', '网站标识码']) expect(d.text).not.toContain(chrome);
    expect(d.text).toContain('六、其他需要报告的事项');
    expect(d.method).toBe('html:cheerio(gb18030 by meta)');
  });

  it('drops navigation tables and the layout table, keeps the split applications table as two', async () => {
    const d = await doc('gb2312-chrome-2021-split');
    // proactive, applications (two parts), review; the footer table sits in the page footer.
    expect(d.tables).toHaveLength(4);
    expect(d.tables.every((t) => t.exact && !t.blanksVanish)).toBe(true);
  });

  it('hidden bookmark text, placeholder cells and spacer rows leave no trace in the grid', async () => {
    const d = await doc('word-export-quirks-2021');
    const cells = d.tables.flatMap((t) => t.rows.flat());
    // The review table's data row is 15 value cells, nothing after them.
    const review = d.tables[d.tables.length - 1]!;
    expect(review.rows[review.rows.length - 1]!).toHaveLength(15);
    expect(cells.every((c) => c.colSpan > 0 && c.rowSpan > 0)).toBe(true);
    expect(d.text).not.toContain('打印版');
  });

  it('a page without any charset declaration is read as GB18030', async () => {
    const d = await doc('gbk-undeclared-2021');
    expect(d.method).toBe('html:cheerio(gb18030 by fallback)');
    expect(d.text).toContain('政府信息公开工作年度报告');
  });

  it('a BOM outranks a <meta> that says GBK', async () => {
    const d = await doc('utf8-bom-2019-chrome');
    expect(d.method).toBe('html:cheerio(utf-8 by bom)');
  });
});
