/** /runs: the crawls' run records, and one crawl's state per stage and portal with its portal alerts. Pure. */
import type { CrawlRunRow } from '../../monitor/ledger.js';
import type { CrawlStatus } from '../../monitor/status.js';
import type { PortalAlert } from '../../monitor/types.js';
import { html, pathWith } from '../html.js';
import { type Chrome, page, shortTime } from '../layout.js';

export const runHref = (crawlId: string) => pathWith('/runs', { crawl: crawlId });

function alertsTable(alerts: readonly PortalAlert[], runId?: number) {
  return html`<table class="list" id="alerts"><thead><tr><th>Portal</th><th>Alert</th><th>Since</th><th>Evidence</th></tr></thead><tbody>
${alerts.map(
    (a) => html`<tr data-portal="${a.portalId}" data-kind="${a.kind}">
<td>${a.portalId}${runId !== undefined && a.raisedRunId === runId ? html` <span class="badge failed">new</span>` : null}</td>
<td><span class="badge flagged code">${a.kind}</span><div class="small">${a.message}</div></td>
<td class="small muted"><a href="${runHref(a.raisedCrawlId)}">${a.raisedCrawlId}</a><div>${shortTime(a.raisedAt)}</div></td>
<td class="small"><code>${JSON.stringify(a.evidence)}</code></td>
</tr>`,
  )}</tbody></table>`;
}

export function runsPageHtml(runs: readonly CrawlRunRow[], open: readonly PortalAlert[], chrome: Chrome) {
  const body = html`<h1>Runs</h1>
<h2>Open portal alerts</h2>
${open.length ? alertsTable(open) : html`<p class="card">No portal alert is open.</p>`}
<h2>Crawls</h2>
${runs.length
  ? html`<table class="list" id="runs"><thead><tr><th>Crawl</th><th>Mode</th><th>Status</th><th>Started</th><th>Finished</th><th>Portals</th></tr></thead><tbody>
${runs.map((r) => html`<tr data-crawl="${r.crawlId}"><td><a href="${runHref(r.crawlId)}">${r.crawlId}</a></td><td>${r.mode}</td><td>${r.status}</td><td class="small">${shortTime(r.startedAt)}</td><td class="small">${shortTime(r.finishedAt)}</td><td>${r.portals.length}</td></tr>`)}
</tbody></table>`
  : html`<p class="card">No crawl has run yet.</p>`}`;
  return page('Runs', 'runs', chrome, body);
}

export function runPageHtml(s: CrawlStatus, chrome: Chrome) {
  const t = s.totals;
  const stage = (k: 'discover' | 'fetch' | 'extract') => html`<td>${k}</td><td>${s.stages[k].pending}</td><td>${s.stages[k].done}</td><td>${s.stages[k].failed}</td>`;
  const body = html`<h1>Crawl ${s.crawlId}</h1>
<p class="muted">Run ${s.runId}, ${s.mode}: <strong id="run-status">${s.settled ? s.status : 'running'}</strong>; started ${shortTime(s.startedAt)}${s.finishedAt ? html`, finished ${shortTime(s.finishedAt)}` : null}${!s.settled && s.etaSeconds !== null ? html`; ETA ${Math.ceil(s.etaSeconds)} s` : null}.</p>
<table class="list" id="stages"><thead><tr><th>Stage</th><th>Pending</th><th>Done</th><th>Failed</th></tr></thead><tbody>
<tr>${stage('discover')}</tr><tr>${stage('fetch')}</tr><tr>${stage('extract')}</tr></tbody></table>
<p>Reports ${t.reportsFound} found (${t.reportsNew} new, ${t.reportsGone} gone) · fetched ${t.fetched}, not modified ${t.notModified}, failed ${t.fetchFailed} · records ${t.valid} valid, ${t.flagged} flagged, ${t.failed} failed.</p>
<h2>Portal alerts</h2>
${s.alerts.length ? alertsTable(s.alerts, s.runId) : html`<p class="card">${s.settled ? 'None.' : 'Judged when the crawl settles.'}</p>`}
<h2>Portals</h2>
<table class="list" id="portals"><thead><tr><th>Portal</th><th>Pending d/f/e</th><th>Listing pages</th><th>Links</th><th>Reports</th><th>New</th><th>Gone</th><th>Fetched</th><th>304</th><th>Failed</th><th>Valid</th><th>Flagged</th><th>Failed records</th><th>Failures</th></tr></thead><tbody>
${s.portals.map(
    (p) => html`<tr data-portal="${p.portalId}"><td>${p.portalId}</td><td>${p.pending.discover}/${p.pending.fetch}/${p.pending.extract}</td><td>${p.listingPages}</td><td>${p.listingLinks}</td><td>${p.reportsFound}</td><td>${p.reportsNew}</td><td>${p.reportsGone}</td><td>${p.fetched}</td><td>${p.notModified}</td><td>${p.fetchFailed + p.extractSkipped}</td><td>${p.valid}</td><td>${p.flagged}</td><td>${p.failed}</td><td class="small">${Object.entries(p.failures).map(([r, n]) => `${n} ${r}`).join(', ')}</td></tr>`,
  )}</tbody></table>`;
  return page(`Crawl ${s.crawlId}`, 'runs', chrome, body);
}
