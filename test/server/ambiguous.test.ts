/**
 * A record flagged by `ambiguous_cells` (a real flattened dump: 平潭综合实验区 2023) shows the
 * cells in question on its source table, though they are left out of the values and have no
 * provenance in the record. HTTP + cheerio, no browser, no Redis.
 */
import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { extractStage } from '../../src/pipeline/stages.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { request } from './helpers.js';
import { addFetched, makeWorld, type World } from './world.js';

const TOKEN = 'ambiguous-test-token-0123456789abc';
const URL_ = 'https://reports.example.gov.cn/zwgk/2024/pingtan-2023.txt';

let world: World;
let app: RunningServer;

describe.skipIf(!sharedAvailable())('ambiguous cells on the record page', () => {
  beforeAll(async () => {
    world = await makeWorld({ crawl: false });
    await addFetched(world.ctx, URL_, readFileSync(sharedPath('real-flattened', 'pingtan-2023.txt')), 'text/plain; charset=utf-8');
    await extractStage(world.ctx, URL_);
    app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, loopbackOnly: true, auth: { token: TOKEN }, reextract: { kind: 'inline', ctx: world.ctx } }), { host: '127.0.0.1', port: 0 });
  }, 120_000);

  afterAll(async () => {
    await app?.close(1000);
    await world?.close();
  });

  it('marks every left-out field on a source cell, flagged, with no value shown for it', async () => {
    const stored = (await world.ctx.store.getRecord(URL_))!;
    const issue = stored.record.issues.find((i) => i.code === 'ambiguous_cells')!;
    expect(issue).toBeDefined();
    const left = issue.fields ?? [];
    expect(left.length).toBeGreaterThan(0);
    for (const f of left) {
      expect(stored.record.values).not.toHaveProperty([f]);
      expect(stored.record.provenance ?? {}).not.toHaveProperty([f]);
    }

    const page = await request(`${app.url}/review/record?url=${encodeURIComponent(URL_)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.body);
    const shown = new Map<string, string[]>();
    for (const td of $('#source td.flagged').toArray()) {
      for (const f of ($(td).attr('data-fields') ?? '').split(' ')) shown.set(f, [...(shown.get(f) ?? []), $(td).text()]);
    }
    for (const f of left) {
      expect(shown.has(f), `${f} is not marked on the source table`).toBe(true);
      const td = $(`#source td.flagged`).filter((_, el) => ($(el).attr('data-fields') ?? '').split(' ').includes(f)).first();
      expect(td.attr('title')).toContain(`${f} = (not read)`);
      expect(td.attr('title')).toContain('ambiguous_cells');
      // A cell in question holds digits: it is a value cell of the table, not a label.
      expect(td.text()).toMatch(/\d/);
    }
  });
});
