/**
 * HTTP faults through the whole pipeline: one portal whose report files and pages misbehave in
 * every way a server can (slow, stalled, trickling, 5xx, resets, truncated bodies, redirect
 * loops, 404/410), beside healthy reports. Each fault must end as a stored state with its
 * reason, and the healthy reports of the same run must be stored exactly right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { type ListItem, attachmentArticleHtml, listingHtml, reportTitle } from './portal.js';
import { type KnownReport, expectKnown, htmlReport, sampleReport } from './reports.js';
import { type FaultServer, type Handler, fault, startFaultServer } from './server.js';

const HOST = 'www.faults.test';

interface DocFault {
  name: string;
  handler: (pdf: Buffer) => Handler;
  /** documents row after one run. */
  status: 'failed' | 'gone';
  reason: string;
  httpStatus: number | null;
}

const PDF = sampleReport('pdf', 'chromium-2021-split');

/** Report files linked straight from the listing, each failing its own way. */
const DOC_FAULTS: DocFault[] = [
  { name: 'slow-headers', handler: (pdf) => fault.slowHeaders(10_000, fault.ok(pdf, 'application/pdf')), status: 'failed', reason: 'timeout', httpStatus: null },
  { name: 'stalled-body', handler: () => fault.stall(), status: 'failed', reason: 'timeout', httpStatus: null },
  // No gap is long: only the whole-request deadline (the portal's timeoutMs) ends it.
  { name: 'trickling-body', handler: () => fault.trickle(100), status: 'failed', reason: 'timeout', httpStatus: null },
  { name: 'http-500', handler: () => fault.status(500), status: 'failed', reason: 'http_5xx', httpStatus: 500 },
  { name: 'http-503', handler: () => fault.status(503), status: 'failed', reason: 'http_5xx', httpStatus: 503 },
  { name: 'http-403', handler: () => fault.status(403), status: 'failed', reason: 'http_403', httpStatus: 403 },
  { name: 'http-404', handler: () => fault.status(404), status: 'gone', reason: 'http_404', httpStatus: 404 },
  { name: 'http-410', handler: () => fault.status(410), status: 'gone', reason: 'http_410', httpStatus: 410 },
  { name: 'reset-mid-body', handler: (pdf) => fault.resetMidBody(pdf), status: 'failed', reason: 'connection_reset', httpStatus: null },
  { name: 'truncated-body', handler: (pdf) => fault.truncated(pdf), status: 'failed', reason: 'connection_reset', httpStatus: null },
  // The status kept is the last hop's: the redirect that was refused.
  { name: 'redirect-loop', handler: () => fault.redirect('/files/redirect-loop-b.pdf'), status: 'failed', reason: 'redirect_loop', httpStatus: 302 },
  { name: 'redirect-chain', handler: () => fault.redirect('/hop/1'), status: 'failed', reason: 'too_many_redirects', httpStatus: 302 },
];

/** Article pages (fetched while crawling) that fail: a discovery failure, no document. */
const PAGE_FAULTS: { name: string; handler: Handler; reason: string }[] = [
  { name: 'art-500', handler: fault.status(500), reason: 'http_5xx' },
  { name: 'art-reset', handler: (req) => req.socket.resetAndDestroy(), reason: 'connection_reset' },
  { name: 'art-stall', handler: fault.stall('text/html'), reason: 'timeout' },
  { name: 'art-loop', handler: fault.redirect('/ndbg/art-loop.html'), reason: 'redirect_loop' },
];

