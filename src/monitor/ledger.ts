/**
 * The crawl's ledger in the store (run_items) and the run row it belongs to. A stage marks the
 * items it hands on as pending before it enqueues them, and each item settles (done or failed)
 * when its work is over; a crawl whose items are all settled is over. Inserting a pending item
 * never overwrites a settled one, so a follow-up job that finishes before its parent's write is
 * not undone.
 */
import type { Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import type { RunItemsTable, RunsTable } from '../store/tables.js';
import { chunks } from '../store/util.js';
import type { ItemOutcome, RunItem, Stage } from './types.js';

export interface CrawlRunRow {
  id: number;
  crawlId: string;
  mode: 'local' | 'distributed';
  status: RunsTable['status'];
  startedAt: string;
  finishedAt: string | null;
  portals: string[];
  record: string | null;
}

function fromRow(r: Selectable<RunsTable>): CrawlRunRow {
  return {
    id: r.id,
    crawlId: r.crawl_id ?? '',
    mode: r.mode === 'distributed' ? 'distributed' : 'local',
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    portals: r.portals ? (JSON.parse(r.portals) as string[]) : [],
    record: r.record,
  };
}

export async function getCrawlRun(store: Store, crawlId: string): Promise<CrawlRunRow | null> {
  const r = await store.db.selectFrom('runs').selectAll().where('crawl_id', '=', crawlId).executeTakeFirst();
  return r ? fromRow(r) : null;
}

/** The most recently started crawl run. */
export async function latestCrawlRun(store: Store): Promise<CrawlRunRow | null> {
  const r = await store.db.selectFrom('runs').selectAll().where('crawl_id', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? fromRow(r) : null;
}

export async function listCrawlRuns(store: Store, limit = 50): Promise<CrawlRunRow[]> {
  const rows = await store.db.selectFrom('runs').selectAll().where('crawl_id', 'is not', null).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

/**
 * The run row of a crawl, made on first call; later calls (another portal's discover job, the
 * same crawl enqueued again) add their portals to it. Each portal gets a pending discover item.
 */
export async function openCrawlRun(store: Store, o: { crawlId: string; mode: 'local' | 'distributed'; portals: readonly string[]; at?: string; kind?: string; reopen?: boolean }): Promise<CrawlRunRow> {
  const at = o.at ?? new Date().toISOString();
  await store.db
    .insertInto('runs')
    .values({ kind: o.kind ?? 'crawl', status: 'running', started_at: at, counters: '{}', crawl_id: o.crawlId, mode: o.mode, portals: JSON.stringify(o.portals), record: null })
    .onConflict((oc) => oc.column('crawl_id').doNothing())
    .execute();
  let run = (await getCrawlRun(store, o.crawlId))!;
  const missing = o.portals.filter((p) => !run.portals.includes(p));
  if (missing.length) {
    // Two workers may add portals at once: re-read and merge until the write is ours.
    for (let i = 0; i < 5 && missing.length; i++) {
      const merged = [...new Set([...run.portals, ...o.portals])];
      const res = await store.db.updateTable('runs').set({ portals: JSON.stringify(merged) }).where('id', '=', run.id).where('portals', '=', JSON.stringify(run.portals)).executeTakeFirst();
      run = (await getCrawlRun(store, o.crawlId))!;
      if (Number(res.numUpdatedRows) > 0) break;
    }
  }
  // A closed run gets work again (a local run repeated under its crawl id, or portals added to a
  // distributed crawl after it settled): it runs again and is closed again over all its items.
  if ((missing.length || o.reopen) && (run.status === 'done' || run.status === 'failed')) {
    await store.db.updateTable('runs').set({ status: 'running', finished_at: null }).where('id', '=', run.id).where('status', '=', run.status).execute();
    run = (await getCrawlRun(store, o.crawlId))!;
  }
  await addPending(store, o.crawlId, 'discover', o.portals.map((p) => ({ key: p, portalId: p })));
  return run;
}

/** Items handed on to a stage; an item already there (pending or settled) is left as it is. */
export async function addPending(store: Store, crawlId: string, stage: Stage, items: readonly { key: string; portalId: string }[]): Promise<void> {
  const at = new Date().toISOString();
  for (const batch of chunks([...new Map(items.map((i) => [i.key, i])).values()], 500)) {
    await store.db
      .insertInto('run_items')
      .values(batch.map((i) => ({ crawl_id: crawlId, stage, item_key: i.key, portal_id: i.portalId, state: 'pending' as const, outcome: null, status: null, reason: null, detail: null, updated_at: at })))
      .onConflict((oc) => oc.columns(['crawl_id', 'stage', 'item_key']).doNothing())
      .execute();
  }
}

/** Record what a stage did with an item (the last attempt's outcome wins). */
export async function settleItem(store: Store, crawlId: string, stage: Stage, key: string, outcome: ItemOutcome, portalId?: string): Promise<void> {
  const set = { state: outcome.state, outcome: outcome.outcome, status: outcome.status, reason: outcome.reason, detail: outcome.detail ? JSON.stringify(outcome.detail) : null, updated_at: new Date().toISOString() };
  const res = await store.db.updateTable('run_items').set(set).where('crawl_id', '=', crawlId).where('stage', '=', stage).where('item_key', '=', key).executeTakeFirst();
  if (Number(res.numUpdatedRows) > 0) return;
  const portal = portalId ?? (stage === 'discover' ? key : ((await store.getDocument(key))?.portalId ?? ''));
  await store.db
    .insertInto('run_items')
    .values({ crawl_id: crawlId, stage, item_key: key, portal_id: portal, ...set })
    .onConflict((oc) => oc.columns(['crawl_id', 'stage', 'item_key']).doUpdateSet(set))
    .execute();
}

/** A job failed for good: its item, if still pending, fails with the job's reason. */
export async function failIfPending(store: Store, crawlId: string, stage: Stage, key: string, reason: string): Promise<boolean> {
  const res = await store.db
    .updateTable('run_items')
    .set({ state: 'failed', outcome: stage === 'extract' ? 'skipped' : 'failed', reason, updated_at: new Date().toISOString() })
    .where('crawl_id', '=', crawlId)
    .where('stage', '=', stage)
    .where('item_key', '=', key)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function pendingCount(store: Store, crawlId: string): Promise<number> {
  const r = await store.db.selectFrom('run_items').select((eb) => eb.fn.countAll().as('n')).where('crawl_id', '=', crawlId).where('state', '=', 'pending').executeTakeFirstOrThrow();
  return Number(r.n);
}

function fromItemRow(r: Selectable<RunItemsTable>): RunItem {
  return { crawlId: r.crawl_id, stage: r.stage as Stage, key: r.item_key, portalId: r.portal_id, state: r.state, outcome: r.outcome, status: r.status, reason: r.reason, detail: r.detail ? JSON.parse(r.detail) : null };
}

export async function listItems(store: Store, crawlId: string): Promise<RunItem[]> {
  const rows = await store.db.selectFrom('run_items').selectAll().where('crawl_id', '=', crawlId).orderBy('id').execute();
  return rows.map(fromItemRow);
}

/** When the crawl's last item settled (for rates and ETAs). */
export async function itemsProgress(store: Store, crawlId: string): Promise<{ stage: Stage; state: string; n: number }[]> {
  const rows = await store.db.selectFrom('run_items').select(['stage', 'state']).select((eb) => eb.fn.countAll().as('n')).where('crawl_id', '=', crawlId).groupBy(['stage', 'state']).execute();
  return rows.map((r) => ({ stage: r.stage as Stage, state: r.state, n: Number(r.n) }));
}
