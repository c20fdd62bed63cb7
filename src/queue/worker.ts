/**
 * A worker process's BullMQ workers: one per queue it serves. Each queue's processor is a file in
 * workers/ that BullMQ runs in its sandbox (sandbox.ts): discover and extract by default, because
 * they parse untrusted bytes or burn CPU and must not freeze this event loop, which renews the job
 * locks. Fetch runs inline by default: it is network-bound, parses nothing, and shares this
 * process's StageContext (fetcher, robots cache, DNS cache) and Redis host limiter between its many
 * concurrent jobs. `close()` is the graceful shutdown: stop taking jobs, let the active ones finish
 * (or cancel them after a deadline), close connections.
 */
import { availableParallelism } from 'node:os';
import { DelayedError, type Job, type Processor, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type RedisConnectionOptions, redisClient } from './connection.js';
import { crawlMonitor } from './crawl-monitor.js';
import { DEFAULT_PREFIX, QUEUE_NAMES, type QueueName, failureCode } from './jobs.js';
import { discoverProcessor, extractProcessor, fetchProcessor, type ProcessorDeps } from './processors.js';
import { type Queues, openQueues } from './queue.js';
import { RedisHostLimiter } from './redis-limiter.js';
import { withExtractHold } from './test-hooks.js';
import { type WorkerContext, type WorkerRuntime, openWorkerContext } from './runtime.js';
import { type SandboxKind, processorFile, sandboxOptions } from './sandbox.js';
import { envMs } from './env-ms.js';

