/**
 * Re-running failed jobs from bull-board on the real Redis: one failed job re-runs fresh (its
 * attempts reset, so it gets its retries and backoff again), and "retry all" moves thousands of
 * failed jobs back to waiting. Both through bull-board's own HTTP API, behind the app's auth.
 */
import { type Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/index.js';
import { createApp, listen, openQueues, type RunningServer, type UiQueues } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { deletePrefix, eventually, REDIS, request, testPrefix } from './helpers.js';

const TOKEN = 'board-test-token-0123456789abcdef';
const bearer = { authorization: `Bearer ${TOKEN}`, accept: 'application/json' };

let prefix: string;
let queues: UiQueues;
let app: RunningServer;

/** A worker on the test's extract queue whose every job fails; closed by the caller. */
function failingWorker(concurrency = 1): Worker {
  return new Worker('extract', async (): Promise<void> => {
    throw new Error('converter_missing: LibreOffice is not installed');
  }, { connection: REDIS, prefix, concurrency });
}

beforeAll(async () => {
  prefix = testPrefix('ui-board');
  queues = openQueues({ connection: REDIS, prefix });
  // The board needs no store: these tests never touch the review pages.
  const unused = {} as Store;
  app = await listen(createApp({ store: unused, artifacts: {} as ArtifactStore, auth: { token: TOKEN }, queues, reextract: { kind: 'queue', queues }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  const steps = [() => app?.close(1000), () => queues?.close(), () => prefix && deletePrefix(prefix)];
  for (const step of steps) await Promise.resolve(step()).catch((err) => console.error('cleanup:', err));
});

const counters = (job: Job | undefined) => ({ attemptsMade: job?.attemptsMade, attemptsStarted: job?.attemptsStarted });

describe('re-running one failed job', () => {
  it('the installed BullMQ keeps attemptsMade on a plain job.retry() — why the board needs its adapter', async () => {
    const job = await queues.extract.add('extract', { url: 'https://x.gov.cn/plain', sha256: 'a'.repeat(64) }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    const w = failingWorker();
    await eventually(async () => (await job.getState()) === 'failed', 15_000, 'the job to fail twice');
    await w.close();
    const failed = (await queues.extract.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(2);
    await failed.retry('failed');
    const after = (await queues.extract.getJob(job.id!))!;
    expect(await after.getState()).toBe('waiting');
    expect(after.attemptsMade).toBe(2);
    await after.remove();
  });

  it("bull-board's Retry starts it fresh: attempts reset, so it gets all its attempts again", async () => {
    const job = await queues.extract.add('extract', { url: 'https://x.gov.cn/fresh', sha256: 'b'.repeat(64) }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    let w = failingWorker();
    await eventually(async () => (await job.getState()) === 'failed', 15_000, 'the job to fail twice');
    await w.close();
    expect((await queues.extract.getJob(job.id!))!.attemptsMade).toBe(2);

    const r = await request(`${app.url}/queues/api/queues/extract/${job.id}/retry`, { method: 'PUT', headers: bearer });
    expect(r.status).toBe(204);
    const retried = (await queues.extract.getJob(job.id!))!;
    expect(await retried.getState()).toBe('waiting');
    expect(counters(retried)).toEqual({ attemptsMade: 0, attemptsStarted: 0 });
    expect(retried.failedReason ?? null).toBeNull();
    // An extract job re-run from the board re-extracts even if a (failed) record of its bytes is stored.
    expect(retried.data).toEqual({ url: 'https://x.gov.cn/fresh', sha256: 'b'.repeat(64), force: true });

    // Run again (still failing): it is retried with backoff once more before it fails, i.e. two attempts, not one.
    const attempts: number[] = [];
    w = failingWorker();
    w.on('failed', (j) => {
      if (j && j.id === job.id) attempts.push(j.attemptsMade);
    });
    await eventually(async () => (await job.getState()) === 'failed' && attempts.length === 2, 15_000, 'two fresh attempts');
    await w.close();
    expect(attempts).toEqual([1, 2]);
  });
});

describe('re-running all failed jobs', () => {
  it('moves 2,000 failed jobs back to waiting, all with fresh attempts', async () => {
    const N = 2000;
    await queues.extract.obliterate({ force: true });
    await queues.extract.addBulk(Array.from({ length: N }, (_, i) => ({ name: 'extract', data: { url: `https://x.gov.cn/${i}`, sha256: 'c'.repeat(64) }, opts: { jobId: `bulk-${i}`, attempts: 1 } })));
    const w = failingWorker(200);
    await eventually(async () => (await queues.extract.getJobCounts('failed')).failed === N, 60_000, `${N} failed jobs`);
    await w.close();

    const t0 = Date.now();
    const r = await request(`${app.url}/queues/api/queues/extract/retry/failed`, { method: 'PUT', headers: bearer });
    const took = Date.now() - t0;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ retried: N, skipped: 0 });
    const counts = await queues.extract.getJobCounts('failed', 'waiting', 'active');
    expect(counts).toEqual({ failed: 0, waiting: N, active: 0 });
    for (const i of [0, 999, N - 1]) expect(counters(await queues.extract.getJob(`bulk-${i}`))).toEqual({ attemptsMade: 0, attemptsStarted: 0 });
    expect(took).toBeLessThan(30_000);
  }, 120_000);
});

describe('the board shows the queues', () => {
  it('lists discover, fetch and extract with their counts', async () => {
    const r = await request(`${app.url}/queues/api/queues`, { headers: bearer });
    expect(r.status).toBe(200);
    const names = (JSON.parse(r.body) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['discover', 'extract', 'fetch']);
    // Not some other run's queues: the Queue objects use this test's prefix.
    expect(queues.extract.qualifiedName).toBe(`${prefix}:extract`);
  });
});
