/**
 * A store to serve in the UI tests, filled the real way: the offline sample portal crawled with
 * `runLocal` (valid records, a corrupt PDF, 404s), plus documents stored as the fetch stage
 * stores them (artifact + fetched document) and extracted with `extractStage`:
 *  - a generated HTML report whose published totals break identities (flagged),
 *  - Word 97 (.doc) reports that need LibreOffice (failed while NIANBAO_SOFFICE is broken).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Portal } from '../../src/crawl/config.js';
import { samplePortals } from '../../src/demo/portal-config.js';
import { type PortalServer, startPortalServer } from '../../src/demo/portal-server.js';
import { SOFFICE_ENV } from '../../src/extract/docx/soffice.js';
import { openContext, type OpenContext } from '../../src/pipeline/context.js';
import { runLocal } from '../../src/pipeline/local.js';
import { extractStage } from '../../src/pipeline/stages.js';
import { openStore, type Store } from '../../src/store/index.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { ROOT } from '../helpers/shared.js';

export interface World {
  dataDir: string;
  portal: PortalServer;
  portals: Portal[];
  ctx: OpenContext;
  /** URL of the flagged generated report. */
  flaggedUrl: string;
  close(): Promise<void>;
}

export const DOC_URLS = {
  a: 'https://reports.example.gov.cn/zwgk/2019/lo-2019.doc',
  b: 'https://reports.example.gov.cn/zwgk/2021/lo-2021-blank.doc',
};

/** Store bytes as the fetch stage does: artifact first, then the document's fetch outcome. */
export async function addFetched(ctx: OpenContext, url: string, bytes: Uint8Array, contentType: string, meta: { agency?: string; year?: number } = {}): Promise<string> {
  await ctx.store.upsertDocument({ url, portalId: 'demo', title: `${meta.agency ?? ''}${meta.year ?? ''}年政府信息公开工作年度报告`, yearHint: meta.year ?? null, agencyHint: meta.agency ?? null });
  const sha256 = await ctx.artifacts.put(bytes);
  await ctx.store.recordFetch(url, { status: 'fetched', httpStatus: 200, sha256, contentType, bytes: bytes.length });
  return sha256;
}

/** A 2021 report whose published totals break three identities (and nothing else). */
export function flaggedReportHtml(): string {
  const rep = generateReport(7, { template: '2021', activity: 1 });
  rep.written['review.total'] = String((rep.values['review.total'] ?? 0) + 7);
  rep.written['applications.newReceived.natural'] = String((rep.values['applications.newReceived.natural'] ?? 0) + 3);
  return renderHtml(rep, { chrome: true });
}

/** Run `fn` with LibreOffice unavailable to the extractor (NIANBAO_SOFFICE naming a missing binary). */
export async function withoutSoffice<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env[SOFFICE_ENV];
  process.env[SOFFICE_ENV] = '/nonexistent/nianbao-test/soffice';
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[SOFFICE_ENV];
    else process.env[SOFFICE_ENV] = before;
  }
}

export interface WorldOptions {
  /** Crawl the sample portal first (default true). */
  crawl?: boolean;
  /** Add the Word .doc reports, the first extracted (and failed) without LibreOffice. */
  docs?: boolean;
}

export async function makeWorld(opts: WorldOptions = {}): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nianbao-ui-'));
  const portal = await startPortalServer();
  const portals = await samplePortals(portal.baseUrl);
  const store = await openStore({ url: join(dataDir, 'nianbao.sqlite'), env: {} });
  const ctx = await openContext({ portals, dataDir, store });
  if (opts.crawl !== false) await runLocal(ctx, { portals });

  const flaggedUrl = 'https://reports.example.gov.cn/zwgk/2022/t20220120_flagged.html';
  await addFetched(ctx, flaggedUrl, new TextEncoder().encode(flaggedReportHtml()), 'text/html; charset=utf-8', { year: 2021 });
  await extractStage(ctx, flaggedUrl);

  if (opts.docs) {
    await addFetched(ctx, DOC_URLS.a, readFileSync(join(ROOT, 'samples/doc/lo-2019.doc')), 'application/msword');
    await addFetched(ctx, DOC_URLS.b, readFileSync(join(ROOT, 'samples/doc/lo-2021-blank.doc')), 'application/msword');
    await withoutSoffice(() => extractStage(ctx, DOC_URLS.a));
  }

  return {
    dataDir,
    portal,
    portals,
    ctx,
    flaggedUrl,
    async close() {
      await ctx.close();
      await store.close();
      await portal.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
