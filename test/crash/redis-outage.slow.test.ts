/**
 * A Redis outage longer than the job lock, against real processes (`nianbao worker` ×2 on a
 * redis-server of the test's own and PostgreSQL, crawling the sample portal), with the
 * persistence docker-compose.yml gives Redis: `--appendonly yes`, `appendfsync everysec`.
 *
 * Redis is killed (SIGKILL) while an extraction is held mid-way, stays down three times the lock
 * (4 s), and is started again on the same port and directory, reloading its append-only file.
 * The held extraction stores its record while Redis is down; its worker's report of the
 * completion waits in ioredis's offline queue and reaches a Redis where the job's lock has
 * expired. The job is then a stalled one: put back and extracted again, and the store, keyed by
 * URL, keeps one record. The shared Redis at 127.0.0.1:6379 is never touched.
 */
import { execFileSync } from 'node:child_process';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { enqueueCrawl, type Queues } from '../../src/queue/queue.js';
import { waitIdle } from '../queue/harness.js';
import { completesIn, completions, crashBase, crashEnv, expectCompletedOnce, expectStoreMatches, heldJob, isAlive, releasableHold, waitFor } from './helpers.js';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer) console.warn('skipping test/crash/redis-outage.slow.test.ts: redis-server is not installed');

const LOCK_MS = 4000;
const LOCKS = { NIANBAO_LOCK_DURATION_MS: String(LOCK_MS), NIANBAO_STALLED_INTERVAL_MS: '1000' };
const OUTAGE_MS = 3 * LOCK_MS;
/**
 * Under everysec Redis may keep writes in its own buffer for up to 2 s while an earlier fsync is
 * still running (a busy disk: "Asynchronous AOF fsync is taking too long"), and a SIGKILL loses
 * that buffer: only what it was told longer ago than that is sure to be in the file.
 */
const AOF_SURE_MS = 2500;
/**
 * A's holds: long enough that Redis is surely killed before one ends (the release file ends
 * them then), short enough that A moves on from a report failing for good.
 */
const HOLD_MS = 15_000;
const QUEUES = ['discover', 'fetch', 'extract'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Seen = { state: string; finishedOn?: number };

/** Every job of every queue, by `queue:id`, with its state and finish time. */
async function jobTable(queues: Queues): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>();
  for (const q of QUEUES) {
    const jobs: Job[] = await queues[q].getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'waiting-children'], 0, -1);
    for (const j of jobs) {
      if (!j?.id) continue;
      const state = await j.getState();
      // A job listed while active and completed before its state was asked has no finishedOn in
      // the copy listed: read it again (CI met this race once).
      const finishedOn = state === 'completed' && j.finishedOn === undefined ? (await queues[q].getJob(j.id))?.finishedOn : j.finishedOn;
      out.set(`${q}:${j.id}`, { state, finishedOn });
    }
  }
  return out;
}

/** How many times a worker's log says it completed this job ("<queue> <id> done …"). */
const doneLines = (outputs: string, queue: string, id: string) => outputs.split('\n').filter((l) => l.includes(` ${queue} ${id} done `)).length;

