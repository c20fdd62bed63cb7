/**
 * Where Redis is: $REDIS_URL, else 127.0.0.1:6379. BullMQ makes its own connections from these
 * options (a Worker needs a blocking one of its own), so we pass options, not a client.
 */
import type { RedisOptions } from 'bullmq';
import { Redis, type RedisOptions as IORedisOptions } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** BullMQ's connection options (it reads `url`); `redisClient` makes an ioredis client of them. */
export type RedisConnectionOptions = RedisOptions;

export function redisUrl(env: Record<string, string | undefined> = process.env): string {
  return env.REDIS_URL || DEFAULT_REDIS_URL;
}

/**
 * Milliseconds before the `attempt`-th reconnection: 1 s, then every 2 s for as long as Redis is
 * away. BullMQ's own default grows to 20 s apart after ~18 s of outage, so a worker could sit
 * idle up to 20 s after Redis was back (test/crash/redis-outage.slow.test.ts measured 6.3 s after
 * a 12 s outage); trying every 2 s costs a refused connection per client and nothing more.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(1000 * attempt, 2000);
}

/** Connection options for a redis:// or rediss:// URL. */
export function redisConnection(url: string = redisUrl()): RedisConnectionOptions {
  // null: a BullMQ worker's blocking connection must wait through a Redis restart, not give up.
  return withReconnectDelay({ url, maxRetriesPerRequest: null });
}

/**
 * The options with our reconnection schedule: a function, so it does not survive the JSON that
 * carries the options into a sandbox (sandbox.ts puts it back).
 */
export function withReconnectDelay(conn: RedisConnectionOptions): RedisConnectionOptions {
  return { ...conn, retryStrategy: reconnectDelay };
}

/** A plain ioredis client on the same server (for the host limiter and for cleanup). */
export function redisClient(conn: RedisConnectionOptions = redisConnection()): Redis {
  const { url, ...rest } = conn;
  const opts = rest as IORedisOptions;
  return url ? new Redis(url, opts) : new Redis(opts);
}
