/**
 * Distributed mode's commands: `nianbao worker` (take jobs from the queues until SIGTERM/SIGINT),
 * `nianbao crawl` (enqueue a crawl of the configured portals now) and `nianbao schedule`
 * (register the nightly crawl). Redis from --redis or $REDIS_URL; the store from --db or
 * $DATABASE_URL (PostgreSQL); artifacts under --data or $NIANBAO_DATA, a volume all workers share.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandInstaller, Io } from '../cli/io.js';
import { ConfigError, loadPortalConfig, type Portal } from '../crawl/config.js';
import { DEFAULT_CRON, DEFAULT_PREFIX, DEFAULT_TZ, QUEUE_NAMES, type QueueName, crawlIdFor } from '../queue/jobs.js';
import type { WorkerEvent } from '../queue/worker.js';

// BullMQ and the workers load only when one of these commands runs, not for every command.
const queueApi = () => import('../queue/index.js');

interface RedisOptions {
  redis?: string;
  prefix: string;
}

const withRedis = (cmd: Command) =>
  cmd.option('--redis <url>', 'Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379)').option('--prefix <prefix>', 'Redis key prefix of the queues', DEFAULT_PREFIX);

const withConfig = (cmd: Command) => cmd.option('-c, --config <file>', 'portal configuration', 'config/portals.yaml');

async function loadPortals(path: string, only: readonly string[] | undefined, io: Io): Promise<Portal[] | null> {
  try {
    const cfg = await loadPortalConfig(path);
    const unknown = (only ?? []).filter((id) => !cfg.portals.some((p) => p.id === id));
    if (unknown.length) {
      io.err(`nianbao: no portal ${unknown.join(', ')} in ${path}\n`);
      return null;
    }
    return only?.length ? cfg.portals.filter((p) => only.includes(p.id)) : cfg.portals;
  } catch (err) {
    io.err(err instanceof ConfigError ? `${err.message}\n` : `nianbao: cannot read ${path}: ${(err as Error).message}\n`);
    return null;
  }
}

function parseQueues(v: string): QueueName[] {
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(QUEUE_NAMES as readonly string[]).includes(n));
  if (bad.length || !names.length) throw new InvalidArgumentError(`expected a comma-separated list of ${QUEUE_NAMES.join(', ')}`);
  return names as QueueName[];
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

function describeEvent(e: WorkerEvent): string {
  const at = new Date().toISOString();
  if (e.type === 'completed') return `${at} ${e.queue} ${e.jobId} done ${JSON.stringify(e.result)}\n`;
  if (e.type === 'failed') return `${at} ${e.queue} ${e.jobId} failed${e.willRetry ? ' (will retry)' : ''} ${e.message}\n`;
  if (e.type === 'crawl-closed') return e.crawl ? `${at} crawl ${e.crawl} closed ${e.summary}\n` : e.summary;
  return `${at} ${e.queue} error ${e.message}\n`;
}

/** Touch `path` now and every 10 s while `alive()` says so: a health check then only needs the file's age. */
function heartbeat(path: string, alive: () => Promise<boolean>): NodeJS.Timeout {
  const beat = () =>
    alive().then(
      async (ok) => {
        if (ok) await writeFile(path, `${new Date().toISOString()}\n`);
      },
      () => undefined, // Redis unreachable: the file ages and the check fails, which is the point
    );
  void beat();
  const timer = setInterval(() => void beat(), 10_000);
  timer.unref();
  return timer;
}

