/**
 * The UI over HTTP: every route refuses a request without the credential (bull-board's pages,
 * API and static files included), accepts the token as bearer, cookie or basic auth, sets a
 * safe cookie, refuses cross-site state changes, and answers only to loopback Host names.
 * Then the review pages on a real store: filters, counts, keyset pages, the record page.
 */
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSS_PATH } from '../../src/server/assets.js';
import { csrfToken, SESSION_COOKIE, sessionValue } from '../../src/server/auth.js';
import { createApp, listen, openQueues, type UiQueues } from '../../src/server/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { reviewPage } from '../../src/server/review-query.js';
import { deletePrefix, FORM, form, REDIS, request, testPrefix } from './helpers.js';
import { makeWorld, type World } from './world.js';

const TOKEN = 'http-test-token-0123456789abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };

let world: World;
let queues: UiQueues;
let prefix: string;
let app: RunningServer;
let basicApp: RunningServer;
let base: string;
let host: string;

beforeAll(async () => {
  world = await makeWorld({ docs: true });
  prefix = testPrefix('ui-http');
  queues = openQueues({ connection: REDIS, prefix });
  const deps = { store: world.ctx.store, artifacts: world.ctx.artifacts, loopbackOnly: true };
  app = await listen(createApp({ ...deps, auth: { token: TOKEN }, queues, reextract: { kind: 'queue', queues } }), { host: '127.0.0.1', port: 0 });
  basicApp = await listen(createApp({ ...deps, auth: { token: TOKEN, basic: { user: 'ann', pass: 'pa:ss' } }, reextract: { kind: 'inline', ctx: world.ctx } }), { host: '127.0.0.1', port: 0 });
  base = app.url;
  host = new URL(base).host;
}, 120_000);

afterAll(async () => {
  const steps = [() => app?.close(1000), () => basicApp?.close(1000), () => queues?.close(), () => prefix && deletePrefix(prefix), () => world?.close()];
  for (const step of steps) await Promise.resolve(step()).catch((err) => console.error('cleanup:', err));
});

async function boardAssets(): Promise<string[]> {
  const page = await request(`${base}/queues`, { headers: bearer });
  const $ = cheerio.load(page.body);
  return $('script[src]').toArray().map((s) => `/queues/${$(s).attr('src')}`);
}

