/**
 * The quality report as one self-contained HTML page: inline SVG charts (charts.ts), the tables,
 * an inline style sheet, no script and nothing fetched — it opens from a file or from
 * `nianbao serve` the same. Pure: data in, markup out.
 */
import { type SafeHtml, html, raw } from '../server/html.js';
import type { QualityData } from './collect.js';
import { coverageChart, figureChart, mismatchChart, statusChart } from './charts.js';
import type { Cell, Table } from './tables.js';

/** Rows shown per table on the page; the CSV has them all. */
const PAGE_ROWS = 300;

const STYLE = `
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:1320px;padding:16px 24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:20px}.charts{display:flex;flex-wrap:wrap;gap:8px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}.note{color:#666;font-size:12px}
.scroll{max-height:480px;overflow:auto}
`;

const isNum = (c: Cell) => typeof c === 'number';
const show = (c: Cell) => (c === null ? '' : typeof c === 'number' ? (Number.isInteger(c) ? String(c) : String(+c.toPrecision(4))) : c);

function tableHtml(t: Table, csvHref: (name: string) => string): SafeHtml {
  const rows = t.rows.slice(0, PAGE_ROWS);
  return html`<h2 id="${t.name}">${t.title}</h2>
<p class="note">${t.rows.length} row(s)${t.rows.length > PAGE_ROWS ? `, the first ${PAGE_ROWS} shown` : ''} · <a href="${csvHref(t.name)}">${t.name}.csv</a></p>
${t.rows.length ? html`<div class="scroll"><table><thead><tr>${t.header.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => (isNum(c) ? html`<td class="n">${show(c)}</td>` : html`<td>${show(c)}</td>`))}</tr>`)}</tbody></table></div>` : html`<p>None.</p>`}`;
}

/** Coverage as a matrix: province rows, year columns, agencies with a report / known. */
function coverageMatrix(q: QualityData): SafeHtml {
  const provinces = [...new Set(q.coverage.cells.map((c) => c.provinceName))];
  const cell = (p: string, y: number) => q.coverage.cells.find((c) => c.provinceName === p && c.year === y);
  return html`<table><thead><tr><th>province</th>${q.coverage.years.map((y) => html`<th>${y}</th>`)}</tr></thead><tbody>${provinces.map(
    (p) => html`<tr><td>${p}</td>${q.coverage.years.map((y) => {
      const c = cell(p, y);
      return html`<td class="n">${c ? `${c.agencies} / ${c.known}` : `0`}</td>`;
    })}</tr>`,
  )}</tbody></table>`;
}

export function qualityHtml(q: QualityData, tables: readonly Table[], opts: { csvHref?: (name: string) => string; title?: string } = {}): string {
  const csvHref = opts.csvHref ?? ((n: string) => `quality/${n}.csv`);
  const t = (name: string) => tables.find((x) => x.name === name)!;
  const mismatchReports = new Set(q.mismatches.map((m) => m.reportId)).size;
  const card = (label: string, value: number | string) => html`<div class="card">${label}<b>${value}</b></div>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title ?? 'nianbao quality report'}</title><style>${raw(STYLE)}</style></head>
<body>
<h1>${opts.title ?? 'nianbao quality report'}</h1>
<p class="note">Made ${q.createdAt} from ${q.reports} report(s). Every table is also a CSV file beside this page. A panel mismatch is a warning on the later report: one of the two reports is likely wrong; no value was changed.</p>
<div class="cards">${card('reports', q.reports)}${card('valid', q.byStatus.valid ?? 0)}${card('flagged', q.byStatus.flagged ?? 0)}${card('failed', q.byStatus.failed ?? 0)}${card('agency-years missing', q.coverage.missing.reduce((n, m) => n + m.years.length, 0))}${card('duplicate copies', q.coverage.duplicates.length)}${card('reports with a panel mismatch', mismatchReports)}</div>
<p class="note">Panel status of the reports: ${Object.entries(q.panelStatus).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(' · ')}. ${q.coverage.unkeyed} report(s) have no agency key with a known place or no year and are left out of coverage and the cross-year checks.</p>
<h2>Status</h2><div class="charts">${raw(statusChart(q))}</div>
${tableHtml(t('status'), csvHref)}
<h2 id="coverage-matrix">Coverage</h2><div class="charts">${raw(coverageChart(q))}</div>
<p class="note">Agencies with a report / agencies known (with a report in any year), per province and year.</p>${coverageMatrix(q)}
${tableHtml(t('missing'), csvHref)}
${tableHtml(t('duplicates'), csvHref)}
<h2>Headline figures</h2><p class="note">Outliers lie more than 3 interquartile ranges beyond the quartiles (for counts and money: above, on log10(1+x)): worth a look, not necessarily wrong.</p>
<div class="charts">${q.figures.map((f) => raw(figureChart(f)))}</div>
${tableHtml(t('figures'), csvHref)}
${tableHtml(t('outliers'), csvHref)}
<h2>Panel mismatches</h2>${q.mismatches.length ? html`<div class="charts">${raw(mismatchChart(q))}</div>` : html`<p>No cross-year identity is broken.</p>`}
${tableHtml(t('panel_mismatches'), csvHref)}
${tableHtml(t('issues'), csvHref)}
</body></html>
`;
  return page.value;
}
