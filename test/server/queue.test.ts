/**
 * The review list as a queue of work: quickest to settle first (fewest cells blamed by error
 * issues), counts per issue, search by agency, and bad filters refused with a message. Records
 * are real extractions: two generated reports whose published tables break one and three
 * identities.
 */
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStage } from '../../src/pipeline/stages.js';
import { effortOf } from '../../src/server/queue-order.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { request } from './helpers.js';
import { addFetched, makeWorld, type World } from './world.js';

const TOKEN = 'queue-test-token-0123456789abcdef';
const ONE_URL = 'https://reports.example.gov.cn/zwgk/2022/one-identity.html';

let world: World;
let app: RunningServer;

const get = async (path: string) => {
  const r = await request(app.url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: r.status, $: cheerio.load(r.body) };
};

beforeAll(async () => {
  world = await makeWorld({ crawl: false });
  // One broken identity: 复议 总计 printed 2 too high.
  const rep = generateReport(21, { template: '2021', activity: 1 });
  rep.agency = '淮安市清江浦区民政局';
  rep.written['review.total'] = String((rep.values['review.total'] ?? 0) + 2);
  await addFetched(world.ctx, ONE_URL, new TextEncoder().encode(renderHtml(rep, { chrome: true })), 'text/html; charset=utf-8', { agency: rep.agency, year: 2021 });
  await extractStage(world.ctx, ONE_URL);
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: TOKEN }, reextract: { kind: 'none', why: 'test' }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await world?.close();
});

describe('the review queue', () => {
  it('lists the record quickest to settle first', async () => {
    const one = (await world.ctx.store.getRecord(ONE_URL))!.record;
    const three = (await world.ctx.store.getRecord(world.flaggedUrl))!.record;
    expect(one.status).toBe('flagged');
    expect(effortOf(one)).toBeLessThan(effortOf(three));
    const { $ } = await get('/review?status=flagged&sort=effort');
    const urls = $('#records tbody tr').toArray().map((tr) => $(tr).attr('data-url'));
    expect(urls).toEqual([ONE_URL, world.flaggedUrl]);
    expect(Number($('#records tbody tr').first().find('[data-effort]').text())).toBe(effortOf(one));
    // Newest first stays the default order.
    const newest = await get('/review?status=flagged');
    expect(newest.$('#records tbody tr').first().attr('data-url')).toBe(ONE_URL);
  });

  it('counts records per issue, with a short phrase for each code', async () => {
    const { $ } = await get('/review?status=flagged');
    const chip = $('#issue-counts a[data-issue="identity_failed"]');
    expect(chip.text()).toMatch(/^identity_failed – .+ \(2\)$/);
  });

  it('searches by agency', async () => {
    const { $ } = await get(`/review?agency=${encodeURIComponent('清江浦区民政')}`);
    expect($('#records tbody tr').toArray().map((tr) => $(tr).attr('data-url'))).toEqual([ONE_URL]);
    const none = await get(`/review?agency=${encodeURIComponent('100%_')}`);
    expect(none.$('#records').length).toBe(0);
  });

  it('refuses a bad filter with a message instead of listing everything', async () => {
    const { status, $ } = await get('/review?year=abc&status=flagged');
    expect(status).toBe(400);
    expect($('#filter-errors').text()).toContain('year must be four digits, like 2021; got "abc".');
    expect($('#records').length).toBe(0);
  });
});
