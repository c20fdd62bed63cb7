/**
 * The whole pipeline on one machine against the offline sample portal: the exact reports found,
 * the records stored, the failures with their reasons, a second run that re-fetches nothing
 * unconditionally and re-extracts nothing, a report published between runs — on SQLite and on
 * the real PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Portal } from '../../src/crawl/config.js';
import { samplePortals } from '../../src/demo/portal-config.js';
import { type PortalServer, startPortalServer } from '../../src/demo/portal-server.js';
import { extractRecord } from '../../src/extractor.js';
import { openContext, type OpenContext } from '../../src/pipeline/context.js';
import { retryFailed, runLocal } from '../../src/pipeline/local.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import type { Store } from '../../src/store/index.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { exportDataset } from '../../src/export/index.js';
import { reportIdOf } from '../../src/record/report-id.js';
import { manifest } from '../crawl/sample.js';
import { readCsv } from '../export/read.js';
import { dialectCases } from '../store/fixtures.js';

const okReports = manifest.reports.filter((r) => r.state === 'ok');
const corrupt = manifest.reports.filter((r) => r.state === 'corrupt');
/** Fetched and read, but in the pre-2019 format: failed, pre_2019_format. */
const oldFormat = manifest.reports.filter((r) => r.old);

/** A record's region in the manifest's terms (labels.region). */
function regionOf(rec: NianbaoRecord) {
  const g = rec.region;
  if (!g) return null;
  return { code: g.code, level: g.level, province: g.province?.code ?? null, prefecture: g.prefecture?.code ?? null, county: g.county?.code ?? null, ...(g.township ? { township: g.township.name } : {}), source: g.source };
}

/** A stored record in the manifest's terms: what `expected` states for each report. */
function asExpected(rec: NianbaoRecord) {
  return { status: rec.status, agency: rec.agency, year: rec.year, template: rec.template, values: rec.values, issues: [...new Set(rec.issues.map((i) => i.code))].sort() };
}

