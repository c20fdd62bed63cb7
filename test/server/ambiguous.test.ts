/**
 * A record flagged by `ambiguous_cells` shows the cells in question on its source table, though
 * they are left out of the values and have no provenance in the record: the demo portal's
 * flattened text report (crawled the real way) and a real flattened dump (平潭综合实验区 2023,
 * with the shared material). HTTP + cheerio, no browser, no Redis.
 */
import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStage } from '../../src/pipeline/stages.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { request } from './helpers.js';
import { addFetched, makeWorld, type World } from './world.js';

const TOKEN = 'ambiguous-test-token-0123456789abc';
const PINGTAN = 'https://reports.example.gov.cn/zwgk/2024/pingtan-2023.txt';
const DEMO_FLAT = '/zwgk/ndbg/202401/t20240125_4102.txt';

let world: World;
let app: RunningServer;

beforeAll(async () => {
  world = await makeWorld();
  if (sharedAvailable()) {
    await addFetched(world.ctx, PINGTAN, readFileSync(sharedPath('real-flattened', 'pingtan-2023.txt')), 'text/plain; charset=utf-8');
    await extractStage(world.ctx, PINGTAN);
  }
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, loopbackOnly: true, auth: { token: TOKEN }, reextract: { kind: 'inline', ctx: world.ctx } }), { host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await app?.close(1000);
  await world?.close();
});

async function expectMarked(url: string): Promise<void> {
  const stored = (await world.ctx.store.getRecord(url))!;
  expect(stored.record.status).toBe('flagged');
  const left = stored.record.issues.find((i) => i.code === 'ambiguous_cells')?.fields ?? [];
  expect(left.length).toBeGreaterThan(0);
  for (const f of left) {
    expect(stored.record.values).not.toHaveProperty([f]);
    expect(stored.record.provenance ?? {}).not.toHaveProperty([f]);
  }

  const page = await request(`${app.url}/review/record?url=${encodeURIComponent(url)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(page.status).toBe(200);
  const $ = cheerio.load(page.body);
  const flagged = $('#source td.flagged').toArray();
  for (const f of left) {
    const td = flagged.map((el) => $(el)).find((c) => (c.attr('data-fields') ?? '').split(' ').includes(f));
    expect(td, `${f} is not marked on the source table`).toBeDefined();
    expect(td!.attr('title')).toContain(`${f} = (not read)`);
    expect(td!.attr('title')).toContain('ambiguous_cells');
    // The cell in question holds the digits the field would be read from, not a label.
    expect(td!.text()).toMatch(/\d{2,}/);
  }
  // Nothing else is red: every flagged cell holds a field an error issue names.
  const named = new Set(stored.record.issues.filter((i) => i.severity === 'error').flatMap((i) => i.fields ?? []));
  for (const el of flagged) expect(($(el).attr('data-fields') ?? '').split(' ').some((f) => named.has(f))).toBe(true);
}

describe('ambiguous cells on the record page', () => {
  it('the demo portal\'s flattened report: each left-out field is marked on its source cell', async () => {
    await expectMarked(world.portal.baseUrl + DEMO_FLAT);
  });

  it.skipIf(!sharedAvailable())('a real flattened dump (平潭 2023): each left-out field is marked on its source cell', async () => {
    await expectMarked(PINGTAN);
  });
});
