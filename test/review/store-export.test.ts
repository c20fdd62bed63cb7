/**
 * Review overrides end to end, on both dialects: a real flagged record (a generated report whose
 * published totals break identities, through the real extractor), corrected by a reviewer; the
 * identities under the corrections; re-extraction of the same bytes keeping the corrections, new
 * bytes raising them again; every export format carrying the reviewed value and its provenance.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import { extractRecord } from '../../src/extractor.js';
import { checkIdentities, recordIdentities } from '../../src/review/identities.js';
import { applyReview } from '../../src/review/overlay.js';
import type { Store } from '../../src/store/index.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { readCsv } from '../export/read.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';

const URL = 'https://reports.example.gov.cn/zwgk/2022/t20220120_flagged.html';

/** A 2021 report whose published review.total is 7 too high and one newReceived cell 3 too high. */
function flaggedReport(extra = '') {
  const rep = generateReport(7, { template: '2021', activity: 1 });
  rep.written['review.total'] = String((rep.values['review.total'] ?? 0) + 7);
  rep.written['applications.newReceived.natural'] = String((rep.values['applications.newReceived.natural'] ?? 0) + 3);
  return { rep, bytes: new TextEncoder().encode(renderHtml(rep, { chrome: true }) + extra) };
}

describe.each(dialectCases('review'))('review overrides on $name', ({ make }) => {
  let c: DialectCase;
  let store: Store;
  let tmp: string;
  let record: NianbaoRecord;
  let truth: Record<string, number | null>;

  beforeAll(async () => {
    c = make();
    store = await c.open();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-review-'));
    const { rep, bytes } = flaggedReport();
    truth = rep.values;
    record = await extractRecord(bytes, { uri: URL, fetchedAt: '2024-03-01T08:00:00Z' });
    await store.putRecord(record, { extractedAt: '2024-03-02T00:00:00Z' });
  });
  afterAll(async () => {
    await store?.close();
    await c?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the record is flagged by broken identities, and the reviewer\'s values make them hold', () => {
    expect(record.status).toBe('flagged');
    const ids = recordIdentities(record);
    const broken = checkIdentities(ids, record.values).filter((r) => r.holds === false);
    expect(broken.length).toBeGreaterThan(0);
    const corrected = { ...record.values, 'review.total': truth['review.total']!, 'applications.newReceived.natural': truth['applications.newReceived.natural']! };
    expect(checkIdentities(ids, corrected).filter((r) => r.holds === false)).toEqual([]);
  });

  it('stores overrides beside the record, never in it, with who, when, old and new value', async () => {
    await store.saveReview({
      url: URL,
      sha256: record.source.sha256,
      reviewer: 'alice',
      state: 'reviewed',
      at: '2024-03-03T10:00:00Z',
      overrides: [
        { field: 'review.total', kind: 'value', value: truth['review.total']!, extracted: record.values['review.total'], note: 'sum of the row' },
        { field: 'applications.newReceived.natural', kind: 'as_published', extracted: record.values['applications.newReceived.natural'] },
      ],
    });
    // A second reviewer turns the confirmation into a correction: the latest save of a field is in force.
    await store.saveReview({
      url: URL,
      sha256: record.source.sha256,
      reviewer: 'bob',
      state: 'reviewed',
      at: '2024-03-03T11:00:00Z',
      overrides: [{ field: 'applications.newReceived.natural', kind: 'value', value: truth['applications.newReceived.natural']!, extracted: record.values['applications.newReceived.natural'] }],
    });
    const stored = (await store.getRecord(URL))!;
    expect(stored.record.values['review.total']).toBe(truth['review.total']! + 7);
    const review = (await store.getReview(URL))!;
    expect(review).toMatchObject({ state: 'reviewed', reviewer: 'bob', sha256: record.source.sha256 });
    expect(review.overrides.map((o) => [o.field, o.kind, o.value, o.extracted, o.reviewer])).toEqual([
      ['review.total', 'value', truth['review.total'], truth['review.total']! + 7, 'alice'],
      ['applications.newReceived.natural', 'value', truth['applications.newReceived.natural'], truth['applications.newReceived.natural']! + 3, 'bob'],
    ]);
    expect(review.overrides[0]).toMatchObject({ note: 'sum of the row', at: '2024-03-03T10:00:00.000Z' });
    expect((await store.overrideHistory(URL)).map((h) => [h.field, h.kind, h.reviewer])).toEqual([
      ['review.total', 'value', 'alice'],
      ['applications.newReceived.natural', 'as_published', 'alice'],
      ['applications.newReceived.natural', 'value', 'bob'],
    ]);
    const reviewed = applyReview(stored, review);
    expect(reviewed.review.state).toBe('reviewed');
    expect(checkIdentities(recordIdentities(reviewed.record), reviewed.record.values).filter((r) => r.holds === false)).toEqual([]);
  });

  it('re-extraction of the same bytes keeps the overrides', async () => {
    const again = await extractRecord(flaggedReport().bytes, { uri: URL, fetchedAt: '2024-04-01T08:00:00Z' });
    expect(again.source.sha256).toBe(record.source.sha256);
    await store.putRecord(again, { extractorVersion: 'nianbao-next', extractedAt: '2024-04-02T00:00:00Z' });
    const stored = (await store.getRecord(URL))!;
    expect(stored.extractorVersion).toBe('nianbao-next');
    const reviewed = applyReview(stored, await store.getReview(URL));
    expect(reviewed.review).toMatchObject({ state: 'reviewed', stale: [] });
    expect(reviewed.record.values['review.total']).toBe(truth['review.total']);
  });

  it('exports give the reviewed value, say which values were reviewed, and keep the extracted one', async () => {
    const out = join(tmp, 'x');
    await exportDataset(store, { out, formats: ['csv-wide', 'csv-long', 'jsonl'] });
    const wide = readCsv(join(out, 'reports_wide.csv')).rows[0]!;
    expect(wide).toMatchObject({ review_state: 'reviewed', reviewers: 'alice;bob', 'review.total': String(truth['review.total']) });
    expect(wide.reviewed_fields!.split(';').sort()).toEqual(['applications.newReceived.natural', 'review.total']);
    const long = readCsv(join(out, 'cells_long.csv')).rows;
    const cell = (f: string) => long.find((r) => r.field === f)!;
    expect(cell('review.total')).toMatchObject({ value: String(truth['review.total']), value_source: 'reviewed', extracted_value: String(truth['review.total']! + 7) });
    expect(cell('review.upheld')).toMatchObject({ value_source: 'extracted' });
    expect(cell('review.upheld').extracted_value).toBe(cell('review.upheld').value);
    const json = JSON.parse(readFileSync(join(out, 'records.jsonl'), 'utf8').trim());
    expect(json.values['review.total']).toBe(truth['review.total']);
    expect(json.review.state).toBe('reviewed');
    expect(json.review.fields['review.total']).toMatchObject({ source: 'reviewed', extracted: truth['review.total']! + 7, reviewer: 'alice', note: 'sum of the row' });
  });

  it('new bytes raise the overrides for review again and the export falls back to the extraction', async () => {
    const changed = await extractRecord(flaggedReport('<!-- re-uploaded -->').bytes, { uri: URL, fetchedAt: '2024-05-01T08:00:00Z' });
    expect(changed.source.sha256).not.toBe(record.source.sha256);
    await store.putRecord(changed);
    const reviewed = applyReview((await store.getRecord(URL))!, await store.getReview(URL));
    expect(reviewed.review.state).toBe('unreviewed');
    expect(reviewed.review.stale.map((o) => o.field).sort()).toEqual(['applications.newReceived.natural', 'review.total']);
    expect(reviewed.record.values['review.total']).toBe(truth['review.total']! + 7);
    const out = join(tmp, 'y');
    await exportDataset(store, { out, formats: ['csv-wide'] });
    expect(readCsv(join(out, 'reports_wide.csv')).rows[0]).toMatchObject({ review_state: 'unreviewed', reviewed_fields: '', 'review.total': String(truth['review.total']! + 7) });
  });
});
