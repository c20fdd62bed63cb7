/**
 * Distributed mode end to end: a generated farm of small portals (each on its own loopback port,
 * so each is a host with its own rate limit; inline reports from test/fixtures), crawled by N
 * `nianbao worker` processes on Redis and PostgreSQL — from `crawl` to the last record stored.
 * Reported per N: wall seconds and reports per second end to end, and records by status.
 *
 *   npx tsx -e "import('./bench/distributed.ts').then((m) => m.benchDistributed()).then(console.log)"
 *
 * Needs Redis ($REDIS_URL or 127.0.0.1:6379), PostgreSQL ($NIANBAO_TEST_PG_URL) and a build (dist/).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisClient, redisConnection } from '../src/queue/connection.js';
import { enqueueCrawl, openQueues } from '../src/queue/queue.js';
import { farmPool } from '../test/faults/farm-layout.js';
import { listingHtml, reportTitle } from '../test/faults/portal.js';
import { renderHtml } from '../test/fixtures/render-html.js';
import buildIfStale from '../test/queue/global-setup.js';
import { REDIS_URL, deletePrefix, postgresCase, spawnWorker, testPrefix, waitIdle } from '../test/queue/harness.js';

export interface DistributedBenchOptions {
  /** Worker process counts to compare. */
  workers?: number[];
  portals?: number;
  reportsPerPortal?: number;
  /** Per-host rate limit (requests/s). */
  requestsPerSecond?: number;
  /** Jobs at once per queue in each worker. */
  concurrency?: number;
}

export interface DistributedRun {
  workers: number;
  reports: number;
  wallSeconds: number;
  reportsPerSecond: number;
  records: Record<string, number>;
}

interface Farm {
  servers: Server[];
  config: string;
  reports: number;
}

async function startFarm(dir: string, portals: number, perPortal: number, rate: number): Promise<Farm> {
  const pool = farmPool({ hosts: portals, reportsPerHost: perPortal });
  const pages = pool.map((r) => Buffer.from(renderHtml(r), 'utf8'));
  const servers: Server[] = [];
  let yaml = 'portals:\n';
  for (let p = 0; p < portals; p++) {
    const items = Array.from({ length: perPortal }, (_, j) => {
      const k = (p * 7 + j) % pool.length;
      return { k, href: `/ndbg/t${p}_${j}.html`, title: reportTitle(pool[k]!.agency, pool[k]!.year) };
    });
    const listing = Buffer.from(listingHtml(items.map(({ href, title }) => ({ href, title }))), 'utf8');
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      const item = items.find((i) => i.href === path);
      const body = path === '/ndbg/index.html' ? listing : item ? pages[item.k]! : null;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    yaml += `  - id: p${p}
    name: 基准站${p}
    region: { name: 江苏省, code: "320000" }
    level: county
    entries: ["http://127.0.0.1:${port}/ndbg/index.html"]
    allowedHosts: ["127.0.0.1:${port}"]
    rateLimit: { requestsPerSecond: ${rate}, concurrency: 2 }
    allowPrivate: true
`;
  }
  const config = join(dir, 'portals.yaml');
  writeFileSync(config, yaml);
  return { servers, config, reports: portals * perPortal };
}

async function runOnce(farm: Farm, dir: string, n: number, portals: number, concurrency: number): Promise<DistributedRun> {
  const prefix = testPrefix(`bench${n}`);
  const db = postgresCase(`bench_dist_${n}`);
  const queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
  const redis = redisClient(redisConnection(REDIS_URL));
  await (await db.open()).close();
  const workers = Array.from({ length: n }, () => spawnWorker({ prefix, config: farm.config, dataDir: join(dir, `data-${n}`), db, concurrency }));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const t0 = performance.now();
    await enqueueCrawl(queues, Array.from({ length: portals }, (_, p) => `p${p}`), 'bench');
    await waitIdle(queues, 600_000);
    const wallSeconds = (performance.now() - t0) / 1000;
    const store = await db.open();
    const records: Record<string, number> = {};
    for await (const r of store.listRecords()) records[r.record.status] = (records[r.record.status] ?? 0) + 1;
    const stored = Object.values(records).reduce((a, b) => a + b, 0);
    await store.close();
    return { workers: n, reports: stored, wallSeconds: Math.round(wallSeconds * 100) / 100, reportsPerSecond: Math.round((stored / wallSeconds) * 100) / 100, records };
  } finally {
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await queues.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await db.drop();
  }
}

export async function benchDistributed(opts: DistributedBenchOptions = {}): Promise<{ portals: number; reports: number; runs: DistributedRun[] }> {
  const portals = opts.portals ?? 20;
  const perPortal = opts.reportsPerPortal ?? 10;
  // The workers run the compiled CLI: build it when the sources are newer.
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-dist-'));
  const farm = await startFarm(dir, portals, perPortal, opts.requestsPerSecond ?? 10);
  try {
    const runs: DistributedRun[] = [];
    for (const n of opts.workers ?? [1, 2, 4]) runs.push(await runOnce(farm, dir, n, portals, opts.concurrency ?? 4));
    return { portals, reports: farm.reports, runs };
  } finally {
    for (const s of farm.servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}
