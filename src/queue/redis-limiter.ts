/**
 * Per-host politeness shared by every worker through Redis: the HostLimiter of crawl/politeness.ts
 * with one budget per host however many processes and machines fetch from it, so a portal's
 * rate limit, its robots.txt Crawl-delay and a Retry-After it sent hold across the whole fleet.
 *
 * Per host, two keys (hash-tagged by host, so they live in one cluster slot):
 *   …:host:{h}:next   the earliest time the next request may start (Redis server clock, ms)
 *   …:host:{h}:slots  a sorted set of held concurrency slots, scored by their expiry
 * One Lua script takes a slot atomically: drop expired slots, refuse when `maxConcurrent` are held
 * or the next-allowed time is in the future (saying how long to wait), else move the next-allowed
 * time on by `minIntervalMs` and add the slot. Times come from Redis's own clock (TIME), so
 * workers whose clocks disagree still space their requests correctly. A holder renews its slot
 * while it holds it; a worker that crashes stops renewing and its slot expires after `slotTtlMs`.
 */
import type { Redis } from 'ioredis';
import type { HostLimiter, HostSlotOptions, Release } from '../crawl/politeness.js';
import { envMs } from './env-ms.js';
import { DEFAULT_PREFIX } from './jobs.js';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: next, slots. ARGV: minIntervalMs, maxConcurrent, token, slotTtlMs. → {1, grant time} taken | {0, waitMs} (-1: all slots busy). */
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return {0, -1} end
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < nextAt then return {0, nextAt - now} end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], now + interval, 'PX', interval + 1000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]))
return {1, now}`;

/** KEYS: slots. ARGV: token, slotTtlMs. Pushes a held slot's expiry forward. */
const RENEW = `${NOW}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0`;

/** KEYS: next. ARGV: delayMs. No slot before now + delay (never brings the time forward). */
const DEFER = `${NOW}
local until_ = now + tonumber(ARGV[1])
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nextAt then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 1000) end
return 1`;

interface LimiterCommands {
  nianbaoHostAcquire(next: string, slots: string, minIntervalMs: number, maxConcurrent: number, token: string, slotTtlMs: number): Promise<[number, number]>;
  nianbaoHostRenew(slots: string, token: string, slotTtlMs: number): Promise<number>;
  nianbaoHostDefer(next: string, delayMs: number): Promise<number>;
}

export interface RedisHostLimiterOptions {
  /** A client of its own is best: acquire polls while all of a host's slots are busy. */
  redis: Redis;
  /** Key prefix (the queues' prefix, so a test's cleanup removes these keys too). */
  prefix?: string;
  /**
   * A slot not renewed for this long is freed (the holder crashed); renewed every third of it.
   * Default $NIANBAO_HOST_SLOT_TTL_MS, else 60 s.
   */
  slotTtlMs?: number;
  /** How often to look again while every slot of a host is held. Default 25 ms. */
  busyPollMs?: number;
  /** Errors of fire-and-forget calls (defer, release, renew). Default: ignored. */
  onError?: (err: unknown) => void;
  /**
   * Each slot granted, with the moment of the decision on the Redis clock (ms): the limiter's own
   * record, for tests and metrics (a time taken in this process later would include its delays).
   */
  onGrant?: (host: string, atMs: number) => void;
}

export class RedisHostLimiter implements HostLimiter {
  private readonly redis: Redis & LimiterCommands;
  private readonly prefix: string;
  private readonly slotTtlMs: number;
  private readonly busyPollMs: number;
  private readonly pending = new Set<Promise<unknown>>();
  private seq = 0;
  private readonly id = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

  constructor(private readonly opts: RedisHostLimiterOptions) {
    this.redis = opts.redis as Redis & LimiterCommands;
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    this.slotTtlMs = opts.slotTtlMs ?? envMs('NIANBAO_HOST_SLOT_TTL_MS') ?? 60_000;
    this.busyPollMs = opts.busyPollMs ?? 25;
    if (!('nianbaoHostAcquire' in this.redis)) {
      opts.redis.defineCommand('nianbaoHostAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      opts.redis.defineCommand('nianbaoHostRenew', { numberOfKeys: 1, lua: RENEW });
      opts.redis.defineCommand('nianbaoHostDefer', { numberOfKeys: 1, lua: DEFER });
    }
  }

  /** The keys of a host (exported for tests and for an operator's `redis-cli`). */
  keys(host: string): { next: string; slots: string } {
    const base = `${this.prefix}:host:{${host}}`;
    return { next: `${base}:next`, slots: `${base}:slots` };
  }

  async acquire(host: string, opts: HostSlotOptions): Promise<Release> {
    const { next, slots } = this.keys(host);
    const token = `${this.id}-${++this.seq}`;
    const maxConcurrent = Math.max(1, opts.maxConcurrent);
    const minInterval = Math.max(0, Math.ceil(opts.minIntervalMs));
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      // Granted: [1, the Redis time of the grant]; refused: [0, ms to wait, or -1 when all slots are held].
      const [ok, value] = await this.redis.nianbaoHostAcquire(next, slots, minInterval, maxConcurrent, token, this.slotTtlMs);
      if (ok === 1) {
        this.opts.onGrant?.(host, value);
        return this.holdSlot(host, slots, token, minInterval);
      }
      const wait = value;
      // +1: the Redis clock has millisecond resolution; waking a hair early only costs a round trip.
      await sleep(wait < 0 ? this.busyPollMs : wait + 1, opts.signal);
    }
  }

  defer(host: string, delayMs: number): void {
    if (!(delayMs > 0)) return;
    // Same connection as the acquires that follow: Redis runs them in order, so the next acquire
    // already sees the deferral.
    this.track(this.redis.nianbaoHostDefer(this.keys(host).next, Math.ceil(delayMs)));
  }

  /** Wait for outstanding fire-and-forget calls (before closing the client). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private holdSlot(host: string, slots: string, token: string, minIntervalMs: number): Release {
    const timer = setInterval(() => this.track(this.redis.nianbaoHostRenew(slots, token, this.slotTtlMs)), Math.max(1000, Math.floor(this.slotTtlMs / 3)));
    timer.unref();
    let released = false;
    let sent = false;
    return Object.assign(
      () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.track(this.redis.zrem(slots, token));
      },
      {
        // The interval again from the actual send (see Release). Unlike the in-process limiter,
        // another worker may already hold a slot taken meanwhile: this narrows bunching, not
        // excludes it (pre-resolved DNS removes its main cause).
        sent: () => {
          if (sent || minIntervalMs <= 0) return;
          sent = true;
          this.defer(host, minIntervalMs);
        },
      },
    );
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((err) => this.opts.onError?.(err)).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
