/**
 * Re-extract without queues (`--inline`, or no Redis): the record page's button runs the extract
 * stage in the server process, from the stored artifact, with the current extractor.
 */
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken, SESSION_COOKIE, sessionValue } from '../../src/server/auth.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { FORM, form, request } from './helpers.js';
import { DOC_URLS, makeWorld, type World } from './world.js';

const TOKEN = 'reextract-test-token-0123456789';
const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;

let world: World | undefined;
let app: RunningServer | undefined;

afterEach(async () => {
  await app?.close();
  await world?.close();
  app = world = undefined;
});

async function start(): Promise<{ world: World; app: RunningServer }> {
  world = await makeWorld({ crawl: false, docs: true });
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: TOKEN }, reextract: { kind: 'inline', ctx: world.ctx }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
  return { world, app };
}

/** Press Re-extract on a record page; the notice shown after the redirect. */
async function reextract(app: RunningServer, url: string): Promise<string> {
  const r = await request(`${app.url}/review/reextract`, { method: 'POST', headers: { cookie, origin: app.url, 'content-type': FORM }, body: form({ url, csrf: csrfToken(TOKEN) }) });
  expect(r.status).toBe(303);
  const page = await request(app.url + r.headers.location, { headers: { cookie } });
  return cheerio.load(page.body)('#notice').text();
}

describe('Re-extract in the server process', () => {
  it('re-extracts a failed record once its cause is fixed (LibreOffice available again), and says so', async () => {
    const { world, app } = await start();
    expect((await world.ctx.store.getRecord(DOC_URLS.a))!.record.issues[0]!.code).toBe('converter_missing');
    const notice = await reextract(app, DOC_URLS.a);
    expect(notice).toMatch(/^Re-extracted: the record is now valid \(was failed\); \d+ values changed \(.*\), issues \+.*−converter_missing/);
    const stored = (await world.ctx.store.getRecord(DOC_URLS.a))!;
    expect(stored.record.status).toBe('valid');
    // Its region is its agency's (南通市海门区商务局), not the portal's (淮安市): a conflict the record states.
    expect(stored.regionCode).toBe('320614');
    expect(stored.record.issues.find((i) => i.code === 'region_conflict')?.severity).toBe('warning');
  }, 60_000);

  it('never claims a record the store did not keep', async () => {
    const { world, app } = await start();
    const notice = await reextract(app, DOC_URLS.a);
    const stored = (await world.ctx.store.getRecord(DOC_URLS.a))!;
    if (stored.record.status === 'valid') expect(notice).toMatch(/^Re-extracted: the record is now valid \(was failed\); /);
    else expect(notice).toContain('the store kept the earlier failed record');
  }, 60_000);

  // The environment, not the bytes, made it fail: the same bytes and extractor now give another record.
  it('the store keeps the re-extracted record of the same bytes and extractor version', async () => {
    const { world, app } = await start();
    await reextract(app, DOC_URLS.a);
    expect((await world.ctx.store.getRecord(DOC_URLS.a))!.record.status).toBe('valid');
  }, 60_000);

  it('explains why Re-extract is unavailable: unknown portal, never fetched', async () => {
    const { world, app } = await start();
    await world.ctx.store.upsertDocument({ url: 'https://elsewhere.gov.cn/r.html', portalId: 'not-configured' });
    const page = async (url: string) => cheerio.load((await request(`${app.url}/review/record?url=${encodeURIComponent(url)}`, { headers: { cookie } })).body);
    let $ = await page('https://elsewhere.gov.cn/r.html');
    expect($('#reextract').length).toBe(0);
    expect($('.card').text()).toContain('never been fetched');
    await world.ctx.store.recordFetch('https://elsewhere.gov.cn/r.html', { status: 'fetched', httpStatus: 200, sha256: 'd'.repeat(64), bytes: 1 });
    $ = await page('https://elsewhere.gov.cn/r.html');
    expect($('.card').text()).toContain('portal "not-configured" is not in the portal configuration');
    expect($('#source').text()).toContain('not in the artifact store');
    $ = await page('https://nowhere.example/x');
    expect($('#notice').text()).toContain('No record and no document');
  }, 60_000);
});
