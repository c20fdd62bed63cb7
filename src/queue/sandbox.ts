/**
 * BullMQ sandboxed processors: the files in workers/ (compiled to dist/workers/) that BullMQ runs
 * in a child process or a worker thread, so that a long PDF or a hostile page keeps a CPU busy
 * there while the worker's own event loop keeps renewing job locks. This module finds those files,
 * hands each sandbox its runtime through the environment, and opens the sandbox's own context.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { SandboxedJob, WorkerOptions } from 'bullmq';
import { packageRoot } from '../package-root.js';
import { type RedisConnectionOptions, redisClient, withReconnectDelay } from './connection.js';
import { SandboxMissingError } from './errors.js';
import type { QueueName } from './jobs.js';
import type { ProcessorDeps } from './processors.js';
import { openQueues } from './queue.js';
import { RedisHostLimiter } from './redis-limiter.js';
import { type WorkerContext, type WorkerRuntime, openWorkerContext } from './runtime.js';

/** Environment variable carrying the SandboxRuntime (JSON) into the sandbox. */
export const SANDBOX_RUNTIME_ENV = 'NIANBAO_SANDBOX_RUNTIME';

/** Where a queue's jobs run: a child process, a worker thread, or the worker's own event loop. */
export type SandboxKind = 'process' | 'thread' | 'inline';

/** What a sandbox needs to open the same context as its worker: plain data, passed as JSON. */
export interface SandboxRuntime {
  runtime: WorkerRuntime;
  connection: RedisConnectionOptions;
  prefix: string;
}

/**
 * The compiled processor file of a queue, dist/workers/<queue>.js: BullMQ's sandbox runs
 * JavaScript, so from the TypeScript sources (tests, tsx) too it is the build's copy, which must
 * exist (`npm run build`).
 */
export function processorFile(queue: QueueName): string {
  const file = join(packageRoot(), 'dist/workers', `${queue}.js`);
  if (!existsSync(file)) throw new SandboxMissingError(file);
  return file;
}

/** Worker options that start the sandbox with its runtime in its environment. */
export function sandboxOptions(rt: SandboxRuntime, kind: Exclude<SandboxKind, 'inline'>): Pick<WorkerOptions, 'useWorkerThreads' | 'workerForkOptions' | 'workerThreadsOptions'> {
  const env = { ...process.env, [SANDBOX_RUNTIME_ENV]: JSON.stringify(rt) };
  return kind === 'thread' ? { useWorkerThreads: true, workerThreadsOptions: { env } } : { useWorkerThreads: false, workerForkOptions: { env } };
}

/** Inside the sandbox: the runtime the worker passed. */
export function sandboxRuntime(env: Record<string, string | undefined> = process.env): SandboxRuntime {
  const raw = env[SANDBOX_RUNTIME_ENV];
  if (!raw) throw new Error(`${SANDBOX_RUNTIME_ENV} is not set: this file runs only as a BullMQ sandboxed processor.`);
  return JSON.parse(raw) as SandboxRuntime;
}

type Processor<T, R> = (job: SandboxedJob<T>, token?: string, signal?: AbortSignal) => Promise<R>;
type ProcessorFactory<T, R> = (deps: ProcessorDeps) => (job: never, token?: string, signal?: AbortSignal) => Promise<R>;

/**
 * A sandbox's processor over the same factory the worker uses inline. The context (store,
 * artifacts, fetcher, the Redis host limiter, the queues follow-up jobs go to) is opened once per
 * sandbox, at its first job; a failure to open it is retried at the next job (the database may have
 * been restarting).
 */
export function sandboxed<T, R>(factory: ProcessorFactory<T, R>): Processor<T, R> {
  exitWithParent();
  let deps: Promise<{ ctx: WorkerContext; process: ReturnType<ProcessorFactory<T, R>> }> | null = null;
  let aborted = false;
  const open = async () => {
    const rt = sandboxRuntime();
    const connection = withReconnectDelay(rt.connection);
    const redis = redisClient(connection);
    redis.on('error', () => {}); // reported by the worker's own connections, once per outage
    const limiter = new RedisHostLimiter({ redis, prefix: rt.prefix });
    // A sandbox runs one job at a time: one parse thread is enough (pages of a portal queue for it).
    const ctx = await openWorkerContext(rt.runtime, { limiter, pool: { threads: 1 } });
    const queues = openQueues({ connection, prefix: rt.prefix });
    for (const q of [queues.discover, queues.fetch, queues.extract]) q.on('error', () => {});
    return { ctx, process: factory({ ctx, queues, stopping: () => aborted }) };
  };
  return async (job, token, signal) => {
    deps ??= open().catch((err) => {
      deps = null;
      throw err;
    });
    const d = await deps;
    signal?.addEventListener('abort', () => (aborted = true), { once: true });
    return d.process(job as never, token, signal);
  };
}

/**
 * A sandbox process must not outlive its worker (killed, or exited past its shutdown deadline):
 * as an orphan it would finish its job unseen, then spin at full CPU for ever — BullMQ's child
 * wrapper retries its failed report to the closed IPC channel from its own uncaughtException
 * handler. Exit instead; the job's lock expires and another worker runs it.
 */
function exitWithParent(): void {
  if (isMainThread && process.send) process.once('disconnect', () => process.exit(1));
}
