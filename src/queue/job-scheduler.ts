/**
 * The nightly crawl: a BullMQ job scheduler on the `discover` queue whose job fans out one
 * discover job per configured portal (processors.ts). Upserting is idempotent — running
 * `nianbao schedule` again replaces the cron and time zone, it never adds a second schedule.
 */
import { getNextMillis } from 'bullmq';
import { DEFAULT_CRON, DEFAULT_TZ, type FanoutJob, JOB_NAMES, JOB_OPTIONS, JOB_RETENTION, NIGHTLY_SCHEDULER_ID } from './jobs.js';
import type { Queues } from './queue.js';

export interface ScheduleOptions {
  /** Cron pattern (5 or 6 fields); default 02:00 every night. */
  cron?: string;
  /** IANA time zone the pattern is read in; default Asia/Shanghai. */
  tz?: string;
  /** Only these portals; default every portal of the workers' configuration at run time. */
  portals?: string[];
}

export interface Scheduled {
  id: string;
  cron: string;
  tz: string;
  /** When the scheduler will next start a crawl. */
  next: Date;
}

export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
  constructor(
    readonly code: 'invalid_cron' | 'invalid_tz',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The next run of `cron` in `tz` strictly after `now` — the same computation BullMQ makes. */
export function nextRun(cron: string, tz: string, now: Date | number = Date.now()): Date {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new InvalidScheduleError('invalid_tz', `unknown time zone "${tz}"`);
  }
  let next: number | undefined;
  try {
    next = getNextMillis(typeof now === 'number' ? now : now.getTime(), { pattern: cron, tz });
  } catch (err) {
    throw new InvalidScheduleError('invalid_cron', `"${cron}": ${(err as Error).message}`);
  }
  if (next === undefined) throw new InvalidScheduleError('invalid_cron', `"${cron}" has no next run`);
  return new Date(next);
}

/** "2025-01-22 02:00:00 Asia/Shanghai (2025-01-21T18:00:00.000Z)". */
export function formatInZone(d: Date, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${tz} (${d.toISOString()})`;
}

/** Register (or replace) the nightly crawl. */
export async function upsertNightlyCrawl(queues: Queues, opts: ScheduleOptions = {}): Promise<Scheduled> {
  const cron = opts.cron ?? DEFAULT_CRON;
  const tz = opts.tz ?? DEFAULT_TZ;
  nextRun(cron, tz); // validate before touching Redis
  const data: FanoutJob = { tz, ...(opts.portals?.length ? { portals: opts.portals } : {}) };
  await queues.discover.upsertJobScheduler(NIGHTLY_SCHEDULER_ID, { pattern: cron, tz }, { name: JOB_NAMES.fanout, data, opts: { ...JOB_RETENTION, attempts: JOB_OPTIONS.discover.attempts, backoff: JOB_OPTIONS.discover.backoff } });
  const stored = await queues.discover.getJobScheduler(NIGHTLY_SCHEDULER_ID);
  const next = stored?.next ? new Date(stored.next) : nextRun(cron, tz);
  return { id: NIGHTLY_SCHEDULER_ID, cron, tz, next };
}

export async function removeNightlyCrawl(queues: Queues): Promise<boolean> {
  return queues.discover.removeJobScheduler(NIGHTLY_SCHEDULER_ID);
}
