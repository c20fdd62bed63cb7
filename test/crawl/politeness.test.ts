import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InProcessHostLimiter, minIntervalMs } from '../../src/crawl/politeness.js';


describe('minIntervalMs', () => {
  it('takes the slower of the rate limit and the robots Crawl-delay, capping absurd delays', () => {
    expect(minIntervalMs(2)).toBe(500);
    expect(minIntervalMs(10, 1500)).toBe(1500);
    expect(minIntervalMs(0.5, 100)).toBe(2000);
    expect(minIntervalMs(1, 3_600_000)).toBe(60_000);
  });
});

// On a fake clock: the limiter's decisions at exact times, whatever the machine's load.
describe('InProcessHostLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const clock = () => Date.now();
  const t0 = () => Date.now();

  it('spaces request starts on one host by the interval, hosts independently', async () => {
    const lim = new InProcessHostLimiter(clock);
    const start = t0();
    const starts: Record<string, number[]> = { a: [], b: [] };
    const all = Promise.all(
      ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'].map(async (h) => {
        const release = await lim.acquire(h, { minIntervalMs: 60, maxConcurrent: 4 });
        starts[h]!.push(clock() - start);
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await all;
    // +1: the limiter's timers wait a millisecond past the interval (timers may fire early).
    for (const h of ['a', 'b']) {
      expect(starts[h]![0]).toBe(0); // independent hosts: b did not wait behind a
      const gaps = starts[h]!.slice(1).map((t, i) => t - starts[h]![i]!);
      for (const g of gaps) expect(g).toBeGreaterThanOrEqual(60);
      for (const g of gaps) expect(g).toBeLessThanOrEqual(61);
    }
  });

  it('never has more than maxConcurrent in flight on a host', async () => {
    const lim = new InProcessHostLimiter(clock);
    let inFlight = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 8 }, async () => {
        const release = await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 2 });
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(200);
    await all;
    expect(peak).toBe(2);
  });

  it('with reportsSend, the interval runs from the actual send and no slot is granted before it', async () => {
    const lim = new InProcessHostLimiter(clock);
    const opts = { minIntervalMs: 100, maxConcurrent: 4, reportsSend: true };
    const start = t0();
    const first = await lim.acquire('h', opts);
    let second: number | null = null;
    const next = lim.acquire('h', opts).then((r) => ((second = clock() - start), r));
    // The first request is slow to go out (DNS, connect): 250 ms, well past its 100 ms interval.
    await vi.advanceTimersByTimeAsync(250);
    expect(second).toBeNull();
    first.sent!();
    await vi.advanceTimersByTimeAsync(99);
    expect(second).toBeNull();
    await vi.advanceTimersByTimeAsync(2);
    (await next)();
    first();
    expect(second).toBeGreaterThanOrEqual(350);
    expect(second).toBeLessThanOrEqual(351);
  });

  it('a slot released without a send frees the next one', async () => {
    const lim = new InProcessHostLimiter(clock);
    const opts = { minIntervalMs: 0, maxConcurrent: 1, reportsSend: true };
    (await lim.acquire('h', opts))(); // e.g. the connection was refused
    (await lim.acquire('h', opts))();
  });

  it('defer pushes the next slot back (Retry-After)', async () => {
    const lim = new InProcessHostLimiter(clock);
    (await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }))();
    const start = t0();
    lim.defer('h', 150);
    let granted: number | null = null;
    const next = lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }).then((r) => ((granted = clock() - start), r));
    await vi.advanceTimersByTimeAsync(149);
    expect(granted).toBeNull();
    await vi.advanceTimersByTimeAsync(2);
    (await next)();
    expect(granted).toBeGreaterThanOrEqual(150);
  });

  it('a waiter can be aborted', async () => {
    const lim = new InProcessHostLimiter(clock);
    const hold = await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 });
    const ac = new AbortController();
    const waiting = lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1, signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    hold();
    (await lim.acquire('h', { minIntervalMs: 0, maxConcurrent: 1 }))();
  });
});