export interface WorkerSetOptions {
  connection: RedisConnectionOptions;
  /** Redis key prefix of the queues and the host limiter; default DEFAULT_PREFIX. */
  prefix?: string;
  runtime: WorkerRuntime;
  /** Queues to take jobs from; default all three. */
  queues?: readonly QueueName[];
  /** Jobs at once per queue (a number applies to each). Defaults: discover 2, fetch 8, extract one per CPU. */
  concurrency?: number | Partial<Record<QueueName, number>>;
  /** Where each queue's jobs run (one kind applies to discover and extract); default DEFAULT_SANDBOX. */
  sandbox?: Exclude<SandboxKind, 'inline'> | Partial<Record<QueueName, SandboxKind>>;
  /** Shown in the queue UI for each job this process took. */
  name?: string;
  /**
   * How long a job's lock lasts without renewal (renewed every half of it): after a crash, its jobs
   * go back to the queue this long after the last renewal. Default $NIANBAO_LOCK_DURATION_MS, else BullMQ's 30 s.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired. Default $NIANBAO_STALLED_INTERVAL_MS, else BullMQ's 30 s. */
  stalledIntervalMs?: number;
  onEvent?: (e: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'completed'; queue: QueueName; jobId: string; result: unknown }
  | { type: 'failed'; queue: QueueName; jobId: string; code: string | null; message: string; willRetry: boolean }
  | { type: 'error'; queue: QueueName | 'limiter' | 'monitor'; message: string }
  /** A crawl settled and this process closed its run: the morning summary. */
  | { type: 'crawl-closed'; crawl: string; summary: string };

export interface CloseOptions {
  /** How long active jobs may run on before they are cancelled. Default 30 s. */
  timeoutMs?: number;
}

export interface WorkerSet {
  workers: Worker[];
  ctx: WorkerContext;
  queues: Queues;
  close(opts?: CloseOptions): Promise<void>;
}

const DEFAULT_CONCURRENCY: Record<QueueName, () => number> = {
  discover: () => 2,
  fetch: () => 8,
  extract: () => Math.max(1, availableParallelism()),
};

export const DEFAULT_SANDBOX: Record<QueueName, SandboxKind> = { discover: 'process', fetch: 'inline', extract: 'process' };

const INLINE: Record<QueueName, (deps: ProcessorDeps) => (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>> = {
  discover: discoverProcessor,
  fetch: fetchProcessor,
  extract: withExtractHold(extractProcessor),
};

function sandboxKinds(opt: WorkerSetOptions['sandbox']): Record<QueueName, SandboxKind> {
  if (typeof opt === 'string') return { discover: opt, fetch: DEFAULT_SANDBOX.fetch, extract: opt };
  return { ...DEFAULT_SANDBOX, ...opt };
}

export async function startWorkers(opts: WorkerSetOptions): Promise<WorkerSet> {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const emit = (e: WorkerEvent) => opts.onEvent?.(e);
  const names = opts.queues?.length ? [...new Set(opts.queues)] : [...QUEUE_NAMES];
  const kinds = sandboxKinds(opts.sandbox);
  // Fail before connecting anything when the sandboxed processors were not built.
  const files = new Map(names.filter((q) => kinds[q] !== 'inline').map((q) => [q, processorFile(q)]));
  // While Redis is down every client reports each reconnect attempt: say each message once per
  // stretch of 10 s, through the worker's own events, instead of ioredis's "Unhandled error event".
  const lastSaid = new Map<string, number>();
  const connectionError = (queue: QueueName | 'limiter') => (err: Error) => {
    const key = `${queue}:${err.message}`;
    const now = Date.now();
    if (now - (lastSaid.get(key) ?? 0) < 10_000) return;
    lastSaid.set(key, now);
    emit({ type: 'error', queue, message: err.message });
  };
  const limiterRedis: Redis = redisClient(opts.connection);
  limiterRedis.on('error', connectionError('limiter'));
  const limiter = new RedisHostLimiter({ redis: limiterRedis, prefix, onError: (err) => emit({ type: 'error', queue: 'limiter', message: String(err) }) });
  let ctx: WorkerContext;
  try {
    ctx = await openWorkerContext(opts.runtime, { limiter });
  } catch (err) {
    limiterRedis.disconnect();
    throw err;
  }
  const queues = openQueues({ connection: opts.connection, prefix });
  for (const q of [queues.discover, queues.fetch, queues.extract]) q.on('error', connectionError(q.name as QueueName));
  let stopping = false;
  const deps = { ctx, queues, stopping: () => stopping };
  const concurrency = (q: QueueName) => (typeof opts.concurrency === 'number' ? opts.concurrency : opts.concurrency?.[q]) ?? DEFAULT_CONCURRENCY[q]();
  const lockDuration = opts.lockDurationMs ?? envMs('NIANBAO_LOCK_DURATION_MS');
  const stalledInterval = opts.stalledIntervalMs ?? envMs('NIANBAO_STALLED_INTERVAL_MS');
  const common = (q: QueueName) => ({
    connection: opts.connection,
    prefix,
    concurrency: Math.max(1, concurrency(q)),
    ...(opts.name ? { name: opts.name } : {}),
    ...(lockDuration ? { lockDuration } : {}),
    ...(stalledInterval ? { stalledInterval } : {}),
  });

  // Closes each crawl's run when its last job settles (the ledger and the discover queue say so).
  const monitor = crawlMonitor({
    store: ctx.store,
    queues,
    dataDir: opts.runtime.dataDir,
    monitoring: ctx.monitoring,
    onClosed: (c) => emit({ type: 'crawl-closed', crawl: c.record.crawlId, summary: c.published.files.length ? `summary in ${c.published.files.join(', ')}` : '' }),
    log: (text) => emit({ type: 'crawl-closed', crawl: '', summary: text }),
    onError: (err) => emit({ type: 'error', queue: 'monitor', message: err instanceof Error ? err.message : String(err) }),
  });
  const workers = names.map((q) => {
    const kind = kinds[q];
    const w =
      kind === 'inline'
        ? new Worker(q, releaseOnShutdown(INLINE[q](deps), () => stopping), common(q))
        : new Worker(q, files.get(q)!, { ...common(q), ...sandboxOptions({ runtime: opts.runtime, connection: opts.connection, prefix }, kind) });
    w.on('completed', (job: Job, result: unknown) => {
      emit({ type: 'completed', queue: q, jobId: job.id ?? '', result });
      void monitor.settled(q, job.data);
    });
    w.on('failed', (job: Job | undefined, err: Error) => {
      const attempts = job?.opts.attempts ?? 1;
      const unrecoverable = err.name === 'UnrecoverableError';
      const willRetry = !unrecoverable && (job?.attemptsMade ?? attempts) < attempts;
      const code = failureCode(err.message);
      emit({ type: 'failed', queue: q, jobId: job?.id ?? '', code, message: err.message, willRetry });
      if (job && !willRetry) void monitor.settled(q, job.data, { code });
    });
    w.on('error', connectionError(q));
    return w;
  });

  let closing: Promise<void> | null = null;
  return {
    workers,
    ctx,
    queues,
    close(closeOpts = {}) {
      return (closing ??= (async () => {
        stopping = true;
        const timeoutMs = closeOpts.timeoutMs ?? 30_000;
        const graceful = Promise.all(workers.map((w) => w.close()));
        // Past the deadline, abort what is still running: a fetch then fails as `aborted` and is
        // retried later by whichever worker is up; an extraction is left to finish in its sandbox.
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)));
        if ((await Promise.race([graceful, deadline])) === 'late') {
          for (const w of workers) w.cancelAllJobs('shutdown');
          // A job that still does not end is left with its lock; it expires and another worker's
          // stalled-job check puts the job back in the queue.
          let grace: NodeJS.Timeout | undefined;
          await Promise.race([graceful, new Promise((r) => (grace = setTimeout(r, 5_000)))]);
          clearTimeout(grace);
        }
        clearTimeout(timer);
        await queues.close();
        await limiter.flush();
        limiterRedis.disconnect();
        await ctx.close();
      })());
    },
  };
}

/**
 * A job that fails while its worker is stopping failed because of the stop (its requests were
 * aborted, or a signal handler of a library — Playwright closes its browser on SIGTERM — pulled
 * something from under it): put it back in the queue for another worker instead of spending
 * one of its attempts. Permanent failures and Retry-After delays stand.
 */
function releaseOnShutdown<T, R>(fn: (job: Job<T>, token?: string, signal?: AbortSignal) => Promise<R>, isStopping: () => boolean): Processor<T, R> {
  return async (job, token, signal) => {
    try {
      return await fn(job, token, signal);
    } catch (err) {
      if (!isStopping() || !token || err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
      await job.moveToWait(token);
      throw new WaitingError();
    }
  };
}
