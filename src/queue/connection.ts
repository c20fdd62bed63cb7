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

/** Connection options for a redis:// or rediss:// URL. */
export function redisConnection(url: string = redisUrl()): RedisConnectionOptions {
  // null: a BullMQ worker's blocking connection must wait through a Redis restart, not give up.
  return { url, maxRetriesPerRequest: null };
}

/** A plain ioredis client on the same server (for the host limiter and for cleanup). */
export function redisClient(conn: RedisConnectionOptions = redisConnection()): Redis {
  const { url, ...rest } = conn;
  const opts = rest as IORedisOptions;
  return url ? new Redis(url, opts) : new Redis(opts);
}
