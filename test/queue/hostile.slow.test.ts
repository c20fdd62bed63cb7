/**
 * Distributed mode against one hostile portal beside three healthy ones (test/faults/hostile.ts),
 * with two `nianbao worker` processes on the real Redis and PostgreSQL: every healthy report is
 * stored exactly right, each hostile page is stored as a failure with its own reason, and no job
 * of another portal is lost. The listing that defeats the structural limits (HOSTILE_LISTINGS)
 * is stopped only by the parse pool's hard time limit: without it the discover job would hold
 * its sandbox for hours while the worker kept renewing the job's lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { failureCode } from '../../src/queue/jobs.js';
import { type Queues, enqueueCrawl, openQueues } from '../../src/queue/queue.js';
import type { Store } from '../../src/store/index.js';
import { HOSTILE_ARTICLES, HOSTILE_DOCUMENTS, HOSTILE_LISTINGS } from '../faults/hostile.js';
import { listingHtml, reportTitle } from '../faults/portal.js';
import { type KnownReport, expectKnown, htmlReport } from '../faults/reports.js';
import { type FaultServer, fault, startFaultServer } from '../faults/server.js';
import { REDIS_URL, type WorkerProcess, deletePrefix, postgresCase, spawnWorker, testPrefix, waitIdle } from './harness.js';

const HEALTHY = ['a', 'b', 'c'];
const HOSTILE = 'hostile';

describe('distributed mode, two workers: one hostile portal beside three healthy ones', () => {
  const prefix = testPrefix('hostile');
  const db = postgresCase('queue_hostile');
  let srv: FaultServer;
  let tmp: string;
  let queues: Queues;
  let redis: Redis;
  let store: Store;
  const workers: WorkerProcess[] = [];
  const good: { url: string; known: KnownReport }[] = [];
  // Every portal on one host, told apart by path: the workers resolve nothing but 127.0.0.1.
  const url = (path: string) => srv.url('127.0.0.1', path);

  beforeAll(async () => {
    srv = await startFaultServer();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-hostile-'));
    const host = `127.0.0.1:${srv.port}`;
    let yaml = 'portals:\n';
    let seed = 7600;
    for (const id of [...HEALTHY, HOSTILE]) {
      const items = [];
      for (let i = 0; i < 2; i++) {
        const known = htmlReport(++seed, `示例县${id}第${i + 1}局`, 2023);
        const path = `/${id}/ndbg/report-${i}.html`;
        srv.route(path, fault.ok(known.bytes, 'text/html; charset=utf-8'));
        good.push({ url: url(path), known });
        items.push({ href: path, title: reportTitle(known.agency, known.year) });
      }
      const entries = [`/${id}/ndbg/index.html`];
      if (id === HOSTILE) {
        for (const h of [...HOSTILE_ARTICLES, ...HOSTILE_DOCUMENTS]) {
          srv.route(h.path, h.handler);
          items.push({ href: h.path, title: reportTitle(`示例县恶意${items.length}局`, 2023) });
        }
        for (const h of HOSTILE_LISTINGS) {
          srv.route(h.path, h.handler);
          entries.push(h.path);
        }
      }
      srv.route(`/${id}/ndbg/index.html`, fault.ok(listingHtml(items), 'text/html; charset=utf-8'));
      yaml += `  - id: ${id}
    name: 测试门户${id}
    region: { name: 江苏省, code: "320000" }
    level: county
    entries: [${entries.map((p) => `"${url(p)}"`).join(', ')}]
    allowedHosts: ["${host}"]
    rateLimit: { requestsPerSecond: 50, concurrency: 4 }
    limits: { timeoutMs: 3000, retries: 0 }
    allowPrivate: true
`;
    }
    const config = join(tmp, 'portals.yaml');
    writeFileSync(config, yaml);
    // Create the schema and tables once, before two workers race to do it.
    await (await db.open()).close();
    queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    redis = redisClient(redisConnection(REDIS_URL));
    // The default time limits (30 s a page): a legitimate heavy page (the 800 KB of unclosed
    // tags) takes 5 s and more to read on a loaded machine, and must not be cut short.
    for (let i = 0; i < 2; i++) workers.push(spawnWorker({ prefix, config, dataDir: join(tmp, 'data'), db, concurrency: 2 }));
    await Promise.all(workers.map((w) => w.ready));
    await enqueueCrawl(queues, [...HEALTHY, HOSTILE], 'hostile-crawl');
    try {
      await waitIdle(queues, 240_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${workers.map((w) => w.output()).join('\n')}`);
    }
    store = await db.open();
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await queues?.close();
    await store?.close();
    if (redis) {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
    await db.drop();
    await srv?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('stores every healthy report exactly right, on every portal (the hostile one too)', async () => {
    for (const g of good) expectKnown(await store.getRecord(g.url), g.known, g.url);
  });

  it('each healthy report page was requested once: discovery’s response is its document, no fetch asks again', () => {
    for (const g of good) expect(srv.hitsOf(new URL(g.url).pathname).map((h) => h.status), g.url).toEqual([200]);
  });

  it('every portal’s discovery completed, once: none failed, stalled or was retried', async () => {
    const jobs = await queues.discover.getJobs(['completed', 'failed'], 0, -1);
    expect(jobs.map((j) => [(j.data as { portalId?: string }).portalId, j.finishedOn !== undefined && j.failedReason === undefined, j.attemptsMade]).sort()).toEqual(
      [...HEALTHY, HOSTILE].map((id) => [id, true, 1]).sort(),
    );
  });

  it.each([...HOSTILE_ARTICLES, ...HOSTILE_LISTINGS])('$name: the page is stored as a failure with its reason', async (h) => {
    if (h.expect.stage !== 'discover') {
      // Parses fine and holds no report: its document fails extraction like a hostile document.
      const rec = await store.getRecord(url(h.path));
      const jobs = [...(await queues.fetch.getJobs(['completed', 'failed'], 0, -1)), ...(await queues.extract.getJobs(['completed', 'failed'], 0, -1))].filter((j) => j.data.url === url(h.path));
      expect(rec?.record.issues.map((i) => i.code), jobs.map((j) => `${j.queueName}: ${j.failedReason ?? 'ok'}`).join('; ')).toEqual([h.expect.code]);
      return;
    }
    const job = (await queues.discover.getJobs(['completed'], 0, -1)).find((j) => (j.data as { portalId?: string }).portalId === HOSTILE)!;
    expect(job.returnvalue.errors).toContainEqual({ url: url(h.path), reason: h.expect.reason });
    if (h.expect.reason === 'too_complex') {
      const page = await store.getPage(url(h.path));
      expect(page).toMatchObject({ status: 'failed', errorCode: 'too_complex' });
      expect(page!.errorMessage).toMatch(HOSTILE_LISTINGS.includes(h) ? /limit timeMs/ : /limit max(Depth|Attributes)/);
    }
    expect(await store.getDocument(url(h.path))).toBeNull();
  });

  it.each(HOSTILE_DOCUMENTS)('$name: its extract job fails once, the reason in front; the failed record is stored', async (h) => {
    if (h.expect.stage !== 'extract') throw new Error('a hostile document fails in extraction');
    const job = (await queues.extract.getJobs(['failed'], 0, -1)).find((j) => j.data.url === url(h.path));
    expect(job, `no failed extract job for ${h.path}`).toBeDefined();
    expect(failureCode(job!.failedReason), job!.failedReason).toBe(h.expect.code);
    expect(job!.attemptsMade).toBe(1);
    const rec = await store.getRecord(url(h.path));
    expect(rec?.record.status).toBe('failed');
    expect(rec!.record.issues.map((i) => i.code)).toEqual([h.expect.code]);
  });

  it('no job failed but the hostile ones', async () => {
    const hostile = new Set([...HOSTILE_ARTICLES, ...HOSTILE_DOCUMENTS].map((h) => url(h.path)));
    for (const q of [queues.fetch, queues.extract]) {
      const failed = await q.getJobs(['failed'], 0, -1);
      expect(failed.filter((j) => !hostile.has(j.data.url)).map((j) => `${j.data.url}: ${j.failedReason}`)).toEqual([]);
    }
  });
});
