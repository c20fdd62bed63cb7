/**
 * A closed run's per-portal stats (run_portals), each portal's history of them, and the alerts
 * raised from them (portal_alerts). An alert stays open while later runs still find the same
 * fault (they only move its last_run_id), and is resolved by the first run that no longer does:
 * a portal broken for a week is one alert, not seven.
 */
import type { Selectable } from 'kysely';
import type { Store } from '../store/index.js';
import type { PortalAlertsTable } from '../store/tables.js';
import type { HistoryEntry } from './health.js';
import type { AlertFinding, PortalAlert, PortalRunStats } from './types.js';

export async function saveRunPortals(store: Store, run: { id: number; crawlId: string; startedAt: string }, stats: readonly PortalRunStats[]): Promise<void> {
  await store.db.deleteFrom('run_portals').where('run_id', '=', run.id).execute();
  if (!stats.length) return;
  await store.db
    .insertInto('run_portals')
    .values(stats.map((s) => ({ run_id: run.id, crawl_id: run.crawlId, portal_id: s.portalId, started_at: run.startedAt, stats: JSON.stringify(s) })))
    .execute();
}

/** The portal's runs before `beforeRunId`, newest first. */
export async function portalHistory(store: Store, portalId: string, beforeRunId: number, limit = 60): Promise<HistoryEntry[]> {
  const rows = await store.db.selectFrom('run_portals').selectAll().where('portal_id', '=', portalId).where('run_id', '<', beforeRunId).orderBy('run_id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ runId: r.run_id, crawlId: r.crawl_id, startedAt: r.started_at, stats: JSON.parse(r.stats) as PortalRunStats }));
}

function fromAlertRow(r: Selectable<PortalAlertsTable>): PortalAlert {
  return {
    id: r.id,
    portalId: r.portal_id,
    kind: r.kind as PortalAlert['kind'],
    message: r.message,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    raisedRunId: r.raised_run_id,
    raisedCrawlId: r.raised_crawl_id,
    raisedAt: r.raised_at,
    lastRunId: r.last_run_id,
    resolvedRunId: r.resolved_run_id,
    resolvedAt: r.resolved_at,
  };
}

export async function listAlerts(store: Store, filter: { open?: boolean; runId?: number; portalId?: string; limit?: number } = {}): Promise<PortalAlert[]> {
  let q = store.db.selectFrom('portal_alerts').selectAll();
  if (filter.open) q = q.where('resolved_run_id', 'is', null);
  if (filter.runId !== undefined) q = q.where('raised_run_id', '=', filter.runId);
  if (filter.portalId) q = q.where('portal_id', '=', filter.portalId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 500).execute();
  return rows.map(fromAlertRow);
}

export interface AlertChanges {
  raised: PortalAlert[];
  ongoing: PortalAlert[];
  resolved: PortalAlert[];
}

/** Apply a run's findings for its portals: raise new alerts, keep open ones, resolve the rest. */
export async function applyFindings(store: Store, run: { id: number; crawlId: string }, portalIds: readonly string[], findings: readonly AlertFinding[], at = new Date().toISOString()): Promise<AlertChanges> {
  const out: AlertChanges = { raised: [], ongoing: [], resolved: [] };
  for (const portalId of portalIds) {
    const open = await listAlerts(store, { open: true, portalId });
    const mine = findings.filter((f) => f.portalId === portalId);
    for (const f of mine) {
      const same = open.find((a) => a.kind === f.kind);
      if (same) {
        await store.db.updateTable('portal_alerts').set({ last_run_id: run.id }).where('id', '=', same.id).execute();
        out.ongoing.push({ ...same, lastRunId: run.id });
        continue;
      }
      const row = await store.db
        .insertInto('portal_alerts')
        .values({ portal_id: portalId, kind: f.kind, message: f.message, evidence: JSON.stringify(f.evidence), raised_run_id: run.id, raised_crawl_id: run.crawlId, raised_at: at, last_run_id: run.id, resolved_run_id: null, resolved_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      out.raised.push(fromAlertRow(row));
    }
    for (const a of open.filter((a) => !mine.some((f) => f.kind === a.kind))) {
      await store.db.updateTable('portal_alerts').set({ resolved_run_id: run.id, resolved_at: at }).where('id', '=', a.id).execute();
      out.resolved.push({ ...a, resolvedRunId: run.id, resolvedAt: at });
    }
  }
  return out;
}
