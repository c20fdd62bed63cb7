/**
 * The UI in a real browser (Chromium via playwright-core) against a real store (SQLite, filled by
 * crawling the sample portal), the real Redis (own key prefix) and a minimal extract worker
 * running `extractStage`, as the distributed workers do:
 *  - sign in with the token;
 *  - find failed extractions (Word .doc reports failed with converter_missing while
 *    NIANBAO_SOFFICE named a missing binary), fix the cause, and re-run them from the UI — one
 *    with the record page's Re-extract button, one with bull-board's Retry on its failed job —
 *    and see the records stored as valid;
 *  - open flagged records and check that the highlighted grid cells are exactly those named by
 *    the identity_failed issues (a generated HTML report, and the real 010 PDF when ../shared is there).
 * Set NIANBAO_UI_SCREENSHOTS=<dir> to keep screenshots of each step.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Job, Worker } from 'bullmq';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtractJob, jobId } from '../../src/queue/jobs.js';
import { extractStage } from '../../src/pipeline/stages.js';
import { createApp, listen, openQueues, type RunningServer, type UiQueues } from '../../src/server/index.js';
import { EXTRACTOR_VERSION } from '../../src/version.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { CHROMIUM, deletePrefix, eventually, REDIS, testPrefix } from './helpers.js';
import { addFetched, DOC_URLS, makeWorld, type World, withoutSoffice } from './world.js';

const TOKEN = 'browser-test-token-0123456789abcdef';
const SHOTS = process.env.NIANBAO_UI_SCREENSHOTS;
const PDF_URL = 'https://reports.example.gov.cn/real/010.pdf';
const withPdf = sharedAvailable();

let world: World;
let prefix: string;
let queues: UiQueues;
let worker: Worker<ExtractJob>;
let app: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let failedJobId: string;
const cspViolations: string[] = [];

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * The extract worker of distributed mode, minimal: the stage, and a failed record (just made, or
 * already stored from these bytes) fails the job, with backoff retries.
 */
function startWorker(): Worker<ExtractJob> {
  return new Worker<ExtractJob>(
    'extract',
    async (job: Job<ExtractJob>) => {
      const r = await extractStage(world.ctx, job.data.url, { force: job.data.force });
      if (r.outcome === 'skipped') throw new Error(`${r.reason}: ${r.message}`);
      if (r.status === 'failed') {
        const code = r.outcome === 'extracted' ? r.issueCodes[0] : (await world.ctx.store.getRecord(job.data.url))?.issueCodes[0];
        throw new Error(`${code ?? 'failed'}: the record could not be made`);
      }
      return r;
    },
    { connection: REDIS, prefix, concurrency: 2 },
  );
}

/** The grid cells the error issues of a stored record name, as "table:row:col". */
async function expectedFlagged(url: string, code = 'identity_failed'): Promise<string[]> {
  const rec = (await world.ctx.store.getRecord(url))!.record;
  const keys = new Set<string>();
  for (const i of rec.issues.filter((x) => x.severity === 'error' && x.code === code)) {
    for (const f of i.fields ?? []) {
      const p = rec.provenance![f]!;
      keys.add(`${p.table}:${p.row}:${p.col}`);
    }
  }
  return [...keys].sort();
}

const flaggedOnPage = () => page.$$eval('#source td.flagged', (tds) => tds.map((td) => `${td.getAttribute('data-table')}:${td.getAttribute('data-row')}:${td.getAttribute('data-col')}`).sort());

