/**
 * The state of a crawl, from its run row and ledger: settled or not, per stage and per portal
 * what is pending, done and failed, a rate and an ETA, the portal alerts of a closed run. The same
 * object feeds `nianbao status` and the /runs page.
 */
import type { Store } from '../store/index.js';
import { aggregatePortals, totalsOf } from './aggregate.js';
import { listAlerts } from './history.js';
import { type CrawlRunRow, getCrawlRun, latestCrawlRun, listItems } from './ledger.js';
import type { PortalAlert, PortalRunStats, RunRecord, RunTotals, Stage } from './types.js';

export interface StageStatus {
  pending: number;
  done: number;
  failed: number;
}

export interface CrawlStatus {
  runId: number;
  crawlId: string;
  mode: CrawlRunRow['mode'];
  status: CrawlRunRow['status'];
  /** Every job of the crawl settled and the run record written. */
  settled: boolean;
  startedAt: string;
  finishedAt: string | null;
  stages: Record<Stage, StageStatus>;
  totals: RunTotals;
  portals: PortalRunStats[];
  /** Items settled per second so far, and the time left at that rate (null when unknown). */
  rate: number | null;
  etaSeconds: number | null;
  /** Alerts this run raised or kept open. */
  alerts: PortalAlert[];
}

export class CrawlNotFoundError extends Error {
  constructor(readonly crawlId: string | null) {
    super(crawlId ? `no crawl "${crawlId}" in the store` : 'no crawl in the store yet');
  }
}

export async function crawlStatus(store: Store, crawlId?: string, now: () => number = Date.now): Promise<CrawlStatus> {
  const run = crawlId ? await getCrawlRun(store, crawlId) : await latestCrawlRun(store);
  if (!run) throw new CrawlNotFoundError(crawlId ?? null);
  const settled = run.status === 'done' || run.status === 'failed';
  let portals: PortalRunStats[];
  const stages: Record<Stage, StageStatus> = { discover: { pending: 0, done: 0, failed: 0 }, fetch: { pending: 0, done: 0, failed: 0 }, extract: { pending: 0, done: 0, failed: 0 } };
  const items = await listItems(store, run.crawlId);
  for (const it of items) stages[it.stage][it.state]++;
  if (settled && run.record) portals = (JSON.parse(run.record) as RunRecord).portals;
  else portals = aggregatePortals(items, run.portals);
  const totals = totalsOf(portals);
  const pending = stages.discover.pending + stages.fetch.pending + stages.extract.pending;
  const doneItems = items.length - pending;
  const elapsed = ((settled && run.finishedAt ? Date.parse(run.finishedAt) : now()) - Date.parse(run.startedAt)) / 1000;
  const rate = elapsed > 0 && doneItems > 0 ? doneItems / elapsed : null;
  const alerts = settled ? (await listAlerts(store)).filter((a) => a.raisedRunId === run.id || (a.lastRunId === run.id && a.resolvedRunId === null)) : [];
  return {
    runId: run.id,
    crawlId: run.crawlId,
    mode: run.mode,
    status: run.status,
    settled,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    stages,
    totals,
    portals,
    rate,
    etaSeconds: settled ? 0 : rate && pending ? pending / rate : null,
    alerts,
  };
}

/** Poll until the crawl settles (or `timeoutMs` passes: then the last status, unsettled). */
export async function waitSettled(store: Store, crawlId: string | undefined, o: { timeoutMs?: number; intervalMs?: number; onTick?: (s: CrawlStatus) => void } = {}): Promise<CrawlStatus> {
  const end = o.timeoutMs !== undefined ? Date.now() + o.timeoutMs : Infinity;
  for (;;) {
    let s: CrawlStatus | null = null;
    try {
      s = await crawlStatus(store, crawlId);
    } catch (err) {
      // A crawl just enqueued has no run row until its first job starts: wait for it.
      if (!(err instanceof CrawlNotFoundError) || Date.now() >= end) throw err;
    }
    if (s) {
      o.onTick?.(s);
      if (s.settled || Date.now() >= end) return s;
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 1000));
  }
}

export function formatStatus(s: CrawlStatus): string {
  const t = s.totals;
  const st = (k: Stage) => `${k} ${s.stages[k].done + s.stages[k].failed}/${s.stages[k].done + s.stages[k].failed + s.stages[k].pending}${s.stages[k].failed ? ` (${s.stages[k].failed} failed)` : ''}`;
  const out = [
    `crawl ${s.crawlId} (run ${s.runId}, ${s.mode}): ${s.settled ? s.status : 'running'}, started ${s.startedAt}${s.finishedAt ? `, finished ${s.finishedAt}` : ''}`,
    `  ${(['discover', 'fetch', 'extract'] as const).map(st).join(' · ')}${s.settled ? '' : s.etaSeconds !== null ? ` · ETA ${Math.ceil(s.etaSeconds)} s` : ''}`,
    `  reports ${t.reportsFound} found (${t.reportsNew} new, ${t.reportsGone} gone) · fetched ${t.fetched}, not modified ${t.notModified}, failed ${t.fetchFailed} · records ${t.valid} valid, ${t.flagged} flagged, ${t.failed} failed`,
    '  portal                         pending d/f/e   reports  new  fetched  304  failed  valid  flagged  failed',
  ];
  for (const p of s.portals) {
    const fails = p.fetchFailed + p.extractSkipped;
    out.push(`  ${p.portalId.padEnd(30)} ${`${p.pending.discover}/${p.pending.fetch}/${p.pending.extract}`.padStart(15)} ${String(p.reportsFound).padStart(8)} ${String(p.reportsNew).padStart(4)} ${String(p.fetched).padStart(8)} ${String(p.notModified).padStart(4)} ${String(fails).padStart(7)} ${String(p.valid).padStart(6)} ${String(p.flagged).padStart(8)} ${String(p.failed).padStart(7)}`);
  }
  if (s.alerts.length) {
    out.push(`  portal alerts (${s.alerts.length}):`);
    for (const a of s.alerts) out.push(`    ${a.raisedRunId === s.runId ? 'NEW ' : 'OPEN'} ${a.portalId}  ${a.kind}: ${a.message}`);
  } else if (s.settled) out.push('  portal alerts: none');
  return `${out.join('\n')}\n`;
}
