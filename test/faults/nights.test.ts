/**
 * Nightly crawls of one portal whose listing misbehaves from night to night: the same night run
 * twice stores nothing twice; a night the listing comes back empty (200, no items) or is down
 * loses nothing — no document deleted or marked gone, no record touched — and the next night
 * carries on as if nothing happened.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { type ListItem, attachmentArticleHtml, listingHtml, reportTitle } from './portal.js';
import { type KnownReport, expectKnown, htmlReport, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HOST = 'www.nights.test';

interface Snapshot {
  documents: { id: number; url: string; sha256: string | null; etag: string | null; status: string; attempts: number }[];
  records: { id: number; url: string; sha256: string; extracted_at: string; record: string }[];
  pages: { url: string }[];
}

async function snapshot(p: TestPipeline): Promise<Snapshot> {
  return {
    documents: await p.store.db.selectFrom('documents').select(['id', 'url', 'sha256', 'etag', 'status', 'attempts']).orderBy('id').execute(),
    records: await p.store.db.selectFrom('records').select(['id', 'url', 'sha256', 'extracted_at', 'record']).orderBy('id').execute(),
    pages: await p.store.db.selectFrom('pages').select(['url']).orderBy('id').execute(),
  };
}

/** What must never change across nights: each document's identity and content, each record whole. */
const stable = (s: Snapshot) => ({ documents: s.documents.map(({ id, url, sha256, etag }) => ({ id, url, sha256, etag })), records: s.records, pages: s.pages });

