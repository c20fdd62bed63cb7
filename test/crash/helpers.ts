/**
 * Shared by the crash tests (test/crash): what test/queue/harness.ts does not do — start a worker
 * with extra environment (the test hooks NIANBAO_TEST_EXTRACT_HOLD_MS and the lock timings) and a
 * Redis of the test's choosing, find an extraction held mid-way and the worker holding it, SIGKILL
 * a worker's process tree, run a private redis-server, and check that every job completed once
 * and the store holds exactly what local mode stores. Prefixes, schemas, the sample
 * configuration, waiting for idle queues and snapshots come from the harness.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { samplePortals } from '../../src/demo/portal-config.js';
import { openContext } from '../../src/pipeline/context.js';
import { runLocal } from '../../src/pipeline/local.js';
import { type PortalServer, startPortalServer } from '../../src/demo/portal-server.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { type Queues, openQueues } from '../../src/queue/queue.js';
import { openStore } from '../../src/store/index.js';
import { manifest } from '../crawl/sample.js';
import type { DialectCase } from '../store/fixtures.js';
import buildIfStale from '../queue/global-setup.js';
import { type Gate, startGate } from './gate.js';
import { REDIS_URL, type WorkerProcess, type WorkerProcessOptions, deletePrefix, postgresCase, spawnWorker, snapshot, testPrefix, waitFor, writeSampleConfig } from '../queue/harness.js';

export { waitFor };

/**
 * The workers run dist/. vitest's globalSetup builds it only when test/queue is among the files
 * asked for (`vitest run test/crash` is not): build here too when the sources are newer.
 */
export const ensureBuilt: () => void = buildIfStale;

export interface CrashWorker extends WorkerProcess {
  pid: number;
  /** BullMQ's processedBy of the jobs this worker took (`nianbao worker` names itself so). */
  name: string;
}

/** `nianbao worker` as harness.spawnWorker starts it, with its pid and queue name at hand. */
export function spawnCrashWorker(o: WorkerProcessOptions): CrashWorker {
  const w = spawnWorker(o);
  return { ...w, pid: w.child.pid!, name: `worker-${w.child.pid}` };
}

/** A process's parent and state from /proc, or null once it is gone. */
function procStat(pid: number): { ppid: number; state: string } | null {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state: state! };
  } catch {
    return null;
  }
}

export function parentOf(pid: number): number | null {
  return procStat(pid)?.ppid ?? null;
}

/** Running, not a zombie waiting for its parent to reap it. */
export function isAlive(pid: number): boolean {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** Stopped, a zombie, or gone: it starts no process any more. */
function frozen(pid: number): boolean {
  const s = procStat(pid);
  return !s || 'TtZX'.includes(s.state);
}

/** Every descendant of `pid` (the sandbox processes and any browser they or the worker started). */
export function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of table)
      if (pp === p) {
        out.push(c);
        walk(c);
      }
  };
  walk(pid);
  return out;
}

/**
 * kill -9 a worker and its whole process tree at once, as a crashing machine would. (The
 * worker shares the test's process group, so the group cannot be signalled.) Resolves with
 * the killed pids once none of them runs any more; nothing to do for a worker that has exited
 * (its pid may belong to another process by now).
 */
export async function killTree(w: WorkerProcess): Promise<number[]> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return [];
  // Freeze the tree before the kill, listing it again until no new process shows up: one forked
  // between a single listing and the kill (the sandbox child starting for the next job) would
  // run on as an orphan. A stopped process forks no more.
  const found = new Set<number>();
  for (let fresh = [w.child.pid!]; fresh.length; fresh = descendants(w.child.pid!).filter((p) => !found.has(p))) {
    for (const p of fresh) {
      found.add(p);
      try {
        process.kill(p, 'SIGSTOP');
      } catch {}
    }
    await waitFor('the worker’s processes to stop', () => fresh.every(frozen), 10_000);
  }
  const pids = [...found];
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {}
  }
  await w.exited;
  await waitFor(`killed processes ${pids.join(', ')} to be gone`, () => pids.every((p) => !isAlive(p)), 10_000);
  return pids;
}

