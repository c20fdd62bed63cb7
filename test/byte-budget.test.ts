/** The bound on the bytes of documents held at once by `extract` and the local `run` (src/pool/byte-budget.ts). */
import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../src/pool/byte-budget.js';

/** Tasks of the given sizes through one budget, each ending when the test says; what was held at once. */
function harness(limit: number) {
  const budget = new ByteBudget(limit);
  let held = 0;
  let peak = 0;
  const started: number[] = [];
  const finish = new Map<number, () => void>();
  const start = (id: number, bytes: number) =>
    budget.run(bytes, async () => {
      held += bytes;
      peak = Math.max(peak, held);
      started.push(id);
      await new Promise<void>((r) => finish.set(id, r));
      held -= bytes;
      return id;
    });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { start, finish, started, tick, peak: () => peak };
}

describe('ByteBudget', () => {
  it('holds no more than its limit, in arrival order', async () => {
    const h = harness(100);
    const tasks = [h.start(1, 60), h.start(2, 30), h.start(3, 50), h.start(4, 10)];
    await h.tick();
    // 3 does not fit beside 1 and 2, and 4, though small, waits behind it.
    expect(h.started).toEqual([1, 2]);
    h.finish.get(1)!();
    await h.tick();
    expect(h.started).toEqual([1, 2, 3, 4]);
    for (const id of [2, 3, 4]) h.finish.get(id)!();
    expect(await Promise.all(tasks)).toEqual([1, 2, 3, 4]);
    expect(h.peak()).toBeLessThanOrEqual(100);
  });

  it('runs a file larger than the whole budget alone', async () => {
    const h = harness(100);
    const tasks = [h.start(1, 10), h.start(2, 500), h.start(3, 10)];
    await h.tick();
    expect(h.started).toEqual([1]);
    h.finish.get(1)!();
    await h.tick();
    expect(h.started).toEqual([1, 2]);
    h.finish.get(2)!();
    await h.tick();
    expect(h.started).toEqual([1, 2, 3]);
    h.finish.get(3)!();
    await Promise.all(tasks);
  });
});
