/**
 * The Redis host limiter against the real Redis: two limiters (two clients, as two worker
 * processes would have) share one host's interval and concurrency; a crashed holder's slot
 * expires; Retry-After deferral and abort work across them.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { RedisHostLimiter } from '../../src/queue/redis-limiter.js';
import { REDIS_URL, deletePrefix, testPrefix } from './harness.js';

const now = () => performance.timeOrigin + performance.now();

describe('RedisHostLimiter', () => {
  const prefix = testPrefix('limiter');
  const clients: Redis[] = [];
  let a: RedisHostLimiter;
  let b: RedisHostLimiter;
  const client = () => {
    const c = redisClient(redisConnection(REDIS_URL));
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    a = new RedisHostLimiter({ redis: client(), prefix });
    b = new RedisHostLimiter({ redis: client(), prefix });
  });

  afterAll(async () => {
    const admin = client();
    await deletePrefix(admin, prefix);
    for (const c of clients) c.disconnect();
  });

  it('spaces request starts by the interval across limiters', async () => {
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await (i % 2 ? a : b).acquire('spaced.example', { minIntervalMs: 60, maxConcurrent: 8 });
        starts.push(now());
        release();
      }),
    );
    starts.sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(55);
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
    // The holder's process dies: no release, no renewal.
    clients.at(-1)!.disconnect();
    const t0 = now();
    const release = await b.acquire('crash.example', { minIntervalMs: 0, maxConcurrent: 1 });
    const waited = now() - t0;
    release();
    expect(waited).toBeGreaterThan(250);
    expect(waited).toBeLessThan(2_000);
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
  }, 10_000);

  it('a deferral (Retry-After) on one limiter holds back the others', async () => {
    const r = await a.acquire('deferred.example', { minIntervalMs: 0, maxConcurrent: 1 });
    r();
    a.defer('deferred.example', 300);
    await a.flush();
    const t0 = now();
    const release = await b.acquire('deferred.example', { minIntervalMs: 0, maxConcurrent: 1 });
    release();
    expect(now() - t0).toBeGreaterThanOrEqual(280);
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