describe.skipIf(!hasRedisServer)('a Redis outage longer than the job lock (appendfsync everysec)', () => {
  const base = crashBase();
  const env = crashEnv(base, 'redis-outage', { privateRedis: { appendfsync: 'everysec' } });

  it('the workers reconnect on their own, the job finished during the outage runs again, and the crawl stores what local mode stores', async () => {
    const { queues, redis } = env;
    const server = env.privateRedis!;
    // A holds its extractions (two at once) until Redis is down; B does not hold.
    const hold = releasableHold(base, 'redis-outage', HOLD_MS);
    const a = env.spawn({ concurrency: 2, env: { ...LOCKS, ...hold.env } });
    const b = env.spawn({ concurrency: 1, env: LOCKS });
    await Promise.all([a.ready, b.ready]);
    await enqueueCrawl(queues, ['demo', 'demo-js'], 'redis-outage');

    const held = await heldJob(queues, [a], completesIn(base.reference));
    // What Redis holds longer than AOF_SURE_MS before the kill: on disk under everysec.
    const before = await jobTable(queues);
    await sleep(AOF_SURE_MS);
    const last = await jobTable(queues);
    await server.kill();
    const down = Date.now();
    const store = await env.db.open();
    try {
      // Still held: the scenario is a completion reported to a Redis that is down, not one done before.
      expect(await store.getRecord(held.job.data.url), `the hold of ${held.job.id} ended before Redis was killed\n${env.outputs()}`).toBeNull();
      hold.release();
      await waitFor('the held extraction to store its record while Redis is down', () => store.getRecord(held.job.data.url), 30_000, env.outputs);
    } finally {
      await store.close();
    }
    const storedAt = Date.now();
    expect(storedAt - down, 'the record is stored within the outage').toBeLessThan(OUTAGE_MS);
    await sleep(down + OUTAGE_MS - Date.now());
    expect(server.proc!.signalCode).toBe('SIGKILL');
    await server.restart();
    const up = Date.now();
    console.log(`redis-outage: Redis down ${((up - down) / 1000).toFixed(1)} s (lock ${LOCK_MS / 1000} s)`);

    // Nothing written AOF_SURE_MS before the kill is lost.
    const after = await jobTable(queues);
    const lost = [...before.keys()].filter((k) => !after.has(k));
    expect(lost, env.outputs()).toEqual([]);
    // And nothing finished then is run again.
    for (const [k, s] of before) if (s.state === 'completed') expect(after.get(k), k).toEqual(s);
    // The last seconds are at risk: a write Redis postponed is lost with the process (what it had
    // written survives in the kernel's page cache unless the machine goes down too). Said, not
    // asserted — either way the checks below hold (a job lost is run again by its parent's rerun).
    const lastLost = [...last.keys()].filter((k) => !after.has(k)).length;
    const lastUndone = [...last].filter(([k, s]) => s.state === 'completed' && after.get(k)?.state !== 'completed').length;
    console.log(`redis-outage: of the jobs written in the last ${AOF_SURE_MS / 1000} s before the kill, ${lastLost} lost, ${lastUndone} completions lost`);

    await waitIdle(queues, 90_000);
    const settled = Date.now();
    // Both workers rode the outage out: the same processes, still running.
    for (const w of [a, b]) expect(isAlive(w.pid) && w.child.exitCode === null, env.outputs()).toBe(true);

    // The held job: stored during the outage, its completion refused for want of the lock,
    // put back by a stalled-job check and extracted again once.
    const job = (await queues.extract.getJob(held.job.id!))!;
    const detail = `${JSON.stringify(job.toJSON())}\n${env.outputs()}`;
    expect(await job.getState(), detail).toBe('completed');
    expect(job.finishedOn, detail).toBeGreaterThan(up);
    expect(job.stalledCounter, detail).toBe(1);
    expect(job.attemptsStarted, detail).toBe(2);
    expect((await completions(redis, queues, 'extract')).get(job.id!), detail).toBe(1);
    expect(doneLines(env.outputs(), 'extract', job.id!), detail).toBe(1);
    // Refused either way the lock went: expired and gone ("Missing lock"), or already taken by
    // the worker that picked the stalled job up first ("Lock mismatch … Cmd moveToFinished"; CI met this).
    expect(a.output(), detail).toMatch(new RegExp(`(Missing lock|Lock mismatch) for job ${job.id}\\.( Cmd)? moveToFinished`));
    console.log(
      `redis-outage: held job ${job.id} taken again ${((job.processedOn! - up) / 1000).toFixed(1)} s and completed ${((job.finishedOn! - up) / 1000).toFixed(1)} s after Redis came back (by ${job.processedBy === a.name ? 'A' : 'B'}); crawl idle ${((settled - up) / 1000).toFixed(1)} s after it`,
    );

    // Every job completed once, the store holds exactly local mode's records, one row each.
    await expectCompletedOnce(redis, queues, env.outputs());
    await expectStoreMatches(env.db, queues, base.reference);

    expect(await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]), env.outputs()).toEqual([0, 0]);
  }, 180_000);
});
