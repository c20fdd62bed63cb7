/**
 * Re-extract with queues (distributed mode): the button queues a forced extract job; once a
 * worker has run it, the record's page says how it ended — the new and the old status, what
 * changed — and the Extracted time moves even when the record came out the same.
 */
import * as cheerio from 'cheerio';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStage } from '../../src/pipeline/stages.js';
import type { ExtractJob } from '../../src/queue/jobs.js';
import { csrfToken, SESSION_COOKIE, sessionValue } from '../../src/server/auth.js';
import { reextractor } from '../../src/server/reextract.js';
import { createApp, listen, openQueues, type RunningServer, type UiQueues } from '../../src/server/index.js';
import { deletePrefix, eventually, FORM, form, REDIS, request, testPrefix } from './helpers.js';
import { makeWorld, type World } from './world.js';

const TOKEN = 'reextract-queue-token-0123456789a';
const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;

let world: World;
let prefix: string;
let queues: UiQueues;
let worker: Worker<ExtractJob>;
let app: RunningServer;

beforeAll(async () => {
  world = await makeWorld({ crawl: false });
  prefix = testPrefix('ui-reextract-queue');
  queues = openQueues({ connection: REDIS, prefix });
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: TOKEN }, queues, reextract: { kind: 'queue', queues }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await worker?.close();
  await app?.close(1000);
  await queues?.close();
  if (prefix) await deletePrefix(prefix);
  await world?.close();
});

const page = async () => cheerio.load((await request(`${app.url}/review/record?url=${encodeURIComponent(world.flaggedUrl)}`, { headers: { cookie } })).body);

describe('Re-extract through the queues', () => {
  it('says the job is waiting, then, once a worker ran it, what it did', async () => {
    const before = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const r = await request(`${app.url}/review/reextract`, { method: 'POST', headers: { cookie, origin: app.url, 'content-type': FORM }, body: form({ url: world.flaggedUrl, csrf: csrfToken(TOKEN) }) });
    expect(r.status).toBe(303);
    const queued = cheerio.load((await request(app.url + r.headers.location, { headers: { cookie } })).body);
    expect(queued('#notice').text()).toMatch(/^Re-extraction queued as job extract_/);
    // No worker yet: the page says the job has not run.
    expect((await page())('#notice').text()).toMatch(/^The re-extraction job extract_\S+ is (waiting|prioritized|delayed)/);

    worker = new Worker<ExtractJob>('extract', async (job: Job<ExtractJob>) => extractStage(world.ctx, job.data.url, { force: job.data.force }), { connection: REDIS, prefix });
    const done = await eventually(async () => {
      const $ = await page();
      return $('#notice').text().startsWith('Re-extracted by the workers') ? $ : undefined;
    }, 30_000, 'the job to run');
    expect(done('#notice').text()).toMatch(/^Re-extracted by the workers: the record is now flagged \(was flagged\); no value changed, same issues\./);
    expect(done('#extracted-at').attr('data-at')! > before.extractedAt).toBe(true);
    // Said once.
    expect((await page())('#notice').length).toBe(0);
  });

  it('moves the Extracted time when the job completed between reading the job and asking its state', async () => {
    // The race CI met: the job read while still active (no finishedOn), its state read once done.
    const before = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const doc = await world.ctx.store.getDocument(world.flaggedUrl);
    const extract = staleOnce();
    const rx = reextractor({ kind: 'queue', queues: { extract } }, world.ctx.store);
    await worker.pause();
    const queued = await rx.run(world.flaggedUrl, doc);
    const id = /job (extract_\S+?);/.exec(queued.text)![1]!;
    await extract.serveStale(id);
    worker.resume();
    await eventually(async () => (await queues.extract.getJobState(id)) === 'completed', 30_000, 'the job to run');
    const notice = await rx.outcome(world.flaggedUrl, world.ctx.store);
    expect(notice?.text).toMatch(/^Re-extracted by the workers/);
    const after = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    expect(after.extractedAt > before.extractedAt).toBe(true);
  });

  it('gives the failure’s reason when the job failed between reading the job and asking its state', async () => {
    // The same race ending in failure: the copy read before has no failedReason yet.
    const doc = await world.ctx.store.getDocument(world.flaggedUrl);
    const extract = staleOnce();
    const rx = reextractor({ kind: 'queue', queues: { extract } }, world.ctx.store);
    await worker.pause();
    const failing = new Worker<ExtractJob>(
      'extract',
      async () => {
        throw new UnrecoverableError('converter_missing: LibreOffice went away');
      },
      { connection: REDIS, prefix, autorun: false },
    );
    try {
      const queued = await rx.run(world.flaggedUrl, doc);
      const id = /job (extract_\S+?);/.exec(queued.text)![1]!;
      await extract.serveStale(id);
      void failing.run();
      await eventually(async () => (await queues.extract.getJobState(id)) === 'failed', 30_000, 'the job to fail');
      const notice = await rx.outcome(world.flaggedUrl, world.ctx.store);
      expect(notice).toMatchObject({ kind: 'error', text: `The re-extraction job ${id} failed: converter_missing: LibreOffice went away.` });
    } finally {
      await failing.close();
      worker.resume();
    }
  });
});

/**
 * The extract queue, whose next getJob of the job named in serveStale answers the copy read
 * then (before the job ran), as a reader that lost the race to the worker would have it.
 */
function staleOnce(): UiQueues['extract'] & { serveStale(id: string): Promise<void> } {
  let stale: Job | undefined;
  const serveStale = async (id: string) => {
    stale = await queues.extract.getJob(id);
    expect(stale?.finishedOn).toBeUndefined();
    expect(stale?.failedReason).toBeUndefined();
  };
  return new Proxy(queues.extract, {
    get(target, key, receiver) {
      if (key === 'serveStale') return serveStale;
      if (key !== 'getJob') return Reflect.get(target, key, receiver);
      return async (id: string) => {
        if (stale?.id === id) {
          const job = stale;
          stale = undefined;
          return job;
        }
        return target.getJob(id);
      };
    },
  }) as UiQueues['extract'] & { serveStale(id: string): Promise<void> };
}
