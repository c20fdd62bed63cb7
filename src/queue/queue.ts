/**
 * The three queues and the one way to put work on them. Everything that enqueues — the workers,
 * the crawl command, the scheduler's fan-out and the web UI — goes through these functions, so a
 * job always gets its deterministic id (jobs.ts), its attempts and backoff, and its retention.
 *
 *   const queues = openQueues({ connection: redisConnection(), prefix: DEFAULT_PREFIX });
 *   await enqueueExtract(queues, { url, sha256 });
 *   await queues.close();
 */
import { type ConnectionOptions, type Job, type JobsOptions, Queue } from 'bullmq';
import { EXTRACTOR_VERSION } from '../version.js';
import {
  DEFAULT_PREFIX,
  type DiscoverJob,
  type ExtractJob,
  type FanoutJob,
  type FetchJob,
  JOB_NAMES,
  JOB_OPTIONS,
  JOB_RETENTION,
  type QueueName,
  jobId,
} from './jobs.js';

export interface QueueConnectionOptions {
  connection: ConnectionOptions;
  /** Redis key prefix; default DEFAULT_PREFIX. */
  prefix?: string;
}

export interface Queues {
  discover: Queue<DiscoverJob | FanoutJob>;
  fetch: Queue<FetchJob>;
  extract: Queue<ExtractJob>;
  readonly prefix: string;
  /** Close the three queues' connections. */
  close(): Promise<void>;
}

export function openQueues(opts: QueueConnectionOptions): Queues {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const make = <T>(name: QueueName) => new Queue<T>(name, { connection: opts.connection, prefix });
  const discover = make<DiscoverJob | FanoutJob>('discover');
  const fetch = make<FetchJob>('fetch');
  const extract = make<ExtractJob>('extract');
  return {
    discover,
    fetch,
    extract,
    prefix,
    close: async () => {
      await Promise.all([discover.close(), fetch.close(), extract.close()]);
    },
  };
}

/** What an enqueue did: `added` is false when a job of that id was already there (queued, running or kept). */
export interface Enqueued {
  id: string;
  added: boolean;
}

/** Typed by the callers below; here the queue is taken as BullMQ's untyped one. */
async function addOnce(queue: Queue, name: string, data: object, id: string, opts: JobsOptions): Promise<Enqueued> {
  // BullMQ ignores an add whose id exists and does not say so; look first, for the report only.
  const existed = (await queue.getJobState(id)) !== 'unknown';
  await queue.add(name, data, { ...JOB_RETENTION, ...opts, jobId: id });
  return { id, added: !existed };
}

export function enqueueDiscover(queues: Pick<Queues, 'discover'>, job: DiscoverJob): Promise<Enqueued> {
  return addOnce(queues.discover, JOB_NAMES.discover, job, jobId.discover(job), JOB_OPTIONS.discover);
}

export function enqueueFetch(queues: Pick<Queues, 'fetch'>, job: FetchJob): Promise<Enqueued> {
  return addOnce(queues.fetch, JOB_NAMES.fetch, job, jobId.fetch(job), JOB_OPTIONS.fetch);
}

/** Many fetch jobs in one round trip (a portal's documents); duplicates are ignored by id. */
export async function enqueueFetches(queues: Pick<Queues, 'fetch'>, jobs: readonly FetchJob[]): Promise<Job<FetchJob>[]> {
  if (!jobs.length) return [];
  return queues.fetch.addBulk(jobs.map((data) => ({ name: JOB_NAMES.fetch, data, opts: { ...JOB_RETENTION, ...JOB_OPTIONS.fetch, jobId: jobId.fetch(data) } })));
}

/**
 * Extract one document's stored bytes. The id includes the sha256 and the extractor version, so
 * the same bytes are extracted once per version; `force` makes a fresh job (the UI's "re-run").
 */
export function enqueueExtract(queues: Pick<Queues, 'extract'>, job: ExtractJob, opts: { extractorVersion?: string } = {}): Promise<Enqueued> {
  return addOnce(queues.extract, JOB_NAMES.extract, job, jobId.extract(job, opts.extractorVersion ?? EXTRACTOR_VERSION), JOB_OPTIONS.extract);
}

/** One discover job per portal, all under one crawl id. Enqueueing the same crawl again adds nothing. */
export async function enqueueCrawl(queues: Pick<Queues, 'discover'>, portalIds: readonly string[], crawl: string): Promise<Enqueued[]> {
  const out: Enqueued[] = [];
  for (const portalId of portalIds) out.push(await enqueueDiscover(queues, { portalId, crawl }));
  return out;
}