export interface HeldJob {
  job: Job;
  /** The pid that reported the hold (progress.heldBy). */
  heldBy: number;
  /** The worker whose process tree it is. */
  worker: CrashWorker;
}

/**
 * An active extract job held by one of `workers` right now (its progress says heldBy), for
 * which `accept` holds. Which pid reports it: the sandboxed processor's own — with the default
 * `--sandbox process` a child process of the worker; with `thread`, the worker itself.
 */
export async function heldJob(queues: Queues, workers: readonly CrashWorker[], accept: (job: Job) => boolean = () => true, timeoutMs = 60_000): Promise<HeldJob> {
  return waitFor(
    'an extract job held mid-extraction',
    async () => {
      for (const job of await queues.extract.getJobs(['active'])) {
        const heldBy = (job.progress as { heldBy?: number } | undefined)?.heldBy;
        if (!heldBy || !accept(job)) continue;
        const worker = workers.find((w) => w.pid === heldBy || w.pid === parentOf(heldBy));
        if (worker) return { job, heldBy, worker };
      }
      return null;
    },
    timeoutMs,
    () => workers.map((w) => `--- ${w.name}\n${w.output()}`).join('\n'),
  );
}

export interface ReleasableHold {
  /** For the worker's environment: hold each extraction until released, `maxMs` at most. */
  env: Record<string, string>;
  /** End every hold now, and hold nothing more (src/queue/test-hooks.ts). */
  release(): void;
}

/**
 * Holds that end when the test says so: a test that must act before a held extraction goes on
 * (kill Redis, send SIGTERM) releases it afterwards, instead of racing the hold's timer on a
 * loaded machine. `maxMs` still ends each hold, so that a worker moves on from a report that
 * fails for good (heldJob skips those).
 */
export function releasableHold(base: CrashBase, label: string, maxMs: number): ReleasableHold {
  const file = join(base.tmp, `${label}.release`);
  return { env: { NIANBAO_TEST_EXTRACT_HOLD_MS: String(maxMs), NIANBAO_TEST_EXTRACT_RELEASE: file }, release: () => writeFileSync(file, '') };
}

type Snap = { record: { status: string } | null };

/** Extract jobs whose report local mode extracts (not those failing for good on bad bytes). */
export function completesIn(reference: Map<string, unknown>): (job: Job) => boolean {
  return (job) => {
    const want = reference.get((job.data as { url: string }).url) as Snap | undefined;
    return !!want?.record && want.record.status !== 'failed';
  };
}

/** Reference records, and those failed for good. */
export function referenceRecords(reference: Map<string, unknown>): { withRecord: number; failedUrls: string[] } {
  const entries = [...reference] as [string, Snap][];
  return { withRecord: entries.filter(([, s]) => s.record).length, failedUrls: entries.filter(([, s]) => s.record?.status === 'failed').map(([url]) => url).sort() };
}

/** How often BullMQ recorded a job as completed (its events stream keeps every completion). */
export async function completions(redis: Redis, queues: Queues, queue: 'discover' | 'fetch' | 'extract'): Promise<Map<string, number>> {
  const entries = (await redis.xrange(`${queues.prefix}:${queue}:events`, '-', '+')) as [string, string[]][];
  const out = new Map<string, number>();
  for (const [, fields] of entries) {
    const f = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
    if (f.get('event') === 'completed') out.set(f.get('jobId')!, (out.get(f.get('jobId')!) ?? 0) + 1);
  }
  return out;
}

/** Every job that completed, in every queue, completed exactly once. */
export async function expectCompletedOnce(redis: Redis, queues: Queues, detail = ''): Promise<void> {
  for (const q of ['discover', 'fetch', 'extract'] as const) {
    const done = await completions(redis, queues, q);
    expect([...done].filter(([, n]) => n !== 1), `${q} jobs completed more than once\n${detail}`).toEqual([]);
    expect(done.size, q).toBe(await queues[q].getJobCountByTypes('completed'));
  }
}

/**
 * The store holds exactly what local mode stored — the same documents and records, once each —
 * and the queues' finished jobs account for every report, failures being the permanent ones
 * local mode has too.
 */
