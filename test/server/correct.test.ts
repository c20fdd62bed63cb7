/**
 * Correcting a flagged record over HTTP (the form a browser posts): the identities under the
 * reviewer's values, the override stored beside the record, the export giving the reviewed
 * value, and Re-extract (same bytes) keeping it. The record is the real extraction of a
 * generated report whose published totals break identities.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import { csrfToken, SESSION_COOKIE, sessionValue } from '../../src/server/auth.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { issueShort } from '../../src/server/phrases.js';
import { generateReport } from '../fixtures/report.js';
import { readCsv } from '../export/read.js';
import { FORM, form, request } from './helpers.js';
import { addFetched, flaggedReportHtml, makeWorld, type World } from './world.js';
import { extractStage } from '../../src/pipeline/stages.js';

const TOKEN = 'correct-test-token-0123456789abc';
const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;
// The report world.ts publishes with review.total 7 too high and one newReceived cell 3 too high.
const truth = generateReport(7, { template: '2021', activity: 1 }).values;

let world: World;
let app: RunningServer;
let tmp: string;

beforeAll(async () => {
  world = await makeWorld({ crawl: false });
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: TOKEN }, reextract: { kind: 'inline', ctx: world.ctx }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
  tmp = mkdtempSync(join(tmpdir(), 'nianbao-correct-'));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await world?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const recordPage = async () => cheerio.load((await request(`${app.url}/review/record?url=${encodeURIComponent(world.flaggedUrl)}`, { headers: { cookie } })).body);

async function post(path: string, fields: Record<string, string>): Promise<cheerio.CheerioAPI> {
  const r = await request(app.url + path, { method: 'POST', headers: { cookie, origin: app.url, 'content-type': FORM }, body: form({ csrf: csrfToken(TOKEN), url: world.flaggedUrl, ...fields }) });
  expect(r.status).toBe(303);
  return cheerio.load((await request(app.url + r.headers.location, { headers: { cookie } })).body);
}

describe('correcting a flagged record', () => {
  it('shows the broken identities, a box per field and the page script', async () => {
    const $ = await recordPage();
    expect($('#status').text()).toBe('flagged');
    expect(Number($('#identity-summary').attr('data-broken'))).toBeGreaterThan(0);
    expect($('li.identity.broken').first().attr('data-id')).toMatch(/^review|^applications/);
    expect($('input[name="v:review.total"]').val()).toBe(String(truth['review.total']! + 7));
    expect($('input[name="p:review.total"]').length).toBe(1);
    expect($('script[src^="/assets/review."]').length).toBe(1);
    // The identities the script re-runs: JSON the browser can parse (script text is not entity-decoded).
    const ids = JSON.parse($('#identities-data').html()!) as { id: string; left: string[] }[];
    expect(ids.length).toBe($('li.identity').length);
    expect(ids.some((i) => i.left.includes('review.upheld'))).toBe(true);
    expect($('#review-state-now').text()).toBe('unreviewed');
    // Issue codes come with a short phrase in words.
    expect(issueShort('identity_failed')).not.toBe('identity_failed');
    expect($('#issues').text()).toContain(issueShort('identity_failed'));
  });

  it('refuses a value that is not a number, saving nothing', async () => {
    const sha256 = (await world.ctx.store.getRecord(world.flaggedUrl))!.sha256;
    const $ = await post('/review/correct', { sha256, 'v:review.total': '12a' });
    expect($('#notice').text()).toContain('not a number in review.total ("12a")');
    expect(await world.ctx.store.getReview(world.flaggedUrl)).toBeNull();
  });

  it('saves the corrections as overrides, and the identities hold under them', async () => {
    const stored = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const $ = await post('/review/correct', {
      sha256: stored.sha256,
      state: 'reviewed',
      note: 'totals recomputed from the rows',
      'v:review.total': String(truth['review.total']),
      'v:applications.newReceived.natural': String(truth['applications.newReceived.natural']),
      // Unchanged boxes are no override.
      'v:review.upheld': String(stored.record.values['review.upheld']),
    });
    expect($('#notice').text()).toContain('2 fields changed, review state reviewed; every identity that can be checked holds');
    expect($('#identity-summary').attr('data-broken')).toBe('0');
    expect($('li.identity.broken').length).toBe(0);
    expect($('#review-state-now').text()).toBe('reviewed');
    expect($('tr[data-field="review.total"] .chip.reviewed').text()).toContain('reviewed');
    expect($('tr[data-field="review.total"] [data-extracted]').text()).toContain(String(truth['review.total']! + 7));
    // The extracted record is untouched.
    expect((await world.ctx.store.getRecord(world.flaggedUrl))!.record.values['review.total']).toBe(truth['review.total']! + 7);
  });

  it('the export gives the reviewed value with its provenance', async () => {
    const out = join(tmp, 'x');
    await exportDataset(world.ctx.store, { out, formats: ['csv-wide', 'csv-long'] });
    const row = readCsv(join(out, 'reports_wide.csv')).rows.find((r) => r.url === world.flaggedUrl)!;
    expect(row).toMatchObject({ 'review.total': String(truth['review.total']), review_state: 'reviewed' });
    const cell = readCsv(join(out, 'cells_long.csv')).rows.find((r) => r.report_id === row.report_id && r.field === 'review.total')!;
    expect(cell).toMatchObject({ value_source: 'reviewed', extracted_value: String(truth['review.total']! + 7) });
  });

  it('Re-extract of the same bytes keeps the overrides', async () => {
    const before = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const first = await post('/review/reextract', {});
    // The outcome, and a new extraction time even though the record came out the same.
    expect(first('#notice').text()).toBe('Re-extracted: the record is now flagged (was flagged); no value changed, same issues.');
    expect(first('#extracted-at').attr('data-at')! > before.extractedAt).toBe(true);
    await post('/review/reextract', {});
    const $ = await recordPage();
    expect($('#review-state-now').text()).toBe('reviewed');
    expect($('input[name="v:review.total"]').val()).toBe(String(truth['review.total']));
    expect($('#identity-summary').attr('data-broken')).toBe('0');
    expect((await world.ctx.store.getRecord(world.flaggedUrl))!.sha256).toBe(before.sha256);
  });

  it('confirming the published value as printed replaces the correction (history kept)', async () => {
    const stored = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const $ = await post('/review/correct', { sha256: stored.sha256, state: 'reviewed', 'v:applications.newReceived.natural': String(stored.record.values['applications.newReceived.natural']), 'p:applications.newReceived.natural': 'on' });
    expect($('tr[data-field="applications.newReceived.natural"] .chip.confirmed').length).toBe(1);
    expect(Number($('#identity-summary').attr('data-broken'))).toBeGreaterThan(0);
    expect($('#history tbody tr').length).toBe(3);
  });

  it('new bytes of the document raise the overrides for review again, prefilled; saving settles them', async () => {
    const before = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    await addFetched(world.ctx, world.flaggedUrl, new TextEncoder().encode(`${flaggedReportHtml()}<!-- re-uploaded -->`), 'text/html; charset=utf-8', { year: 2021 });
    await extractStage(world.ctx, world.flaggedUrl);
    const after = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    expect(after.sha256).not.toBe(before.sha256);
    let $ = await recordPage();
    expect($('#stale').text()).toContain('2 overrides made on the earlier bytes are not applied');
    expect($('#review-state-now').text()).toBe('unreviewed');
    // The earlier correction is offered again, not applied: the identities see the extracted values.
    expect($('input[name="v:review.total"]').val()).toBe(String(truth['review.total']));
    expect(Number($('#identity-summary').attr('data-broken'))).toBeGreaterThan(0);
    $ = await post('/review/correct', {
      sha256: after.sha256,
      state: 'reviewed',
      'v:review.total': String(truth['review.total']),
      'v:applications.newReceived.natural': String(after.record.values['applications.newReceived.natural']),
    });
    expect($('#stale').length).toBe(0);
    expect($('#review-state-now').text()).toBe('reviewed');
    expect($('tr[data-field="review.total"] .chip.reviewed').length).toBe(1);
    expect($('tr[data-field="applications.newReceived.natural"] .chip').length).toBe(0);
  });

  it('refuses a save made on bytes the record no longer comes from', async () => {
    const $ = await post('/review/correct', { sha256: 'f'.repeat(64), 'v:review.total': '1' });
    expect($('#notice').text()).toContain('re-extracted from other bytes');
  });
});