export const installDistributed: CommandInstaller = (program, io, setExit) => {
  withConfig(withRedis(program.command('worker')))
    .description('Take discover, fetch and extract jobs from the queues until SIGTERM or SIGINT (then finish the active ones and exit 0).')
    .addOption(new Option('-q, --queues <names>', 'comma-separated queues to serve').argParser(parseQueues).default([...QUEUE_NAMES], QUEUE_NAMES.join(',')))
    .option('--concurrency <n>', 'jobs at once per queue (default: discover 2, fetch 8, extract one per CPU)', positiveInt)
    .option('--data <dir>', 'data folder holding the shared artifacts (default: $NIANBAO_DATA, else ./data)')
    .option('--db <url>', 'postgres:// URL of the store (default: $DATABASE_URL)')
    .option('--db-schema <name>', 'PostgreSQL schema of the store (default: $NIANBAO_DB_SCHEMA, else public)')
    .option('--sandbox <kind>', 'where discover and extract jobs run (workers/*.js in a BullMQ sandbox): process or thread', 'process')
    .option('--shutdown-timeout <ms>', 'how long active jobs may run on after a stop signal', positiveInt, 30_000)
    .option('--quiet', 'do not print a line per finished job')
    .option('--health-file <path>', 'touch this file every 10 s while the workers run and Redis answers (for container health checks)')
    .action(
      async (opts: RedisOptions & { config: string; queues: QueueName[]; concurrency?: number; data?: string; db?: string; dbSchema?: string; sandbox: string; shutdownTimeout: number; quiet?: boolean; healthFile?: string }) => {
        if (opts.sandbox !== 'process' && opts.sandbox !== 'thread') {
          io.err(`nianbao: --sandbox: expected process or thread, got "${opts.sandbox}"\n`);
          return setExit(2);
        }
        if (!(await loadPortals(opts.config, undefined, io))) return setExit(2);
        const { redisConnection, redisUrl, resolveRuntime, startWorkers } = await queueApi();
        const { onShutdownSignal } = await import('../queue/shutdown.js');
        const runtime = resolveRuntime({ config: opts.config, ...(opts.data ? { dataDir: opts.data } : {}), ...(opts.db ? { db: opts.db } : {}), ...(opts.dbSchema ? { dbSchema: opts.dbSchema } : {}) });
        if (!runtime.db || !/^postgres(ql)?:\/\//i.test(runtime.db)) io.err('nianbao: warning: distributed mode expects a PostgreSQL store (--db or $DATABASE_URL); a SQLite file only works for workers on one machine.\n');
        const set = await startWorkers({
          connection: redisConnection(opts.redis ?? redisUrl()),
          prefix: opts.prefix,
          runtime,
          queues: opts.queues,
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          sandbox: opts.sandbox,
          name: `worker-${process.pid}`,
          ...(opts.quiet ? { onEvent: (e: WorkerEvent) => (e.type === 'error' ? io.err(describeEvent(e)) : e.type === 'crawl-closed' && io.out(describeEvent(e))) } : { onEvent: (e: WorkerEvent) => (e.type === 'error' ? io.err : io.out)(describeEvent(e)) }),
        });
        const health = opts.healthFile ? heartbeat(opts.healthFile, () => set.queues.discover.getJobCounts('active').then(() => set.workers.every((w) => w.isRunning()))) : null;
        io.out(`nianbao worker ${process.pid}: serving ${opts.queues.join(', ')} (prefix ${opts.prefix}); SIGTERM or Ctrl-C to stop\n`);
        let t0 = 0;
        const signal = await onShutdownSignal(async (s) => {
          t0 = Date.now();
          io.out(`nianbao worker ${process.pid}: ${s}, finishing active jobs\n`);
          if (health) clearInterval(health);
          await set.close({ timeoutMs: opts.shutdownTimeout });
        });
        io.out(`nianbao worker ${process.pid}: stopped on ${signal} in ${Date.now() - t0} ms\n`);
        setExit(0);
        // Everything is closed; should a library still hold a handle (a browser that would not
        // close), exit anyway rather than linger as a stopped worker. Unref'd: a clean process
        // exits at once without it.
        setTimeout(() => process.exit(0), 3_000).unref();
      },
    );

  withConfig(withRedis(program.command('crawl')))
    .description('Enqueue a crawl of the configured portals now (one discover job each; the workers do the rest).')
    .option('-p, --portal <id...>', 'only these portals')
    .option('--crawl <id>', 'crawl id; enqueueing the same id again adds nothing (default: manual-<today in Asia/Shanghai>)')
    .action(async (opts: RedisOptions & { config: string; portal?: string[]; crawl?: string }) => {
      const portals = await loadPortals(opts.config, opts.portal, io);
      if (!portals) return setExit(2);
      const { enqueueCrawl, openQueues, redisConnection, redisUrl } = await queueApi();
      const crawl = opts.crawl ?? crawlIdFor('manual', Date.now(), DEFAULT_TZ);
      const queues = openQueues({ connection: redisConnection(opts.redis ?? redisUrl()), prefix: opts.prefix });
      try {
        const res = await enqueueCrawl(queues, portals.map((p) => p.id), crawl);
        const added = res.filter((r) => r.added).length;
        io.out(`Crawl ${crawl}: ${added} discover job${added === 1 ? '' : 's'} queued${res.length > added ? `, ${res.length - added} already queued or done (use --crawl to start another)` : ''}.\n`);
        if (added) io.out(`Follow it with: nianbao status --crawl ${crawl} --wait\n`);
        setExit(0);
      } finally {
        await queues.close();
      }
    });

  withConfig(withRedis(program.command('schedule')))
    .description('Register the nightly crawl (a BullMQ job scheduler); running it again replaces the schedule.')
    .option('--cron <pattern>', 'cron pattern', DEFAULT_CRON)
    .option('--tz <zone>', 'IANA time zone of the pattern', DEFAULT_TZ)
    .option('-p, --portal <id...>', 'only these portals (default: every portal in the workers’ configuration)')
    .action(async (opts: RedisOptions & { config: string; cron: string; tz: string; portal?: string[] }) => {
      const portals = await loadPortals(opts.config, opts.portal, io);
      if (!portals) return setExit(2);
      const { InvalidScheduleError, formatInZone, openQueues, redisConnection, redisUrl, upsertNightlyCrawl } = await queueApi();
      const queues = openQueues({ connection: redisConnection(opts.redis ?? redisUrl()), prefix: opts.prefix });
      try {
        const s = await upsertNightlyCrawl(queues, { cron: opts.cron, tz: opts.tz, ...(opts.portal?.length ? { portals: opts.portal } : {}) });
        io.out(`Scheduled ${s.id}: "${s.cron}" in ${s.tz}, ${opts.portal?.length ? `portals ${opts.portal.join(', ')}` : 'every configured portal'}. Next run: ${formatInZone(s.next, s.tz)}\n`);
        setExit(0);
      } catch (err) {
        if (err instanceof InvalidScheduleError) {
          io.err(`nianbao: ${err.message}\n`);
          return setExit(2);
        }
        throw err;
      } finally {
        await queues.close();
      }
    });
};
