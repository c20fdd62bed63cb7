/**
 * The Redis host limiter against the real Redis: two limiters (two clients, as two worker
 * processes would have) share one host's interval and concurrency; a crashed holder's slot
 * expires; Retry-After deferral and abort work across them. Times are checked on the limiter's
 * own decisions (its grants on the Redis clock, `onGrant`), not on intervals measured here under
 * load.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { RedisHostLimiter } from '../../src/queue/redis-limiter.js';
import { REDIS_URL, deletePrefix, testPrefix } from './harness.js';

describe('RedisHostLimiter', () => {
  const prefix = testPrefix('limiter');
  const clients: Redis[] = [];
  let a: RedisHostLimiter;
  let b: RedisHostLimiter;
  /** Grants per host, Redis clock (ms), from both limiters. */
  const grants: Record<string, number[]> = {};
  const onGrant = (host: string, at: number) => (grants[host] ??= []).push(at);
  const client = () => {
    const c = redisClient(redisConnection(REDIS_URL));
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    a = new RedisHostLimiter({ redis: client(), prefix, onGrant });
    b = new RedisHostLimiter({ redis: client(), prefix, onGrant });
  });

  afterAll(async () => {
    const admin = client();
    await deletePrefix(admin, prefix);
    for (const c of clients) c.disconnect();
  });

  it('spaces request starts by the interval across limiters', async () => {
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await (i % 2 ? a : b).acquire('spaced.example', { minIntervalMs: 60, maxConcurrent: 8 });
        release();
      }),
    );
    const at = [...grants['spaced.example']!].sort((x, y) => x - y);
    expect(at).toHaveLength(8);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(60);
  });

  it('holds at most maxConcurrent slots across limiters', async () => {
    const r1 = await a.acquire('busy.example', { minIntervalMs: 0, maxConcurrent: 2 });
    const r2 = await b.acquire('busy.example', { minIntervalMs: 0, maxConcurrent: 2 });
    let third = false;
    const p = a.acquire('busy.example', { minIntervalMs: 0, maxConcurrent: 2 }).then((r) => {
      third = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(third).toBe(false);
    r1();
    const r3 = await p;
    expect(third).toBe(true);
    r2();
    r3();
  });

  it('frees the slot of a holder that crashed once its TTL passes', async () => {
    const crashed = new RedisHostLimiter({ redis: client(), prefix, slotTtlMs: 400 });
    await crashed.acquire('crash.example', { minIntervalMs: 0, maxConcurrent: 1 });
    // When the slot expires, on the Redis clock.
    const [, expiry] = await clients[0]!.zrange(crashed.keys('crash.example').slots, 0, -1, 'WITHSCORES');
    // The holder's process dies: no release, no renewal.
    clients.at(-1)!.disconnect();
    const release = await b.acquire('crash.example', { minIntervalMs: 0, maxConcurrent: 1 });
    release();
    // Not before the TTL ran out; that it came at all within the test's timeout is the other half.
    expect(grants['crash.example']).toHaveLength(1);
    expect(grants['crash.example']![0]!).toBeGreaterThanOrEqual(Number(expiry));
  });

  it('takes its TTL from $NIANBAO_HOST_SLOT_TTL_MS when none is given (operators shorten it)', async () => {
    const before = process.env.NIANBAO_HOST_SLOT_TTL_MS;
    process.env.NIANBAO_HOST_SLOT_TTL_MS = '7000';
    try {
      const fromEnv = new RedisHostLimiter({ redis: client(), prefix, onGrant });
      const release = await fromEnv.acquire('ttl-env.example', { minIntervalMs: 0, maxConcurrent: 1 });
      const [, expiry] = await clients[0]!.zrange(fromEnv.keys('ttl-env.example').slots, 0, -1, 'WITHSCORES');
      expect(Number(expiry) - grants['ttl-env.example']![0]!).toBe(7000);
      release();
    } finally {
      if (before === undefined) delete process.env.NIANBAO_HOST_SLOT_TTL_MS;
      else process.env.NIANBAO_HOST_SLOT_TTL_MS = before;
    }
  });

  it('keeps a renewed slot held past its TTL while its holder lives', async () => {
    const holder = new RedisHostLimiter({ redis: client(), prefix, slotTtlMs: 3_000 });
    const release = await holder.acquire('renewed.example', { minIntervalMs: 0, maxConcurrent: 1 });
    const ac = new AbortController();
    const other = b.acquire('renewed.example', { minIntervalMs: 0, maxConcurrent: 1, signal: ac.signal });
    // Renewed every second: still held after the first TTL has gone by.
    await new Promise((r) => setTimeout(r, 3_600));
    ac.abort(new Error('gave up'));
    await expect(other).rejects.toThrow('gave up');
    release();
  }, 60_000);

  it('a deferral (Retry-After) on one limiter holds back the others', async () => {
    const r = await a.acquire('deferred.example', { minIntervalMs: 0, maxConcurrent: 1 });
    r();
    a.defer('deferred.example', 300);
    await a.flush();
    const until = Number(await clients[0]!.get(a.keys('deferred.example').next));
    expect(until - grants['deferred.example']![0]!).toBeGreaterThanOrEqual(300);
    const release = await b.acquire('deferred.example', { minIntervalMs: 0, maxConcurrent: 1 });
    release();
    expect(grants['deferred.example']![1]!).toBeGreaterThanOrEqual(until);
  });

  it('an aborted acquire rejects with the signal’s reason', async () => {
    const release = await a.acquire('abort.example', { minIntervalMs: 10_000, maxConcurrent: 1 });
    release();
    const ac = new AbortController();
    const p = b.acquire('abort.example', { minIntervalMs: 10_000, maxConcurrent: 1, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stopped')), 50);
    await expect(p).rejects.toThrow('stopped');
  });

  it('keeps its keys under the prefix, hash-tagged by host', () => {
    expect(a.keys('www.gov.cn:8080')).toEqual({ next: `${prefix}:host:{www.gov.cn:8080}:next`, slots: `${prefix}:host:{www.gov.cn:8080}:slots` });
  });
});
