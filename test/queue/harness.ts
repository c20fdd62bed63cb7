/**
 * Shared by the distributed-mode tests: a Redis key prefix of their own (removed afterwards, by
 * SCAN — never FLUSHALL: Redis is shared with other test runs), a PostgreSQL schema of their own,
 * the sample portal's configuration written for a running server, worker child processes
 * (`node bin/nianbao.js worker`, as in production) and waiting until the queues are idle.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { SAMPLE_PORTAL_DIR } from '../../src/demo/portal-server.js';
import type { QueueName } from '../../src/queue/jobs.js';
import type { Queues } from '../../src/queue/queue.js';
import type { Store } from '../../src/store/index.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testPrefix(label: string): string {
  return `nbtest-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Delete every key under the prefix (queues and host limiter). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) n += await redis.unlink(...keys);
  } while (cursor !== '0');
  return n;
}

/** A PostgreSQL schema of the test's own (see test/store/fixtures.ts). */
export function postgresCase(label: string): DialectCase {
  return dialectCases(label).find((c) => c.name === 'postgres')!.make();
}

/** samples/portal/portals.yaml with the running server's address filled in. */
export function writeSampleConfig(baseUrl: string, dir: string): string {
  const host = new URL(baseUrl).host;
  const text = readFileSync(join(SAMPLE_PORTAL_DIR, 'portals.yaml'), 'utf8').replaceAll('${BASE_URL}', baseUrl.replace(/\/$/, '')).replaceAll('${HOST}', host);
  const path = join(dir, 'portals.yaml');
  writeFileSync(path, text);
  return path;
}

export interface WorkerProcessOptions {
  prefix: string;
  config: string;
  dataDir: string;
  db: DialectCase;
  queues?: string;
  concurrency?: number;
  shutdownTimeoutMs?: number;
  /** Print a line per finished job (default: quiet). */
  verbose?: boolean;
  sandbox?: 'process' | 'thread';
  /** Default: the shared Redis (REDIS_URL). */
  redisUrl?: string;
  /** Added to the worker's environment (test hooks, lock timings). */
  env?: Record<string, string>;
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the worker says it is serving. */
  ready: Promise<void>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function spawnWorker(o: WorkerProcessOptions): WorkerProcess {
  const args = [join(ROOT, 'bin/nianbao.js'), 'worker', ...(o.verbose ? [] : ['--quiet']), '--prefix', o.prefix, '--config', o.config, '--data', o.dataDir, '--db', o.db.url];
  if (o.db.schema) args.push('--db-schema', o.db.schema);
  if (o.queues) args.push('--queues', o.queues);
  if (o.concurrency) args.push('--concurrency', String(o.concurrency));
  if (o.shutdownTimeoutMs) args.push('--shutdown-timeout', String(o.shutdownTimeoutMs));
  if (o.sandbox) args.push('--sandbox', o.sandbox);
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...o.env, REDIS_URL: o.redisUrl ?? REDIS_URL }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | string>((r) => child.once('close', (code, signal) => r(code ?? signal ?? -1)));
  const ready = new Promise<void>((ok, fail) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes(': serving ')) ok();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    void exited.then((c) => fail(new Error(`worker exited (${c}) before serving:\n${out}`)));
  });
  ready.catch(() => undefined); // awaited by the tests; an early exit must not go unhandled meanwhile
  return {
    child,
    output: () => out,
    ready,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Poll `probe` until it returns something truthy; fail with `what` (and `detail()`) after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, detail?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const BUSY = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Jobs not yet finished, over the three queues (or those named). */
export async function unfinished(queues: Queues, only?: readonly QueueName[]): Promise<number> {
  let n = 0;
  for (const q of [queues.discover, queues.fetch, queues.extract].filter((x) => !only || only.includes(x.name as QueueName))) {
    const c = await q.getJobCounts(...BUSY);
    n += Object.values(c).reduce((a, b) => a + b, 0);
  }
  return n;
}

/** Wait until no job is waiting, delayed or running on any queue (seen twice in a row). */
export async function waitIdle(queues: Queues, timeoutMs = 90_000, only?: readonly QueueName[]): Promise<void> {
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < end) {
    if ((await unfinished(queues, only)) === 0) {
      if (++quiet >= 2) return;
    } else quiet = 0;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for the ${only?.join(', ') ?? 'queues'} to be idle`);
}

/** What a store holds, per URL: the document's fetch state and the record's status, values and issue codes. */
export async function snapshot(store: Store): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for await (const d of store.listDocuments()) {
    const r = await store.getRecord(d.url);
    out.set(d.url, {
      status: d.status,
      errorCode: d.errorCode,
      sha256: d.sha256,
      record: r ? { status: r.record.status, values: r.record.values, issues: r.record.issues.map((i) => i.code), year: r.record.year, agency: r.record.agency, regionCode: r.regionCode, portalId: r.portalId } : null,
    });
  }
  return out;
}
