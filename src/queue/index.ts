/**
 * Distributed mode: BullMQ queues on Redis, workers over the same stages as local mode.
 *
 *   import { openQueues, enqueueExtract, redisConnection } from './queue/index.js';
 *   const queues = openQueues({ connection: redisConnection(), prefix: DEFAULT_PREFIX });
 *   await enqueueExtract(queues, { url, sha256, force: true });
 */
export * from './jobs.js';
export { DEFAULT_REDIS_URL, type RedisConnectionOptions, redisClient, redisConnection, redisUrl } from './connection.js';
export { type Enqueued, type QueueConnectionOptions, type Queues, enqueueCrawl, enqueueDiscover, enqueueExtract, enqueueFetch, enqueueFetches, openQueues } from './queue.js';
export { PermanentJobError, SandboxMissingError, TransientJobError } from './errors.js';
export { InvalidScheduleError, type Scheduled, type ScheduleOptions, formatInZone, nextRun, removeNightlyCrawl, upsertNightlyCrawl } from './job-scheduler.js';
export { RedisHostLimiter, type RedisHostLimiterOptions } from './redis-limiter.js';
export { type WorkerRuntime, resolveRuntime } from './runtime.js';
export { type CloseOptions, type WorkerEvent, type WorkerSet, type WorkerSetOptions, startWorkers } from './worker.js';
