/**
 * A crawl of three healthy portals and one hostile one (test/faults/hostile.ts: deep nesting of
 * tables, divs and inline elements, an element with 100,000 attributes, a 5 MB text node,
 * 100,000 unclosed tags, a page that never ends). Every healthy report is stored exactly right;
 * each hostile page is stored as a failure with its own reason; the run finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { type ParsePool, createParsePool } from '../../src/pool/pool.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { HOSTILE_ARTICLES, HOSTILE_DOCUMENTS, HOSTILE_LISTINGS } from './hostile.js';
import { listingHtml, reportTitle } from './portal.js';
import { type KnownReport, expectKnown, htmlReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HEALTHY = ['www.a.test', 'www.b.test', 'www.c.test'];
const HOSTILE = 'www.hostile.test';

describe('one hostile portal beside three healthy ones (local run, pages and documents parsed in the pool)', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  let pool: ParsePool;
  const good: { url: string; known: KnownReport }[] = [];

  beforeAll(async () => {
    srv = await startFaultServer();
    const portals = [];
    let seed = 7400;
    for (const host of [...HEALTHY, HOSTILE]) {
      const items = [];
      for (let i = 0; i < 2; i++) {
        const known = htmlReport(++seed, `示例县${host[4]}第${i + 1}局`, 2023);
        const path = `/ndbg/report-${i}.html`;
        srv.route(path, fault.ok(known.bytes, 'text/html; charset=utf-8'), host);
        good.push({ url: srv.url(host, path), known });
        items.push({ href: path, title: reportTitle(known.agency, known.year) });
      }
      if (host === HOSTILE) {
        for (const h of [...HOSTILE_ARTICLES, ...HOSTILE_DOCUMENTS]) {
          srv.route(h.path, h.handler, host);
          items.push({ href: h.path, title: reportTitle(`示例县恶意${items.length}局`, 2023) });
        }
      }
      srv.route('/ndbg/index.html', fault.ok(listingHtml(items), 'text/html; charset=utf-8'), host);
      const listings = host === HOSTILE ? HOSTILE_LISTINGS : [];
      for (const h of listings) srv.route(h.path, h.handler, host);
      const entries = ['/ndbg/index.html', ...listings.map((h) => h.path)].map((path) => srv.url(host, path));
      portals.push(testPortal({ id: host.split('.')[1]!, entries, allowedHosts: [host], allowPrivate: true, limits: { timeoutMs: 3000, retries: 0 } }));
    }
    // The default time limits (30 s a page): a legitimate heavy page (the 800 KB of unclosed
    // tags) takes 5 s and more to read on a loaded machine, and must not be cut short.
    pool = createParsePool({ threads: 2 });
    p = await openPipeline(portals, { pool });
    run = await p.run();
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await pool?.close();
    await srv?.close();
  });

  it('stores every healthy report exactly right, on every portal', async () => {
    for (const g of good) expectKnown(await p.store.getRecord(g.url), g.known, g.url);
    expect(run.valid).toBe(good.length);
  });

  it.each([...HOSTILE_ARTICLES, ...HOSTILE_DOCUMENTS, ...HOSTILE_LISTINGS])('$name: stored as a failure with its reason', async (h) => {
    const url = srv.url(HOSTILE, h.path);
    if (h.expect.stage === 'discover') {
      expect(run.failures).toContainEqual(expect.objectContaining({ stage: 'discover', url, reason: h.expect.reason }));
      if (h.expect.reason === 'too_complex') {
        const page = await p.store.getPage(url);
        expect(page).toMatchObject({ status: 'failed', errorCode: 'too_complex' });
        expect(page!.errorMessage).toMatch(HOSTILE_LISTINGS.includes(h) ? /limit timeMs/ : /limit max(Depth|Attributes)/);
      }
      expect(await p.store.getDocument(url)).toBeNull();
    } else {
      const rec = await p.store.getRecord(url);
      expect(rec?.record.status).toBe('failed');
      expect(rec!.record.issues.map((i) => i.code)).toEqual([h.expect.code]);
      expect(run.failures).toContainEqual(expect.objectContaining({ stage: 'extract', url, reason: h.expect.code }));
    }
  });

  it('the run finished, with no failure but the hostile pages', () => {
    expect(run.portals).toBe(4);
    const hostile = new Set([...HOSTILE_ARTICLES, ...HOSTILE_DOCUMENTS, ...HOSTILE_LISTINGS].map((h) => srv.url(HOSTILE, h.path)));
    expect(run.failures.filter((f) => !hostile.has(f.url))).toEqual([]);
  });
});
