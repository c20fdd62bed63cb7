/**
 * The morning summary of a closed crawl: totals, new reports, new failures and portal alerts, as
 * JSON (for a webhook or a script) and as a few lines of text (for a log or a mail). Pure.
 */
import type { AlertChanges } from './history.js';
import type { PortalAlert, RunRecord } from './types.js';

export interface NewReport {
  url: string;
  portalId: string;
  title: string | null;
}

export interface NewFailure {
  stage: string;
  url: string;
  portalId: string;
  reason: string;
}

export interface MorningSummary {
  crawlId: string;
  runId: number;
  mode: RunRecord['mode'];
  status: RunRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  totals: RunRecord['totals'];
  newReports: { count: number; items: NewReport[] };
  newFailures: { count: number; items: NewFailure[] };
  alerts: { raised: AlertLine[]; ongoing: AlertLine[]; resolved: AlertLine[] };
}

export type AlertLine = Pick<PortalAlert, 'id' | 'portalId' | 'kind' | 'message' | 'evidence' | 'raisedAt' | 'raisedCrawlId'>;

/** Lists are cut here in the summary (the counts stay whole). */
const MAX_ITEMS = 100;

const line = (a: PortalAlert): AlertLine => ({ id: a.id, portalId: a.portalId, kind: a.kind, message: a.message, evidence: a.evidence, raisedAt: a.raisedAt, raisedCrawlId: a.raisedCrawlId });

export function morningSummary(record: RunRecord, alerts: AlertChanges, newReports: readonly NewReport[], newFailures: readonly NewFailure[]): MorningSummary {
  const seconds = record.finishedAt ? (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000 : null;
  return {
    crawlId: record.crawlId,
    runId: record.runId,
    mode: record.mode,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    seconds,
    totals: record.totals,
    newReports: { count: newReports.length, items: newReports.slice(0, MAX_ITEMS) },
    newFailures: { count: newFailures.length, items: newFailures.slice(0, MAX_ITEMS) },
    alerts: { raised: alerts.raised.map(line), ongoing: alerts.ongoing.map(line), resolved: alerts.resolved.map(line) },
  };
}

export function formatMorningSummary(s: MorningSummary): string {
  const t = s.totals;
  const out = [
    `nianbao crawl ${s.crawlId} (run ${s.runId}, ${s.mode}): ${s.status}${s.seconds !== null ? ` in ${duration(s.seconds)}` : ''}`,
    `  portals     ${t.portals}, listing pages ${t.listingPages} (${t.pagesNotModified} pages unchanged)`,
    `  reports     ${t.reportsFound} found: ${t.reportsNew} new, ${t.reportsUnchanged} seen before, ${t.reportsGone} gone from the listings`,
    `  documents   ${t.fetched} fetched (${t.fetchedChanged} new or changed), ${t.notModified} not modified, ${t.fetchFailed} failed`,
    `  records     ${t.extracted} made: ${t.valid} valid, ${t.flagged} flagged, ${t.failed} failed${t.extractSkipped ? `; ${t.extractSkipped} not extracted` : ''}`,
  ];
  const reasons = Object.entries(t.failures).sort((a, b) => b[1] - a[1]);
  if (reasons.length) out.push(`  failures    ${reasons.map(([r, n]) => `${n} ${r}`).join(', ')}`);
  if (s.newFailures.count) {
    out.push(`  new failures (${s.newFailures.count}):`);
    for (const f of s.newFailures.items.slice(0, 20)) out.push(`    ${f.stage.padEnd(8)} ${f.reason.padEnd(20)} ${f.url}`);
    if (s.newFailures.count > 20) out.push(`    … ${s.newFailures.count - 20} more in the JSON summary`);
  }
  const { raised, ongoing, resolved } = s.alerts;
  if (raised.length + ongoing.length + resolved.length) {
    out.push(`  portal alerts: ${raised.length} new, ${ongoing.length} still open, ${resolved.length} resolved`);
    for (const a of raised) out.push(`    NEW      ${a.portalId}  ${a.kind}: ${a.message}`);
    for (const a of ongoing) out.push(`    OPEN     ${a.portalId}  ${a.kind} (since ${a.raisedCrawlId}): ${a.message}`);
    for (const a of resolved) out.push(`    RESOLVED ${a.portalId}  ${a.kind}`);
  } else out.push('  portal alerts: none');
  return `${out.join('\n')}\n`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
