/**
 * bull-board's "Retry" (one job) and "Retry all" both end in `job.retry(state)`. In the installed
 * BullMQ (6.7) that keeps `attemptsMade`, so a job that had used up its attempts would get a
 * single run and no backoff retries. Re-running a job from the UI should start it fresh, so this
 * adapter hands bull-board jobs whose `retry` resets the attempt counters, after an optional
 * `beforeRetry` (the extract queue uses it to force re-extraction; see board.ts).
 */
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { Job, Queue } from 'bullmq';

type JobStatuses = Parameters<BullMQAdapter['getJobs']>[0];
type RetryArgs = Parameters<Job['retry']>;

export interface FreshRetryOptions {
  /** Runs before the job is moved back to waiting (e.g. to adjust its data). */
  beforeRetry?: (job: Job) => Promise<void>;
}

/** Make `job.retry()` reset attemptsMade and attemptsStarted (unless the caller says otherwise). */
export function freshRetry<J extends Job>(job: J, opts: FreshRetryOptions = {}): J {
  const retry = job.retry.bind(job);
  // Not enumerable: Job#toJSON copies own enumerable properties into what bull-board shows.
  Object.defineProperty(job, 'retry', {
    value: async (state?: RetryArgs[0], retryOpts?: RetryArgs[1]) => {
      await opts.beforeRetry?.(job);
      return retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true, ...retryOpts });
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return job;
}

export class FreshRetryBullMQAdapter extends BullMQAdapter {
  constructor(
    queue: Queue,
    private readonly fresh: FreshRetryOptions = {},
  ) {
    super(queue);
  }

  override async getJob(id: string): Promise<Job | undefined> {
    const job = await super.getJob(id);
    return job ? freshRetry(job, this.fresh) : job;
  }

  override async getJobs(statuses: JobStatuses, start?: number, end?: number): Promise<Job[]> {
    return (await super.getJobs(statuses, start, end)).map((j) => freshRetry(j, this.fresh));
  }
}
