/**
 * Reports in the pre-2019 format are recognised by their content and stored as what they are —
 * failed with pre_2019_format, no template — not as broken modern reports; modern reports are
 * never taken for them, whatever their prose says.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { pre2019Evidence } from '../src/record/pre2019.js';
import { RecordSchema } from '../src/validate/schema.js';
import { generateOldReport, renderOldHtml, renderOldText } from './fixtures/render-pre2019.js';
import { generateReport } from './fixtures/report.js';
import { renderCellPerLine, renderRaw, renderTabRows } from './fixtures/render-text.js';
import { renderHtml } from './fixtures/render-html.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

describe('pre-2019 reports', () => {
  it.each(SEEDS)('seed %i: text and HTML, with and without the statistics table → failed, pre_2019_format', async (s) => {
    const rep = generateOldReport(s, { table: s % 3 !== 0 });
    for (const [bytes, format] of [[Buffer.from(renderOldText(rep), 'utf8'), 'text'], [Buffer.from(renderOldHtml(rep), 'utf8'), 'html']] as const) {
      const rec = await extractRecord(bytes, { uri: `https://example.gov.cn/old-${s}.${format}` });
      RecordSchema.parse(rec);
      expect(rec, format).toMatchObject({ status: 'failed', template: null, values: {}, agency: rep.agency, year: rep.year });
      expect(rec.issues.map((i) => i.code)).toEqual(['pre_2019_format']);
      expect(rec.source.format).toBe(format);
      // Its labels are still read: it joins the panel under its agency and year.
      expect(rec.agencyKey).toMatch(/^\d{6}:/);
      expect(rec.region?.code).toMatch(/^\d{6}$/);
    }
  });

  it('a modern report is never taken for one, even when its prose uses an old word', async () => {
    for (const s of SEEDS) {
      const rep = generateReport(s);
      const texts = [renderTabRows(rep), renderCellPerLine(rep), renderRaw(rep), renderHtml(rep), renderTabRows(rep, { overview: ['本年度未收取任何费用，也无收费及减免情况；同意公开的申请均按时答复。'] })];
      for (const t of texts) expect(pre2019Evidence(t, rep.year).pre2019).toBe(false);
      const rec = await extractRecord(Buffer.from(texts[4]!, 'utf8'), { uri: `https://example.gov.cn/new-${s}.txt` });
      expect(rec.template).toBe(rep.template);
    }
  });

  it('an old report without the usual words is still old when it reports on a year before 2019 and has no modern table', () => {
    expect(pre2019Evidence('某局2016年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n四、政府信息公开的收费及减免情况', 2016).pre2019).toBe(true);
    expect(pre2019Evidence('某局2016年政府信息公开工作年度报告\n一、概述', 2016).pre2019).toBe(false);
  });
});
