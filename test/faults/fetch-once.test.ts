/**
 * A report page is requested once per crawl: an inline report's article page, read by discovery,
 * is also its document, so the fetch stage reuses that response (bytes, ETag, Last-Modified)
 * instead of asking the server again. The next night's request stays conditional (a 304 confirms
 * the stored bytes), and a changed page is stored and extracted anew, still from one request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { attachmentArticleHtml, listingHtml, reportTitle } from './portal.js';
import { expectKnown, htmlReport, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HOST = 'www.once.test';

describe('report pages fetched once per crawl', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  const inline = htmlReport(7701, '示例县一次一局', 2023);
  const changed = htmlReport(7702, '示例县一次一局', 2023);
  const attached = sampleReport('pdf', 'libreoffice-2021-docx');
  const runs: RunSummary[] = [];
  const url = (path: string) => srv.url(HOST, path);
  /** Requests of `path` by night, as [status, conditional]. */
  const hits = (path: string) => srv.hitsOf(path, HOST).map((h) => [h.status, h.conditional]);

  beforeAll(async () => {
    srv = await startFaultServer();
    // Night 3: the inline report's page is republished with other figures.
    srv.route('/ndbg/t1.html', fault.nightly((n) => fault.ok((n >= 3 ? changed : inline).bytes, 'text/html; charset=utf-8')), HOST);
    srv.route('/ndbg/a2.html', fault.ok(attachmentArticleHtml(reportTitle(attached.agency, attached.year), '/files/r2.pdf', `${reportTitle(attached.agency, attached.year)}.pdf`)), HOST);
    srv.route('/files/r2.pdf', fault.ok(attached.bytes, attached.type), HOST);
    srv.route(
      '/ndbg/index.html',
      fault.ok(
        listingHtml([
          { href: '/ndbg/t1.html', title: reportTitle(inline.agency, inline.year) },
          { href: '/ndbg/a2.html', title: reportTitle(attached.agency, attached.year) },
        ]),
      ),
      HOST,
    );
    p = await openPipeline([testPortal({ id: 'once', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true })]);
    for (const n of [1, 2, 3]) {
      srv.night = n;
      runs.push(await p.run());
      if (n === 1) expectKnown(await p.store.getRecord(url('/ndbg/t1.html')), inline, 't1 on night 1');
    }
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('night 1: one request of the inline report’s page serves discovery and the document; its validators are kept', async () => {
    expect(runs[0]).toMatchObject({ reportsFound: 2, fetched: 2, valid: 2, failures: [] });
    expect(hits('/ndbg/t1.html')[0]).toEqual([200, false]);
    expect(hits('/ndbg/t1.html').length).toBe(3); // one a night, no more
    const doc = await p.doc(url('/ndbg/t1.html'));
    expect(doc.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(doc.lastModified).not.toBeNull();
    expect(doc.bytes).toBe(changed.bytes.length); // after night 3
  });

  it('an attachment is still fetched by the fetch stage: its article page once, its file once a night', () => {
    expect(hits('/ndbg/a2.html')).toEqual([
      [200, false],
      [304, true],
      [304, true],
    ]);
    expect(hits('/files/r2.pdf')).toEqual([
      [200, false],
      [304, true],
      [304, true],
    ]);
  });

  it('night 2: the one request is conditional; its 304 confirms the stored bytes, nothing is extracted again', () => {
    expect(hits('/ndbg/t1.html')[1]).toEqual([304, true]);
    expect(runs[1]).toMatchObject({ reportsFound: 2, fetched: 0, notModified: 2, extracted: 0, unchanged: 2, failures: [] });
  });

  it('night 3: the changed page is stored and extracted from its one request', async () => {
    expect(hits('/ndbg/t1.html')[2]).toEqual([200, true]);
    expect(runs[2]).toMatchObject({ fetched: 1, fetchedChanged: 1, notModified: 1, extracted: 1, failures: [] });
    expectKnown(await p.store.getRecord(url('/ndbg/t1.html')), changed, 't1 on night 3');
  });
});
