import { describe, expect, it } from 'vitest';
import { InProcessHostLimiter, minIntervalMs } from '../../src/crawl/politeness.js';

const now = () => performance.timeOrigin + performance.now();

describe('minIntervalMs', () => {
  it('takes the slower of the rate limit and the robots Crawl-delay, capping absurd delays', () => {
    expect(minIntervalMs(2)).toBe(500);
    expect(minIntervalMs(10, 1500)).toBe(1500);
    expect(minIntervalMs(0.5, 100)).toBe(2000);
    expect(minIntervalMs(1, 3_600_000)).toBe(60_000);
  });
});

describe('InProcessHostLimiter', () => {
  it('spaces request starts on one host by the interval, hosts independently', async () => {
    const lim = new InProcessHostLimiter();
    const starts: Record<string, number[]> = { a: [], b: [] };
    await Promise.all(
      ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'].map(async (h) => {
        const release = await lim.acquire(h, { minIntervalMs: 60, maxConcurrent: 4 });
        starts[h]!.push(now());
        release();
      }),
    );
    for (const h of ['a', 'b']) {
      const s = starts[h]!;
      for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeGreaterThanOrEqual(59.5);
    }
    // Independent hosts: b did not wait behind a.
    expect(Math.abs(starts.a![0]! - starts.b![0]!)).toBeLessThan(30);
  });

  it('never has more than maxConcurrent in flight on a host', async () => {
    const lim = new InProcessHostLimiter();
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 2 });
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        release();
      }),
    );
    expect(peak).toBe(2);
  });

  it('with reportsSend, the interval runs from the actual send and no slot is granted before it', async () => {
    const lim = new InProcessHostLimiter();
    const opts = { minIntervalMs: 100, maxConcurrent: 4, reportsSend: true };
    const first = await lim.acquire('h', opts);
    const t0 = now();
    let second = 0;
    const next = lim.acquire('h', opts).then((r) => ((second = now()), r));
    // The first request is slow to go out (DNS, connect): 250 ms, well past its 100 ms interval.
    await new Promise((r) => setTimeout(r, 250));
    expect(second).toBe(0);
    first.sent!();
    const sentAt = now();
    (await next)();
    first();
    expect(second - sentAt).toBeGreaterThanOrEqual(99);
    expect(second - t0).toBeGreaterThanOrEqual(349);
  });

  it('a slot released without a send frees the next one', async () => {
    const lim = new InProcessHostLimiter();
    const opts = { minIntervalMs: 0, maxConcurrent: 1, reportsSend: true };
    (await lim.acquire('h', opts))(); // e.g. the connection was refused
    (await lim.acquire('h', opts))();
  });

  it('defer pushes the next slot back (Retry-After)', async () => {
    const lim = new InProcessHostLimiter();
    (await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }))();
    const t0 = now();
    lim.defer('h', 150);
    (await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }))();
    expect(now() - t0).toBeGreaterThanOrEqual(149);
  });

  it('a waiter can be aborted', async () => {
    const lim = new InProcessHostLimiter();
    const hold = await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 });
    const ac = new AbortController();
    const waiting = lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1, signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    hold();
    (await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }))();
  });
});
