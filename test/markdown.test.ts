/**
 * Markdown with pipe tables, as PDF-to-Markdown converters and OCR/LLM pipelines write it:
 * generated reports with known values, whole and cut into the pieces converters make.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { looksLikeMarkdown, markdownToDoc, plainMarkdown } from '../src/extract/markdown.js';
import { generateReport } from './fixtures/report.js';
import { renderMarkdown } from './fixtures/render-markdown.js';
import { renderRaw } from './fixtures/render-text.js';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('markdown', () => {
  it('is sniffed from its pipe tables, not the file name', async () => {
    const rep = generateReport(3);
    expect(looksLikeMarkdown(renderMarkdown(rep))).toBe(true);
    expect(looksLikeMarkdown(renderRaw(rep))).toBe(false);
    const rec = await extractRecord(Buffer.from(renderMarkdown(rep)), { uri: 'report.txt' });
    expect(rec.source.format).toBe('markdown');
  });

  it('keeps heading marks and emphasis out of the text', () => {
    expect(plainMarkdown('# **太原市财政局2023年政府信息公开工作年度报告**')).toBe('太原市财政局2023年政府信息公开工作年度报告');
    expect(plainMarkdown('## 二、*主动*公开政府信息情况')).toBe('二、主动公开政府信息情况');
    const doc = markdownToDoc('# 太原市财政局\n\n| 予以公开 | 290 | 1 | 0 | 0 | 3 | 0 | 294 |\n|---|---|---|---|---|---|---|---|\n');
    expect(doc.text.split('\n')[0]).toBe('太原市财政局');
    expect(doc.tables.filter((t) => t.exact)[0]!.rows[0]!.map((c) => c.text)).toEqual(['予以公开', '290', '1', '0', '0', '3', '0', '294']);
  });

  it.each(SEEDS)('seed %i: whole tables and converter pieces give every field exactly', async (s) => {
    const rep = generateReport(7000 + s, { blankZeros: s % 3 === 0 ? 0.2 : 0, changeWords: s % 5 === 0, fullWidth: s % 7 === 0, money: 'random' });
    for (const split of [false, true]) {
      const rec = await extractRecord(Buffer.from(renderMarkdown(rep, { split, typoSeed: s % 6 === 0 ? s : undefined })), { uri: 'x.md' });
      expect(rec.values, `split=${split}`).toEqual(rep.values);
      expect(rec.status).toBe('valid');
      expect([rec.agency, rec.year, rec.template]).toEqual([rep.agency, rep.year, rep.template]);
    }
  });
});
