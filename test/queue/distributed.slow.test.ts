/**
 * Distributed mode end to end on the offline sample portal: worker child processes
 * (`nianbao worker`) on Redis and PostgreSQL store exactly the records local mode stores,
 * permanent failures fail once with their reason code, and SIGTERM stops a worker cleanly
 * without losing its queued jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePortals } from '../../src/demo/portal-config.js';
import { type PortalServer, startPortalServer } from '../../src/demo/portal-server.js';
import { openContext } from '../../src/pipeline/context.js';
import { runLocal } from '../../src/pipeline/local.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { failureCode, jobId } from '../../src/queue/jobs.js';
import { type Queues, enqueueCrawl, openQueues } from '../../src/queue/queue.js';
import { openStore, type Store } from '../../src/store/index.js';
import { manifest } from '../crawl/sample.js';
import { REDIS_URL, type WorkerProcess, deletePrefix, postgresCase, snapshot, spawnWorker, testPrefix, unfinished, waitIdle, writeSampleConfig } from './harness.js';

describe('distributed mode on the sample portal', () => {
  let server: PortalServer;
  let tmp: string;
  let config: string;
  let reference: Map<string, unknown>;
  let redis: Redis;
  const prefixes: string[] = [];
  const workers: WorkerProcess[] = [];
  const dbs: ReturnType<typeof postgresCase>[] = [];
  const opened: { close(): Promise<void> }[] = [];

  function setUp(label: string): { prefix: string; queues: Queues; db: ReturnType<typeof postgresCase>; dataDir: string } {
    const prefix = testPrefix(label);
    prefixes.push(prefix);
    const queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    opened.push(queues);
    const db = postgresCase(`queue_${label}`);
    dbs.push(db);
    return { prefix, queues, db, dataDir: mkdtempSync(join(tmp, `${label}-`)) };
  }

  beforeAll(async () => {
    server = await startPortalServer();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-queue-'));
    config = writeSampleConfig(server.baseUrl, tmp);
    redis = redisClient(redisConnection(REDIS_URL));
    // The reference: local mode on a SQLite store of its own.
    const portals = await samplePortals(server.baseUrl);
    const localStore = await openStore({ url: join(tmp, 'local.sqlite'), env: {} });
    const ctx = await openContext({ portals, dataDir: join(tmp, 'local'), store: localStore });
    await runLocal(ctx, { portals });
    reference = await snapshot(localStore);
    await ctx.close();
    await ctx.fetcher.close();
    await localStore.close();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    for (const o of opened) await o.close();
    for (const p of prefixes) await deletePrefix(redis, p);
    redis?.disconnect();
    for (const db of dbs) await db.drop();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('two workers', () => {
    let env: ReturnType<typeof setUp>;
    let store: Store;

    beforeAll(async () => {
      env = setUp('two');
      // Create the schema and tables once, before two workers race to do it.
      await (await env.db.open()).close();
      const a = spawnWorker({ prefix: env.prefix, config, dataDir: env.dataDir, db: env.db, concurrency: 2 });
      const b = spawnWorker({ prefix: env.prefix, config, dataDir: env.dataDir, db: env.db, concurrency: 2 });
      workers.push(a, b);
      await Promise.all([a.ready, b.ready]);
      await enqueueCrawl(env.queues, ['demo', 'demo-js'], 'test-crawl');
      await waitIdle(env.queues, 90_000);
      store = await env.db.open();
      opened.push(store);
    }, 120_000);

    it('store exactly the records local mode stores', async () => {
      const got = await snapshot(store);
      expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [url, want] of reference) expect(got.get(url), url).toEqual(want);
      expect(reference.size).toBe(manifest.reports.length);
    });

    it('both workers took jobs', async () => {
      const jobs = await env.queues.fetch.getJobs(['completed', 'failed'], 0, -1);
      expect(jobs.length).toBe(manifest.reports.length);
      const by = new Set(jobs.map((j) => j.processedBy).filter(Boolean));
      expect(by.size).toBe(2);
    });

    it('a permanent failure fails once, unrecoverable, with its reason code', async () => {
      // What failed in local mode fails here, once, with the same reason.
      type Snap = { status: string; errorCode: string | null; record: { status: string; issues: string[] } | null };
      const ref = [...reference.entries()] as [string, Snap][];
      const failedFetch = await env.queues.fetch.getJobs(['failed'], 0, -1);
      const gone = ref.filter(([, d]) => d.status === 'gone' || d.status === 'failed');
      expect(failedFetch.map((j) => [j.data.url, failureCode(j.failedReason)]).sort()).toEqual(gone.map(([url, d]) => [url, d.errorCode]).sort());
      for (const j of failedFetch) expect(j.attemptsMade).toBe(1);
      const failedExtract = await env.queues.extract.getJobs(['failed'], 0, -1);
      const failedRecords = ref.filter(([, d]) => d.record?.status === 'failed');
      expect(failedRecords.length).toBeGreaterThan(0);
      expect(failedExtract.map((j) => j.data.url).sort()).toEqual(failedRecords.map(([url]) => url).sort());
      for (const j of failedExtract) {
        const want = (reference.get(j.data.url) as Snap).record!.issues;
        expect(want).toContain(failureCode(j.failedReason));
        // attempts 2 in JOB_OPTIONS; the same bytes would fail the same way, so no retry.
        expect(j.opts.attempts).toBe(2);
        expect(j.attemptsMade).toBe(1);
        // The failed record is stored all the same.
        expect((await store.getRecord(j.data.url))!.record.status).toBe('failed');
      }
    });

    it('enqueueing the same crawl again adds no job; a re-crawl under a new id fetches conditionally and extracts nothing', async () => {
      const before = await env.queues.discover.getJobCounts('completed');
      const again = await enqueueCrawl(env.queues, ['demo', 'demo-js'], 'test-crawl');
      expect(again.map((a) => a.added)).toEqual([false, false]);
      expect(again.map((a) => a.id)).toEqual([jobId.discover({ portalId: 'demo', crawl: 'test-crawl' }), jobId.discover({ portalId: 'demo-js', crawl: 'test-crawl' })]);
      expect(await unfinished(env.queues)).toBe(0);
      expect(await env.queues.discover.getJobCounts('completed')).toEqual(before);

      const extractsBefore = await env.queues.extract.getJobCounts('completed', 'failed');
      await enqueueCrawl(env.queues, ['demo', 'demo-js'], 'test-crawl-2');
      await waitIdle(env.queues, 60_000);
      expect(await env.queues.extract.getJobCounts('completed', 'failed')).toEqual(extractsBefore);
      const second = await env.queues.fetch.getJobs(['completed'], 0, -1);
      const outcomes = second.filter((j) => j.data.crawl === 'test-crawl-2').map((j) => j.returnvalue.outcome);
      expect(outcomes.length).toBeGreaterThan(0);
      expect(new Set(outcomes)).toEqual(new Set(['not_modified']));
    }, 90_000);

    it('SIGTERM stops both workers promptly with exit code 0', async () => {
      const [a, b] = workers.slice(-2);
      const t0 = Date.now();
      expect(await Promise.all([a!.stop('SIGTERM'), b!.stop('SIGTERM')])).toEqual([0, 0]);
      expect(Date.now() - t0, a!.output() + b!.output()).toBeLessThan(15_000);
    });
  });

  it('SIGTERM while jobs are queued: the worker exits 0 promptly and a new worker completes the jobs', async () => {
    const env = setUp('sigterm');
    await (await env.db.open()).close();
    const first = spawnWorker({ prefix: env.prefix, config, dataDir: env.dataDir, db: env.db, concurrency: 1, verbose: true });
    workers.push(first);
    await first.ready;
    await enqueueCrawl(env.queues, ['demo', 'demo-js'], 'sigterm-crawl');
    // Stop once some fetches are done and more are waiting (failing if that never happens, rather
    // than stopping at some other moment).
    const end = Date.now() + 30_000;
    for (;;) {
      const c = await env.queues.fetch.getJobCounts('completed', 'waiting');
      if (c.completed! >= 2 && c.waiting! >= 2) break;
      if (Date.now() > end) throw new Error(`never saw 2 fetches done and 2 waiting: ${JSON.stringify(c)}\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const active = await Promise.all([env.queues.discover, env.queues.fetch, env.queues.extract].map(async (q) => (await q.getJobs(['active'])).map((j) => `${q.name}:${JSON.stringify(j.data)}`)));
    const t0 = Date.now();
    expect(await first.stop('SIGTERM')).toBe(0);
    // Promptly: it finishes what it holds — at worst an extraction, whose sandbox may still be
    // starting (a few seconds on a loaded machine) — and exits, well inside its 30 s shutdown
    // timeout and a container's grace period.
    expect(Date.now() - t0, `active: ${active.flat().join(', ')}\n${first.output()}`).toBeLessThan(20_000);
    expect(first.output()).toMatch(/stopped on SIGTERM/);
    // Nothing is left running, and the rest is still queued. Which queue holds it is a race: the
    // worker goes on taking jobs until the signal arrives, and a fetch takes a few ms, so the two
    // fetches seen waiting may be done by then; the extractions they asked for (seconds each,
    // one at a time) are not.
    for (const q of [env.queues.discover, env.queues.fetch, env.queues.extract]) expect(await q.getJobCountByTypes('active'), q.name).toBe(0);
    expect(await unfinished(env.queues)).toBeGreaterThan(0);

    const second = spawnWorker({ prefix: env.prefix, config, dataDir: env.dataDir, db: env.db, concurrency: 2 });
    workers.push(second);
    await second.ready;
    await waitIdle(env.queues, 90_000);
    const store = await env.db.open();
    opened.push(store);
    const got = await snapshot(store);
    expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [url, want] of reference) expect(got.get(url), url).toEqual(want);
    // No job was failed or retried because of the stop.
    for (const q of [env.queues.discover, env.queues.fetch]) for (const j of await q.getJobs(['completed'], 0, -1)) expect(j.attemptsMade, `${q.name} ${j.id} ${j.failedReason}`).toBe(1);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
