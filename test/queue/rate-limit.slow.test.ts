/**
 * The shared per-host rate limit in production shape: four `nianbao worker` processes fetch the
 * documents of one host whose portal allows 5 requests/s. The server logs when each request
 * arrives; no two may be much closer than 200 ms, however the jobs spread over the workers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreCrawlState } from '../../src/pipeline/crawl-state.js';
import type { Store } from '../../src/store/index.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { type Queues, enqueueFetches, openQueues } from '../../src/queue/queue.js';
import { REDIS_URL, type WorkerProcess, deletePrefix, postgresCase, spawnWorker, testPrefix, waitIdle } from './harness.js';

const RATE = 5; // requests per second
const INTERVAL = 1000 / RATE;
const DOCS = 16;
const WORKERS = 4;
/**
 * Arrival jitter allowed: the slot is granted in Redis and the request reaches the server a moment
 * later. On a quiet machine gaps stay within ±6 ms of the interval; on a loaded 2-core box a
 * process can wait tens of ms for a CPU between the two (a 39 ms short gap was seen with eight
 * engineers' tests running). Real arrival times can only be checked with a generous margin, so
 * this is a slow test (`npm run test:slow`); the limiter's own decisions are checked exactly in
 * redis-limiter.test.ts.
 */
const JITTER_MS = 80;

interface Site {
  server: Server;
  base: string;
  host: string;
  arrivals: { at: number; url: string }[];
}

async function site(delayMs = 0): Promise<Site> {
  const arrivals: Site['arrivals'] = [];
  const server = createServer((req, res) => {
    arrivals.push({ at: performance.timeOrigin + performance.now(), url: req.url ?? '' });
    if (req.url === '/robots.txt') {
      res.writeHead(404).end();
      return;
    }
    const body = `<html><head><meta charset="utf-8"><title>报告</title></head><body><p>${req.url}</p></body></html>`;
    setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body), delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, arrivals };
}

const portalYaml = (id: string, s: Site, rate: number) => `  - id: ${id}
    name: 测试站 ${id}
    region: { name: 江苏省, code: "320000" }
    level: province
    entries: ["${s.base}/list/index.html"]
    allowedHosts: ["${s.host}"]
    rateLimit: { requestsPerSecond: ${rate}, concurrency: 4 }
    allowPrivate: true
`;

/** Documents as discovery would have stored them. */
async function seed(store: Store, portalId: string, s: Site, n: number): Promise<string[]> {
  const state = new StoreCrawlState(store, portalId);
  const at = new Date().toISOString();
  const urls = Array.from({ length: n }, (_, k) => `${s.base}/docs/${k}.html`);
  for (const [k, url] of urls.entries()) {
    await state.putDocument(url, { url, ref: { portalId, url, title: `某县${k}号2023年政府信息公开工作年度报告`, year: 2023, agency: '某县人民政府', listingUrl: `${s.base}/list/index.html`, via: 'inline' }, firstSeenAt: at, lastSeenAt: at });
  }
  return urls;
}

describe('four workers share one host’s rate limit', () => {
  const prefix = testPrefix('rate');
  const db = postgresCase('queue_rate');
  let limited: Site;
  let warm: Site;
  let tmp: string;
  let queues: Queues;
  let redis: Redis;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    limited = await site();
    // Slow answers, so each of the four workers (one job at a time) takes one warm-up job.
    warm = await site(1_500);
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-rate-'));
    const config = join(tmp, 'portals.yaml');
    writeFileSync(config, `portals:\n${portalYaml('limited', limited, RATE)}${portalYaml('warm', warm, 50)}`);
    const store = await db.open();
    const urls = await seed(store, 'limited', limited, DOCS);
    const warmUrls = await seed(store, 'warm', warm, WORKERS);
    await store.close();

    queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    redis = redisClient(redisConnection(REDIS_URL));
    for (let k = 0; k < WORKERS; k++) workers.push(spawnWorker({ prefix, config, dataDir: join(tmp, 'data'), db, queues: 'fetch', concurrency: 1 }));
    await Promise.all(workers.map((w) => w.ready));
    // A process's first request pays the HTTP client's one-time start-up (undici compiles its
    // parser) between taking its slot and reaching the server; measure warmed-up workers.
    await enqueueFetches(queues, warmUrls.map((url) => ({ url, crawl: 'warm' })));
    await waitIdle(queues, 30_000, ['fetch']);
    await enqueueFetches(queues, urls.map((url) => ({ url, crawl: 'rate' })));
    await waitIdle(queues, 60_000, ['fetch']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await queues?.close();
    if (redis) {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
    await db.drop();
    for (const s of [limited, warm]) await new Promise((r) => s?.server.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fetched every document, spread over the workers', async () => {
    const done = (await queues.fetch.getJobs(['completed'], 0, -1)).filter((j) => j.data.crawl === 'rate');
    expect(done.length).toBe(DOCS);
    expect(new Set(done.map((j) => j.processedBy)).size).toBeGreaterThanOrEqual(2);
    expect(limited.arrivals.filter((a) => a.url.startsWith('/docs/')).length).toBe(DOCS);
    // Each worker asked for robots.txt once, through the same limit.
    expect(limited.arrivals.filter((a) => a.url === '/robots.txt').length).toBe(WORKERS);
  });

  it('no two requests to the host closer than the interval', () => {
    const times = limited.arrivals.map((a) => a.at).sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, k) => t - times[k]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL - JITTER_MS);
    // The limit is what paced them: about one interval per request in all.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * INTERVAL - JITTER_MS);
  });
});
