/**
 * Distributed mode's end of a crawl. Each worker process watches the jobs it settles (completed,
 * or failed with no retry left): a job that failed for good fails its ledger item with the job's
 * reason, and when the crawl has no pending item left and none of its discover jobs is still
 * queued, the run is closed (record, portal health, morning summary). Every worker may try; the
 * run row's claim lets exactly one close it.
 */
import type { MonitoringConfig } from '../crawl/config.js';
import { type ClosedRun, closeCrawlRun } from '../monitor/close.js';
import { failIfPending, getCrawlRun, pendingCount } from '../monitor/ledger.js';
import type { Store } from '../store/index.js';
import type { QueueName } from './jobs.js';
import type { Queues } from './queue.js';

export interface CrawlMonitorOptions {
  store: Store;
  queues: Pick<Queues, 'discover'>;
  dataDir?: string;
  monitoring?: MonitoringConfig;
  /** The morning summary's text. */
  log?: (text: string) => void;
  onClosed?: (closed: ClosedRun) => void;
}

export interface CrawlMonitor {
  /** A job of `queue` settled; `failure` when it failed for good. Never throws. */
  settled(queue: QueueName, data: unknown, failure?: { code: string | null }): Promise<void>;
}

/** Jobs of a crawl's discover stage not yet run: until they have, the crawl may still grow. */
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

async function discoverUnfinished(queues: Pick<Queues, 'discover'>, crawl: string): Promise<boolean> {
  const jobs = await queues.discover.getJobs([...UNFINISHED]);
  return jobs.some((j) => j && (j.data as { crawl?: string }).crawl === crawl);
}

export function crawlMonitor(o: CrawlMonitorOptions & { onError?: (err: unknown) => void }): CrawlMonitor {
  // One check at a time per crawl in this process; other processes are kept out by the claim.
  const chains = new Map<string, Promise<void>>();

  async function check(crawl: string): Promise<void> {
    if ((await pendingCount(o.store, crawl)) > 0) return;
    const run = await getCrawlRun(o.store, crawl);
    if (!run || run.status !== 'running') return;
    if (await discoverUnfinished(o.queues, crawl)) return;
    const closed = await closeCrawlRun(o.store, crawl, { ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.monitoring ? { monitoring: o.monitoring } : {}), ...(o.log ? { log: o.log } : {}) });
    if (closed) o.onClosed?.(closed);
  }

  return {
    async settled(queue, data, failure) {
      const d = (data ?? {}) as { crawl?: string; portalId?: string; url?: string };
      const crawl = d.crawl;
      if (!crawl) return;
      try {
        const key = queue === 'discover' ? d.portalId : d.url;
        if (failure && key) await failIfPending(o.store, crawl, queue, key, failure.code ?? 'failed');
      } catch (err) {
        o.onError?.(err);
      }
      const next = (chains.get(crawl) ?? Promise.resolve()).then(() => check(crawl)).catch((err) => o.onError?.(err));
      chains.set(crawl, next);
      await next;
      if (chains.get(crawl) === next) chains.delete(crawl);
    },
  };
}
