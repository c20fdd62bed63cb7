/**
 * The review loop in a real browser (Chromium through playwright-core) on the demo portal's
 * flagged report (a published 复议 总计 that breaks its identity), crawled the real way:
 *  - correcting the cell turns the identity green as the reviewer types, before saving;
 *  - the save is stored as an override and the export carries the reviewed value and its source;
 *  - Re-extract, twice, keeps the override;
 *  - two reviewers, each signed in with their own token, are named in the history;
 *  - the page's script loads under the CSP (no violation), and the keyboard path works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/export/index.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { readCsv } from '../export/read.js';
import { CHROMIUM } from './helpers.js';
import { makeWorld, type World } from './world.js';

const ALICE = 'alice-browser-token-0123456789ab';
const BOB = 'bob-browser-token-0123456789abcd';
const DEMO_FLAGGED = '/zwgk/ndbg/202301/t20230131_3902.html';

let world: World;
let app: RunningServer;
let browser: Browser;
let url: string;
let extracted: number;
let tmp: string;
const violations: string[] = [];

async function signedIn(token: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${app.url}/review?token=${token}`);
  return page;
}

const recordPath = () => `/review/record?url=${encodeURIComponent(url)}`;

beforeAll(async () => {
  world = await makeWorld();
  url = world.portal.baseUrl + DEMO_FLAGGED;
  const stored = (await world.ctx.store.getRecord(url))!;
  expect(stored.record.status).toBe('flagged');
  extracted = stored.record.values['review.total']!;
  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: 'shared-browser-token-0123456789', reviewers: [{ name: 'alice', token: ALICE }, { name: 'bob', token: BOB }] }, reextract: { kind: 'inline', ctx: world.ctx }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
  browser = await chromium.launch(CHROMIUM);
  tmp = mkdtempSync(join(tmpdir(), 'nianbao-review-browser-'));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await world?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('review in the browser', () => {
  it('corrects the blamed cell: the identity turns green as the reviewer types, and the save is stored', async () => {
    const page = await signedIn(ALICE);
    await page.goto(`${app.url}/review?status=flagged`);
    await page.click(`#records tr[data-url="${url}"] a >> nth=0`);
    await expect(page.textContent('#reviewer')).resolves.toBe('signed in as alice');
    await expect(page.getAttribute('#identity-summary', 'data-broken')).resolves.toBe('1');
    const identity = page.locator('li.identity.broken');
    const id = await identity.getAttribute('data-id');
    expect(id).toMatch(/^review/);

    // The keyboard path: b jumps to the first blamed cell's box.
    await page.locator('h1').click();
    await page.keyboard.press('b');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-field'));
    expect(['review.upheld', 'review.corrected', 'review.other', 'review.pending', 'review.total']).toContain(focused);

    const box = page.locator('input[name="v:review.total"]');
    await expect(box.inputValue()).resolves.toBe(String(extracted));
    await box.fill(String(extracted - 2));
    // Live, before any save: the script re-ran the identities.
    await expect(page.getAttribute(`li.identity[data-id="${id}"]`, 'data-state')).resolves.toBe('holds');
    await expect(page.getAttribute('#identity-summary', 'data-broken')).resolves.toBe('0');
    await box.fill('12x');
    await expect(box.getAttribute('class')).resolves.toContain('invalid');
    await box.fill(String(extracted - 2));

    await page.fill('input[name="note"]', '总计 is the sum of its outcomes');
    await Promise.all([page.waitForURL(/n=/), page.click('#save-review')]);
    await expect(page.textContent('#notice')).resolves.toContain('Saved by alice: 1 field changed, review state reviewed; every identity that can be checked holds');
    await expect(page.getAttribute('#identity-summary', 'data-broken')).resolves.toBe('0');
    await expect(page.textContent('#review-state-now')).resolves.toBe('reviewed');
    expect((await world.ctx.store.getRecord(url))!.record.values['review.total']).toBe(extracted);
  });

  it('the export carries the reviewed value, marked reviewed, with the extracted one beside it', async () => {
    const out = join(tmp, 'export');
    await exportDataset(world.ctx.store, { out, formats: ['csv-wide', 'csv-long'] });
    const row = readCsv(join(out, 'reports_wide.csv')).rows.find((r) => r.url === url)!;
    expect(row).toMatchObject({ 'review.total': String(extracted - 2), review_state: 'reviewed', reviewed_fields: 'review.total', reviewers: 'alice' });
    const cell = readCsv(join(out, 'cells_long.csv')).rows.find((r) => r.report_id === row.report_id && r.field === 'review.total')!;
    expect(cell).toMatchObject({ value: String(extracted - 2), value_source: 'reviewed', extracted_value: String(extracted) });
  });

  it('Re-extract, twice, keeps the override', async () => {
    const page = await signedIn(ALICE);
    await page.goto(app.url + recordPath());
    for (let i = 0; i < 2; i++) {
      const before = await page.getAttribute('#extracted-at', 'data-at');
      await Promise.all([page.waitForURL(/n=/), page.click('#reextract')]);
      await expect(page.textContent('#notice')).resolves.toContain('Re-extracted: the record is now flagged (was flagged); no value changed');
      expect((await page.getAttribute('#extracted-at', 'data-at'))! > before!).toBe(true);
      await expect(page.locator('input[name="v:review.total"]').inputValue()).resolves.toBe(String(extracted - 2));
      await expect(page.textContent('#review-state-now')).resolves.toBe('reviewed');
    }
  });

  it('two reviewers: each save names its reviewer', async () => {
    const page = await signedIn(BOB);
    await page.goto(app.url + recordPath());
    await expect(page.textContent('#save-review')).resolves.toBe('Save as bob');
    await page.locator('input[name="v:review.total"]').fill(String(extracted - 1));
    await expect(page.getAttribute('#identity-summary', 'data-broken')).resolves.toBe('1');
    await page.selectOption('#review-state', 'needs_source');
    await Promise.all([page.waitForURL(/n=/), page.click('#save-review')]);
    await expect(page.textContent('#notice')).resolves.toContain('Saved by bob: 1 field changed, review state needs_source; 1 identity still broken');
    await page.click('#history summary');
    const rows = await page.$$eval('#history tbody tr', (trs) => trs.map((tr) => tr.children[1]!.textContent));
    expect(rows).toEqual(['bob', 'alice']);
    expect(violations).toEqual([]);
  });
});