describe('without a credential', () => {
  const pages = ['/', '/review', '/review?status=failed', '/review/record?url=x', '/failed', APP_CSS_PATH, '/queues', '/queues/queue/extract?status=failed', '/queues/static/favicon-32x32.png', '/nowhere'];

  it('every page, stylesheet and bull-board page or asset redirects to sign-in or answers 401', async () => {
    const assets = await boardAssets();
    expect(assets.length).toBeGreaterThan(0);
    for (const path of [...pages, ...assets]) {
      const r = await request(base + path, { headers: { accept: 'text/html' } });
      expect([303, 401], path).toContain(r.status);
      if (r.status === 303) expect(r.headers.location, path).toMatch(/^\/signin\?next=/);
      expect(r.body, path).not.toContain('nianbao queues');
      // The same for a client that does not want HTML: a plain 401.
      const api = await request(base + path, { headers: { accept: 'application/json' } });
      expect(api.status, path).toBe(401);
      expect(api.headers['www-authenticate']).toContain('Bearer');
    }
  });

  it('bull-board API routes answer 401, reads and writes alike', async () => {
    for (const [method, path] of [
      ['GET', '/queues/api/queues'],
      ['GET', '/queues/api/redis/stats'],
      ['PUT', '/queues/api/queues/extract/retry/failed'],
      ['PUT', '/queues/api/queues/extract/some-job/retry'],
      ['PUT', '/queues/api/queues/extract/pause'],
    ] as const) {
      const r = await request(base + path, { method, headers: { accept: 'text/html', origin: base } });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });

  it('state-changing review routes answer 401', async () => {
    const r = await request(`${base}/review/reextract`, { method: 'POST', headers: { 'content-type': FORM, origin: base }, body: form({ url: world.flaggedUrl }) });
    expect(r.status).toBe(401);
  });

  it('the sign-in page itself is served, with a CSP allowing only its own inline style', async () => {
    const r = await request(`${base}/signin?next=/failed`);
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(cheerio.load(r.body)('input[name=next]').val()).toBe('/failed');
  });
});

describe('with the token', () => {
  it('as a bearer token, every page answers 200', async () => {
    for (const path of ['/review', '/review?status=flagged&issue=identity_failed', `/review/record?url=${encodeURIComponent(world.flaggedUrl)}`, '/failed', APP_CSS_PATH, '/queues', '/queues/queue/extract', '/queues/static/favicon-32x32.png', '/queues/api/queues', ...(await boardAssets())]) {
      const r = await request(base + path, { headers: bearer });
      expect(r.status, path).toBe(200);
    }
    expect((await request(`${base}/`, { headers: bearer })).headers.location).toBe('/review');
  });

  it('a wrong token is refused everywhere', async () => {
    for (const path of ['/review', '/queues', '/queues/api/queues']) {
      const r = await request(base + path, { headers: { authorization: 'Bearer wrong-token', accept: 'application/json' } });
      expect(r.status, path).toBe(401);
    }
    const cookie = await request(`${base}/review`, { headers: { cookie: `${SESSION_COOKIE}=${TOKEN}`, accept: 'application/json' } });
    expect(cookie.status).toBe(401);
    const link = await request(`${base}/review?token=wrong`);
    expect(link.status).toBe(401);
    expect(link.headers['set-cookie']).toBeUndefined();
  });

  it('the sign-in form sets an HttpOnly SameSite=Strict cookie that is not the token, which then works', async () => {
    const r = await request(`${base}/signin`, { method: 'POST', headers: { 'content-type': FORM, origin: base }, body: form({ token: TOKEN, next: '/failed' }) });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/failed');
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).toContain('Path=/');
    expect(set).not.toContain(TOKEN);
    const cookie = set.split(';')[0]!;
    for (const path of ['/failed', '/queues', '/queues/api/queues']) expect((await request(base + path, { headers: { cookie } })).status, path).toBe(200);
  });

  it('a wrong token in the form is refused, and so is a sign-in posted from another site', async () => {
    const wrong = await request(`${base}/signin`, { method: 'POST', headers: { 'content-type': FORM, origin: base }, body: form({ token: 'nope', next: '/' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const cross = await request(`${base}/signin`, { method: 'POST', headers: { 'content-type': FORM, origin: 'http://evil.example' }, body: form({ token: TOKEN }) });
    expect(cross.status).toBe(403);
    const offsite = await request(`${base}/signin`, { method: 'POST', headers: { 'content-type': FORM, origin: base }, body: form({ token: TOKEN, next: '//evil.example/' }) });
    expect(offsite.headers.location).toBe('/review');
  });

  it('?token= signs in and redirects to the same address without it', async () => {
    const r = await request(`${base}/review?status=flagged&token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/review?status=flagged');
    expect(String(r.headers['set-cookie'])).toContain('HttpOnly');
  });

  it('sign-out clears the cookie', async () => {
    const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;
    const r = await request(`${base}/signout`, { method: 'POST', headers: { cookie, origin: base, 'content-type': FORM }, body: form({ csrf: csrfToken(TOKEN) }) });
    expect(r.status).toBe(303);
    expect(String(r.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });
});

describe('CSRF and other request checks', () => {
  const cookie = `${SESSION_COOKIE}=${sessionValue(TOKEN)}`;
  const reextract = (headers: Record<string, string>, fields: Record<string, string>) =>
    request(`${base}/review/reextract`, { method: 'POST', headers: { cookie, 'content-type': FORM, ...headers }, body: form({ url: world.flaggedUrl, ...fields }) });

  it('refuses a form post without the same origin or without the CSRF token', async () => {
    expect((await reextract({}, { csrf: csrfToken(TOKEN) })).status).toBe(403);
    expect((await reextract({ origin: 'http://evil.example' }, { csrf: csrfToken(TOKEN) })).status).toBe(403);
    expect((await reextract({ origin: base, 'sec-fetch-site': 'cross-site' }, { csrf: csrfToken(TOKEN) })).status).toBe(403);
    expect((await reextract({ origin: base }, {})).status).toBe(403);
    expect((await reextract({ origin: base }, { csrf: 'forged' })).status).toBe(403);
  });

  it('accepts it from this site with the token, and queues a forced extract job', async () => {
    const r = await reextract({ origin: base }, { csrf: csrfToken(TOKEN) });
    expect(r.status).toBe(303);
    expect(r.headers.location).toMatch(/^\/review\/record\?url=.*&n=/);
    const page = await request(base + r.headers.location, { headers: { cookie } });
    const notice = cheerio.load(page.body)('#notice').text();
    expect(notice).toMatch(/queued as job extract_/);
    const jobs = await queues.extract.getJobs(['waiting']);
    expect(jobs.map((j) => j.data)).toContainEqual(expect.objectContaining({ url: world.flaggedUrl, force: true }));
  });

  it('a bearer request needs no origin (a browser never sends one on its own)', async () => {
    const r = await request(`${base}/review/reextract`, { method: 'POST', headers: { ...bearer, 'content-type': FORM }, body: form({ url: world.flaggedUrl }) });
    expect(r.status).toBe(303);
  });

  it('refuses cross-site writes to the bull-board API with the session cookie', async () => {
    const r = await request(`${base}/queues/api/queues/extract/pause`, { method: 'PUT', headers: { cookie, origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    const none = await request(`${base}/queues/api/queues/extract/pause`, { method: 'PUT', headers: { cookie } });
    expect(none.status).toBe(403);
    expect(await queues.extract.isPaused()).toBe(false);
  });

  it('answers only to loopback Host names (DNS rebinding)', async () => {
    const r = await request(`${base}/review`, { headers: { ...bearer, host: `evil.example:${new URL(base).port}` } });
    expect(r.status).toBe(421);
    expect((await request(`${base}/review`, { headers: { ...bearer, host: `localhost:${new URL(base).port}` } })).status).toBe(200);
  });

  it('sends security headers: a script-free CSP on the review pages, a scoped one on bull-board', async () => {
    const r = await request(`${base}/review`, { headers: bearer });
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'; form-action 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['referrer-policy']).toBe('same-origin');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-powered-by']).toBeUndefined();
    const board = await request(`${base}/queues`, { headers: bearer });
    expect(board.headers['content-security-policy']).toContain("script-src 'self'");
    expect(board.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(board.headers['x-powered-by']).toBeUndefined();
  });

  it('lists no directories', async () => {
    for (const path of ['/queues/static/', '/queues/static/js/', '/assets/']) {
      const r = await request(base + path, { headers: bearer });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toMatch(/favicon|\.js"/);
    }
  });
});

describe('basic auth as an alternative', () => {
  const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

  it('accepts the configured user and password and refuses others with a Basic challenge', async () => {
    expect((await request(`${basicApp.url}/review`, { headers: basic('ann', 'pa:ss') })).status).toBe(200);
    for (const h of [basic('ann', 'wrong'), basic('bob', 'pa:ss'), {}]) {
      const r = await request(`${basicApp.url}/review`, { headers: { accept: 'text/html', ...h } });
      expect(r.status).toBe(401);
      expect(String(r.headers['www-authenticate'])).toContain('Basic realm="nianbao"');
    }
    // The token still works beside it; without queues, /queues says so.
    expect((await request(`${basicApp.url}/review`, { headers: bearer })).status).toBe(200);
    expect((await request(`${basicApp.url}/queues`, { headers: bearer })).status).toBe(404);
  });

  it('basic credentials are ambient, so form posts still need same origin and the CSRF token', async () => {
    const post = (headers: Record<string, string>, csrf: string) =>
      request(`${basicApp.url}/review/reextract`, { method: 'POST', headers: { ...basic('ann', 'pa:ss'), 'content-type': FORM, ...headers }, body: form({ url: world.flaggedUrl, csrf }) });
    expect((await post({ origin: 'http://evil.example' }, csrfToken(TOKEN))).status).toBe(403);
    expect((await post({ origin: basicApp.url }, '')).status).toBe(403);
    const ok = await post({ origin: basicApp.url }, csrfToken(TOKEN));
    expect(ok.status).toBe(303);
    const page = await request(basicApp.url + ok.headers.location, { headers: basic('ann', 'pa:ss') });
    expect(cheerio.load(page.body)('#notice').text()).toContain('Re-extracted: the record is now flagged');
  });
});

describe('review pages on the store', () => {
  const get = async (path: string) => cheerio.load((await request(base + path, { headers: bearer })).body);

  it('filters by status, issue code, year, template and region, with counts', async () => {
    const all = await world.ctx.store.countRecords();
    let $ = await get('/review');
    expect($('#records tbody tr').length).toBe(all);
    expect($('#count').text()).toContain(`${all} records match`);
    $ = await get('/review?status=flagged');
    // The generated flagged report and the demo portal's two (a published total that breaks its identity,
    // a flattened dump with cells it does not settle), newest first.
    const flagged: string[] = [];
    for await (const s of world.ctx.store.listRecords({ status: 'flagged' })) flagged.push(s.url);
    expect(flagged).toContain(world.flaggedUrl);
    expect(flagged.length).toBe(3);
    expect($('#records tbody tr').toArray().map((tr) => $(tr).attr('data-url'))).toEqual(flagged.reverse());
    $ = await get('/review?issue=identity_failed');
    expect($('#records tbody tr').length).toBe(await world.ctx.store.countRecords({ issueCode: 'identity_failed' }));
    $ = await get('/review?status=failed');
    expect($('#records tbody tr').length).toBe(await world.ctx.store.countRecords({ status: 'failed' }));
    $ = await get('/review?year=2020&template=2019');
    expect($('#records tbody tr').length).toBe(await world.ctx.store.countRecords({ year: 2020, template: '2019' }));
    $ = await get('/review?region=32');
    expect($('#records tbody tr').length).toBe(await world.ctx.store.countRecords({ region: '32' }));
    $ = await get('/review?region=99');
    expect($('#records tbody tr').length).toBe(0);
    expect($('.facets').text()).toContain('all (0)');
  });

  it('pages by keyset, newest first, forwards and back, without gaps or repeats', async () => {
    const store = world.ctx.store;
    const ids: number[] = [];
    let page = await reviewPage(store, { filter: {} }, 3);
    expect(page.newer).toBeNull();
    ids.push(...page.rows.map((r) => r.id));
    while (page.older !== null) {
      page = await reviewPage(store, { filter: {}, before: page.older }, 3);
      ids.push(...page.rows.map((r) => r.id));
    }
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(await store.countRecords());
    const back = await reviewPage(store, { filter: {}, after: page.rows[0]!.id }, 3);
    expect(back.rows.map((r) => r.id)).toEqual(ids.slice(ids.indexOf(page.rows[0]!.id) - 3, ids.indexOf(page.rows[0]!.id)));
  });

  it('the record page highlights exactly the cells the error issues name', async () => {
    const stored = (await world.ctx.store.getRecord(world.flaggedUrl))!;
    const expected = new Set<string>();
    for (const i of stored.record.issues.filter((x) => x.severity === 'error')) {
      for (const f of i.fields ?? []) {
        const p = stored.record.provenance![f]!;
        expected.add(`${p.table}:${p.row}:${p.col}`);
      }
    }
    expect(expected.size).toBeGreaterThan(10);
    const $ = await get(`/review/record?url=${encodeURIComponent(world.flaggedUrl)}`);
    const flagged = $('#source td.flagged').toArray().map((td) => `${$(td).attr('data-table')}:${$(td).attr('data-row')}:${$(td).attr('data-col')}`);
    expect(new Set(flagged)).toEqual(expected);
    expect(flagged.length).toBe(expected.size);
    expect($('#status').text()).toBe('flagged');
  });

  it('the failed page lists failed fetches and extractions with reasons and links', async () => {
    const $ = await get('/failed');
    const failed = await world.ctx.store.listFailed();
    expect($('#failed tbody tr').length).toBe(failed.length);
    const item = failed.find((f) => f.stage === 'extract' && f.code === 'converter_missing')!;
    const row = $(`#failed tr[data-url="${item.url}"]`);
    expect(row.text()).toContain('converter_missing');
    expect(row.find(`a[href="/review/record?url=${encodeURIComponent(item.url)}"]`).length).toBe(1);
    expect(row.find('a[href="/queues/queue/extract?status=failed"]').length).toBe(1);
  });
});