describe('HTTP faults through the pipeline', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let first: RunSummary;
  let second: RunSummary;
  const url = (path: string) => srv.url(HOST, path);
  const docUrl = (name: string) => url(`/files/${name}.pdf`);
  const good: { path: string; known: KnownReport }[] = [
    { path: '/ndbg/t20240115_1.html', known: htmlReport(7101, '示例县民政局', 2023) },
    { path: '/ndbg/t20240115_2.html', known: htmlReport(7102, '示例县统计局', 2020) },
    { path: '/files/good.pdf', known: PDF },
    { path: '/files/good-word.docx', known: sampleReport('docx', 'lo-2021-word') },
    // Recovers within the retry: stored like any good report.
    { path: '/files/http-503-then-ok.pdf', known: sampleReport('pdf', 'chromium-2021-blank') },
  ];

  beforeAll(async () => {
    srv = await startFaultServer();
    const items: ListItem[] = [];
    DOC_FAULTS.forEach((f, i) => {
      srv.route(`/files/${f.name}.pdf`, f.handler(PDF.bytes));
      items.push({ href: `/files/${f.name}.pdf`, title: reportTitle(`示例县故障${i + 1}局`, 2023) });
    });
    srv.route('/files/redirect-loop-b.pdf', fault.redirect('/files/redirect-loop.pdf'));
    for (let i = 1; i <= 8; i++) srv.route(`/hop/${i}`, fault.redirect(`/hop/${i + 1}`));
    PAGE_FAULTS.forEach((f, i) => {
      srv.route(`/ndbg/${f.name}.html`, f.handler);
      items.push({ href: `/ndbg/${f.name}.html`, title: reportTitle(`示例县页面故障${i + 1}局`, 2023) });
    });
    // Healthy reports last: they are fetched after the faults (discovery order).
    for (const g of good) {
      const handler = g.path.endsWith('503-then-ok.pdf') ? fault.failing(1, fault.status(503), fault.ok(g.known.bytes, g.known.type)) : fault.ok(g.known.bytes, g.known.type);
      if (g.known.format === 'html') srv.route(g.path, handler);
      else {
        // Attachments behind an article page, as most portals publish PDFs and Word files.
        const article = g.path.replace('/files/', '/ndbg/art-').replace(/\.\w+$/, '.html');
        srv.route(article, fault.ok(attachmentArticleHtml(reportTitle(g.known.agency, g.known.year), g.path, `${reportTitle(g.known.agency, g.known.year)}.${g.known.format}`)));
        srv.route(g.path, handler);
      }
      items.push({ href: g.known.format === 'html' ? g.path : g.path.replace('/files/', '/ndbg/art-').replace(/\.\w+$/, '.html'), title: reportTitle(g.known.agency, g.known.year) });
    }
    srv.route('/ndbg/index.html', fault.ok(listingHtml(items, { next: '/ndbg/index_1.html' })));
    // The second listing page is down: the first page's reports are still all found.
    srv.route('/ndbg/index_1.html', fault.status(503));
    const portal = testPortal({ id: 'faults', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true, limits: { timeoutMs: 4000, retries: 1 } });
    p = await openPipeline([portal]);
    first = await p.run();
    second = await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it.each(DOC_FAULTS)('$name: document stored as $status with reason $reason; no record', async (f) => {
    // A failure is tried again the next night, and counted; a report gone (404/410) is left for `retry`.
    const gone = f.status === 'gone';
    expect(await p.doc(docUrl(f.name))).toMatchObject({ status: f.status, errorCode: f.reason, httpStatus: f.httpStatus, attempts: gone ? 1 : 2, sha256: null });
    expect(await p.store.getRecord(docUrl(f.name))).toBeNull();
    expect(first.failures).toContainEqual(expect.objectContaining({ stage: 'fetch', url: docUrl(f.name), reason: f.reason }));
    expect(second.failures.some((x) => x.url === docUrl(f.name))).toBe(!gone);
  });

  it.each(PAGE_FAULTS)('$name: an article page that fails is a discovery failure ($reason), and no document', async (f) => {
    expect(first.failures).toContainEqual(expect.objectContaining({ stage: 'discover', url: url(`/ndbg/${f.name}.html`), reason: f.reason }));
    expect(await p.store.getDocument(url(`/ndbg/${f.name}.html`))).toBeNull();
  });

  it('a listing page that is down is a discovery failure; the other pages are still crawled', () => {
    expect(first.failures).toContainEqual(expect.objectContaining({ stage: 'discover', url: url('/ndbg/index_1.html'), reason: 'http_5xx' }));
  });

  it('the run goes on: every healthy report of the same run is stored exactly right', async () => {
    for (const g of good) expectKnown(await p.store.getRecord(url(g.path)), g.known, g.path);
    expect(first).toMatchObject({ reportsFound: DOC_FAULTS.length + good.length, fetched: good.length, fetchFailed: DOC_FAULTS.length, extracted: good.length, valid: good.length, failed: 0 });
    expect(await p.counts()).toMatchObject({ documents: DOC_FAULTS.length + good.length, records: good.length, runs: 2 });
    // Exactly the failures above, nothing else.
    expect(first.failures).toHaveLength(DOC_FAULTS.length + PAGE_FAULTS.length + 1);
  });

  it('a 503 that recovers within the retry is stored fetched after two requests', async () => {
    expect(srv.hitsOf('/files/http-503-then-ok.pdf').slice(0, 2).map((h) => h.status)).toEqual([503, 200]);
    expect(await p.doc(url('/files/http-503-then-ok.pdf'))).toMatchObject({ status: 'not_modified', errorCode: null, attempts: 0 });
  });

  it('the next night retries every failure and re-extracts nothing that was good', async () => {
    expect(second).toMatchObject({ fetchFailed: DOC_FAULTS.filter((f) => f.status === 'failed').length, fetched: 0, notModified: good.length, extracted: 0, unchanged: good.length });
    // Transient failures were retried within the fetch (retries: 1); permanent ones were not.
    expect(srv.hitsOf('/files/http-500.pdf')).toHaveLength(4);
    expect(srv.hitsOf('/files/http-404.pdf')).toHaveLength(1);
    expect(srv.hitsOf('/files/http-403.pdf')).toHaveLength(2);
  });

  it('no fault stopped the server or leaked a request past the portal: every request stayed on its host', () => {
    expect(new Set(srv.hits.map((h) => h.host))).toEqual(new Set([HOST]));
  });
});