export async function expectStoreMatches(db: DialectCase, queues: Queues, reference: Map<string, unknown>): Promise<void> {
  const store = await db.open();
  try {
    const got = await snapshot(store);
    expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [url, want] of reference) expect(got.get(url), url).toEqual(want);
  } finally {
    await store.close();
  }
  expect(reference.size).toBe(manifest.reports.length);
  const { withRecord, failedUrls } = referenceRecords(reference);
  expect(await rowCounts(db)).toEqual({ documents: reference.size, documentUrls: reference.size, records: withRecord, recordUrls: withRecord });
  expect(await queues.fetch.getJobCountByTypes('completed', 'failed')).toBe(manifest.reports.length);
  const extracts = await queues.extract.getJobs(['completed', 'failed'], 0, -1);
  expect(extracts.length).toBe(withRecord);
  expect(extracts.filter((j) => j.failedReason).map((j) => j.data.url).sort()).toEqual(failedUrls);
}

/** Rows, and distinct URLs, in the store's documents and records tables. */
export async function rowCounts(db: DialectCase): Promise<{ documents: number; documentUrls: number; records: number; recordUrls: number }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const count = async (table: string) => {
      const { rows } = await client.query<{ n: string; urls: string }>(`select count(*) as n, count(distinct url) as urls from "${db.schema}"."${table}"`);
      return [Number(rows[0]!.n), Number(rows[0]!.urls)] as const;
    };
    const [documents, documentUrls] = await count('documents');
    const [records, recordUrls] = await count('records');
    return { documents, documentUrls, records, recordUrls };
  } finally {
    await client.end();
  }
}

/** What local mode stores for the sample portal (the reference distributed.test.ts compares to). */
export async function localReference(baseUrl: string, dir: string): Promise<Map<string, unknown>> {
  const portals = await samplePortals(baseUrl);
  const store = await openStore({ url: join(dir, 'local.sqlite'), env: {} });
  const ctx = await openContext({ portals, dataDir: join(dir, 'local'), store });
  try {
    await runLocal(ctx, { portals });
    return await snapshot(store);
  } finally {
    await ctx.close();
    await ctx.fetcher.close();
    await store.close();
  }
}

export interface CrashBase {
  server: PortalServer;
  /**
   * The proxy every worker (and the local reference) reaches the portal through: open unless a
   * test shuts it to catch a worker mid-discovery or mid-fetch.
   */
  gate: Gate;
  /** Scratch folder: the local reference, the sample configuration, the workers' data folders. */
  tmp: string;
  /** portals.yaml for the running sample portal. */
  config: string;
  /** What local mode stores for the sample portal. */
  reference: Map<string, unknown>;
}

/**
 * Once per test file: dist/ built, the sample portal served, and the local-mode reference every
 * scenario's store is compared to.
 */
export function crashBase(): CrashBase {
  const base = {} as CrashBase;
  beforeAll(async () => {
    ensureBuilt();
    base.server = await startPortalServer();
    base.gate = await startGate(base.server.baseUrl);
    base.tmp = mkdtempSync(join(tmpdir(), 'nianbao-crash-'));
    base.config = writeSampleConfig(base.gate.baseUrl, base.tmp);
    base.reference = await localReference(base.gate.baseUrl, base.tmp);
  }, 120_000);
  afterAll(async () => {
    await base.gate?.stop();
    await base.server?.close();
    if (base.tmp) rmSync(base.tmp, { recursive: true, force: true });
  });
  return base;
}

export interface CrashEnv {
  base: CrashBase;
  prefix: string;
  db: DialectCase;
  /** The shared Redis, or the scenario's private one. */
  redisUrl: string;
  privateRedis: PrivateRedis | null;
  /** A plain client (events streams, cleanup) and the three queues, on that Redis. */
  redis: Redis;
  queues: Queues;
  workers: CrashWorker[];
  /** A worker on this scenario's prefix, store, data folder and Redis; killed, with its process tree, after the tests. */
  spawn(o?: Partial<WorkerProcessOptions>): CrashWorker;
  /** Each worker's output (and the private redis-server's), for failure messages. */
  outputs(): string;
}

/**
 * One crash scenario's own surroundings, set up before its tests and removed after them: a Redis
 * key prefix (or a private redis-server), a PostgreSQL schema with its tables, a data folder, and
 * the workers started through `spawn`.
 */
