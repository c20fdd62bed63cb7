/**
 * The UI's view of the distributed-mode queues: a stand-in with the same shape as
 * `openQueues` / `enqueueExtract` in src/queue/queue.ts (the other half of issue 5, not yet
 * committed). When that lands, replace the body of this file with
 *   export { openQueues, enqueueExtract, type Queues as UiQueues } from '../queue/index.js';
 * and nothing else in src/server changes.
 */
import { type ConnectionOptions, Queue } from 'bullmq';
import { DEFAULT_PREFIX, type ExtractJob, JOB_OPTIONS, type QueueName, jobId } from '../queue/jobs.js';
import { EXTRACTOR_VERSION } from '../version.js';

export interface UiQueues {
  discover: Queue;
  fetch: Queue;
  extract: Queue<ExtractJob>;
  readonly prefix: string;
  close(): Promise<void>;
}

export function openQueues(opts: { connection: ConnectionOptions; prefix?: string }): UiQueues {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const make = <T>(name: QueueName) => new Queue<T>(name, { connection: opts.connection, prefix });
  const discover = make('discover');
  const fetch = make('fetch');
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

/** Add an extract job with the contract's id and options. `added` is false when that id already existed. */
export async function enqueueExtract(queues: Pick<UiQueues, 'extract'>, job: ExtractJob): Promise<{ id: string; added: boolean }> {
  const id = jobId.extract(job, EXTRACTOR_VERSION);
  const existed = (await queues.extract.getJobState(id)) !== 'unknown';
  await queues.extract.add('extract', job, { ...JOB_OPTIONS.extract, jobId: id });
  return { id, added: !existed };
}
