/**
 * Reviewer identity: one token per person signs in a named reviewer; every override names who
 * made it; each reviewer's forms carry their own CSRF token; the single shared token still works.
 */
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewerList } from '../../src/commands/serve.js';
import { csrfToken, SESSION_COOKIE } from '../../src/server/auth.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { ReviewerListError, parseReviewers } from '../../src/server/reviewers.js';
import { FORM, form, request } from './helpers.js';
import { makeWorld, type World } from './world.js';

const SHARED = 'shared-token-0123456789abcdef';
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef00';

let world: World;
let app: RunningServer;

beforeAll(async () => {
  world = await makeWorld({ crawl: false });
  const reviewers = parseReviewers(`# reviewers\nalice:${ALICE}\n\n王 芳:${BOB}\n`);
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: SHARED, reviewers }, reextract: { kind: 'none', why: 'test' }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await world?.close();
});

/** Sign in through the form, as a browser does; the session cookie it sets. */
async function signIn(token: string): Promise<string> {
  const r = await request(`${app.url}/signin`, { method: 'POST', headers: { origin: app.url, 'content-type': FORM }, body: form({ token, next: '/review' }) });
  expect(r.status).toBe(303);
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0]!;
  return set.split(';')[0]!.replace(/^\s+/, '');
}

async function save(cookie: string, csrf: string, fields: Record<string, string>) {
  const sha256 = (await world.ctx.store.getRecord(world.flaggedUrl))!.sha256;
  return request(`${app.url}/review/correct`, { method: 'POST', headers: { cookie, origin: app.url, 'content-type': FORM }, body: form({ csrf, url: world.flaggedUrl, sha256, state: 'reviewed', ...fields }) });
}

describe('reviewer tokens', () => {
  it('parses name:token lines and refuses duplicates and short tokens', () => {
    expect(parseReviewers(`alice:${ALICE}\n# c\nbob:${BOB}`).map((r) => r.name)).toEqual(['alice', 'bob']);
    expect(() => parseReviewers(`alice:${ALICE}\nalice:${BOB}`)).toThrow(ReviewerListError);
    expect(() => parseReviewers(`alice:${ALICE}\nbob:${ALICE}`)).toThrow(/same token/);
    expect(() => parseReviewers('alice:short')).toThrow(/at least 16/);
    expect(() => parseReviewers('no-colon-here')).toThrow(/name:token/);
    expect(reviewerList({}, { NIANBAO_UI_REVIEWERS: `alice:${ALICE},bob:${BOB}` }).map((r) => r.name)).toEqual(['alice', 'bob']);
  });

  it('signs in each reviewer by name; every override names its reviewer', async () => {
    const alice = await signIn(ALICE);
    const bob = await signIn(BOB);
    expect(alice.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const page = cheerio.load((await request(`${app.url}/review`, { headers: { cookie: alice } })).body);
    expect(page('#reviewer').text()).toBe('signed in as alice');

    expect((await save(alice, csrfToken(ALICE), { 'v:review.total': '1' })).status).toBe(303);
    // Bob's session with Alice's form token is refused: the CSRF token is per reviewer.
    expect((await save(bob, csrfToken(ALICE), { 'v:review.upheld': '0' })).status).toBe(403);
    expect((await save(bob, csrfToken(BOB), { 'v:review.total': '2' })).status).toBe(303);

    const history = await world.ctx.store.overrideHistory(world.flaggedUrl);
    expect(history.map((h) => [h.field, h.value, h.reviewer])).toEqual([
      ['review.total', 1, 'alice'],
      ['review.total', 2, '王 芳'],
    ]);
    expect((await world.ctx.store.getReview(world.flaggedUrl))!.reviewer).toBe('王 芳');
    const $ = cheerio.load((await request(`${app.url}/review/record?url=${encodeURIComponent(world.flaggedUrl)}`, { headers: { cookie: alice } })).body);
    expect($('#save-review').text()).toBe('Save as alice');
  });

  it('the single shared token still works, as reviewer "reviewer"; a wrong token does not', async () => {
    const shared = await signIn(SHARED);
    expect((await save(shared, csrfToken(SHARED), { 'v:review.total': '3' })).status).toBe(303);
    expect((await world.ctx.store.overrideHistory(world.flaggedUrl)).at(-1)!.reviewer).toBe('reviewer');
    const bearer = await request(`${app.url}/review`, { headers: { authorization: `Bearer ${BOB}` } });
    expect(bearer.status).toBe(200);
    const wrong = await request(`${app.url}/signin`, { method: 'POST', headers: { origin: app.url, 'content-type': FORM }, body: form({ token: 'x'.repeat(30), next: '/review' }) });
    expect(wrong.status).toBe(401);
  });
});
