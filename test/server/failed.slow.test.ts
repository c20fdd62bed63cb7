/**
 * /failed tells the same story as the run summary: every failure of a real crawl of the offline
 * sample portal — an article page answering 404 (the report behind it is never found), a corrupt
 * PDF, a report in the pre-2019 format — is listed, with its stage and reason. The failed page is
 * stored by the discover stage, which local runs and discover workers share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePortals } from '../../src/demo/portal-config.js';
import { type PortalServer, startPortalServer } from '../../src/demo/portal-server.js';
import { openContext, type OpenContext } from '../../src/pipeline/context.js';
import { runLocal } from '../../src/pipeline/local.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { openStore } from '../../src/store/index.js';
import { request } from './helpers.js';

const TOKEN = 'failed-test-token-0123456789abcdef';

let dir: string;
let portal: PortalServer;
let ctx: OpenContext;
let summary: RunSummary;
let app: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-failed-'));
  portal = await startPortalServer();
  const portals = await samplePortals(portal.baseUrl);
  const store = await openStore({ url: join(dir, 'nianbao.sqlite'), env: {} });
  ctx = await openContext({ portals, dataDir: dir, store });
  summary = await runLocal(ctx, { portals });
  app = await listen(createApp({ store, artifacts: ctx.artifacts, auth: { token: TOKEN }, reextract: { kind: 'none', why: 'test' }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await ctx?.store.close();
  await portal?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('/failed and the run summary agree', () => {
  it('the store lists every failure the summary reported, a 404 article page included', async () => {
    const key = (f: { stage: string; url: string }) => `${f.stage} ${f.url}`;
    expect(summary.failures.some((f) => f.stage === 'discover' && f.reason === 'http_404')).toBe(true);
    const listed = await ctx.store.listFailed();
    expect(listed.map(key).sort()).toEqual(summary.failures.map(key).sort());
    const notFound = listed.find((f) => f.stage === 'discover')!;
    expect(notFound).toMatchObject({ code: 'http_404', portalId: expect.any(String) });
  });

  it('the page shows each of them with its stage and reason', async () => {
    const $ = cheerio.load((await request(`${app.url}/failed`, { headers: { authorization: `Bearer ${TOKEN}` } })).body);
    expect($('#failed tbody tr').length).toBe(summary.failures.length);
    for (const f of summary.failures) {
      const row = $(`#failed tr[data-url="${f.url}"][data-stage="${f.stage}"]`);
      expect(row.length, f.url).toBe(1);
      expect(row.text()).toContain(f.reason);
    }
    expect($('#failed-counts').text()).toMatch(/^1 failed page .*, 0 failed fetches, 2 failed extractions/);
  });
});
