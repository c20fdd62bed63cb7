/** fetchDocument: the report files of the sample portal, under the crawl's rules. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/crawl/config.js';
import { crawlPortal } from '../../src/crawl/crawler.js';
import type { ReportRef } from '../../src/crawl/discover.js';
import { type DocumentResult, fetchDocument } from '../../src/crawl/document.js';
import { filenameFromContentDisposition } from '../../src/crawl/content-disposition.js';
import { SAMPLE_PORTAL_DIR, startPortalServer, type PortalServer } from '../../src/demo/portal-server.js';
import { freshDeps, manifest, portalsFor } from './sample.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('fetchDocument on the sample portal', () => {
  let server: PortalServer;
  let portal: Portal;
  let refs: ReportRef[];
  const deps = freshDeps();
  // Without state: every fetch downloads. The conditional test passes deps.state explicitly.
  const net = { fetcher: deps.fetcher, limiter: deps.limiter, robots: deps.robots };
  const results = new Map<string, DocumentResult>();
  beforeAll(async () => {
    server = await startPortalServer();
    portal = (await portalsFor(server)).demo!;
    refs = (await crawlPortal(portal, { ...net, state: deps.state })).refs;
    for (const ref of refs) results.set(ref.url.slice(server.baseUrl.length), await fetchDocument(ref, { ...net, portal }));
  });
  afterAll(async () => {
    await deps.fetcher.close();
    await server.close();
  });

  it('downloads every report that exists, with the bytes the portal holds', () => {
    const routes = JSON.parse(readFileSync(join(SAMPLE_PORTAL_DIR, 'routes.json'), 'utf8')) as Record<string, { file: string }>;
    for (const m of manifest.reports.filter((r) => r.portal === 'demo')) {
      const r = results.get(m.url);
      if (!r?.ok || r.notModified) throw new Error(`${m.url}: ${r && !r.ok ? r.reason : 'missing'}`);
      const file = join(SAMPLE_PORTAL_DIR, 'site', routes[m.url]?.file ?? m.url);
      expect(r.sha256, m.url).toBe(sha(readFileSync(file)));
      expect(r.sniffed, m.url).toBe(m.format);
    }
  });

  it('decodes the file name a download servlet announces', () => {
    const r = results.get('/module/download/downfile.jsp?classid=0&id=88412');
    expect(r).toMatchObject({ ok: true, filename: '洪泽区人民政府2023年政府信息公开工作年度报告.pdf', sniffed: 'pdf' });
  });

  it('a corrupt PDF is still fetched (extraction will say why it fails)', () => {
    const corrupt = manifest.reports.find((r) => r.state === 'corrupt')!;
    expect(results.get(corrupt.url)).toMatchObject({ ok: true, sniffed: 'pdf' });
  });

  it('a DOCX attachment is fetched as the Word file it is', () => {
    const docx = manifest.reports.filter((r) => r.format === 'docx');
    expect(docx.length).toBeGreaterThan(0);
    for (const m of docx) {
      expect(results.get(m.url), m.url).toMatchObject({ ok: true, sniffed: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    }
  });

  it('a second fetch with state is conditional and answers not modified with the stored sha256', async () => {
    const ref = refs.find((r) => r.url.endsWith('.pdf') && r.articleUrl)!;
    const first = await fetchDocument(ref, { ...net, portal, state: deps.state });
    const second = await fetchDocument(ref, { ...net, portal, state: deps.state });
    if (!first.ok || first.notModified) throw new Error('first fetch should download');
    expect(second).toMatchObject({ ok: true, notModified: true, sha256: first.sha256 });
    expect(server.requests.at(-1)).toMatchObject({ conditional: true, status: 304 });
  });

  it('keeps the crawl rules: robots.txt, allowed hosts, size limit', async () => {
    const base = { ...refs[0]!, via: 'attachment' as const };
    const disallowed = await fetchDocument({ ...base, url: `${server.baseUrl}/private/ndbg/t20220118_0001.html` }, { ...net, portal });
    expect(disallowed).toMatchObject({ ok: false, reason: 'robots_disallowed' });
    expect(server.requests.map((q) => q.url)).not.toContain('/private/ndbg/t20220118_0001.html');
    const offHost = await fetchDocument({ ...base, url: 'http://www.gov.cn/x.pdf' }, { ...net, portal });
    expect(offHost).toMatchObject({ ok: false, reason: 'host_not_allowed', url: 'http://www.gov.cn/x.pdf' });
    const pdf = refs.find((r) => r.url.endsWith('.pdf') && r.articleUrl)!;
    const tooBig = await fetchDocument(pdf, { ...net, portal: { ...portal, limits: { ...portal.limits, documentMaxBytes: 100_000 } } });
    expect(tooBig).toMatchObject({ ok: false, reason: 'too_large' });
  });
});

describe('Content-Disposition file names', () => {
  it.each([
    [`attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf`, '年报.pdf'],
    ['attachment; filename="%C4%EA%B1%A8.pdf"', '年报.pdf'], // percent-encoded GBK
    [`attachment; filename="${Buffer.from('年报.docx', 'utf8').toString('latin1')}"`, '年报.docx'], // raw UTF-8 bytes
    [`attachment; filename=${Buffer.from([0xc4, 0xea, 0xb1, 0xa8]).toString('latin1')}.doc`, '年报.doc'], // raw GBK bytes
    ['inline', null],
  ])('%s', (header, name) => expect(filenameFromContentDisposition(header)).toBe(name));
});
