/**
 * The three real PDFs of ../shared/real-fetched (WPS exports: stroked borders under a flipped
 * matrix, a vertical font for 三、本年度办理结果, a table whose bottom border is left out at a
 * page break) read from the PDF itself. They must give what their pdftotext dumps give (see
 * test/seeds.test.ts): the same values, agency, year, template, status and issue codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../src/extract/index.js';
import { extractRecord } from '../../src/extractor.js';
import { type NianbaoRecord, RecordSchema } from '../../src/validate/schema.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { REAL_PDFS } from '../helpers/real-expected.js';

async function record(rel: string): Promise<NianbaoRecord> {
  const path = sharedPath(rel);
  const r = await extractRecord(readFileSync(path), { uri: path });
  RecordSchema.parse(r);
  return r;
}

const codes = (r: NianbaoRecord) => r.issues.map((i) => `${i.severity}:${i.code}`).sort();

describe.skipIf(!sharedAvailable())('real PDFs read as PDF', () => {
  it.each(REAL_PDFS.map((e) => [e.file, e] as const))('%s', async (file, e) => {
    const r = await record(`real-fetched/${file}`);
    expect(r.source.format).toBe('pdf');
    expect([r.agency, r.year, r.template]).toEqual([e.agency, e.year, e.template]);
    expect(r.values).toEqual(e.values);
    expect(r.status).toBe(e.status);
    expect(codes(r)).toEqual(e.codes);
    // The same record as the pdftotext dump gives, issue for issue.
    const dump = await record(`real-fetched/${file.replace(/\.pdf$/, '.pdftext.txt')}`);
    expect([r.agency, r.year, r.template, r.status]).toEqual([dump.agency, dump.year, dump.template, dump.status]);
    expect(r.values).toEqual(dump.values);
    expect(codes(r)).toEqual(codes(dump));
    expect(r.issues.map((i) => i.fields ?? [])).toEqual(dump.issues.map((i) => i.fields ?? []));
  });

  it('010: the published zeros of the review totals are kept and flagged, with their cells located', async () => {
    const r = await record('real-fetched/010.pdf');
    expect(r.values['review.total']).toBe(0);
    const failed = r.issues.filter((i) => i.code === 'identity_failed');
    expect(failed.map((i) => i.fields?.includes('review.total') || i.fields?.includes('litigation.afterReview.total'))).toEqual([true, true]);
    expect(r.provenance?.['review.total']).toMatchObject({ page: 4 });
    expect(r.provenance?.['applications.newReceived.total']).toMatchObject({ page: 3 });
  });

  it('010: the row left without a bottom border at the page break (2.没有现成信息需要另行制作) is read', async () => {
    const doc = await extractDocument(readFileSync(sharedPath('real-fetched/010.pdf')));
    expect(doc.method).toBe('pdf:ruled');
    const app = doc.tables.find((t) => t.exact && t.rows.some((r) => r.some((c) => c.text.includes('勾稽关系'))))!;
    const row = app.rows.find((r) => r.some((c) => c.text.includes('没有现成信息需要另行制作')))!;
    expect(row.map((c) => c.text).slice(-7)).toEqual(['3', '0', '0', '0', '0', '0', '3']);
    expect(row[0]!.page).toBe(3);
    // One table across pages 3 and 4, its group label (四)无法提供 continued over the break.
    expect(new Set(app.rows.flat().map((c) => c.page))).toEqual(new Set([3, 4]));
    const group = app.rows.flat().find((c) => c.text.includes('无法提供'))!;
    expect(group.rowSpan).toBe(3);
  });
});