export function crashEnv(base: CrashBase, label: string, opts: { privateRedis?: boolean | PrivateRedisOptions } = {}): CrashEnv {
  const env = { base, prefix: testPrefix(`crash-${label}`), db: postgresCase(`crash_${label}`), workers: [] as CrashWorker[], privateRedis: null } as unknown as CrashEnv;
  let dataDir = '';
  env.spawn = (o = {}) => {
    const w = spawnCrashWorker({ prefix: env.prefix, config: base.config, dataDir, db: env.db, redisUrl: env.redisUrl, verbose: true, ...o });
    env.workers.push(w);
    return w;
  };
  env.outputs = () => env.workers.map((w) => `--- ${w.name}\n${w.output()}`).join('\n') + (env.privateRedis ? `\n--- redis-server\n${env.privateRedis.output()}` : '');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(base.tmp, `${label}-`));
    if (opts.privateRedis) env.privateRedis = await PrivateRedis.start(opts.privateRedis === true ? {} : opts.privateRedis);
    env.redisUrl = env.privateRedis?.url ?? REDIS_URL;
    env.redis = redisClient(redisConnection(env.redisUrl));
    env.queues = openQueues({ connection: redisConnection(env.redisUrl), prefix: env.prefix });
    // A private Redis goes down on purpose: the test's own clients just wait for it to come back.
    if (env.privateRedis) for (const c of [env.redis, env.queues.discover, env.queues.fetch, env.queues.extract]) c.on('error', () => undefined);
    // Create the schema and tables once, before workers race to do it.
    await (await env.db.open()).close();
  }, 30_000);

  afterAll(async () => {
    await Promise.all(env.workers.map((w) => killTree(w)));
    await env.queues?.close();
    // A private server goes with its data directory: no prefix to delete there.
    if (env.redis && !env.privateRedis) await deletePrefix(env.redis, env.prefix);
    env.redis?.disconnect();
    await env.privateRedis?.stop();
    await env.db.drop();
  });
  return env;
}

/** The kernel's first ephemeral port (listen(0) and outgoing connections take ports from there up). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * A TCP port nothing listens on right now, for a server the test stops and starts again on it:
 * below the ephemeral range, so that while the server is down no listen(0) of a test running
 * beside this one, and no outgoing connection, is handed the port (a port picked by listen(0)
 * is the next one the kernel hands out).
 */
export async function freePort(): Promise<number> {
  const low = Math.min(ephemeralLow(), 32768);
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    const free = await new Promise<boolean>((ok) => {
      const srv = createServer();
      srv.once('error', () => ok(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
    });
    if (free) return port;
  }
}

export interface PrivateRedisOptions {
  /**
   * `always` (the default here): every write is on disk before Redis answers. `everysec`: the
   * docker-compose.yml setting (Redis's default with --appendonly yes), fsync once a second.
   */
  appendfsync?: 'always' | 'everysec';
}

/**
 * A redis-server of the test's own (never the shared one), with an append-only file it reloads
 * when restarted on the same port and directory.
 */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'nianbao-redis-'));
  proc: ChildProcess | null = null;
  private log = '';
  private constructor(
    readonly port: number,
    private readonly appendfsync: 'always' | 'everysec',
  ) {}

  static async start(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    for (let attempt = 1; ; attempt++) {
      const r = new PrivateRedis(await freePort(), opts.appendfsync ?? 'always');
      try {
        await r.restart();
        return r;
      } catch (err) {
        // Another process bound the port between the check and redis-server's bind: take another.
        rmSync(r.dir, { recursive: true, force: true });
        if (attempt >= 5 || !/already in use/i.test(r.output())) throw err;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.log;
  }

  /** Start (again) on the same port and directory; resolves once it accepts connections. */
  async restart(): Promise<void> {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', this.appendfsync, '--dir', this.dir, '--save', '', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    let started = '';
    await new Promise<void>((ok, fail) => {
      const onData = (b: Buffer) => {
        this.log += b.toString();
        started += b.toString();
        if (started.includes('Ready to accept connections')) ok();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      void exited.then(() => fail(new Error(`redis-server exited while starting:\n${started}`)));
    });
  }

  /** kill -9, and wait until the process is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
