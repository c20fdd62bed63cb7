/**
 * How failures land in the queues, with one `nianbao worker` against a server that misbehaves on
 * purpose: permanent ones (404, an encrypted or corrupt PDF) fail at once — UnrecoverableError,
 * one attempt, the reason code first in failedReason, the record stored all the same — while a
 * 503 is retried with backoff and a 429 with a long Retry-After delays the job by that much and
 * holds the host back for every worker.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreCrawlState } from '../../src/pipeline/crawl-state.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { type FetchJob, failureCode } from '../../src/queue/jobs.js';
import { type Queues, enqueueExtract, enqueueFetches, openQueues } from '../../src/queue/queue.js';
import { RedisHostLimiter } from '../../src/queue/redis-limiter.js';
import type { Store } from '../../src/store/index.js';
import { REDIS_URL, ROOT, type WorkerProcess, deletePrefix, postgresCase, spawnWorker, testPrefix } from './harness.js';

const RETRY_AFTER_S = 600;
const PDF = 'application/pdf';

describe('failures in distributed mode', () => {
  const prefix = testPrefix('fail');
  const db = postgresCase('queue_fail');
  let server: Server;
  let base: string;
  let host: string;
  let tmp: string;
  let queues: Queues;
  let redis: Redis;
  let store: Store;
  let worker: WorkerProcess;
  let config: string;
  const hits = new Map<string, number>();
  const files: Record<string, { type: string; body: Buffer }> = {
    '/docs/encrypted.pdf': { type: PDF, body: readFileSync(join(ROOT, 'samples/pdf/failed-encrypted.pdf')) },
    '/docs/garbage.pdf': { type: PDF, body: readFileSync(join(ROOT, 'samples/pdf/failed-garbage.pdf')) },
  };
  const url = (path: string) => `${base}${path}`;
  const byUrl = async (q: 'fetch' | 'extract', path: string): Promise<Job | undefined> =>
    (await queues[q].getJobs(['completed', 'failed', 'delayed', 'waiting', 'active'], 0, -1)).find((j: Job) => j.data.url === url(path));

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting until ${what}\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const file = files[path];
      if (file) res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length }).end(file.body);
      else if (path === '/docs/busy.html') res.writeHead(429, { 'Retry-After': String(RETRY_AFTER_S) }).end();
      else if (path === '/docs/flaky.html') res.writeHead(503).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    host = `127.0.0.1:${port}`;
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-fail-'));
    config = join(tmp, 'portals.yaml');
    writeFileSync(
      config,
      `portals:
  - id: failing
    name: 出错测试站
    region: { name: 江苏省, code: "320000" }
    level: province
    entries: ["${base}/list/index.html"]
    allowedHosts: ["${host}"]
    rateLimit: { requestsPerSecond: 50, concurrency: 4 }
    limits: { retries: 0 }
    allowPrivate: true
`,
    );
    store = await db.open();
    const state = new StoreCrawlState(store, 'failing');
    const at = new Date().toISOString();
    const paths = ['/docs/gone.html', '/docs/encrypted.pdf', '/docs/garbage.pdf', '/docs/flaky.html'];
    for (const p of [...paths, '/docs/busy.html']) {
      await state.putDocument(url(p), { url: url(p), ref: { portalId: 'failing', url: url(p), title: '某县2023年政府信息公开工作年度报告', year: 2023, agency: '某县人民政府', listingUrl: `${base}/list/index.html`, via: 'attachment' }, firstSeenAt: at, lastSeenAt: at });
    }
    queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    redis = redisClient(redisConnection(REDIS_URL));
    worker = spawnWorker({ prefix, config, dataDir: join(tmp, 'data'), db, concurrency: 2 });
    await worker.ready;
    await enqueueFetches(queues, paths.map((p): FetchJob => ({ url: url(p), crawl: 'fail' })));
  }, 180_000);

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await queues?.close();
    await store?.close();
    if (redis) {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
    await db.drop();
    await new Promise((r) => server?.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a 404 fails the fetch job at once: unrecoverable, one attempt of five, reason http_404', async () => {
    await until('the 404 fetch failed', async () => (await byUrl('fetch', '/docs/gone.html'))?.finishedOn !== undefined);
    const job = (await byUrl('fetch', '/docs/gone.html'))!;
    expect(await job.getState()).toBe('failed');
    expect(failureCode(job.failedReason)).toBe('http_404');
    expect(job.opts.attempts).toBe(5);
    expect(job.attemptsMade).toBe(1);
    expect(hits.get('/docs/gone.html')).toBe(1);
    expect((await store.getDocument(url('/docs/gone.html')))!.errorCode).toBe('http_404');
  });

  it('an encrypted and a corrupt PDF fail their extract jobs at once with the record’s reason; the failed records are stored', async () => {
    for (const [path, code] of [['/docs/encrypted.pdf', 'encrypted'], ['/docs/garbage.pdf', 'corrupt']] as const) {
      await until(`the extraction of ${path} failed`, async () => (await byUrl('extract', path))?.finishedOn !== undefined);
      const job = (await byUrl('extract', path))!;
      expect(await job.getState()).toBe('failed');
      expect(failureCode(job.failedReason), job.failedReason).toBe(code);
      expect(job.attemptsMade).toBe(1);
      const rec = await store.getRecord(url(path));
      expect(rec!.record.status).toBe('failed');
      expect(rec!.record.issues[0]!.code).toBe(code);
      // The fetch itself went fine.
      expect(await (await byUrl('fetch', path))!.getState()).toBe('completed');
    }
  });

  it('a 503 is transient: the job is retried later with backoff', async () => {
    // On a loaded machine the first backoff (30 s) may already have run out and the job be tried
    // again as it is read: what must hold is that each retry waits its backoff. So the job, its
    // place in the delayed set and the job again, until both copies are of the same attempt (a
    // retry between the reads is read once more; one that never waits in the set times out).
    let job: Job | undefined;
    let due = 0;
    await until('the 503 fetch was retried and waits for its backoff', async () => {
      job = await byUrl('fetch', '/docs/flaky.html');
      if (!job || job.attemptsMade < 1) return false;
      const score = await redis.zscore(`${prefix}:fetch:delayed`, job.id!);
      if (score === null) return false;
      due = Math.floor(Number(score) / 4096);
      const again = await queues.fetch.getJob(job.id!);
      return again?.attemptsMade === job.attemptsMade && again.processedOn === job.processedOn;
    });
    expect(failureCode(job!.failedReason)).toBe('http_5xx');
    expect(due - job!.processedOn!).toBeGreaterThanOrEqual(25_000);
  });

  it('a 429 with a long Retry-After delays the job by that much, without spending an attempt, and holds the host back', async () => {
    const t0 = Date.now();
    await enqueueFetches(queues, [{ url: url('/docs/busy.html'), crawl: 'fail' }]);
    await until('the 429 fetch was deferred', async () => ((await byUrl('fetch', '/docs/busy.html'))?.data as FetchJob | undefined)?.deferrals === 1);
    const job = (await byUrl('fetch', '/docs/busy.html'))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.attemptsMade).toBe(0);
    const score = Number(await redis.zscore(`${prefix}:fetch:delayed`, job.id!));
    // BullMQ keeps the due time in the delayed set's score (shifted left 12 bits for ordering).
    const due = Math.floor(score / 4096);
    expect(due).toBeGreaterThanOrEqual(t0 + (RETRY_AFTER_S - 5) * 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + RETRY_AFTER_S * 1000 + 1000);
    // The deferral is shared: no worker may start a request to this host before then.
    const next = Number(await redis.get(new RedisHostLimiter({ redis, prefix }).keys(host).next));
    expect(next).toBeGreaterThanOrEqual(t0 + (RETRY_AFTER_S - 5) * 1000);
  });

  it('a forced re-extraction runs again from the stored artifact, here in a worker-thread sandbox, and fails the same way', async () => {
    const threads = spawnWorker({ prefix, config, dataDir: join(tmp, 'data'), db, queues: 'extract', sandbox: 'thread' });
    try {
      await threads.ready;
      await worker.stop('SIGTERM');
      const doc = (await store.getDocument(url('/docs/encrypted.pdf')))!;
      const hitsBefore = hits.get('/docs/encrypted.pdf');
      const { id, added } = await enqueueExtract(queues, { url: doc.url, sha256: doc.sha256!, force: true });
      expect(added).toBe(true);
      await until('the forced extraction failed', async () => (await queues.extract.getJob(id))?.finishedOn !== undefined);
      const job = (await queues.extract.getJob(id))!;
      expect(failureCode(job.failedReason)).toBe('encrypted');
      expect(job.processedBy).toBe(`worker-${threads.child.pid}`);
      expect(hits.get('/docs/encrypted.pdf')).toBe(hitsBefore);
    } finally {
      await threads.stop('SIGTERM');
    }
    // A worker process to start and one to stop: 30 s was too short on a loaded machine.
  }, 120_000);
});
