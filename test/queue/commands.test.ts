/**
 * `nianbao schedule` and `nianbao crawl` against the real Redis: the nightly job scheduler with
 * its next run shown in Asia/Shanghai, its fan-out into one discover job per portal, and
 * deterministic job ids — the same crawl enqueued twice is one set of jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { getCrawlRun, listItems } from '../../src/monitor/ledger.js';
import type { StageContext } from '../../src/pipeline/stages.js';
import { openStore } from '../../src/store/index.js';
import { redisClient, redisConnection } from '../../src/queue/connection.js';
import { formatInZone, nextRun, upsertNightlyCrawl } from '../../src/queue/job-scheduler.js';
import { type DiscoverJob, type FanoutJob, NIGHTLY_SCHEDULER_ID, crawlIdFor, failureCode, jobId } from '../../src/queue/jobs.js';
import { discoverProcessor } from '../../src/queue/processors.js';
import { type Queues, openQueues } from '../../src/queue/queue.js';
import { REDIS_URL, deletePrefix, testPrefix, writeSampleConfig } from './harness.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'nianbao', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('next run of the nightly crawl', () => {
  it('is 02:00 China Standard Time, the next one after now', () => {
    // 02:30 on 21 January in Shanghai: tonight's run is past, the next is 02:00 on the 22nd.
    const next = nextRun('0 2 * * *', 'Asia/Shanghai', new Date('2025-01-20T18:30:00Z'));
    expect(next.toISOString()).toBe('2025-01-21T18:00:00.000Z');
    expect(formatInZone(next, 'Asia/Shanghai')).toBe('2025-01-22 02:00:00 Asia/Shanghai (2025-01-21T18:00:00.000Z)');
    // 01:59 in Shanghai: one minute to go.
    expect(nextRun('0 2 * * *', 'Asia/Shanghai', new Date('2025-01-20T17:59:00Z')).toISOString()).toBe('2025-01-20T18:00:00.000Z');
    // Another zone and pattern.
    expect(nextRun('30 3 * * 1', 'Europe/Berlin', new Date('2025-07-01T00:00:00Z')).toISOString()).toBe('2025-07-07T01:30:00.000Z');
  });

  it('rejects a bad pattern or zone with a reason code', () => {
    expect(() => nextRun('not a cron', 'Asia/Shanghai')).toThrow(/^invalid_cron: /);
    expect(() => nextRun('0 2 * * *', 'Mars/Olympus')).toThrow(/^invalid_tz: /);
  });

  it('names a crawl by its date in the zone', () => {
    expect(crawlIdFor('nightly', Date.parse('2025-01-21T18:00:00Z'), 'Asia/Shanghai')).toBe('nightly-2025-01-22');
    expect(crawlIdFor('manual', Date.parse('2025-01-21T15:59:00Z'), 'Asia/Shanghai')).toBe('manual-2025-01-21');
  });
});

describe('schedule and crawl commands', () => {
  const prefix = testPrefix('cmd');
  let tmp: string;
  let config: string;
  let queues: Queues;
  let redis: Redis;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-cmd-'));
    config = writeSampleConfig('http://127.0.0.1:9', tmp);
    queues = openQueues({ connection: redisConnection(REDIS_URL), prefix });
    redis = redisClient(redisConnection(REDIS_URL));
  });

  afterAll(async () => {
    await queues.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('`nianbao schedule` registers the nightly job scheduler and prints its next run in Asia/Shanghai', async () => {
    const before = Date.now();
    const r = await cli('schedule', '--config', config, '--redis', REDIS_URL, '--prefix', prefix);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const scheduler = await queues.discover.getJobScheduler(NIGHTLY_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: '0 2 * * *', tz: 'Asia/Shanghai' });
    const expected = nextRun('0 2 * * *', 'Asia/Shanghai', before);
    expect(scheduler!.next).toBe(expected.getTime());
    expect(r.out).toContain(`Next run: ${formatInZone(expected, 'Asia/Shanghai')}`);
    expect(r.out).toMatch(/Next run: \d{4}-\d\d-\d\d 02:00:00 Asia\/Shanghai/);
    // The scheduler's next job waits in the delayed set until then.
    const delayed = await queues.discover.getJobs(['delayed']);
    expect(delayed.map((j) => [j.name, j.timestamp + j.delay])).toEqual([['fanout', expected.getTime()]]);
  });

  it('running it again replaces the schedule instead of adding one', async () => {
    const r = await cli('schedule', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--cron', '15 3 * * *', '--tz', 'Asia/Shanghai');
    expect(r.code).toBe(0);
    expect(await queues.discover.getJobSchedulersCount()).toBe(1);
    expect(await queues.discover.getJobScheduler(NIGHTLY_SCHEDULER_ID)).toMatchObject({ pattern: '15 3 * * *' });
    expect(r.out).toMatch(/Next run: \d{4}-\d\d-\d\d 03:15:00 Asia\/Shanghai/);
    expect((await queues.discover.getJobs(['delayed'])).length).toBe(1);
  });

  it('a bad cron is a usage error with its reason', async () => {
    const r = await cli('schedule', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--cron', '99 99 * * *');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid_cron/);
  });

  it('the scheduled job fans out one discover job per configured portal, under the night’s crawl id', async () => {
    const s = await upsertNightlyCrawl(queues, {});
    const [job] = (await queues.discover.getJobs(['delayed'])) as Job<FanoutJob>[];
    expect(job!.name).toBe('fanout');
    const store = await openStore({ url: join(mkdtempSync(join(tmpdir(), 'nianbao-fanout-')), 'nianbao.sqlite'), env: {} });
    const ctx = { store, portals: new Map([['demo', {}], ['demo-js', {}]]) } as unknown as StageContext;
    const summary = await discoverProcessor({ ctx, queues })(job as Job<DiscoverJob | FanoutJob>);
    const crawl = crawlIdFor('nightly', s.next.getTime(), 'Asia/Shanghai');
    expect(summary).toEqual({ crawl, portals: ['demo', 'demo-js'], added: 2 });
    // The night's run record exists before any of its jobs runs, every portal pending discovery.
    expect(await getCrawlRun(store, crawl)).toMatchObject({ crawlId: crawl, mode: 'distributed', status: 'running', portals: ['demo', 'demo-js'] });
    expect((await listItems(store, crawl)).map((i) => [i.stage, i.key, i.state])).toEqual([['discover', 'demo', 'pending'], ['discover', 'demo-js', 'pending']]);
    const waiting = (await queues.discover.getJobs(['waiting'])) as Job<DiscoverJob>[];
    expect(waiting.map((j) => j.id).sort()).toEqual([jobId.discover({ portalId: 'demo', crawl }), jobId.discover({ portalId: 'demo-js', crawl })].sort());
    // The same night fanned out twice (a retry) adds nothing.
    expect(await discoverProcessor({ ctx, queues })(job as Job<DiscoverJob | FanoutJob>)).toMatchObject({ added: 0 });
    await queues.discover.drain(true);
    await store.close();
  });

  it('`nianbao crawl` twice with the same crawl id creates no duplicate jobs', async () => {
    const first = await cli('crawl', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--crawl', 'same');
    expect(first.code).toBe(0);
    expect(first.out).toContain('Crawl same: 2 discover jobs queued.');
    const second = await cli('crawl', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--crawl', 'same');
    expect(second.code).toBe(0);
    expect(second.out).toContain('Crawl same: 0 discover jobs queued, 2 already queued or done');
    const jobs = await queues.discover.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const ids = jobs.filter((j) => j.name === 'discover').map((j) => j.id);
    expect(ids.sort()).toEqual([jobId.discover({ portalId: 'demo', crawl: 'same' }), jobId.discover({ portalId: 'demo-js', crawl: 'same' })].sort());
    // One portal alone, and an unknown one.
    expect((await cli('crawl', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--crawl', 'same', '--portal', 'demo')).out).toContain('0 discover jobs queued, 1 already');
    const bad = await cli('crawl', '--config', config, '--redis', REDIS_URL, '--prefix', prefix, '--portal', 'nowhere');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no portal nowhere');
  });

  it('bad worker options are usage errors', async () => {
    expect((await cli('worker', '--queues', 'fetch,nope')).code).toBe(2);
    expect((await cli('worker', '--concurrency', '0')).code).toBe(2);
    expect((await cli('worker', '--sandbox', 'vm', '--config', config)).code).toBe(2);
  });

  it('failureCode reads the reason code off a failedReason', () => {
    expect(failureCode('http_404: https://x/y returned 404')).toBe('http_404');
    expect(failureCode('corrupt: Extraction failed: bad xref')).toBe('corrupt');
    expect(failureCode('Unexpected exit code: 1')).toBeNull();
    expect(failureCode(undefined)).toBeNull();
  });
});
