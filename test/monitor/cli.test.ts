/**
 * `nianbao run` leaves a run record and a morning summary; `nianbao status` reads them back with
 * an exit code a script can act on: 0 settled and healthy, 3 a portal broke, 1 no such crawl.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
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

  it('an unknown crawl exits 1', async () => {
    const st = await cli('status', '--data', data(), '--crawl', 'nope');
    expect(st).toMatchObject({ code: 1, err: expect.stringContaining('no crawl "nope"') });
  });
});