describe.each(dialectCases('pipeline_local'))('local pipeline on the sample portal ($name)', ({ make }) => {
  const dialect = make();
  let server: PortalServer;
  let portals: Portal[];
  let store: Store;
  let dataDir: string;
  let ctx: OpenContext;
  let first: RunSummary;
  let second: RunSummary;
  const abs = (path: string) => `${server.baseUrl}${path}`;

  beforeAll(async () => {
    server = await startPortalServer();
    portals = await samplePortals(server.baseUrl);
    dataDir = mkdtempSync(join(tmpdir(), 'nianbao-pipeline-'));
    store = await dialect.open();
    ctx = await openContext({ portals, dataDir, store });
    first = await runLocal(ctx, { portals });
    server.requests.length = 0;
    second = await runLocal(ctx, { portals });
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await store?.close();
    await server?.close();
    await dialect.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds exactly the reports of the manifest', async () => {
    const urls: string[] = [];
    for await (const d of store.listDocuments()) urls.push(d.url);
    expect(urls.sort()).toEqual(manifest.reports.map((r) => abs(r.url)).sort());
    expect(first.reportsFound).toBe(manifest.reports.length);
    expect(first.reportsNew).toBe(manifest.reports.length);
  });

  it('stores for every report exactly the record the manifest expects: status, agency, year, template, every value, every issue', async () => {
    for (const r of manifest.reports) {
      const stored = await store.getRecord(abs(r.url));
      expect(stored, r.url).not.toBeNull();
      expect(asExpected(stored!.record), r.url).toEqual(r.expected);
      expect(stored!.record.source).toMatchObject({ uri: abs(r.url), format: r.format });
      // A valid record carries no error: nothing wrong hides behind it.
      if (stored!.record.status === 'valid') expect(stored!.record.issues.filter((i) => i.severity === 'error'), r.url).toEqual([]);
      expect(stored!.portalId).toBe(r.portal);
      // Where, when, under which title: from the agency (its region codes in force that year), the article page, the listing.
      expect(regionOf(stored!.record), r.url).toEqual(r.labels.region);
      expect(stored!.regionCode).toBe(r.labels.region.code);
      expect({ title: stored!.record.title, publishedAt: stored!.record.publishedAt }).toEqual({ title: r.labels.title, publishedAt: r.labels.publishedAt });
      expect(stored!.reportId).toBe(reportIdOf(abs(r.url)));
      expect(stored!.record.reportId).toBe(stored!.reportId);
      expect(stored!.record.portalId).toBe(r.portal);
    }
    // One portal, reports from several districts, counties, departments and a township.
    const regions = new Set(manifest.reports.map((r) => r.labels.region.code));
    expect(regions.size).toBeGreaterThanOrEqual(5);
    expect(await store.countRecords()).toBe(manifest.reports.length);
    // Two flagged: a published table that breaks an identity, a flattened dump with cells it does not settle.
    const flaggedBy = okReports.filter((r) => r.expected.status === 'flagged').map((r) => r.expected.issues.filter((c) => c === 'identity_failed' || c === 'ambiguous_cells'));
    expect(flaggedBy.sort()).toEqual([['ambiguous_cells'], ['identity_failed']]);
    const flagged = flaggedBy.length;
    expect(first).toMatchObject({ extracted: manifest.reports.length, valid: okReports.length - oldFormat.length - flagged, flagged, failed: corrupt.length + oldFormat.length, fetchFailed: 0 });
  });

  it('recognises the pre-2019 report in the crawl and stores it as what it is', async () => {
    const old = manifest.reports.filter((r) => r.old);
    expect(old).toHaveLength(1);
    for (const r of old) {
      const stored = await store.getRecord(abs(r.url));
      expect(stored!.record).toMatchObject({ status: 'failed', template: null, values: {}, agency: r.agency, year: r.year });
      expect(stored!.record.issues.map((i) => i.code)).toEqual(['pre_2019_format']);
    }
  });

  it('exports every record with its province, prefecture and county codes, and the panel', async () => {
    const out = join(dataDir, 'export');
    await exportDataset(store, { out, formats: ['csv-wide', 'panel'] });
    const rows = readCsv(join(out, 'reports_wide.csv')).rows;
    expect(rows).toHaveLength(manifest.reports.length);
    for (const r of manifest.reports) {
      const row = rows.find((x) => x.url === abs(r.url))!;
      const g = r.labels.region;
      expect({ region_code: row.region_code, province_code: row.province_code, prefecture_code: row.prefecture_code, county_code: row.county_code, region_level: row.region_level }, r.url).toEqual({
        region_code: g.code ?? '',
        province_code: g.province ?? '',
        prefecture_code: g.prefecture ?? '',
        county_code: g.county ?? '',
        region_level: g.level,
      });
      expect(row.published_at).toBe(r.labels.publishedAt);
      expect(row.report_id).toBe(reportIdOf(abs(r.url)));
    }
    // 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024): one body, two years.
    const panel = readCsv(join(out, 'panel.csv')).rows.filter((p) => p.agency_key === '320813:人民政府');
    expect(panel.map((p) => p.year)).toEqual(['2023', '2024']);
  });

  it('records each failure with its reason', async () => {
    for (const r of corrupt) {
      const stored = await store.getRecord(abs(r.url));
      expect(stored!.record.status).toBe('failed');
      expect(stored!.record.issues[0]!.code).toBe('corrupt');
    }
    // Exactly these: the dead link (found while crawling), the corrupt PDF (fetched, unreadable), the pre-2019 report.
    expect(first.failures.map((f) => [f.stage, f.url, f.reason]).sort()).toEqual(
      [...manifest.dead.map((d) => ['discover', abs(d.url), 'http_404']), ...corrupt.map((r) => ['extract', abs(r.url), 'corrupt']), ...oldFormat.map((r) => ['extract', abs(r.url), 'pre_2019_format'])].sort(),
    );
    expect(first.skipped.map((s) => s.reason).sort()).toEqual(['host_not_allowed', 'robots_disallowed']);
    // robots.txt disallows /private/: never requested.
    for (const d of manifest.robotsDisallowed) expect(server.requests.some((q) => q.url.startsWith(d.url))).toBe(false);
  });

  it('a second run against the unchanged portal fetches only conditionally and re-extracts nothing', async () => {
    expect(second.reportsNew).toBe(0);
    expect(second.fetched).toBe(0);
    expect(second.notModified).toBe(okReports.length + corrupt.length);
    expect(second.extracted).toBe(0);
    expect(second.unchanged).toBe(okReports.length + corrupt.length);
    // Every request for a report document or a listing page carried validators.
    const docRequests = server.requests.filter((q) => manifest.reports.some((r) => q.url === r.url));
    expect(docRequests.length).toBeGreaterThan(0);
    for (const q of docRequests) expect(q.conditional, q.url).toBe(true);
    expect(await store.countRecords()).toBe(okReports.length + corrupt.length);
  });

  it('a report published between runs is found, fetched and stored', async () => {
    const fresh = manifest.unpublished[0]!;
    await server.publish(fresh.url);
    const third = await runLocal(ctx, { portals });
    expect(third.reportsNew).toBe(1);
    expect(third.fetchedChanged).toBe(1);
    expect(third.extracted).toBe(1);
    const stored = await store.getRecord(abs(fresh.url));
    expect(asExpected(stored!.record)).toEqual(fresh.expected);
    expect(await store.countRecords()).toBe(okReports.length + corrupt.length + 1);
  });

  it('retry re-extracts failed records from the stored artifacts with the current extractor', async () => {
    const target = abs(okReports[0]!.url);
    // An earlier extractor that failed on this document.
    const before = await ctx.store.getRecord(target);
    await ctx.store.putRecord({ ...before!.record, status: 'failed', values: {}, raw: {}, issues: [{ code: 'corrupt', severity: 'error', message: 'an old bug' }] }, { extractorVersion: 'nianbao/0.0.1' });
    const failedBefore = (await store.listFailed()).filter((f) => f.stage === 'extract').map((f) => f.url);
    expect(failedBefore).toContain(target);
    const summary = await retryFailed(ctx);
    expect(summary.extracted).toBeGreaterThanOrEqual(1);
    const after = await store.getRecord(target);
    expect(after!.record.status).toBe(before!.record.status);
    expect(after!.record.values).toEqual(before!.record.values);
    // The bytes were not fetched again for it: the artifact was enough.
    expect((await store.listFailed()).filter((f) => f.stage === 'extract').map((f) => f.url)).not.toContain(target);
  });

  it('re-extracting a stored artifact gives the stored record (same bytes, same record)', async () => {
    const r = okReports.find((x) => x.format === 'html')!;
    const stored = await store.getRecord(abs(r.url));
    const doc = await store.getDocument(abs(r.url));
    const bytes = await ctx.artifacts.get(doc!.sha256!);
    const again = await extractRecord(bytes!, { uri: abs(r.url), charset: null, hints: { agency: doc!.agencyHint, year: doc!.yearHint }, ...(doc!.fetchedAt ? { fetchedAt: doc!.fetchedAt } : {}) });
    expect(again.values).toEqual(stored!.record.values);
    expect(again.source.sha256).toBe(doc!.sha256);
  });
});

describe('report ids across stores', () => {
  it('are the same in SQLite and PostgreSQL for every report of one crawl of the sample portal', async () => {
    const server = await startPortalServer();
    const cases = dialectCases('pipeline_ids').map((d) => d.make());
    const dirs: string[] = [];
    const ids: [string, string | null][][] = [];
    try {
      const portals = await samplePortals(server.baseUrl);
      for (const c of cases) {
        const store = await c.open();
        const dir = mkdtempSync(join(tmpdir(), 'nianbao-ids-'));
        dirs.push(dir);
        const ctx = await openContext({ portals, dataDir: dir, store });
        try {
          await runLocal(ctx, { portals });
          const rows = await store.db.selectFrom('records').select(['url', 'report_id']).orderBy('url').execute();
          ids.push(rows.map((r) => [r.url, r.report_id]));
        } finally {
          await ctx.close();
          await store.close();
        }
      }
    } finally {
      await server.close();
      for (const c of cases) await c.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
    expect(ids[0]).toHaveLength(manifest.reports.length);
    expect(ids[0]!.every(([, id]) => /^[0-9a-f]{16}$/.test(id ?? ''))).toBe(true);
    expect(ids[1]).toEqual(ids[0]);
  }, 120_000);
});
