/**
 * Closing a crawl's run: fold its ledger into the run record, store the per-portal stats, judge
 * each portal against its history, raise or resolve alerts, write and send the morning summary.
 * Exactly one caller closes a run: the row is claimed (running → closing) first, so in
 * distributed mode the worker that settles the last job wins and every other one does nothing.
 */
import type { MonitoringConfig } from '../crawl/config.js';
import type { Store } from '../store/index.js';
import { aggregatePortals, totalsOf } from './aggregate.js';
import { HEALTH_DEFAULTS, type HealthOptions, judgePortal } from './health.js';
import { type AlertChanges, applyFindings, portalHistory, saveRunPortals } from './history.js';
import { type CrawlRunRow, getCrawlRun, listItems } from './ledger.js';
import { type Published, publishSummary } from './publish.js';
import { type MorningSummary, type NewFailure, type NewReport, morningSummary } from './summary.js';
import type { AlertFinding, RunRecord } from './types.js';

export interface CloseOptions {
  /** Where the summary files go (`<dataDir>/runs/`); none: no files. */
  dataDir?: string;
  monitoring?: MonitoringConfig;
  /** Gets the summary's text (the log). */
  log?: (text: string) => void;
  health?: Partial<HealthOptions>;
  /** The run ended in an error: stored as failed, portals not judged (the crawl is incomplete). */
  error?: string;
  /** Counters to store in runs.counters instead of the record's totals (local mode keeps its summary's). */
  counters?: Record<string, number>;
  now?: () => Date;
  backoffMs?: number;
  /** Closed crawls whose ledger items are kept (default KEEP_LEDGERS); older ones keep only their record. */
  keepLedgers?: number;
}

/**
 * A national crawl leaves a ledger item per document and stage each night: once its record is
 * written, a crawl's items are only needed to tell the next night's new failures from old ones.
 */
export const KEEP_LEDGERS = 7;

export interface ClosedRun {
  record: RunRecord;
  alerts: AlertChanges;
  summary: MorningSummary;
  published: Published;
}

/** Close the crawl's run if it is still running and nobody else is closing it; null otherwise. */
export async function closeCrawlRun(store: Store, crawlId: string, opts: CloseOptions = {}): Promise<ClosedRun | null> {
  const run = await getCrawlRun(store, crawlId);
  if (!run || run.status !== 'running') return null;
  const claim = await store.db.updateTable('runs').set({ status: 'closing' }).where('id', '=', run.id).where('status', '=', 'running').executeTakeFirst();
  if (Number(claim.numUpdatedRows) === 0) return null;
  try {
    return await close(store, run, opts);
  } catch (err) {
    // Never leave a run claimed and unfinished: it would look like a crawl that never ends.
    await store.db.updateTable('runs').set({ status: 'failed', finished_at: new Date().toISOString(), error_message: `closing the run failed: ${err instanceof Error ? err.message : String(err)}` }).where('id', '=', run.id).execute();
    throw err;
  }
}

async function close(store: Store, run: CrawlRunRow, opts: CloseOptions): Promise<ClosedRun> {
  const finishedAt = (opts.now?.() ?? new Date()).toISOString();
  const items = await listItems(store, run.crawlId);
  const portals = aggregatePortals(items, run.portals);
  const record: RunRecord = { runId: run.id, crawlId: run.crawlId, mode: run.mode, status: opts.error ? 'failed' : 'done', startedAt: run.startedAt, finishedAt, totals: totalsOf(portals), portals };
  let alerts: AlertChanges = { raised: [], ongoing: [], resolved: [] };
  if (!opts.error) {
    const health = { ...HEALTH_DEFAULTS, ...opts.health };
    const findings: AlertFinding[] = [];
    for (const stats of portals) {
      const history = await portalHistory(store, stats.portalId, run.id);
      findings.push(...judgePortal({ runId: run.id, crawlId: run.crawlId, startedAt: run.startedAt, stats }, history, health));
    }
    await saveRunPortals(store, run, portals);
    alerts = await applyFindings(store, run, portals.map((p) => p.portalId), findings, finishedAt);
  }
  const { failures, pending, ...numbers } = record.totals;
  await store.db
    .updateTable('runs')
    .set({ status: record.status, finished_at: finishedAt, counters: JSON.stringify(opts.counters ?? { ...numbers, failures: Object.values(failures).reduce((a, b) => a + b, 0) }), record: JSON.stringify(record), error_message: opts.error ?? null })
    .where('id', '=', run.id)
    .execute();
  const summary = morningSummary(record, alerts, await newReports(store, run), await newFailures(store, run));
  await pruneLedger(store, run.id, opts.keepLedgers ?? KEEP_LEDGERS);
  const published = await publishSummary(summary, { ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.monitoring ? { monitoring: opts.monitoring } : {}), ...(opts.log ? { log: opts.log } : {}), ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}) });
  return { record, alerts, summary, published };
}

/** Documents of the crawl's portals first seen since it started. */
async function newReports(store: Store, run: CrawlRunRow): Promise<NewReport[]> {
  if (!run.portals.length) return [];
  const rows = await store.db.selectFrom('documents').select(['url', 'portal_id', 'title']).where('portal_id', 'in', run.portals).where('discovered_at', '>=', run.startedAt).orderBy('id').execute();
  return rows.map((r) => ({ url: r.url, portalId: r.portal_id, title: r.title }));
}

/** Items that failed in this crawl but not in the crawl before it. */
async function newFailures(store: Store, run: CrawlRunRow): Promise<NewFailure[]> {
  const failed = await store.db.selectFrom('run_items').select(['stage', 'item_key', 'portal_id', 'reason', 'status']).where('crawl_id', '=', run.crawlId).where((eb) => eb.or([eb('state', '=', 'failed'), eb('status', '=', 'failed')])).orderBy('id').execute();
  if (!failed.length) return [];
  const prev = await store.db.selectFrom('runs').select('crawl_id').where('id', '<', run.id).where('crawl_id', 'is not', null).where('status', '=', 'done').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const before = new Set<string>();
  if (prev?.crawl_id) {
    const rows = await store.db.selectFrom('run_items').select(['stage', 'item_key']).where('crawl_id', '=', prev.crawl_id).where((eb) => eb.or([eb('state', '=', 'failed'), eb('status', '=', 'failed')])).execute();
    for (const r of rows) before.add(`${r.stage}\u0000${r.item_key}`);
  }
  return failed.filter((f) => !before.has(`${f.stage}\u0000${f.item_key}`)).map((f) => ({ stage: f.stage, url: f.item_key, portalId: f.portal_id, reason: f.reason ?? 'failed' }));
}

/** Delete the ledger items of closed crawls older than the `keep` most recent (this one included). */
async function pruneLedger(store: Store, runId: number, keep: number): Promise<void> {
  const old = await store.db
    .selectFrom('runs')
    .select('crawl_id')
    .where('crawl_id', 'is not', null)
    .where('status', 'in', ['done', 'failed'])
    .where('id', '<=', runId)
    .orderBy('id', 'desc')
    .offset(Math.max(1, keep))
    .limit(1000)
    .execute();
  const ids = old.map((r) => r.crawl_id!).filter(Boolean);
  if (ids.length) await store.db.deleteFrom('run_items').where('crawl_id', 'in', ids).execute();
}
