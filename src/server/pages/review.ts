/** /review: the records matching a filter, with counts per status and keyset paging. Pure. */
import { ISSUE_CODES, type RecordStatus } from '../../validate/schema.js';
import { html, pathWith } from '../html.js';
import { type Chrome, page, shortTime } from '../layout.js';
import { PAGE_SIZE, type ReviewPage, type ReviewQuery, STATUSES, TEMPLATE_IDS } from '../review-query.js';
import { issuePhrase, issueShort } from '../phrases.js';

export interface ReviewExtras {
  /** Matching records per issue code. */
  issues: ReadonlyMap<string, number>;
  /** sort=effort: how many records match (the rows are one page of them). */
  effortTotal?: number;
}

export const recordHref = (url: string) => pathWith('/review/record', { url });

function filterParams(q: ReviewQuery): Record<string, string | number | undefined> {
  const f = q.filter;
  return { status: f.status, issue: f.issueCode, region: f.region, year: f.year, template: f.template, agency: f.agency, sort: q.sort };
}

export function reviewPageHtml(query: ReviewQuery, result: ReviewPage, counts: { total: number; byStatus: Record<RecordStatus, number> }, chrome: Chrome, extras: ReviewExtras = { issues: new Map() }) {
  const f = query.filter;
  const params = filterParams(query);
  const effort = query.sort === 'effort';
  const option = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : null}>${label}</option>`;
  const all = STATUSES.reduce((s, k) => s + counts.byStatus[k], 0);
  const facet = (status: RecordStatus | undefined, label: string, n: number) =>
    f.status === status ? html`<strong>${label} (${n})</strong>` : html`<a href="${pathWith('/review', { ...params, status })}">${label} (${n})</a>`;

  const body = html`<h1>Records</h1>
<form class="filters card" method="get" action="/review">
<label>Status<select name="status">${option('', 'any', f.status)}${STATUSES.map((s) => option(s, s, f.status))}</select></label>
<label>Issue<select name="issue">${option('', 'any', f.issueCode)}${Object.keys(ISSUE_CODES).map((c) => option(c, `${c} – ${issueShort(c)}`, f.issueCode))}</select></label>
<label>Agency (part of the name)<input name="agency" value="${f.agency ?? ''}" size="14" maxlength="64"></label>
<label>Region (code prefix or name)<input name="region" value="${f.region ?? ''}" size="14" maxlength="64"></label>
<label>Year<input name="year" value="${f.year ?? ''}" size="5" maxlength="4" inputmode="numeric" pattern="[0-9]{4}"></label>
<label>Template<select name="template">${option('', 'any', f.template)}${TEMPLATE_IDS.map((t) => option(t, t, f.template))}</select></label>
<label>Order<select name="sort">${option('', 'newest first', query.sort)}${option('effort', 'quickest to settle first (fewest blamed cells)', query.sort)}</select></label>
<button type="submit">Filter</button>
<a href="/review">Clear</a>
</form>
${query.errors ? html`<p class="notice error" id="filter-errors" role="alert">Not listed: ${query.errors.join(' ')}</p>` : null}
<p class="facets">${facet(undefined, 'all', all)}${STATUSES.map((s) => facet(s, s, counts.byStatus[s]))}</p>
${extras.issues.size ? html`<p class="facets small" id="issue-counts">${[...extras.issues].map(([c, n]) => html`<a class="chip" data-issue="${c}" title="${issuePhrase(c)}" href="${pathWith('/review', { ...params, issue: c })}">${c} – ${issueShort(c)} (${n})</a>`)}</p>` : null}
<p class="muted small" id="count">${counts.total} record${counts.total === 1 ? '' : 's'} match.</p>
${result.rows.length
  ? html`<table class="list" id="records">
<thead><tr><th>#</th><th>Status</th>${effort ? html`<th title="cells named by error issues">To settle</th>` : null}<th>Agency</th><th>Year</th><th>Template</th><th>Region</th><th>Issues</th><th>Extracted</th></tr></thead>
<tbody>${result.rows.map(
      (r) => html`<tr data-url="${r.url}">
<td class="num"><a href="${recordHref(r.url)}">${r.id}</a></td>
<td><span class="badge ${r.status}">${r.status}</span></td>
${effort ? html`<td class="num" data-effort>${'effort' in r ? (r as { effort: number }).effort : ''}</td>` : null}
<td><a href="${recordHref(r.url)}">${r.agency ?? '(unknown agency)'}</a><div class="muted small">${r.url}</div></td>
<td>${r.year ?? '–'}</td>
<td>${r.template ?? '–'}</td>
<td>${r.regionName ?? ''} <span class="muted small">${r.regionCode ?? ''}</span></td>
<td>${r.issueCodes.map((c) => html`<a class="chip" title="${issuePhrase(c)}" href="${pathWith('/review', { ...params, issue: c })}">${c}</a>`)}</td>
<td class="small muted">${shortTime(r.extractedAt)}</td>
</tr>`,
    )}</tbody></table>`
  : html`<p class="card">No records match.</p>`}
<nav class="pager">
${result.newer !== null ? html`<a rel="prev" href="${pathWith('/review', { ...params, after: result.newer })}">← Newer</a>` : null}
${result.older !== null ? html`<a rel="next" href="${pathWith('/review', { ...params, before: result.older })}">Older →</a>` : null}
${effort && (query.page ?? 1) > 1 ? html`<a rel="prev" href="${pathWith('/review', { ...params, page: (query.page ?? 1) - 1 })}">← Quicker</a>` : null}
${effort && (query.page ?? 1) * PAGE_SIZE < (extras.effortTotal ?? 0) ? html`<a rel="next" href="${pathWith('/review', { ...params, page: (query.page ?? 1) + 1 })}">Slower →</a>` : null}
</nav>`;
  return page('Records', 'review', chrome, body);
}
