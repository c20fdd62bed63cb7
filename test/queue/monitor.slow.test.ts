/**
 * Run records in distributed mode: two `nianbao worker` processes crawl a generated farm on two
 * nights; between them three portals break in three ways (column moved, 403, listing behind
 * JavaScript). `nianbao status --wait` returns once each crawl has settled; the run records
 * are the local run's, portal for portal, and night 2 raises exactly the local run's three
 * alerts with the same evidence — none for the healthy portal. The workers write the morning
 * summary to the shared data folder.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClosedRun } from '../../src/monitor/close.js';
import { listAlerts } from '../../src/monitor/history.js';
import type { CrawlStatus } from '../../src/monitor/status.js';
import type { MorningSummary } from '../../src/monitor/summary.js';
import type { PortalRunStats } from '../../src/monitor/types.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { type Queues, enqueueCrawl, openQueues } from '../../src/queue/queue.js';
import type { Store } from '../../src/store/index.js';
import { openPipeline } from '../faults/harness.js';
import { type BrokenFarm, PATIENT_FETCH, startBrokenFarm } from '../monitor/broken-farm.js';
import { REDIS_URL, type WorkerProcess, deletePrefix, postgresCase, spawnWorker, testPrefix, waitFor } from './harness.js';

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['node', 'nianbao', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const byPortal = (ps: readonly PortalRunStats[]) => [...ps].sort((a, b) => a.portalId.localeCompare(b.portalId));

describe('distributed crawls of a farm where three portals break: the same run records and alerts as local mode', () => {
  let farm: BrokenFarm;
  let tmp: string;
  let redis: Redis;
  let queues: Queues;
  let store: Store;
  const prefix = testPrefix('monitor');
  const db = postgresCase('queue_monitor');
  const workers: WorkerProcess[] = [];
  const local: ClosedRun[] = [];
  const status: { code: number; json: CrawlStatus }[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-qmonitor-'));
    farm = await startBrokenFarm(['healthy', 'layout', 'forbidden', 'javascript']);
    // The reference: local mode, night 1 then night 2.
    const p = await openPipeline(farm.config, { fetcher: PATIENT_FETCH });
    for (const n of [1, 2]) {
      farm.night = n;
      await p.run({ crawlId: `n${n}`, onClosed: (c) => local.push(c) });
    }
    await p.close();

    const config = farm.writeConfig(tmp);
    redis = redisClient(redisConnection(REDIS_URL));
    queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    await (await db.open()).close();
    const dataDir = join(tmp, 'data');
    for (let i = 0; i < 2; i++) workers.push(spawnWorker({ prefix, config, dataDir, db, concurrency: 2 }));
    await Promise.all(workers.map((w) => w.ready));
    for (const n of [1, 2]) {
      farm.night = n;
      await enqueueCrawl(queues, farm.portals.map((x) => x.id), `n${n}`);
      const st = await cli('status', '--crawl', `n${n}`, '--wait', '--timeout', '90', '--interval', '0.3', '--json', '--db', db.url, '--db-schema', db.schema!);
      status.push({ code: st.code, json: JSON.parse(st.out) as CrawlStatus });
    }
    store = await db.open();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await store?.close();
    await queues?.close();
    if (redis) await deletePrefix(redis, prefix);
    redis?.disconnect();
    await db.drop();
    await farm?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('status --wait returns when each crawl has settled: 0 the healthy night, 3 the night portals broke', () => {
    expect(status.map((s) => [s.json.crawlId, s.json.settled, s.json.mode, s.code])).toEqual([
      ['n1', true, 'distributed', 0],
      ['n2', true, 'distributed', 3],
    ]);
    for (const s of status) expect(s.json.stages).toMatchObject({ discover: { pending: 0 }, fetch: { pending: 0 }, extract: { pending: 0 } });
  });

  it('each night’s run record is the local run’s, portal for portal', () => {
    for (const [i, s] of status.entries()) {
      expect(byPortal(s.json.portals)).toEqual(byPortal(local[i]!.record.portals));
      expect(s.json.totals).toEqual(local[i]!.record.totals);
    }
    expect(status[0]!.json.totals).toMatchObject({ portals: 4, reportsFound: 8, fetched: 8, valid: 8 });
  });

  it('night 2 raises exactly three alerts, the local run’s, with the same evidence; none for the healthy portal', async () => {
    const alerts = await listAlerts(store);
    const strip = (a: { portalId: string; kind: string; evidence: Record<string, unknown> }) => {
      const { lastGood, ...rest } = a.evidence as { lastGood: { crawlId: string; reportsFound: number } };
      return { portalId: a.portalId, kind: a.kind, lastGood: { crawlId: lastGood.crawlId, reportsFound: lastGood.reportsFound }, rest };
    };
    expect(alerts).toHaveLength(3);
    const want = local[1]!.alerts.raised.map(strip).sort((a, b) => a.portalId.localeCompare(b.portalId));
    expect(alerts.map(strip).sort((a, b) => a.portalId.localeCompare(b.portalId))).toEqual(want);
    expect(new Set(alerts.map((a) => a.kind))).toEqual(new Set(['listing_layout_changed', 'listing_blocked', 'listing_needs_js']));
    expect(alerts.some((a) => a.portalId === farm.portals[0]!.id)).toBe(false);
  });

  it('the worker that closed each run wrote its morning summary to the shared data folder', async () => {
    // `status --wait` returns once the run row says done; the closing worker publishes the summary
    // after writing that row (src/monitor/close.ts), then says so: wait for its word.
    await waitFor('the closing worker to say it closed n2', () => workers.some((w) => w.output().includes('crawl n2 closed')), 30_000, () => workers.map((w) => w.output()).join('\n'));
    const file = join(tmp, 'data', 'runs', 'n2.summary.json');
    expect(existsSync(file)).toBe(true);
    const s = JSON.parse(readFileSync(file, 'utf8')) as MorningSummary;
    expect(s).toMatchObject({ crawlId: 'n2', mode: 'distributed', status: 'done' });
    expect(s.alerts.raised).toHaveLength(3);
  });
});