describe('nightly crawls: the same night twice, an empty listing, a listing that is down', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  const reports: { path: string; listed: string; known: KnownReport }[] = [
    { path: '/ndbg/t1.html', listed: '/ndbg/t1.html', known: htmlReport(7501, '示例县夜间一局', 2023) },
    { path: '/ndbg/t2.html', listed: '/ndbg/t2.html', known: htmlReport(7502, '示例县夜间二局', 2020) },
    { path: '/files/n3.pdf', listed: '/ndbg/a3.html', known: sampleReport('pdf', 'libreoffice-2021-docx') },
    { path: '/files/n4.docx', listed: '/files/n4.docx', known: sampleReport('docx', 'lo-2019-split') },
  ];
  const url = (path: string) => srv.url(HOST, path);
  const runs: RunSummary[] = [];
  const snaps: Snapshot[] = [];
  const artifacts: number[] = [];

  /** Run the crawl as night `n`, keeping what it did and what the store holds after it. */
  async function night(n: number): Promise<void> {
    srv.night = n;
    runs.push(await p.run());
    snaps.push(await snapshot(p));
    artifacts.push(p.artifactCount());
  }

  beforeAll(async () => {
    srv = await startFaultServer();
    const items: ListItem[] = reports.map((r) => ({ href: r.listed, title: reportTitle(r.known.agency, r.known.year) }));
    for (const r of reports) {
      srv.route(r.path, fault.ok(r.known.bytes, r.known.type));
      if (r.listed !== r.path) srv.route(r.listed, fault.ok(attachmentArticleHtml(reportTitle(r.known.agency, r.known.year), r.path, `${reportTitle(r.known.agency, r.known.year)}.pdf`)));
    }
    const full = fault.ok(listingHtml(items));
    // Night 3: the CMS publishes the column with no items (a failed template job). Night 5: the listing is down.
    srv.route('/ndbg/index.html', fault.nightly((n) => (n === 3 ? fault.ok(listingHtml([])) : n === 5 ? fault.status(503) : full)));
    p = await openPipeline([testPortal({ id: 'nights', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true })]);
    // Nights 1 and 2 are the same crawl twice; 3 empty; 4 back; 5 down; 6 back.
    for (const n of [1, 2, 3, 4, 5, 6]) await night(n);
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('night 1 stores every report exactly right', async () => {
    expect(runs[0]).toMatchObject({ reportsFound: 4, reportsNew: 4, fetched: 4, valid: 4, failures: [] });
    for (const r of reports) expectKnown(await p.store.getRecord(url(r.path)), r.known, r.path);
  });

  it('the same crawl twice stores nothing twice: every table keeps its rows (one more run), no new artifact', async () => {
    const [a, b] = [snaps[0]!, snaps[1]!];
    expect(stable(b)).toEqual(stable(a));
    expect({ documents: b.documents.length, pages: b.pages.length, records: b.records.length }).toEqual({ documents: 4, pages: 4, records: 4 });
    expect(artifacts[1]).toBe(artifacts[0]);
    expect(runs[1]).toMatchObject({ reportsFound: 4, reportsNew: 0, fetched: 0, notModified: 4, extracted: 0, unchanged: 4 });
    expect((await p.counts()).runs).toBe(6);
  });

  it('the night the listing is empty: nothing found, nothing lost — no document gone, no record touched', () => {
    expect(runs[2]).toMatchObject({ reportsFound: 0, reportsNew: 0, fetchFailed: 0, failures: [] });
    expect(stable(snaps[2]!)).toEqual(stable(snaps[0]!));
    expect(snaps[2]!.documents.map((d) => d.status)).toEqual(['not_modified', 'not_modified', 'not_modified', 'not_modified']);
    // The known reports were still checked (conditionally) that night.
    expect(runs[2]).toMatchObject({ notModified: 4, unchanged: 4 });
  });

  it('the next night the listing is back and the crawl carries on as before', () => {
    expect(runs[3]).toMatchObject({ reportsFound: 4, reportsNew: 0, fetched: 0, notModified: 4, extracted: 0, failures: [] });
    expect(stable(snaps[3]!)).toEqual(stable(snaps[0]!));
  });

  it('the night the listing is down: a discovery failure with its reason, and again nothing lost', () => {
    expect(runs[4]!.failures).toEqual([expect.objectContaining({ stage: 'discover', url: url('/ndbg/index.html'), reason: 'http_5xx' })]);
    expect(stable(snaps[4]!)).toEqual(stable(snaps[0]!));
    expect(runs[5]).toMatchObject({ reportsFound: 4, reportsNew: 0, failures: [] });
    expect(stable(snaps[5]!)).toEqual(stable(snaps[0]!));
    expect(artifacts[5]).toBe(artifacts[0]);
  });
});

describe('a damaged artifact', () => {
  // Disk damage found on the night a new extractor version re-extracts everything: that document
  // is reported and re-fetched in full the night after; the others are re-extracted meanwhile.
  it('a run that re-extracts a damaged artifact reports it, goes on, and the next run restores it', async () => {
    const srv = await startFaultServer();
    const a = htmlReport(7511, '示例县磁盘一局', 2023);
    const b = htmlReport(7512, '示例县磁盘二局', 2023);
    srv.route('/ndbg/a.html', fault.ok(a.bytes, 'text/html'));
    srv.route('/ndbg/b.html', fault.ok(b.bytes, 'text/html'));
    srv.route('/ndbg/index.html', fault.ok(listingHtml([{ href: '/ndbg/a.html', title: reportTitle(a.agency, a.year) }, { href: '/ndbg/b.html', title: reportTitle(b.agency, b.year) }])));
    const p = await openPipeline([testPortal({ id: 'disk', entries: [srv.url(HOST, '/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true })]);
    try {
      await p.run();
      const sha = (await p.doc(srv.url(HOST, '/ndbg/a.html'))).sha256!;
      writeFileSync(p.artifacts.path(sha), 'damaged');
      // A new extractor version: every record is made again from its artifact.
      p.ctx.extractorVersion = 'nianbao/9.9.9';
      const run = await p.run();
      expect(run.failures).toEqual([expect.objectContaining({ stage: 'extract', url: srv.url(HOST, '/ndbg/a.html'), reason: 'artifact_corrupt' })]);
      expect((await p.store.getRecord(srv.url(HOST, '/ndbg/b.html')))!.extractorVersion).toBe('nianbao/9.9.9');
      expect(await p.doc(srv.url(HOST, '/ndbg/a.html'))).toMatchObject({ status: 'failed', errorCode: 'artifact_corrupt' });
      // The night after: a full fetch (not a 304 that would leave nothing to extract) restores it.
      const next = await p.run();
      expect(next.failures).toEqual([]);
      expect(await p.doc(srv.url(HOST, '/ndbg/a.html'))).toMatchObject({ status: 'fetched', sha256: sha });
      const rec = await p.store.getRecord(srv.url(HOST, '/ndbg/a.html'));
      expect(rec!.extractorVersion).toBe('nianbao/9.9.9');
      expectKnown(rec, a, 'a.html');
    } finally {
      await p.close();
      await srv.close();
    }
  });
});
