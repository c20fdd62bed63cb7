/**
 * Every count and size the pipeline accepts has a limit, and each limit, when crossed, ends as a
 * stored state with its own reason while the rest of the run goes on: listing pages per portal,
 * article pages per portal, page size, document size, inflated size (gzip bombs), robots.txt
 * size; at extraction, file size, PDF pages and a DOCX's unpacked size; the artifact store's
 * own limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import type { ExtractLimits } from '../../src/extract/index.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { type ListItem, listingHtml, reportTitle } from './portal.js';
import { type KnownReport, expectKnown, htmlReport, sampleBytes, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('crawl and fetch limits, four portals in one run', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  const PDF = sampleReport('pdf', 'chromium-2021-blank');
  // Ten distinct reports: the first four on the paginated portal, the other six behind articles.
  const reports = Array.from({ length: 10 }, (_, i) => htmlReport(7400 + i, `示例县限额${i + 1}局`, 2023));
  const at = (host: string, path: string) => srv.url(host, path);

  beforeAll(async () => {
    srv = await startFaultServer();
    const route = (host: string, path: string, h: Parameters<FaultServer['route']>[1]) => srv.route(path, h, host);

    // pages.limits.test: ten listing pages chained by 下一页, one report each; maxPages 4.
    for (let i = 0; i < 10; i++) {
      const page = i ? `/ndbg/index_${i}.html` : '/ndbg/index.html';
      route('pages.limits.test', page, fault.ok(listingHtml([{ href: `/ndbg/t${i}.html`, title: reportTitle(reports[i]!.agency, 2023) }], { next: `/ndbg/index_${i + 1}.html` })));
      route('pages.limits.test', `/ndbg/t${i}.html`, fault.ok(reports[i]!.bytes, 'text/html'));
    }

    // articles.limits.test: one listing of six article pages; maxArticles 3.
    const articles = reports.slice(4);
    route('articles.limits.test', '/ndbg/index.html', fault.ok(listingHtml(articles.map((r, i) => ({ href: `/ndbg/a${i}.html`, title: reportTitle(r.agency, 2023) })))));
    articles.forEach((r, i) => route('articles.limits.test', `/ndbg/a${i}.html`, fault.ok(r.bytes, 'text/html')));

    // sizes.limits.test: documents ≤ 512 KiB, pages ≤ 128 KiB, nothing inflating past 1 MiB.
    const sizes: ListItem[] = [
      { href: '/files/declared-2mb.pdf', title: reportTitle('示例县超大一局', 2023) },
      { href: '/files/streamed-2mb.pdf', title: reportTitle('示例县超大二局', 2023) },
      { href: '/files/gzip-bomb.pdf', title: reportTitle('示例县压缩炸弹局', 2023) },
      { href: '/ndbg/page-1mb.html', title: reportTitle('示例县大页面局', 2023) },
      { href: '/ndbg/page-bomb.html', title: reportTitle('示例县页面炸弹局', 2023) },
      { href: '/files/good.pdf', title: reportTitle(PDF.agency, PDF.year) },
    ];
    route('sizes.limits.test', '/files/declared-2mb.pdf', fault.large(2 * MiB, true));
    route('sizes.limits.test', '/files/streamed-2mb.pdf', fault.large(2 * MiB, false));
    route('sizes.limits.test', '/files/gzip-bomb.pdf', fault.gzipBomb(64 * MiB, 'application/pdf'));
    route('sizes.limits.test', '/ndbg/page-1mb.html', fault.large(1 * MiB, false, 'text/html'));
    route('sizes.limits.test', '/ndbg/page-bomb.html', fault.gzipBomb(64 * MiB));
    route('sizes.limits.test', '/files/good.pdf', fault.ok(PDF.bytes, PDF.type));
    // A healthy gzip-compressed listing is inflated and read.
    route('sizes.limits.test', '/ndbg/index.html', fault.gzipped(listingHtml(sizes)));

    // robots.limits.test: a robots.txt past the 512 KiB a crawler must read.
    route('robots.limits.test', '/robots.txt', fault.large(600 * KiB, false, 'text/plain'));
    route('robots.limits.test', '/ndbg/index.html', fault.ok(listingHtml([{ href: '/ndbg/a.html', title: reportTitle('示例县机器人局', 2023) }])));

    const portal = (id: string, limits: Parameters<typeof testPortal>[0]['limits']) => testPortal({ id, entries: [at(`${id}.limits.test`, '/ndbg/index.html')], allowedHosts: [`${id}.limits.test`], allowPrivate: true, limits });
    p = await openPipeline([
      portal('pages', { maxPages: 4 }),
      portal('articles', { maxArticles: 3 }),
      portal('sizes', { documentMaxBytes: 512 * KiB, pageMaxBytes: 128 * KiB, maxDecompressedBytes: 1 * MiB }),
      portal('robots', {}),
    ]);
    run = await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('maxPages: four listing pages are read, the fifth is skipped as max_pages and never requested', async () => {
    expect(run.skipped).toContainEqual({ url: at('pages.limits.test', '/ndbg/index_4.html'), reason: 'max_pages' });
    expect(srv.hits.filter((h) => h.host === 'pages.limits.test' && /index/.test(h.path)).map((h) => h.path)).toEqual(['/ndbg/index.html', '/ndbg/index_1.html', '/ndbg/index_2.html', '/ndbg/index_3.html']);
    for (let i = 0; i < 10; i++) {
      const rec = await p.store.getRecord(at('pages.limits.test', `/ndbg/t${i}.html`));
      if (i < 4) expectKnown(rec, reports[i]!, `t${i}`);
      else expect(rec, `t${i}`).toBeNull();
    }
  });

  it('maxArticles: three article pages are opened, three skipped as max_articles', async () => {
    expect(run.skipped.filter((s) => s.reason === 'max_articles').map((s) => s.url)).toEqual([3, 4, 5].map((i) => at('articles.limits.test', `/ndbg/a${i}.html`)));
    for (let i = 0; i < 6; i++) {
      const rec = await p.store.getRecord(at('articles.limits.test', `/ndbg/a${i}.html`));
      if (i < 3) expectKnown(rec, reports[4 + i]!, `a${i}`);
      else expect(rec).toBeNull();
    }
    expect(srv.hitsOf('/ndbg/a3.html', 'articles.limits.test')).toEqual([]);
  });

  it.each([
    ['declared-2mb.pdf', 'too_large'],
    ['streamed-2mb.pdf', 'too_large'],
    ['gzip-bomb.pdf', 'decompression_bomb'],
  ])('document size: %s is stored failed as %s, without keeping its bytes', async (name, reason) => {
    expect(await p.doc(at('sizes.limits.test', `/files/${name}`))).toMatchObject({ status: 'failed', errorCode: reason, sha256: null, bytes: null });
  });

  it.each([
    ['page-1mb.html', 'too_large'],
    ['page-bomb.html', 'decompression_bomb'],
  ])('page size: %s is a discovery failure (%s)', (name, reason) => {
    expect(run.failures).toContainEqual(expect.objectContaining({ stage: 'discover', url: at('sizes.limits.test', `/ndbg/${name}`), reason }));
  });

  it('robots.txt past 512 KiB is not read: the host counts as robots_unavailable and nothing else is requested', () => {
    expect(run.skipped).toContainEqual({ url: at('robots.limits.test', '/ndbg/index.html'), reason: 'robots_unavailable' });
    expect(srv.hits.filter((h) => h.host === 'robots.limits.test').map((h) => h.path)).toEqual(['/robots.txt']);
  });

  it('the run went on: under every limit, the reports within it are stored exactly right', async () => {
    expectKnown(await p.store.getRecord(at('sizes.limits.test', '/files/good.pdf')), PDF, 'good.pdf');
    expect(run).toMatchObject({ portals: 4, fetchFailed: 3, valid: 4 + 3 + 1, failed: 0 });
    // Nothing past a limit reached the artifact store: only the eight reports' bytes are kept.
    expect(p.artifactCount()).toBe(8);
  });
});

describe('extraction limits', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  const HOST = 'www.extract.test';
  const LIMITS: Partial<ExtractLimits> = { maxBytes: 200 * KiB, maxPages: 1, maxUnpackedBytes: 100 * KiB };
  const GOOD = htmlReport(7450, '示例县解析局', 2023);
  const FILES: { path: string; bytes: Buffer; type: string; code: string; why: string }[] = [
    { path: '/files/over-bytes.pdf', bytes: sampleBytes('pdf', 'chromium-2021-blank'), type: 'application/pdf', code: 'too_large', why: 'file over maxBytes (268 KB > 200 KiB)' },
    { path: '/files/over-pages-scanned.pdf', bytes: sampleBytes('pdf', 'failed-scanned'), type: 'application/pdf', code: 'too_large', why: 'two pages, maxPages 1, no text on the first' },
    { path: '/files/over-unpacked.docx', bytes: sampleBytes('docx', 'lo-2021-word'), type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', code: 'too_large', why: 'unpacks to 241 KB, maxUnpackedBytes 100 KiB' },
  ];
  const LONG = { path: '/files/over-pages-text.pdf', bytes: sampleBytes('pdf', 'libreoffice-2019-docx-blanks') };
  const url = (path: string) => srv.url(HOST, path);

  beforeAll(async () => {
    srv = await startFaultServer();
    const items: ListItem[] = FILES.map((f, i) => ({ href: f.path, title: reportTitle(`示例县解析${i + 1}局`, 2023) }));
    for (const f of FILES) srv.route(f.path, fault.ok(f.bytes, f.type));
    srv.route(LONG.path, fault.ok(LONG.bytes, 'application/pdf'));
    srv.route('/ndbg/good.html', fault.ok(GOOD.bytes, 'text/html'));
    items.push({ href: LONG.path, title: reportTitle('示例县长文局', 2020) }, { href: '/ndbg/good.html', title: reportTitle(GOOD.agency, GOOD.year) });
    srv.route('/ndbg/index.html', fault.ok(listingHtml(items)));
    const portal = testPortal({ id: 'extract', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true });
    // The extractor with lowered limits, as a deployment would configure it.
    p = await openPipeline([portal], { extract: (bytes, input) => extractRecord(bytes, { ...input, limits: LIMITS }) });
    run = await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it.each(FILES)('$why: a failed record, $code', async (f) => {
    const rec = (await p.store.getRecord(url(f.path)))!.record;
    expect(rec.status).toBe('failed');
    expect(rec.issues.map((i) => i.code)).toEqual([f.code]);
  });

  it('the run went on: a report within the limits is stored exactly right', async () => {
    expectKnown(await p.store.getRecord(url('/ndbg/good.html')), GOOD, 'good.html');
    expect(run.failures.filter((f) => f.stage === 'extract').map((f) => f.reason)).toEqual(FILES.map((f) => f.code));
  });

  // The rows past the page limit are in the report: the record says the document was only partly
  // read, not just that fields were "not found".
  it('a PDF with text, cut by the page limit, says so', async () => {
    const rec = (await p.store.getRecord(url(LONG.path)))!.record;
    expect(rec.status).toBe('flagged');
    expect(rec.issues).toContainEqual(expect.objectContaining({ code: 'partly_read', severity: 'warning', message: expect.stringMatching(/first \d+ of \d+ pages read \(page limit\)/) }));
  });

  it('…meanwhile such a record is at least never valid', async () => {
    const rec = (await p.store.getRecord(url(LONG.path)))!.record;
    expect(rec.status).toBe('flagged');
    expect(rec.issues.map((i) => i.code)).toContain('field_missing');
  });
});

describe('the artifact store limit', () => {
  let srv: FaultServer;
  const HOST = 'www.artifacts.test';
  const GOOD = htmlReport(7460, '示例县存档局', 2023);
  const BIG = sampleReport('pdf', 'libreoffice-2021-docx');

  // A portal's download limit may be larger than the artifact store's: the document fails as
  // too_large and the run goes on.
  it('a document over the artifact store limit is a failed document (too_large), not a crashed run', async () => {
    srv = await startFaultServer();
    srv.route('/files/big.pdf', fault.ok(BIG.bytes, BIG.type));
    srv.route('/ndbg/good.html', fault.ok(GOOD.bytes, 'text/html'));
    srv.route('/ndbg/index.html', fault.ok(listingHtml([{ href: '/files/big.pdf', title: reportTitle(BIG.agency, BIG.year) }, { href: '/ndbg/good.html', title: reportTitle(GOOD.agency, GOOD.year) }])));
    const portal = testPortal({ id: 'artifacts', entries: [srv.url(HOST, '/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true, limits: { documentMaxBytes: 1 * MiB } });
    // A store limit between the two documents' sizes.
    const p = await openPipeline([portal], { artifactMaxBytes: Math.round((GOOD.bytes.length + BIG.bytes.length) / 2) });
    try {
      await p.run();
      expect(await p.doc(srv.url(HOST, '/files/big.pdf'))).toMatchObject({ status: 'failed', errorCode: 'too_large' });
      expectKnown(await p.store.getRecord(srv.url(HOST, '/ndbg/good.html')), GOOD, 'good.html');
    } finally {
      await p.close();
      await srv.close();
    }
  });
});
