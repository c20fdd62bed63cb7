/**
 * The store against both dialects: the same suite on a SQLite file and on a PostgreSQL schema.
 * Records are real: the shared reports through the real extractor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreNotFoundError, type Store, openStore, resolveStoreTarget } from '../../src/store/index.js';
import { DocumentNotFoundError } from '../../src/store/documents.js';
import { StoredRecordInvalidError } from '../../src/store/records.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { EXTRACTOR_VERSION } from '../../src/version.js';
import { sharedAvailable } from '../helpers/shared.js';
import { type DialectCase, byFile, dialectCases, emptyFileRecord, realRecords } from './fixtures.js';

describe('resolveStoreTarget', () => {
  it('explicit URL, then DATABASE_URL, then <dataDir>/nianbao.sqlite', () => {
    expect(resolveStoreTarget({ url: 'postgres://u@h/db' }, { DATABASE_URL: 'x.sqlite' })).toEqual({ dialect: 'postgres', location: 'postgres://u@h/db' });
    expect(resolveStoreTarget({}, { DATABASE_URL: 'postgresql://u@h/db' })).toEqual({ dialect: 'postgres', location: 'postgresql://u@h/db' });
    expect(resolveStoreTarget({ dataDir: '/tmp/nb' }, {})).toEqual({ dialect: 'sqlite', location: '/tmp/nb/nianbao.sqlite' });
    expect(resolveStoreTarget({}, {})).toEqual({ dialect: 'sqlite', location: 'data/nianbao.sqlite' });
    expect(resolveStoreTarget({ url: 'sqlite:///var/nb.db' }, {})).toEqual({ dialect: 'sqlite', location: '/var/nb.db' });
  });

  it('create: false refuses a missing SQLite file instead of making an empty store', async () => {
    await expect(openStore({ url: '/nonexistent-dir/none.sqlite', create: false, env: {} })).rejects.toBeInstanceOf(StoreNotFoundError);
  });
});

const withRecord = (r: NianbaoRecord, patch: Partial<NianbaoRecord>): NianbaoRecord => ({ ...r, ...patch });

describe.each(dialectCases('store'))('store on $name', ({ make }) => {
  let c: DialectCase;
  let store: Store;

  beforeAll(async () => {
    c = make();
    store = await c.open();
  });
  afterAll(async () => {
    await store?.close();
    await c?.drop();
  });

  it('migrates once: reopening the same database keeps its data and schema', async () => {
    await store.upsertDocument({ url: 'https://a.gov.cn/migrate', portalId: 'p' });
    const again = await c.open();
    try {
      expect((await again.getDocument('https://a.gov.cn/migrate'))?.portalId).toBe('p');
    } finally {
      await again.close();
    }
    expect(store.dialect).toBe(c.name);
  });

  describe('documents', () => {
    const listing = 'https://www.haimen.gov.cn/xxgk/ndbg/index.html';
    const docs = [
      { url: 'https://www.haimen.gov.cn/art/2021/1/20/a.html', portalId: 'nantong', title: '南通市海门区商务局2020年政府信息公开工作年度报告', yearHint: 2020, agencyHint: '南通市海门区商务局', discoveredFrom: listing, publishedAt: '2021-01-20', publishedFrom: 'listing' as const, seenAt: '2024-01-01T00:00:00Z' },
      { url: 'https://www.haimen.gov.cn/art/2022/1/18/b.pdf', portalId: 'nantong', title: '2021年度报告', discoveredFrom: listing, seenAt: '2024-01-01T00:00:00Z' },
    ];

    it('upserting twice never duplicates; a second sighting refreshes hints but never blanks them', async () => {
      expect(await store.upsertDocuments(docs)).toEqual({ inserted: 2, updated: 0 });
      // Second crawl: the hint-less sighting of the first URL must not erase its hints.
      expect(await store.upsertDocuments([{ url: docs[0]!.url, portalId: 'nantong', seenAt: '2024-02-01T00:00:00Z' }, { ...docs[1]!, yearHint: 2021, seenAt: '2024-02-01T00:00:00Z' }])).toEqual({ inserted: 0, updated: 2 });

      const a = await store.getDocument(docs[0]!.url);
      expect(a).toEqual({
        url: docs[0]!.url,
        portalId: 'nantong',
        title: '南通市海门区商务局2020年政府信息公开工作年度报告',
        yearHint: 2020,
        agencyHint: '南通市海门区商务局',
        discoveredFrom: listing,
        discoveredAt: '2024-01-01T00:00:00.000Z',
        seenAt: '2024-02-01T00:00:00.000Z',
        status: 'pending',
        httpStatus: null,
        etag: null,
        lastModified: null,
        sha256: null,
        contentType: null,
        bytes: null,
        fetchedAt: null,
        checkedAt: null,
        attempts: 0,
        errorCode: null,
        errorMessage: null,
        publishedAt: '2021-01-20',
        publishedFrom: 'listing',
        filename: null,
      });
      expect((await store.getDocument(docs[1]!.url))?.yearHint).toBe(2021);
      const all = [];
      for await (const d of store.listDocuments({ portalId: 'nantong' })) all.push(d.url);
      expect(all).toEqual(docs.map((d) => d.url));
    });

    it('a batch naming one URL twice keeps the last sighting', async () => {
      const url = 'https://x.gov.cn/dup.html';
      expect(await store.upsertDocuments([{ url, portalId: 'x', title: 'first' }, { url, portalId: 'x', title: 'second' }])).toEqual({ inserted: 1, updated: 0 });
      expect((await store.getDocument(url))?.title).toBe('second');
    });

    it('fetch outcomes: failures count attempts and keep the last good content; success resets them', async () => {
      const url = docs[1]!.url;
      const sha = 'a'.repeat(64);
      let d = await store.recordFetch(url, { status: 'fetched', httpStatus: 200, sha256: sha, contentType: 'application/pdf', bytes: 123456, etag: '"v1"', lastModified: 'Tue, 18 Jan 2022 02:00:00 GMT', at: '2024-02-01T01:00:00Z' });
      expect(d).toMatchObject({ status: 'fetched', httpStatus: 200, sha256: sha, bytes: 123456, etag: '"v1"', fetchedAt: '2024-02-01T01:00:00.000Z', attempts: 0 });

      await store.recordFetch(url, { status: 'failed', httpStatus: 503, errorCode: 'http_5xx', errorMessage: 'Service Unavailable', at: '2024-02-02T01:00:00Z' });
      d = await store.recordFetch(url, { status: 'failed', httpStatus: null, errorCode: 'timeout', errorMessage: 'no response in 30 s', at: '2024-02-03T01:00:00Z' });
      expect(d).toMatchObject({ status: 'failed', httpStatus: null, errorCode: 'timeout', attempts: 2, sha256: sha, etag: '"v1"', fetchedAt: '2024-02-01T01:00:00.000Z', checkedAt: '2024-02-03T01:00:00.000Z' });
      expect(await store.getDocument(url)).toEqual(d);

      d = await store.recordFetch(url, { status: 'not_modified', at: '2024-02-04T01:00:00Z' });
      expect(d).toMatchObject({ status: 'not_modified', httpStatus: 304, attempts: 0, errorCode: null, errorMessage: null, sha256: sha, etag: '"v1"', lastModified: 'Tue, 18 Jan 2022 02:00:00 GMT' });
      expect(await store.getDocument(url)).toEqual(d);

      await expect(store.recordFetch('https://never.discovered/x', { status: 'not_modified' })).rejects.toBeInstanceOf(DocumentNotFoundError);
    });

    it('concurrent failures of one URL each count (no lost update)', async () => {
      const url = 'https://busy.gov.cn/r.pdf';
      await store.upsertDocument({ url, portalId: 'busy' });
      await Promise.all(Array.from({ length: 6 }, (_, i) => store.recordFetch(url, { status: 'failed', errorCode: 'timeout', errorMessage: `try ${i}` })));
      expect((await store.getDocument(url))?.attempts).toBe(6);
      await store.db.deleteFrom('documents').where('url', '=', url).execute();
    });

    it('lists documents by status', async () => {
      await store.upsertDocument({ url: 'https://gone.gov.cn/r.html', portalId: 'gone' });
      await store.recordFetch('https://gone.gov.cn/r.html', { status: 'gone', httpStatus: 404, errorCode: 'http_404', errorMessage: 'Not Found' });
      const gone = [];
      for await (const d of store.listDocuments({ status: ['gone', 'failed'] })) gone.push(`${d.url} ${d.status}`);
      expect(gone).toEqual(['https://gone.gov.cn/r.html gone']);
      const none = [];
      for await (const d of store.listDocuments({ status: [] })) none.push(d);
      expect(none).toEqual([]);
    });
  });

  describe('pages', () => {
    const url = 'https://www.gz.gov.cn/zwgk/ndbg/index_2.html';

    it('one row per URL; a 304 and a failure keep the last body hash and validators', async () => {
      const first = await store.upsertPage({ url, portalId: 'gz', status: 'fetched', httpStatus: 200, etag: 'W/"abc"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', sha256: 'b'.repeat(64), at: '2024-03-01T00:00:00Z' });
      expect(await store.getPage(url)).toEqual(first);
      expect(first).toEqual({ url, portalId: 'gz', status: 'fetched', httpStatus: 200, etag: 'W/"abc"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT', sha256: 'b'.repeat(64), fetchedAt: '2024-03-01T00:00:00.000Z', checkedAt: '2024-03-01T00:00:00.000Z', errorCode: null, errorMessage: null });

      await store.upsertPage({ url, portalId: 'gz', status: 'not_modified', at: '2024-03-02T00:00:00Z' });
      expect(await store.getPage(url)).toEqual({ ...first, status: 'not_modified', httpStatus: 304, checkedAt: '2024-03-02T00:00:00.000Z' });

      await store.upsertPage({ url, portalId: 'gz', status: 'failed', httpStatus: 502, errorCode: 'http_5xx', errorMessage: 'Bad Gateway', at: '2024-03-03T00:00:00Z' });
      expect(await store.getPage(url)).toEqual({ ...first, status: 'failed', httpStatus: 502, checkedAt: '2024-03-03T00:00:00.000Z', errorCode: 'http_5xx', errorMessage: 'Bad Gateway' });

      // New content: validators and hash are replaced, a missing ETag is not carried over.
      await store.upsertPage({ url, portalId: 'gz', status: 'fetched', httpStatus: 200, sha256: 'c'.repeat(64), at: '2024-03-04T00:00:00Z' });
      expect(await store.getPage(url)).toMatchObject({ status: 'fetched', etag: null, lastModified: null, sha256: 'c'.repeat(64), fetchedAt: '2024-03-04T00:00:00.000Z', errorCode: null });

      const n = await store.db.selectFrom('pages').select((eb) => eb.fn.countAll().as('n')).where('url', '=', url).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
      expect(await store.getPage('https://never.seen/')).toBeNull();
    });
  });

  describe.skipIf(!sharedAvailable())('records (real reports)', () => {
    let records: NianbaoRecord[];
    const region = (r: NianbaoRecord) => (r.agency?.includes('广州') ? { regionCode: '440112', regionName: '黄埔区' } : r.agency?.includes('湛江') || r.agency?.includes('雷州') ? { regionCode: '440882', regionName: '雷州市' } : { regionCode: '320800', regionName: '淮安市' });

    beforeAll(async () => {
      records = await realRecords();
    });

    it('put then get returns the record exactly, with its meta', async () => {
      const r = byFile(records, '002_c8ae97ba96c85194.txt');
      expect(await store.putRecord(r, { ...region(r), portalId: 'nantong', extractedAt: '2024-03-05T00:00:00+08:00' })).toEqual({ written: 1, unchanged: 0 });
      const got = await store.getRecord(r.source.uri);
      expect(got?.record).toEqual(r);
      expect(got).toMatchObject({
        url: r.source.uri,
        sha256: r.source.sha256,
        extractorVersion: EXTRACTOR_VERSION,
        extractedAt: '2024-03-04T16:00:00.000Z',
        portalId: 'nantong',
        // The record's own region (its agency 南通市海门区商务局) wins over the one given beside it.
        regionCode: '320614',
        regionName: '海门区',
        reportId: r.reportId,
        issueCodes: ['blank_cells'],
      });
      expect(got!.reportId).toMatch(/^[0-9a-f]{16}$/);
      expect(await store.recordVersion(r.source.uri)).toEqual({ sha256: r.source.sha256, extractorVersion: EXTRACTOR_VERSION });
    });

    it('same (sha256, extractor version) is a no-op; new bytes or a new version replace the record in place', async () => {
      const all = records.map((record) => ({ record, meta: { ...region(record), extractedAt: '2024-03-05T00:00:00Z' } }));
      const first = await store.putRecords(all);
      // 002 was stored by the previous test with the same sha and version.
      expect(first).toEqual({ written: records.length - 1, unchanged: 1 });
      expect(await store.putRecords(all)).toEqual({ written: 0, unchanged: records.length });
      expect(await store.countRecords()).toBe(records.length);

      const r = byFile(records, '010.pdftext.txt');
      const before = await store.getRecord(r.source.uri);
      // Re-putting with different meta but the same version changes nothing, by design.
      expect(await store.putRecord(r, { regionCode: '999999', extractedAt: '2025-01-01T00:00:00Z' })).toEqual({ written: 0, unchanged: 1 });
      expect(await store.getRecord(r.source.uri)).toEqual(before);

      expect(await store.putRecord(r, { ...region(r), extractorVersion: 'nianbao/9.9.9', extractedAt: '2025-01-01T00:00:00Z' })).toEqual({ written: 1, unchanged: 0 });
      const bumped = await store.getRecord(r.source.uri);
      expect(bumped).toMatchObject({ id: before!.id, extractorVersion: 'nianbao/9.9.9', extractedAt: '2025-01-01T00:00:00.000Z' });

      const newBytes = withRecord(r, { source: { ...r.source, sha256: 'd'.repeat(64) }, status: 'valid', issues: [] });
      expect(await store.putRecord(newBytes, { extractorVersion: 'nianbao/9.9.9' })).toEqual({ written: 1, unchanged: 0 });
      const replaced = await store.getRecord(r.source.uri);
      expect(replaced?.id).toBe(before!.id);
      expect(replaced?.record).toEqual(newBytes);
      expect(replaced?.regionCode).toBe('320813');
      // A record without a region of its own takes the one stored beside it.
      const { region: _region, ...noRegion } = newBytes;
      await store.putRecord(noRegion, { extractorVersion: 'nianbao/9.9.9', regionCode: '320800', regionName: '淮安市' });
      expect((await store.getRecord(r.source.uri))?.regionCode).toBe('320800');
      expect(await store.countRecords()).toBe(records.length);
      // Restore the real record for the filter tests below.
      await store.putRecord(r, { ...region(r), extractorVersion: EXTRACTOR_VERSION });
    });

    it('filters by year, status, template, region code prefix or name, issue code', async () => {
      const urls = async (f: Parameters<Store['listRecords']>[0]) => {
        const out: string[] = [];
        for await (const s of store.listRecords(f)) out.push(s.url.slice(s.url.lastIndexOf('/') + 1));
        return out;
      };
      expect(await urls({ year: 2020 })).toEqual(['002_c8ae97ba96c85194.txt', '000_fe63b0f92ece0c02.txt', '001_bb53b48cecce1603.txt', '003_d14d7889243b97c8.txt', '004_646b8e8d4d5b8db8.txt']);
      expect(await urls({ year: [2023, 2024] })).toEqual(['009.pdftext.txt', '010.pdftext.txt', '011.pdftext.txt']);
      expect(await urls({ status: 'flagged' })).toEqual(['010.pdftext.txt']);
      expect(await urls({ template: '2021', status: ['valid'] })).toEqual(['009.pdftext.txt', '011.pdftext.txt']);
      expect(await urls({ region: '4401' })).toEqual(['000_fe63b0f92ece0c02.txt']);
      expect(await urls({ region: '44' })).toEqual(['000_fe63b0f92ece0c02.txt', '001_bb53b48cecce1603.txt', '003_d14d7889243b97c8.txt']);
      expect(await urls({ region: '淮安市', year: 2024 })).toEqual(['009.pdftext.txt', '011.pdftext.txt']);
      expect(await urls({ issueCode: 'row_aggregated' })).toEqual(['010.pdftext.txt', '011.pdftext.txt']);
      expect(await urls({ issueCode: 'cell_repaired' })).toEqual(['004_646b8e8d4d5b8db8.txt']);
      // Whole codes only: a fragment or a LIKE wildcard matches nothing.
      expect(await urls({ issueCode: 'blank' })).toEqual([]);
      expect(await urls({ issueCode: '%' })).toEqual([]);
      expect(await urls({ year: [] })).toEqual([]);
      expect(await store.countRecords({ template: '2019' })).toBe(5);
    });

    it('streams across keyset pages without losing or repeating a record', async () => {
      const all: number[] = [];
      for await (const s of store.listRecords({}, 3)) all.push(s.id);
      expect(all).toHaveLength(records.length);
      expect(new Set(all).size).toBe(records.length);
      expect([...all].sort((a, b) => a - b)).toEqual(all);
    });

    it('refuses a record that breaks the contract, writing nothing of its batch', async () => {
      const good = withRecord(byFile(records, '000_fe63b0f92ece0c02.txt'), { source: { ...records[0]!.source, uri: 'https://new.gov.cn/good' } });
      const bad = withRecord(good, { source: { ...good.source, uri: 'https://new.gov.cn/bad' }, status: 'ok' as never });
      await expect(store.putRecords([{ record: good }, { record: bad }])).rejects.toThrow();
      expect(await store.getRecord('https://new.gov.cn/good')).toBeNull();
    });

    it('a stored row that no longer satisfies RecordSchema is reported, not returned', async () => {
      const r = withRecord(byFile(records, '001_bb53b48cecce1603.txt'), { source: { ...records[0]!.source, uri: 'https://corrupt.gov.cn/r' } });
      await store.putRecord(r);
      await store.db.updateTable('records').set({ record: JSON.stringify({ ...r, year: 'last year' }) }).where('url', '=', 'https://corrupt.gov.cn/r').execute();
      await expect(store.getRecord('https://corrupt.gov.cn/r')).rejects.toBeInstanceOf(StoredRecordInvalidError);
      await store.db.deleteFrom('records').where('url', '=', 'https://corrupt.gov.cn/r').execute();
    });

    it('lists failed fetches and failed extractions with their reasons', async () => {
      const failed = await emptyFileRecord('https://reports.example.gov.cn/empty.pdf');
      await store.putRecord(failed, { portalId: 'huaian', extractedAt: '2024-03-06T00:00:00Z' });
      const items = await store.listFailed();
      expect(items.filter((i) => i.stage === 'extract')).toEqual([
        { stage: 'extract', url: 'https://reports.example.gov.cn/empty.pdf', portalId: 'huaian', code: 'empty_file', message: 'The file is empty.', at: '2024-03-06T00:00:00.000Z' },
      ]);
      expect(items.filter((i) => i.stage === 'fetch').map((i) => [i.url, i.code, i.attempts])).toEqual([['https://gone.gov.cn/r.html', 'http_404', 1]]);
      await store.db.deleteFrom('records').where('url', '=', failed.source.uri).execute();
    });
  });

  it('bulk: 1,200 records across several INSERTs, then the same again as no-ops', async () => {
    const base = await emptyFileRecord();
    const items = Array.from({ length: 1200 }, (_, i) => ({
      record: withRecord(base, { source: { ...base.source, uri: `https://bulk.gov.cn/${i}` }, year: 2000 + (i % 3) }),
      meta: { portalId: 'bulk' },
    }));
    expect(await store.putRecords(items)).toEqual({ written: 1200, unchanged: 0 });
    expect(await store.putRecords(items)).toEqual({ written: 0, unchanged: 1200 });
    expect(await store.countRecords({ portalId: 'bulk' })).toBe(1200);
    expect(await store.countRecords({ portalId: 'bulk', year: 2001 })).toBe(400);
    await store.db.deleteFrom('records').where('portal_id', '=', 'bulk').execute();
  });

  it('runs keep their counters', async () => {
    const id = await store.startRun('crawl', '2024-03-01T00:00:00Z');
    expect(await store.getRun(id)).toEqual({ id, kind: 'crawl', status: 'running', startedAt: '2024-03-01T00:00:00.000Z', finishedAt: null, counters: {}, errorMessage: null });
    await store.finishRun(id, { status: 'done', counters: { pages: 12, documents: 340, failed: 2 }, at: '2024-03-01T00:10:00Z' });
    expect(await store.getRun(id)).toEqual({ id, kind: 'crawl', status: 'done', startedAt: '2024-03-01T00:00:00.000Z', finishedAt: '2024-03-01T00:10:00.000Z', counters: { pages: 12, documents: 340, failed: 2 }, errorMessage: null });
    expect(await store.getRun(id + 1000)).toBeNull();
  });
});
