/**
 * Portal health over nightly crawls (local mode): a farm where three portals break in three ways
 * between night 1 and night 2 — the column moves, the site answers 403, the listing moves behind
 * JavaScript — while three stay healthy. Each break is one alert, for the right portal, with the
 * evidence (the last good run, what changed); none for a healthy portal; a break that lasts is
 * not raised again; a portal that recovers has its alert resolved. Each night's morning summary
 * is written to the data folder and POSTed to a webhook that fails once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosedRun } from '../../src/monitor/close.js';
import { createRobots } from '../../src/crawl/robots.js';
import { listAlerts } from '../../src/monitor/history.js';
import { crawlStatus } from '../../src/monitor/status.js';
import type { MorningSummary } from '../../src/monitor/summary.js';
import { openPipeline, type TestPipeline } from '../faults/harness.js';
import { type BrokenFarm, PATIENT_FETCH, startBrokenFarm } from './broken-farm.js';

describe('nightly crawls of a farm where three portals break in three ways', () => {
  let farm: BrokenFarm;
  let p: TestPipeline;
  let dataDir: string;
  let hook: Server;
  const posts: { attempt: number; body: MorningSummary }[] = [];
  const nights: ClosedRun[] = [];
  let attempts = 0;

  async function night(n: number, serveAs: number): Promise<ClosedRun> {
    farm.night = serveAs;
    let closed: ClosedRun | undefined;
    const webhook = { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, retries: 2, timeoutMs: 3000, headers: { authorization: 'Bearer t' } };
    await p.run({ crawlId: `night-${n}`, monitor: { dataDir, monitoring: { webhook }, backoffMs: 10, keepLedgers: 2 }, onClosed: (c) => (closed = c) });
    nights.push(closed!);
    return closed!;
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nianbao-monitor-'));
    // The webhook fails the first POST of every night (503), then takes it.
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        attempts++;
        if (attempts % 2 === 1) return void res.writeHead(503).end();
        posts.push({ attempt: attempts, body: JSON.parse(body) as MorningSummary });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    farm = await startBrokenFarm(['healthy', 'layout', 'healthy', 'forbidden', 'javascript', 'healthy']);
    p = await openPipeline(farm.config, { fetcher: PATIENT_FETCH });
    await night(1, 1); // all healthy
    await night(2, 2); // three break
    await night(3, 2); // still broken
    await night(4, 1); // all recovered
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await farm?.close();
    await new Promise((r) => hook?.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const portal = (breaks: string) => farm.portals.find((x) => x.breaks === breaks)!.id;

  it('night 1: a run record with per-portal stats, every report stored, no alert', () => {
    const r = nights[0]!.record;
    expect(r).toMatchObject({ crawlId: 'night-1', mode: 'local', status: 'done' });
    expect(r.totals).toMatchObject({ portals: 6, reportsFound: 12, reportsNew: 12, fetched: 12, extracted: 12, valid: 12, fetchFailed: 0, failed: 0, pending: { discover: 0, fetch: 0, extract: 0 } });
    for (const s of r.portals) expect(s).toMatchObject({ discovered: true, listingPages: 1, listingLinks: 2, listingChanged: true, reportsFound: 2, fetched: 2, valid: 2, failures: {} });
    expect(nights[0]!.alerts.raised).toEqual([]);
  });

  it('night 2: exactly three alerts, one per broken portal, each of its kind, with the last good run as evidence', () => {
    const raised = nights[1]!.alerts.raised;
    expect(raised.map((a) => [a.portalId, a.kind]).sort()).toEqual(
      [
        [portal('forbidden'), 'listing_blocked'],
        [portal('javascript'), 'listing_needs_js'],
        [portal('layout'), 'listing_layout_changed'],
      ].sort(),
    );
    for (const a of raised) expect(a.evidence).toMatchObject({ lastGood: { crawlId: 'night-1', reportsFound: 2, listingLinks: 2 }, now: { reportsFound: 0 } });
    expect(raised.find((a) => a.kind === 'listing_blocked')!.evidence).toMatchObject({ errors: [{ reason: 'http_403', status: 403, url: farm.portals.find((x) => x.breaks === 'forbidden')!.entry }] });
    expect(raised.find((a) => a.kind === 'listing_needs_js')!.evidence).toMatchObject({ pages: [farm.portals.find((x) => x.breaks === 'javascript')!.entry] });
  });

  it('night 2: the run record says what each broken portal did', () => {
    const by = new Map(nights[1]!.record.portals.map((s) => [s.portalId, s]));
    expect(by.get(portal('forbidden'))).toMatchObject({ reportsFound: 0, reportsGone: 2, fetchFailed: 2, listingErrors: [{ reason: 'http_403', status: 403 }], failures: { http_403: 3 } });
    expect(by.get(portal('layout'))).toMatchObject({ reportsFound: 0, reportsGone: 2, listingLinks: 0, listingChanged: true, notModified: 2, scriptedListings: [] });
    expect(by.get(portal('javascript'))).toMatchObject({ reportsFound: 0, reportsGone: 2, listingLinks: 0, notModified: 2 });
    expect(by.get(portal('healthy'))).toMatchObject({ reportsFound: 2, reportsNew: 0, reportsUnchanged: 2, notModified: 2, listingChanged: false, fetched: 0, extracted: 0 });
  });

  it('night 3: the breaks last — no alert raised again, three still open', () => {
    expect(nights[2]!.alerts.raised).toEqual([]);
    expect(nights[2]!.alerts.ongoing.map((a) => a.kind).sort()).toEqual(['listing_blocked', 'listing_layout_changed', 'listing_needs_js']);
  });

  it('night 4: the portals recover — their alerts are resolved, none is open', async () => {
    expect(nights[3]!.alerts.raised).toEqual([]);
    expect(nights[3]!.alerts.resolved).toHaveLength(3);
    expect(await listAlerts(p.store, { open: true })).toEqual([]);
    expect(await listAlerts(p.store)).toHaveLength(3);
  });

  it('every night the morning summary is written as JSON and text, and POSTed once more after the webhook failed', () => {
    const json = JSON.parse(readFileSync(join(dataDir, 'runs', 'night-2.summary.json'), 'utf8')) as MorningSummary;
    expect(json).toMatchObject({ crawlId: 'night-2', totals: { reportsFound: 6 }, newReports: { count: 0 } });
    expect(json.alerts.raised).toHaveLength(3);
    expect(json.newFailures.items.map((f) => [f.stage, f.reason]).sort()).toEqual([['fetch', 'http_403'], ['fetch', 'http_403']]);
    const text = readFileSync(join(dataDir, 'runs', 'night-2.summary.txt'), 'utf8');
    expect(text).toContain('portal alerts: 3 new, 0 still open, 0 resolved');
    expect(text).toContain(`NEW      ${portal('forbidden')}  listing_blocked`);
    expect(posts.map((x) => x.body.crawlId)).toEqual(['night-1', 'night-2', 'night-3', 'night-4']);
    expect(attempts).toBe(8);
    expect(nights.every((n) => n.published.webhook?.ok && n.published.webhook.attempts === 2)).toBe(true);
    expect(nights[0]!.summary.newReports.count).toBe(12);
  });

  it('the ledgers of older crawls are pruned (here: all but the last two); their run records stay', async () => {
    const crawls = await p.store.db.selectFrom('run_items').select('crawl_id').distinct().execute();
    expect(crawls.map((c) => c.crawl_id).sort()).toEqual(['night-3', 'night-4']);
    const first = await crawlStatus(p.store, 'night-1');
    expect(first).toMatchObject({ settled: true, totals: nights[0]!.record.totals });
  });
});

describe('robots.txt newly disallowing the column', () => {
  it('is one alert, robots_disallowed, for that portal only', async () => {
    const farm = await startBrokenFarm(['healthy', 'robots'], { seed: 8300 });
    const p = await openPipeline(farm.config, { fetcher: PATIENT_FETCH });
    try {
      const closed: ClosedRun[] = [];
      for (const n of [1, 2]) {
        farm.night = n;
        // Each night is a new process in production: robots.txt is read afresh.
        p.ctx.robots = createRobots({ fetcher: p.fetcher });
        await p.run({ crawlId: `r${n}`, onClosed: (c) => closed.push(c) });
      }
      expect(closed[0]!.record.totals).toMatchObject({ reportsFound: 4, valid: 4 });
      expect(closed[1]!.alerts.raised.map((a) => [a.portalId, a.kind])).toEqual([[farm.portals[1]!.id, 'robots_disallowed']]);
      expect(closed[1]!.alerts.raised[0]!.evidence).toMatchObject({ blocked: [farm.portals[1]!.entry], lastGood: { crawlId: 'r1' } });
    } finally {
      await p.close();
      await farm.close();
    }
  });
});
