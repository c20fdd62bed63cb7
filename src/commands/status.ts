/**
 * `nianbao status [--crawl id] [--wait]`: the state of the latest (or the given) crawl from the
 * store — local or distributed alike — and, with --wait, block until it settles. Exit codes for
 * an operator's script: 0 settled and no portal alert, 3 settled with portal alerts (a portal
 * broke), 4 not settled (without --wait, or --timeout passed), 1 no such crawl.
 */
import { InvalidArgumentError } from 'commander';
import type { CommandInstaller } from '../cli/io.js';
import { CrawlNotFoundError, type CrawlStatus, crawlStatus, formatStatus, waitSettled } from '../monitor/status.js';
import { DEFAULT_PREFIX, QUEUE_NAMES } from '../queue/jobs.js';
import { openStore } from '../store/index.js';

/** Jobs per queue and state (all crawls together): the queued/active split the store cannot know. */
async function queueCounts(url: string, prefix: string): Promise<Record<string, Record<string, number>>> {
  const { openQueues, redisConnection } = await import('../queue/index.js');
  const queues = openQueues({ connection: redisConnection(url), prefix });
  try {
    const out: Record<string, Record<string, number>> = {};
    for (const q of QUEUE_NAMES) out[q] = await queues[q].getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    return out;
  } finally {
    await queues.close();
  }
}

function formatQueues(c: Record<string, Record<string, number>>): string {
  return `  queues (every crawl): ${Object.entries(c).map(([q, n]) => `${q} ${n.waiting ?? 0} waiting, ${n.delayed ?? 0} delayed, ${n.active ?? 0} active`).join(' · ')}\n`;
}

export const STATUS_EXIT = { settled: 0, alerts: 3, running: 4, notFound: 1 } as const;

export function statusExitCode(s: CrawlStatus): number {
  if (!s.settled) return STATUS_EXIT.running;
  return s.alerts.length ? STATUS_EXIT.alerts : STATUS_EXIT.settled;
}

const seconds = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0');
  return n;
};

export const installStatus: CommandInstaller = (program, io, setExit) => {
  program
    .command('status')
    .description('The state of the latest (or given) crawl: per stage and portal, ETA, portal alerts. Exit 0 settled, 3 settled with portal alerts, 4 not settled, 1 no such crawl.')
    .option('--crawl <id>', 'crawl id (default: the latest crawl)')
    .option('--wait', 'block until the crawl settles')
    .option('--timeout <seconds>', 'with --wait: give up after this long (exit 4)', seconds)
    .option('--interval <seconds>', 'with --wait: seconds between looks', seconds, 2)
    .option('--json', 'print the status as JSON')
    .option('--data <dir>', 'data folder', process.env.NIANBAO_DATA ?? 'data')
    .option('--db <url>', 'SQLite path or postgres:// URL (default: $DATABASE_URL, else <data>/nianbao.sqlite)')
    .option('--db-schema <name>', 'PostgreSQL schema (default: $NIANBAO_DB_SCHEMA, else public)')
    .option('--redis <url>', 'also show the BullMQ queues (waiting, delayed, active jobs) of distributed mode')
    .option('--prefix <prefix>', 'Redis key prefix of the queues', DEFAULT_PREFIX)
    .action(async (opts: { crawl?: string; wait?: boolean; timeout?: number; interval: number; json?: boolean; data: string; db?: string; dbSchema?: string; redis?: string; prefix: string }) => {
      const schema = opts.dbSchema ?? process.env.NIANBAO_DB_SCHEMA;
      const store = await openStore({ dataDir: opts.data, ...(opts.db ? { url: opts.db } : {}), ...(schema ? { schema } : {}) });
      try {
        const s = opts.wait
          ? await waitSettled(store, opts.crawl, { intervalMs: opts.interval * 1000, ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}) })
          : await crawlStatus(store, opts.crawl);
        const queues = opts.redis ? await queueCounts(opts.redis, opts.prefix) : null;
        io.out(opts.json ? `${JSON.stringify(queues ? { ...s, queues } : s, null, 2)}\n` : formatStatus(s) + (queues ? formatQueues(queues) : ''));
        setExit(statusExitCode(s));
      } catch (err) {
        if (!(err instanceof CrawlNotFoundError)) throw err;
        io.err(`nianbao status: ${err.message}\n`);
        setExit(STATUS_EXIT.notFound);
      } finally {
        await store.close();
      }
    });
};