beforeAll(async () => {
  world = await makeWorld({ docs: true });
  if (withPdf) {
    await addFetched(world.ctx, PDF_URL, readFileSync(sharedPath('real-fetched', '010.pdf')), 'application/pdf');
    await extractStage(world.ctx, PDF_URL);
  }
  prefix = testPrefix('ui-browser');
  queues = openQueues({ connection: REDIS, prefix });
  worker = startWorker();

  // An extract job that fails in the queue for the same cause: both attempts, quickly (the real
  // backoff is 10 s), while LibreOffice is unavailable.
  await withoutSoffice(async () => {
    const doc = (await world.ctx.store.getDocument(DOC_URLS.b))!;
    const data: ExtractJob = { url: DOC_URLS.b, sha256: doc.sha256! };
    failedJobId = jobId.extract(data, EXTRACTOR_VERSION);
    const job = await queues.extract.add('extract', data, { jobId: failedJobId, attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    await eventually(async () => (await job.getState()) === 'failed', 30_000, 'the extract job to fail');
  });

  app = await listen(createApp({ store: world.ctx.store, artifacts: world.ctx.artifacts, auth: { token: TOKEN }, queues, reextract: { kind: 'queue', queues }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
  browser = await chromium.launch(CHROMIUM);
  context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  page = await context.newPage();
  page.on('console', (m) => {
    // bull-board's page links Google Fonts, which the CSP deliberately blocks (the tool stays offline).
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text()) && !m.text().includes('fonts.googleapis.com')) cspViolations.push(m.text());
  });
}, 180_000);

afterAll(async () => {
  // Each step on its own: a failed test must still leave no keys, files or processes behind.
  const steps = [() => browser?.close(), () => app?.close(1000), () => worker?.close(true), () => queues?.close(), () => prefix && deletePrefix(prefix), () => world?.close()];
  for (const step of steps) await Promise.resolve(step()).catch((err) => console.error('cleanup:', err));
});

describe('the review UI in Chromium', () => {
  it('sends an anonymous visitor to sign in, and signs in with the token (HttpOnly, SameSite=Strict cookie)', async () => {
    await page.goto(`${app.url}/failed`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await shot('01-signin');
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect(page.textContent('[role=alert]')).resolves.toContain('not right');
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/failed`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'nianbao_ui', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(TOKEN);
  });

  it('lists the failed extractions with their reason', async () => {
    await page.goto(`${app.url}/failed`);
    for (const url of [DOC_URLS.a, DOC_URLS.b]) {
      const row = page.locator(`#failed tr[data-url="${url}"]`);
      await expect(row.textContent()).resolves.toContain('converter_missing');
    }
    await shot('02-failed');
  });

  it('re-extracts a failed record from its page once the cause is fixed, and shows it stored as valid', async () => {
    // The cause is fixed: NIANBAO_SOFFICE is back to what it was (LibreOffice is installed).
    await page.goto(`${app.url}/failed`);
    await page.click(`#failed tr[data-url="${DOC_URLS.a}"] a[href^="/review/record"]`);
    await page.waitForURL(/\/review\/record\?url=/);
    await expect(page.textContent('#status')).resolves.toBe('failed');
    await expect(page.textContent('#issues')).resolves.toContain('converter_missing');
    await shot('03-record-failed');
    await page.click('#reextract');
    await page.waitForURL(/&n=/);
    await expect(page.textContent('#notice')).resolves.toMatch(/queued as job extract_.*_f/);
    await shot('04-record-queued');
    await eventually(async () => {
      await page.reload();
      return (await page.textContent('#status')) === 'valid';
    }, 60_000, 'the record page to show the re-extracted record');
    await shot('05-record-valid');
    const stored = await world.ctx.store.getRecord(DOC_URLS.a);
    expect(stored!.record.status).toBe('valid');
    expect(await page.locator('#values tbody tr[data-field]').count()).toBeGreaterThan(100);
    // Nothing of it is left on the failed page.
    await page.goto(`${app.url}/failed`);
    expect(await page.locator(`#failed tr[data-url="${DOC_URLS.a}"]`).count()).toBe(0);
  }, 90_000);

  it("re-runs the failed extract job with bull-board's Retry, fresh, and the record is stored", async () => {
    await page.goto(`${app.url}/queues/queue/extract?status=failed`);
    const card = page.locator('[class*="card-"]', { has: page.locator(`a[href*="/extract/${failedJobId}"]`) });
    // The card opens on its Error tab: the reason the job failed.
    await card.getByText('converter_missing').first().waitFor();
    await shot('06-board-failed');
    await card.locator('button:has(svg.lucide-refresh-cw)').first().click();
    await page.locator('[role=alertdialog] button', { hasText: 'Confirm' }).click();
    const job = await eventually(async () => {
      const j = await queues.extract.getJob(failedJobId);
      return j && (await j.getState()) === 'completed' ? j : undefined;
    }, 60_000, 'the retried job to complete');
    // Fresh: the attempt counter restarted at 0, so this ran as attempt 1 of 2 (a second attempt if a
    // loaded machine made the first fail), not as attempt 3 of 2 that BullMQ would never retry.
    if (job.attemptsMade !== 1) console.warn(`retried job needed ${job.attemptsMade} attempts: ${(job.stacktrace ?? []).join(' | ')}`);
    expect(job.attemptsMade).toBeLessThanOrEqual(2);
    // Forced, so the stored failed record of the same bytes did not count as done.
    expect(job.data.force).toBe(true);
    expect((await world.ctx.store.getRecord(DOC_URLS.b))!.record.status).toBe('valid');
    await page.goto(`${app.url}/review/record?url=${encodeURIComponent(DOC_URLS.b)}`);
    await expect(page.textContent('#status')).resolves.toBe('valid');
    await shot('07-record-b-valid');
  }, 90_000);

  it('opens a flagged record and highlights exactly the grid cells its identity_failed issues name', async () => {
    await page.goto(`${app.url}/review?status=flagged`);
    await page.click(`#records tr[data-url="${world.flaggedUrl}"] a >> nth=0`);
    await page.waitForURL(/\/review\/record\?url=/);
    await expect(page.textContent('#status')).resolves.toBe('flagged');
    const expected = await expectedFlagged(world.flaggedUrl);
    expect(expected.length).toBeGreaterThan(10);
    expect(await flaggedOnPage()).toEqual(expected);
    // The values table marks the same fields; hovering a flagged cell names its field and value.
    const flaggedFields = await page.$$eval('#values tr.flagged', (trs) => trs.map((tr) => tr.getAttribute('data-field')));
    expect(flaggedFields.length).toBeGreaterThanOrEqual(expected.length);
    const first = page.locator('#source td.flagged').first();
    await first.scrollIntoViewIfNeeded();
    const title = await first.getAttribute('title');
    expect(title).toMatch(/^applications\.\S+ = \d+/);
    expect(title).toContain('identity_failed');
    await first.hover();
    await shot('08-flagged-html');
  });

  it.skipIf(!withPdf)('does the same for the real 010 PDF, with pages and boxes', async () => {
    await page.goto(`${app.url}/review/record?url=${encodeURIComponent(PDF_URL)}`);
    await expect(page.textContent('#status')).resolves.toBe('flagged');
    const expected = await expectedFlagged(PDF_URL);
    expect(expected.length).toBe(10); // review.* and litigation.afterReview.*: 5 cells each
    expect(await flaggedOnPage()).toEqual(expected);
    const reviewTotal = page.locator('#values tr[data-field="review.total"]');
    // flagged by its issue; the page script adds blamed while its identity is broken.
    await expect(reviewTotal.getAttribute('class')).resolves.toMatch(/^flagged( blamed)?$/);
    await expect(reviewTotal.locator('a').getAttribute('title')).resolves.toMatch(/page 4 \[\d/);
    await expect(page.locator('#source td.flagged').first().getAttribute('title')).resolves.toMatch(/\npage 4 \[[\d.]+, [\d.]+, [\d.]+, [\d.]+\]$/);
    await page.locator('#source td.flagged').first().scrollIntoViewIfNeeded();
    await shot('09-flagged-pdf');
  }, 60_000);

  it('ran without a Content-Security-Policy violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
