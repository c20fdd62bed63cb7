/**
 * `nianbao run` leaves a run record and a morning summary; `nianbao status` reads them back with
 * an exit code a script can act on: 0 settled and healthy, 3 a portal broke, 1 no such crawl.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { openContext } from '../../src/pipeline/context.js';
import { createApp, listen } from '../../src/server/index.js';
import { openStore } from '../../src/store/index.js';
import { deletePrefix, request, testPrefix } from '../server/helpers.js';
import type { CrawlStatus } from '../../src/monitor/status.js';
import { type BrokenFarm, startBrokenFarm } from './broken-farm.js';

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['node', 'nianbao', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('nianbao run and nianbao status', () => {
  let farm: BrokenFarm;
  let dir: string;
  let config: string;
  const data = () => join(dir, 'data');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-status-'));
    farm = await startBrokenFarm(['healthy', 'forbidden']);
    config = farm.writeConfig(dir);
  });

  afterAll(async () => {
    await farm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a healthy night: the run prints its morning summary, status exits 0', async () => {
    farm.night = 1;
    const run = await cli('run', '-c', config, '--data', data(), '--no-progress', '--crawl', 'n1');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('nianbao crawl n1 (run 1, local): done');
    expect(run.out).toContain('portal alerts: none');
    expect(existsSync(join(data(), 'runs', 'n1.summary.json'))).toBe(true);
    const st = await cli('status', '--data', data());
    expect(st.code).toBe(0);
    expect(st.out).toContain('crawl n1 (run 1, local): done');
    expect(st.out).toMatch(/discover 2\/2 · fetch 4\/4 · extract 4\/4/);
  }, 60_000);

  it('the night a portal answers 403: status exits 3 and names the portal and the fault', async () => {
    farm.night = 2;
    expect((await cli('run', '-c', config, '--data', data(), '--no-progress', '--crawl', 'n2')).code).toBe(0);
    const st = await cli('status', '--data', data(), '--crawl', 'n2', '--wait', '--timeout', '5');
    expect(st.code).toBe(3);
    expect(st.out).toContain(`NEW  ${farm.portals[1]!.id}  listing_blocked`);
    const json = JSON.parse((await cli('status', '--data', data(), '--crawl', 'n2', '--json')).out) as CrawlStatus;
    expect(json).toMatchObject({ crawlId: 'n2', settled: true, stages: { fetch: { done: 2, failed: 2, pending: 0 } }, totals: { reportsFound: 2, fetchFailed: 2 } });
    expect(json.alerts.map((a) => a.kind)).toEqual(['listing_blocked']);
    // The night before is still what it was.
    expect((await cli('status', '--data', data(), '--crawl', 'n1')).code).toBe(0);
  }, 60_000);

  it('the UI shows the same numbers: /runs lists the crawls and the open alerts, /runs?crawl= one crawl', async () => {
    const store = await openStore({ url: join(data(), 'nianbao.sqlite'), env: {} });
    const ctx = await openContext({ portals: [], dataDir: data(), store });
    const token = 'runs-page-token-0123456789abcdef';
    const app = await listen(createApp({ store, artifacts: ctx.artifacts, auth: { token }, reextract: { kind: 'inline', ctx }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
    try {
      const auth = { authorization: `Bearer ${token}` };
      expect((await request(`${app.url}/runs`)).status).not.toBe(200);
      const list = cheerio.load((await request(`${app.url}/runs`, { headers: auth })).body);
      expect(list('#runs tr[data-crawl]').toArray().map((r) => list(r).attr('data-crawl'))).toEqual(['n2', 'n1']);
      expect(list('#alerts tbody tr').toArray().map((r) => [list(r).attr('data-portal'), list(r).attr('data-kind')])).toEqual([[farm.portals[1]!.id, 'listing_blocked']]);
      const one = cheerio.load((await request(`${app.url}/runs?crawl=n2`, { headers: auth })).body);
      expect(one('#run-status').text()).toBe('done');
      expect(one('#stages tbody tr').eq(1).find('td').toArray().map((td) => one(td).text())).toEqual(['fetch', '0', '2', '2']);
      expect(one(`#portals tr[data-portal="${farm.portals[1]!.id}"] td`).eq(4).text()).toBe('0');
      expect((await request(`${app.url}/runs?crawl=nope`, { headers: auth })).status).toBe(404);
    } finally {
      await app.close(1000);
      await ctx.close();
      await store.close();
    }
  });

  it('with --redis, status adds the queues’ waiting, delayed and active jobs', async () => {
    const prefix = testPrefix('status');
    try {
      const st = await cli('status', '--data', data(), '--crawl', 'n1', '--redis', 'redis://127.0.0.1:6379', '--prefix', prefix);
      expect(st.code).toBe(0);
      expect(st.out).toContain('queues (every crawl): discover 0 waiting, 0 delayed, 0 active · fetch 0 waiting');
      const json = JSON.parse((await cli('status', '--data', data(), '--crawl', 'n1', '--json', '--redis', 'redis://127.0.0.1:6379', '--prefix', prefix)).out);
      expect(json.queues.extract).toMatchObject({ waiting: 0, active: 0 });
    } finally {
      await deletePrefix(prefix);
    }
  });

  it('an unknown crawl exits 1', async () => {
    const st = await cli('status', '--data', data(), '--crawl', 'nope');
    expect(st).toMatchObject({ code: 1, err: expect.stringContaining('no crawl "nope"') });
  });
});
